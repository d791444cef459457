# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud: where a run's credentials come from (the contract's order), and how temporary ones are fetched.

Order: the task's options (``secret_id`` + ``secret_key`` (+ ``security_token``), or a ``credentials_file`` the task
names), then the same from environment variables (``TENCENTCLOUD_SECRET_ID``...), then TKE workload identity
(``TKE_REGION``, ``TKE_PROVIDER_ID``, ``TKE_WEB_IDENTITY_TOKEN_FILE``, ``TKE_ROLE_ARN``), then the SDK's credentials
file (``TENCENTCLOUD_CREDENTIALS_FILE``, else ``~/.tencentcloud/credentials``, else ``/etc/tencentcloud/credentials``),
then the CVM instance metadata (only with ``use_metadata``). ``assume_role`` (or a ``role_arn`` in the credentials
file) applies on top: the base keys sign the STS ``AssumeRole`` call, the role's temporary keys sign every job request.
Every check here runs before any request.

The fetchers (:class:`MetadataKeys`, :class:`AssumeRoleKeys`, :class:`WebIdentityKeys`) follow tencentcloud-sdk's
``CVMRoleCredential``, ``STSAssumeRoleCredential`` and ``OIDCRoleArnCredential``: same methods, paths, headers and
bodies. They send through the client's transport (its proxy, TLS and retry rules, but not Batch's per-API rate budget);
their errors name the step, the host and the fix.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from urllib.parse import quote, urlsplit

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import TENCENT_ASSUME_ROLE_ENV, InputError, check_url
from ansible_collections.cloudops.jobs.plugins.module_utils import _credentials
from ansible_collections.cloudops.jobs.plugins.module_utils._credentials import Keys, Tried, read_ini
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError, Shape, Step
from ansible_collections.cloudops.jobs.plugins.module_utils._transport import host_of

ENV_CREDENTIALS_FILE = "TENCENTCLOUD_CREDENTIALS_FILE"
DEFAULT_CREDENTIALS_FILES = ("~/.tencentcloud/credentials", "/etc/tencentcloud/credentials")   # as ProfileCredential
FILE_SECTION = "default"
TKE_ENV = ("TKE_REGION", "TKE_PROVIDER_ID", "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN")   # DefaultTkeOIDCRoleArnProvider
KEY_ENV = ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY")
DEFAULT_METADATA = "http://metadata.tencentyun.com"
DEFAULT_STS = "sts.tencentcloudapi.com"
METADATA_ROLE_PATH = "/latest/meta-data/cam/security-credentials/"
STS_VERSION = "2018-08-13"
STS_REGION = "ap-guangzhou"          # STSAssumeRoleCredential's region
DURATION_MIN, DURATION_MAX, DURATION_DEFAULT = 1, 43200, 7200
SESSION_DEFAULT = "cloudops-jobs"
OIDC_DURATION = 7200                 # DefaultTkeOIDCRoleArnProvider's
ASSUME_KEYS = ("role_arn", "session_name", "duration", "policy")
# The answers that say the temporary key a request was signed with expired or is unknown: not acted on; renewing
# credentials are renewed and the request sent once more.
EXPIRED_CODES = ("AuthFailure.TokenFailure", "AuthFailure.SecretIdNotFound", "AuthFailure.InvalidSecretId")
RENEWING_WAYS = ("assume_role (a CAM role, on any base keys)", "use_metadata (on a CVM with a CAM role)",
                 "a credentials file with role_arn", "TKE workload identity (%s)" % ", ".join(TKE_ENV))


class Way(_credentials.Way):
    """Tencent's way in: ``kind`` keys, metadata or oidc; the base ``keys`` (kind keys) and the TKE settings
    (``oidc``: a dict of the four env values)."""

    def __init__(self, kind, origin, keys=None, oidc=None):
        super(Way, self).__init__(kind, origin, keys, DEFAULT_METADATA)
        self.oidc = oidc

    @property
    def given_temporary(self):
        """Keys given as they are with a security token: temporary, never renewed."""
        return not self.assume and self.kind == "keys" and bool(self.keys.token)


def sts_url(value):
    """The STS base URL of ``sts_endpoint``: a host (as the SDK's ``endpoint``: ``sts.tencentcloudapi.com``, https) or
    an http(s):// URL (as the collection's ``endpoint``)."""
    value = (value or DEFAULT_STS).strip()
    if "://" not in value:
        value = "https://" + value
    return value.rstrip("/") + "/"


def check_sts_endpoint(value):
    if value is None:
        return
    if "://" in value:
        check_url(value, "sts_endpoint")
        if urlsplit(value).path.strip("/"):
            raise InputError("sts_endpoint must be a host (sts.tencentcloudapi.com) or a base URL without a path, got %r"
                             % value)
    elif not value.strip() or "/" in value or " " in value or "?" in value:
        raise InputError("sts_endpoint must be a host such as sts.tencentcloudapi.com (or an https:// URL), got %r" % value)


