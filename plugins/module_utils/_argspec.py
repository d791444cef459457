# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one place shared option specs live (documented in plugins/doc_fragments), and input checks.

Every check here runs before any request is sent, and names the option and the fix.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible.module_utils.basic import AnsibleFallbackNotFound

from urllib.parse import urlsplit

MAX_IDS = 5000


def set_env_fallback(*names):
    """The first of the environment variables that is set and not empty (AWX injects unset optional fields as empty)."""
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    raise AnsibleFallbackNotFound


def _env(*names):
    return (set_env_fallback, list(names))


def common_http_spec():
    return dict(
        validate_certs=dict(type="bool", default=True),
        ca_bundle=dict(type="path"),
        timeout=dict(type="int", default=30),
        max_retries=dict(type="int", default=4),
    )


# The environment variables of Huawei Cloud's ways in, applied by the collection (``_credentials.apply_env``), not as
# argument-spec fallbacks: which way in the task itself set decides between two ways (``_huawei.choose_auth``).
HUAWEI_AUTH_ENV = {
    "access_key": ("HUAWEICLOUD_SDK_AK", "HW_ACCESS_KEY"),
    "secret_key": ("HUAWEICLOUD_SDK_SK", "HW_SECRET_KEY"),
    "security_token": ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "HW_SECURITY_TOKEN"),
    "auth_token": ("HUAWEICLOUD_AUTH_TOKEN", "HW_AUTH_TOKEN"),
    "user_name": ("HW_USER_NAME",),
    "password": ("HW_USER_PASSWORD",),
    "domain_name": ("HW_DOMAIN_NAME",),
    "credentials_file": ("HUAWEICLOUD_SDK_CREDENTIALS_FILE",),
}
# assume_role's keys from Terraform's variables (what the AWX credential types inject), when the task sets no assume_role.
HUAWEI_ASSUME_ROLE_ENV = (("agency_name", "HW_ASSUME_ROLE_AGENCY_NAME"), ("domain_name", "HW_ASSUME_ROLE_DOMAIN_NAME"),
                          ("domain_id", "HW_ASSUME_ROLE_DOMAIN_ID"), ("duration", "HW_ASSUME_ROLE_DURATION"))


# The environment variables of Tencent Cloud's ways in, applied by the collection (``_credentials.apply_env``): a way in
# the task set wins over one found in the environment (``_tencent_credentials.resolve``).
TENCENT_AUTH_ENV = {
    "secret_id": ("TENCENTCLOUD_SECRET_ID",),
    "secret_key": ("TENCENTCLOUD_SECRET_KEY",),
    "security_token": ("TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_SESSION_TOKEN"),
    "credentials_file": ("TENCENTCLOUD_CREDENTIALS_FILE",),
}
# assume_role's keys from Terraform's tencentcloud variables (what the AWX credential type injects), when the task sets
# no assume_role.
TENCENT_ASSUME_ROLE_ENV = (("role_arn", "TENCENTCLOUD_ASSUME_ROLE_ARN"),
                           ("session_name", "TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME"),
                           ("duration", "TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION"))


def huawei_spec():
    spec = dict(
        region=dict(type="str", fallback=_env("HUAWEICLOUD_SDK_REGION", "HW_REGION_NAME")),
        project_id=dict(type="str", fallback=_env("HUAWEICLOUD_SDK_PROJECT_ID", "HW_PROJECT_ID")),
        access_key=dict(type="str", no_log=False),
        secret_key=dict(type="str", no_log=True),
        security_token=dict(type="str", no_log=True),
        auth_token=dict(type="str", no_log=True),
        user_name=dict(type="str"),
        password=dict(type="str", no_log=True),
        domain_name=dict(type="str"),
        endpoint=dict(type="str"),
        iam_endpoint=dict(type="str", fallback=_env("HUAWEICLOUD_SDK_IAM_ENDPOINT", "HW_AUTH_URL")),
        credentials_file=dict(type="path"),
        use_metadata=dict(type="bool", default=False, fallback=_env("HUAWEICLOUD_USE_METADATA")),
        metadata_endpoint=dict(type="str", default="http://169.254.169.254", fallback=_env("HUAWEICLOUD_METADATA_ENDPOINT")),
        assume_role=dict(type="dict", options=dict(
            agency_name=dict(type="str", required=True),
            domain_name=dict(type="str"),
            domain_id=dict(type="str"),
            duration=dict(type="int", default=3600),
        ), mutually_exclusive=[["domain_name", "domain_id"]], required_one_of=[["domain_name", "domain_id"]]),
        language=dict(type="str", default="en-us", choices=["en-us", "zh-cn"]),
    )
    spec.update(common_http_spec())
    return spec