def assume_role(params, environ, file_role_arn=None, file_origin=None):
    """The checked assume_role: the option, else Terraform's TENCENTCLOUD_ASSUME_ROLE_* variables, else the
    credentials file's ``role_arn``; or None."""
    role = params.get("assume_role")
    where = "assume_role"
    if role is None:
        role = dict((key, environ.get(name)) for key, name in TENCENT_ASSUME_ROLE_ENV if environ.get(name))
        if role:
            where = "assume_role (from %s)" % ", ".join(name for key, name in TENCENT_ASSUME_ROLE_ENV if key in role)
        elif file_role_arn:
            role, where = {"role_arn": file_role_arn}, "role_arn in %s" % file_origin
        else:
            return None
    if not isinstance(role, dict):
        raise InputError("assume_role must be a dictionary with role_arn (and optional session_name, duration, policy)")
    unknown = sorted(set(k for k, v in role.items() if v is not None) - set(ASSUME_KEYS))
    if unknown:
        raise InputError("%s: unknown key %s; the keys are %s" % (where, ", ".join(unknown), ", ".join(ASSUME_KEYS)))
    arn = role.get("role_arn")
    if not arn or not isinstance(arn, str):
        raise InputError("%s needs role_arn: the role to assume, qcs::cam::uin/<uin>:roleName/<name> "
                         "(TENCENTCLOUD_ASSUME_ROLE_ARN)" % where)
    if not arn.startswith("qcs::cam::"):
        raise InputError("%s: role_arn %r is not a CAM role ARN; give qcs::cam::uin/<uin>:roleName/<name>" % (where, arn))
    session = role.get("session_name") or SESSION_DEFAULT
    if not isinstance(session, str) or not 2 <= len(session) <= 128 or \
            any(not (c.isalnum() or c in "_+=,.@-") for c in session):
        raise InputError("%s: session_name %r must be 2 to 128 letters, digits or _+=,.@-" % (where, session))
    duration = _credentials.check_duration(where, role.get("duration"), DURATION_DEFAULT, DURATION_MIN, DURATION_MAX,
                                           "STS's bounds (at most 12 hours)")
    policy = role.get("policy")
    if isinstance(policy, dict):
        policy = json.dumps(policy, separators=(",", ":"))
    if policy is not None:
        try:
            parsed = json.loads(policy) if isinstance(policy, str) else None
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise InputError("%s: policy must be a CAM policy document (a JSON object, or a dict), not %s"
                             % (where, type(policy).__name__ if not isinstance(policy, str) else "this text"))
    return {"role_arn": arn, "session_name": session, "duration": duration, "policy": policy}


def _file_path(params, from_env):
    path = params.get("credentials_file")
    if path:
        option = ENV_CREDENTIALS_FILE if "credentials_file" in from_env else "credentials_file"
        if not os.path.isfile(os.path.expanduser(path)):
            raise InputError("%s: the credentials file %s does not exist; give the path of the SDK's credentials file "
                             "([default] with secret_id and secret_key)" % (option, path))
        return path, option
    for path in DEFAULT_CREDENTIALS_FILES:
        if os.path.isfile(os.path.expanduser(path)):
            return path, "the default credentials file"
    return None, None


def _read_file(path, option):
    """(Way, role_arn or None) of the SDK-format file: ``[default]`` with ``secret_id``, ``secret_key``, optional
    ``role_arn`` (as ProfileCredential reads it)."""
    values = read_ini(path, FILE_SECTION, option, required=("secret_id", "secret_key"))
    origin = "credentials file %s" % path
    return Way("keys", origin, keys=Keys(values["secret_id"], values["secret_key"], source=origin)), values.get("role_arn")


def _oidc(environ):
    """The TKE workload identity settings, or None when none of its variables is set; all four are needed."""
    values = dict((name, environ.get(name)) for name in TKE_ENV)
    if not any(values.values()):
        return None
    missing = [name for name in TKE_ENV if not values[name]]
    if missing:
        raise InputError("TKE workload identity needs %s: %s not set" % (", ".join(TKE_ENV), ", ".join(missing)))
    path = values["TKE_WEB_IDENTITY_TOKEN_FILE"]
    if not os.path.isfile(os.path.expanduser(path)) or not os.access(os.path.expanduser(path), os.R_OK):
        raise InputError("TKE_WEB_IDENTITY_TOKEN_FILE: %s is not a readable file; give the path of the pod's OIDC token "
                         "(the projected service account token)" % path)
    if not values["TKE_ROLE_ARN"].startswith("qcs::cam::"):
        raise InputError("TKE_ROLE_ARN %r is not a CAM role ARN; give qcs::cam::uin/<uin>:roleName/<name>"
                         % values["TKE_ROLE_ARN"])
    return values


def _nothing_found():
    tried = Tried()
    tried.add("task options", "none set")
    tried.add("environment", "%s not set" % " and ".join(KEY_ENV))
    tried.add("TKE workload identity", "%s not set" % ", ".join(TKE_ENV))
    tried.add("credentials file %s" % " or ".join(DEFAULT_CREDENTIALS_FILES), "no such file; %s not set" % ENV_CREDENTIALS_FILE)
    tried.add("instance metadata", "use_metadata is false")
    return tried.error("set secret_id and secret_key (or TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY), or "
                       "credentials_file, or use_metadata: true on a CVM with a CAM role")


def resolve(params, from_env=frozenset(), environ=None):
    """The one way in (:class:`Way`), checked; raises InputError (no request is sent)."""
    environ = os.environ if environ is None else environ
    keys_set = [n for n in ("secret_id", "secret_key") if params.get(n)]
    keys_by_task = [n for n in keys_set if n not in from_env]
    file_by_task = bool(params.get("credentials_file")) and "credentials_file" not in from_env
    if keys_by_task and file_by_task:
        raise InputError("%s and credentials_file conflict: set the options of one way in only (secret_id + "
                         "secret_key; or credentials_file)" % " and ".join(keys_by_task))
    token = params.get("security_token")
    if token and keys_by_task and "security_token" in from_env:
        token = None          # the environment's token belongs to the environment's keys, not to the task's
    file_role = file_origin = None
    if keys_set and not file_by_task:
        if len(keys_set) < 2:
            missing = [n for n in ("secret_id", "secret_key") if not params.get(n)][0]
            raise InputError("%s missing: secret_id and secret_key go together; set %s (or TENCENTCLOUD_%s)"
                             % (missing, missing, missing.upper()))
        origin = "environment" if not keys_by_task else "task options"
        way = Way("keys", origin, keys=Keys(params["secret_id"], params["secret_key"], token,
                                            source="secret_id %s (%s)" % (params["secret_id"], origin)))
    else:
        if token and "security_token" not in from_env:
            raise InputError("security_token goes with secret_id and secret_key: set them too (a security token "
                             "alone signs nothing)")
        oidc = None if file_by_task else _oidc(environ)
        path = option = None
        if oidc is None:
            path, option = _file_path(params, from_env)
        if oidc is not None:
            way = Way("oidc", "TKE workload identity (%s)" % oidc["TKE_PROVIDER_ID"], oidc=oidc)
        elif path is not None:
            way, file_role = _read_file(path, option)
            file_origin = path
        elif params.get("use_metadata"):
            way = Way("metadata", "CVM instance metadata")
        else:
            raise _nothing_found()
    way.metadata_endpoint = params.get("metadata_endpoint") or DEFAULT_METADATA
    if way.kind == "metadata":
        check_url(way.metadata_endpoint, "metadata_endpoint")
    check_sts_endpoint(params.get("sts_endpoint"))
    way.assume = assume_role(params, environ, file_role, file_origin)
    return way


# -- fetchers: each returns Keys with ``expires``; a Renewing calls it ---------------------------------------------------
def step(name, url, hint, option):
    """A named step before the job requests (a metadata read, an STS call): see :class:`_errors.Step`."""
    return Step(name, host_of(url), hint, "check %s (%s) and the network path to it" % (option, host_of(url)))


def _sts_keys(data, shape, source):
    creds = shape.get(data, "Credentials", (dict,), "Response.Credentials")
    access = shape.get(creds, "TmpSecretId", (str,), "Response.Credentials.TmpSecretId")
    secret = shape.get(creds, "TmpSecretKey", (str,), "Response.Credentials.TmpSecretKey")
    token = shape.get(creds, "Token", (str,), "Response.Credentials.Token")
    expires = shape.get(data, "ExpiredTime", (int, float), "Response.ExpiredTime")
    return Keys(access, secret, token, float(expires), source)