def tencent_spec():
    spec = dict(
        secret_id=dict(type="str", no_log=False),
        secret_key=dict(type="str", no_log=True),
        security_token=dict(type="str", no_log=True),
        region=dict(type="str", fallback=_env("TENCENTCLOUD_REGION")),
        endpoint=dict(type="str", default="https://batch.tencentcloudapi.com"),
        rate_limit=dict(type="float", default=2.0),
        credentials_file=dict(type="path"),
        use_metadata=dict(type="bool", default=False, fallback=_env("TENCENTCLOUD_USE_METADATA")),
        metadata_endpoint=dict(type="str", default="http://metadata.tencentyun.com",
                               fallback=_env("TENCENTCLOUD_METADATA_ENDPOINT")),
        sts_endpoint=dict(type="str", default="sts.tencentcloudapi.com"),
        assume_role=dict(type="dict", options=dict(
            role_arn=dict(type="str", required=True),
            session_name=dict(type="str", default="cloudops-jobs"),
            duration=dict(type="int", default=7200),
            policy=dict(type="raw"),
        )),
    )
    spec.update(common_http_spec())
    return spec


DEFAULT_SETTLE = 60       # wait_settle (documented in the job_state doc fragment)
DEFAULT_MAX_JOBS = 1000   # max_jobs (documented in the discovery doc fragment)


def state_spec():
    """The options of a module that acts (documented by the job_state fragment); :class:`~._jobs.RunOptions` holds them."""
    return dict(
        precheck=dict(type="bool", default=True),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
        wait_interval=dict(type="int", default=10),
        wait_settle=dict(type="int", default=DEFAULT_SETTLE),
    )


def filters_spec(max_jobs=False):
    """``filters`` (each module documents its keys, each service checks them) and, for a module that acts on what they
    select, ``max_jobs`` (documented by the discovery fragment)."""
    spec = dict(filters=dict(type="dict"))
    if max_jobs:
        spec["max_jobs"] = dict(type="int", default=DEFAULT_MAX_JOBS)
    return spec


def ids_spec(option):
    """The option that names a module's jobs: a list of ids (checked by :func:`check_ids`)."""
    return {option: dict(type="list", elements="str")}


def iotda_spec():
    """An IoTDA instance and its signing: the IoTDA modules and the event source's iotda service."""
    return dict(instance_id=dict(type="str"), derived_signing=dict(type="bool"))


def secret_options(spec):
    """The options a spec marks ``no_log``: their values are scrubbed from every message."""
    return sorted(name for name, option in spec.items() if option.get("no_log"))


class InputError(ValueError):
    """Bad input: raised before any request is sent."""


_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@-]*$")


def check_ids(values, option, max_count=MAX_IDS, pattern=None, hint=None):
    """Ids must be a non-empty list of non-empty strings that cannot change a URL path."""
    if not values:
        raise InputError("%s must list at least one id; give the ids of the jobs to act on" % option)
    if len(values) > max_count:
        raise InputError("%s has %d ids, more than the %d one run accepts; split the list across several tasks"
                         % (option, len(values), max_count))
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise InputError("%s contains %r, which is not a non-empty string id" % (option, value))
        if value != value.strip() or not _SAFE_ID.match(value) or ".." in value:
            raise InputError("%s contains %r: an id has only letters, digits and . _ : @ - (no spaces, '/', '?', '..')"
                             % (option, value))
        if pattern is not None and not pattern.match(value):
            raise InputError("%s contains %r, which is not a valid id%s" % (option, value, "; " + hint if hint else ""))


def check_positive(params, *names):
    for name in names:
        value = params.get(name)
        if value is not None and value <= 0:
            raise InputError("%s must be greater than 0, got %s" % (name, value))


def check_non_negative(params, *names):
    for name in names:
        value = params.get(name)
        if value is not None and value < 0:
            raise InputError("%s must be 0 or more, got %s" % (name, value))


def check_url(value, option):
    if value is None:
        return
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError("%s must be an http:// or https:// URL with a host, got %r" % (option, value))
    if parts.query or parts.fragment:
        raise InputError("%s must be a base URL without a query or fragment, got %r" % (option, value))


def check_common(params):
    ca_bundle = params.get("ca_bundle")
    if ca_bundle and not os.access(ca_bundle, os.R_OK):
        raise InputError("ca_bundle %r is not a readable file or directory: give the path of a PEM file of the CA "
                         "certificates that signed the endpoint's certificate" % ca_bundle)
    check_positive(params, "timeout", "wait_timeout", "wait_interval", "max_jobs")
    check_non_negative(params, "max_retries", "wait_settle")
    check_url(params.get("endpoint"), "endpoint")
    check_url(params.get("iam_endpoint"), "iam_endpoint")