class MetadataKeys:
    """CVM role credentials, as CVMRoleCredential: ``GET {metadata}/latest/meta-data/cam/security-credentials/`` gives
    the role name (asked once), ``GET .../{role}`` the keys (``Code`` ``Success``, ``TmpSecretId``, ``TmpSecretKey``,
    ``Token``, ``ExpiredTime``)."""

    def __init__(self, client, endpoint):
        self.client = client
        self.base = endpoint.rstrip("/") + METADATA_ROLE_PATH
        self.role = None

    def __call__(self):
        hint = ("check metadata_endpoint (%s) and that this CVM has a CAM role (CVM console: Instance > More > "
                "Instance Settings > Bind/Modify a Role)" % host_of(self.base))
        with step("CVM instance metadata", self.base, hint, "metadata_endpoint"):
            if not self.role:
                role = self.client.plain_request("GET", self.base, text=True).text().strip()
                if not role or "\n" in role:
                    raise ApiError("the CVM has no CAM role (the role list is %s)" % ("empty" if not role else "not one name"),
                                   code="NoCamRole")
                self.role = role
            url = self.base + quote(self.role, safe="")
            response = self.client.plain_request("GET", url)
            shape = Shape("CVM metadata (GET %s{role})" % METADATA_ROLE_PATH)
            data = shape.obj(response.json())
            code = data.get("Code")
            if code != "Success":
                raise ApiError("the role credentials of %s answer Code %r, not Success" % (self.role, code),
                               code="MetadataError")
            access = shape.get(data, "TmpSecretId", (str,))
            secret = shape.get(data, "TmpSecretKey", (str,))
            token = shape.get(data, "Token", (str,))
            expires = shape.get(data, "ExpiredTime", (int, float))
            return Keys(access, secret, token, float(expires), "CVM role %s" % self.role)


class AssumeRoleKeys:
    """A CAM role's temporary keys (STS ``AssumeRole``, TC3-signed with the base keys, service ``sts``), as
    STSAssumeRoleCredential; the body adds ``Policy`` (URL-encoded, as STS documents) when one is given. An answer that
    the base keys expired (renewing base keys: CVM metadata, TKE) renews them and asks once more."""

    def __init__(self, client, base, assume):
        self.client = client
        self.base = base
        self.assume = assume

    def payload(self):
        role = self.assume
        out = {"RoleArn": role["role_arn"], "RoleSessionName": role["session_name"], "DurationSeconds": role["duration"]}
        if role.get("policy"):
            out["Policy"] = quote(role["policy"], safe="")
        return out

    def __call__(self):
        role = self.assume
        url = self.client.sts_url
        hint = ("check assume_role (role %s) and that the base credentials (%s) may assume it: the role's trust policy "
                "must allow their account and they need sts:AssumeRole" % (role["role_arn"], self.base.source))
        with step("Tencent STS AssumeRole", url, hint, "sts_endpoint"):
            for attempt in (0, 1):
                keys = self.base.keys()
                try:
                    data, shape = self.client.sts_call("AssumeRole", self.payload(), keys)
                    break
                except ApiError as exc:
                    if attempt == 0 and exc.code in EXPIRED_CODES and self.base.renewable and self.base.expired(keys):
                        continue
                    raise
            return _sts_keys(data, shape, "role %s" % role["role_arn"])


class WebIdentityKeys:
    """TKE workload identity, as OIDCRoleArnCredential with DefaultTkeOIDCRoleArnProvider: STS
    ``AssumeRoleWithWebIdentity`` (not signed: ``Authorization: SKIP``) with the pod's OIDC token, read afresh from
    ``TKE_WEB_IDENTITY_TOKEN_FILE`` at each renewal."""

    def __init__(self, client, oidc):
        self.client = client
        self.oidc = oidc

    def read_token(self):
        path = self.oidc["TKE_WEB_IDENTITY_TOKEN_FILE"]
        try:
            with open(os.path.expanduser(path), encoding="utf-8") as handle:
                token = handle.read().strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ApiError("cannot read TKE_WEB_IDENTITY_TOKEN_FILE %s (%s)"
                           % (path, getattr(exc, "strerror", None) or type(exc).__name__), code="WebIdentityTokenFile")
        if not token:
            raise ApiError("TKE_WEB_IDENTITY_TOKEN_FILE %s is empty" % path, code="WebIdentityTokenFile")
        return token

    def __call__(self):
        oidc = self.oidc
        url = self.client.sts_url
        hint = ("check TKE_PROVIDER_ID (%s), TKE_ROLE_ARN (%s) and that the role trusts that identity provider"
                % (oidc["TKE_PROVIDER_ID"], oidc["TKE_ROLE_ARN"]))
        with step("Tencent STS AssumeRoleWithWebIdentity", url, hint, "sts_endpoint"):
            token = self.read_token()
            self.client.on_secret(token)
            payload = {"ProviderId": oidc["TKE_PROVIDER_ID"], "WebIdentityToken": token, "RoleArn": oidc["TKE_ROLE_ARN"],
                       "RoleSessionName": "%s-%d" % (SESSION_DEFAULT, int(self.client.clock() * 1e6)),
                       "DurationSeconds": OIDC_DURATION}
            data, shape = self.client.sts_call("AssumeRoleWithWebIdentity", payload, None, region=oidc["TKE_REGION"])
            return _sts_keys(data, shape, "TKE workload identity %s" % oidc["TKE_ROLE_ARN"])
