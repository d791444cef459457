# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cloudops.jobs.failed_jobs: an ansible-rulebook event source that sees cloud jobs fail.

ansible-rulebook loads this file with ``runpy.run_path`` and calls ``main(queue, args)``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import json
import logging
import os
import sys
import traceback

DOCUMENTATION = r"""
---
short_description: Emit one event each time a DRS job, an IoTDA subtask or a Tencent Cloud Batch job fails.
description:
  - An ansible-rulebook event source plugin. Every O(interval) seconds it lists the jobs of one O(service) through the
    same list calls as the collection's info modules (one list pass, every page, in the fewest requests the page limits
    allow), with the same signing, retries, rate limits and TLS handling as the modules.
  - A job is emitted once per failure episode, when it is seen entering a failed state; it is emitted again only after
    it was seen to leave the failed state and fail again. A job that leaves the list (its state no longer matches
    O(filters), or it was deleted) counts as having left the failed state once it is missing from two list passes in a
    row (one missing pass is taken as paging skew; IoTDA pages by marker, and one missing read is enough). A Tencent
    Cloud Batch job seen FAILED again with a later C(EndTime) ran and failed again between two passes, a new episode.
  - The failed states are the service files' own tables.
  - DRS jobs fail in V(CREATE_FAILED), V(START_JOB_FAILED), V(FULL_TRANSFER_FAILED), V(INCRE_TRANSFER_FAILED),
    V(RELEASE_RESOURCE_FAILED), V(REBUILD_NODE_FAILED), V(CHANGE_JOB_FAILED), V(CHILD_TRANSFER_FAILED) or
    V(NODE_UPGRADE_FAILED).
  - IoTDA subtasks fail in V(Fail), V(Stopped) or V(Removed), one event per target of a batch task. The subtasks of
    the tasks in C(Fail), C(PartialSuccess) or C(Processing) are read, a task's subtasks again only when its list entry
    changed.
  - Tencent Cloud Batch jobs fail in V(FAILED) or V(FAILED_INTERRUPTED).
  - Cloud errors and throttling do not stop the source. After the transport's own re-sends it logs the error
    (scrubbed of secrets), waits twice as long as before, up to O(max_backoff), and polls on; a failed pass changes
    nothing it has recorded and emits no event. An answer that is not what the list API documents (a
    C(MalformedResponse), such as wrong shapes or types, null entries, HTML or not JSON) is such a failed pass, logged as a
    malformed answer; no job is forgotten and none is emitted again. Bad arguments stop it before any request, with a
    message naming the argument.
  - Credentials come from the arguments or from the same environment variables the modules use. No secret is ever
    part of an event or of a log line.
options:
  service:
    description: The service to watch.
    type: str
    required: true
    choices: [drs, iotda, tencent_batch]
  filters:
    description:
      - The service's list-query fields, as the info modules take them (their values and the accepted states are in
        M(cloudops.jobs.drs_job_info), M(cloudops.jobs.iotda_batchtask_info), M(cloudops.jobs.tencent_batch_job_info)).
        Checked before any request.
      - V(drs) - V(status), V(name), V(engine_type), V(db_use_type), V(net_type), V(enterprise_project_id), V(tags),
        V(instance_ids), V(instance_ip).
      - V(iotda) - V(task_type) (required by the API), V(status), V(app_id).
      - V(tencent_batch) - V(job-id), V(job-name), V(job-state), V(zone), V(tag-key), V(tag-value), V(tag:KEY).
      - Without a status filter every job is listed, and a job's way out of the failed state is seen directly.
    type: dict
    default: {}
  interval:
    description: Seconds between two list passes.
    type: int
    default: 60
  emit_existing:
    description:
      - What to do with the jobs that are already failed at the first list pass.
      - V(false) (the default) records them as failed without an event, so starting or restarting the rulebook does not
        start a wave of retries of jobs that failed long ago; they are emitted once they recover and fail again. Use a
        scheduled job template (C(playbooks/recover_all_failed.yml)) for that backlog.
      - V(true) emits each of them once at the first pass, so failures that happened while the source was not running
        are recovered too (after a restart, every job still failed is emitted again, once).
    type: bool
    default: false
  enabled:
    description:
      - V(false) makes the source idle without sending any request and without checking its other arguments (no
        credentials are needed for a service that is not watched), so one rulebook can list a source per service and
        switch each on or off from its variables.
    type: bool
    default: true
  max_backoff:
    description: The longest wait, in seconds, between two list passes while the service keeps failing.
    type: int
    default: 600
  instance_id:
    description: IoTDA only. The IoTDA instance, sent as C(Instance-Id), as in M(cloudops.jobs.iotda_batchtask_retry).
    type: str
  derived_signing:
    description: IoTDA only. Sign AK/SK requests with the derived signature, as in M(cloudops.jobs.iotda_batchtask_retry).
    type: bool
  # BEGIN generated by scripts/eda_source_docs.py from the doc fragments (options): do not edit
  region:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) - Huawei Cloud region, for example V(cn-north-4).
      - Builds the default service and IAM endpoints and finds the project when O(project_id) is not set.
      - If not set, the value of the E(HUAWEICLOUD_SDK_REGION) or E(HW_REGION_NAME) environment variable is used (first
        set wins).
      - Tencent Cloud (O(service=tencent_batch)) - Region, for example V(ap-guangzhou), sent as C(X-TC-Region).
      - If not set, the value of E(TENCENTCLOUD_REGION) is used.
    type: str
  project_id:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) only. Project ID of the tenant in the region.
      - If omitted, it is looked up from O(region) through IAM (C(GET /v3/projects?name=REGION)); zero or several matches
        are an error.
      - If not set, the value of E(HUAWEICLOUD_SDK_PROJECT_ID) or E(HW_PROJECT_ID) is used.
    type: str
  access_key:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) only. Access key ID (AK) for C(SDK-HMAC-SHA256) request signing.
        Used with O(secret_key).
      - If not set, the value of E(HUAWEICLOUD_SDK_AK) or E(HW_ACCESS_KEY) is used.
    type: str
  secret_key:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) - Secret access key (SK) that goes with O(access_key). Never
        logged.
      - If not set, the value of E(HUAWEICLOUD_SDK_SK) or E(HW_SECRET_KEY) is used.
      - Tencent Cloud (O(service=tencent_batch)) - SecretKey that goes with O(secret_id). Never logged.
      - If not set, the value of E(TENCENTCLOUD_SECRET_KEY) is used.
    type: str
  security_token:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) - Security token of temporary AK/SK credentials, sent (and signed)
        as C(X-Security-Token).
      - If not set, the value of E(HUAWEICLOUD_SDK_SECURITY_TOKEN) or E(HW_SECURITY_TOKEN) is used.
      - Tencent Cloud (O(service=tencent_batch)) - Token of temporary credentials (from STS or a CAM role), sent as
        C(X-TC-Token). Keys given with a token are used as they are and never renewed; when Tencent Cloud says they
        expired, the source says so. Use O(assume_role), O(use_metadata), a O(credentials_file) with C(role_arn) or
        TKE workload identity for keys that are renewed.
      - If not set, the value of E(TENCENTCLOUD_SECURITY_TOKEN) or E(TENCENTCLOUD_SESSION_TOKEN) is used (first set
        wins), only with keys from the environment too.
    type: str
  auth_token:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) only. A ready IAM token, sent as C(X-Auth-Token). Cannot be
        combined with AK/SK or password login options set by the rulebook.
      - If not set, the value of E(HUAWEICLOUD_AUTH_TOKEN) or E(HW_AUTH_TOKEN) is used.
    type: str
  user_name:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) only. IAM user name for password login (C(POST /v3/auth/tokens));
        needs O(password) and O(domain_name).
      - Cannot be combined with O(auth_token) or O(access_key)/O(secret_key) set by the rulebook.
      - If not set, the value of E(HW_USER_NAME) is used.
    type: str
  password:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) only. IAM user password for password login. Never logged.
      - If not set, the value of E(HW_USER_PASSWORD) is used.
    type: str
  domain_name:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) only. Account (domain) name the IAM user belongs to, for password
        login.
      - If not set, the value of E(HW_DOMAIN_NAME) is used.
    type: str
  endpoint:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) - Base URL of the service, overriding the one built from O(region),
        for private endpoints, other partitions or a local emulator - the source's own service host, C(https://<service>.<region>.myhuaweicloud.com)
        (C(drs), C(workspace) or C(iotda)), for example C(https://workspace.eu-west-101.myhuaweicloud.eu).
      - Tencent Cloud (O(service=tencent_batch)) - Base URL of the service, for a regional endpoint (C(https://batch.ap-guangzhou.tencentcloudapi.com)),
        a private endpoint or a local emulator. The C(Host) it names is part of the signature.
      - Tencent Cloud default V(https://batch.tencentcloudapi.com).
    type: str
  iam_endpoint:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) only. Base URL of IAM, used for password login and project lookup.
      - Defaults to C(https://iam.{region}.myhuaweicloud.com) (C(https://iam.myhuaweicloud.com) for regions IAM has
        no regional endpoint in).
      - If not set, the value of E(HUAWEICLOUD_SDK_IAM_ENDPOINT) or E(HW_AUTH_URL) is used.
    type: str
  credentials_file:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) - Path of a credentials file in the Huawei Cloud SDK's format
        (C(ProfileCredentialProvider)) - an INI section C([basic]) with C(ak) and C(sk), optionally C(security_token),
        C(project_id) and C(iam_endpoint) (used when O(project_id) and O(iam_endpoint) are not set; C(project_id) is
        not used with O(assume_role)), or C(idp_id) and C(id_token_file) for workload identity.
      - If not set, the value of E(HUAWEICLOUD_SDK_CREDENTIALS_FILE) is used, else C(~/.huaweicloud/credentials) when
        it exists.
      - A file named here or in E(HUAWEICLOUD_SDK_CREDENTIALS_FILE) must exist. Set by the rulebook, it is a way in
        of its own (it cannot be combined with the other ways in set by the rulebook); found otherwise, it is used only
        when no way in is set by the rulebook or the environment.
      - Tencent Cloud (O(service=tencent_batch)) - Path of a credentials file in the Tencent Cloud SDK's format (C(ProfileCredential))
        - an INI section C([default]) with C(secret_id) and C(secret_key), and optionally C(role_arn), a CAM role assumed
        with the file's keys (as O(assume_role) with its defaults; an O(assume_role) the task sets wins over it).
      - If not set, the value of E(TENCENTCLOUD_CREDENTIALS_FILE) is used, else C(~/.tencentcloud/credentials), else
        C(/etc/tencentcloud/credentials), when one exists.
      - A file named here or in E(TENCENTCLOUD_CREDENTIALS_FILE) must exist. Set by the rulebook, it cannot be combined
        with O(secret_id) and O(secret_key) set by the rulebook.
    type: path
  use_metadata:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) - Use the temporary keys of the ECS instance's agency from the
        instance metadata (C(PUT /meta-data/latest/api/token), then C(GET /openstack/latest/securitykey)), when no other
        way in is set. They are renewed before they expire.
      - If not set, the value of E(HUAWEICLOUD_USE_METADATA) is used.
      - Tencent Cloud (O(service=tencent_batch)) - Use the temporary keys of the CVM instance's CAM role from the instance
        metadata (C(GET /latest/meta-data/cam/security-credentials/) for the role name, then C(GET .../<role>)), when
        no other way in is found. They are renewed before they expire.
      - If not set, the value of E(TENCENTCLOUD_USE_METADATA) is used.
    type: bool
    default: false
  metadata_endpoint:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) - Base URL of the instance metadata service, for O(use_metadata).
      - If not set, the value of E(HUAWEICLOUD_METADATA_ENDPOINT) is used.
      - Tencent Cloud (O(service=tencent_batch)) - Base URL of the instance metadata service, for O(use_metadata).
      - If not set, the value of E(TENCENTCLOUD_METADATA_ENDPOINT) is used.
      - Huawei Cloud default V(http://169.254.169.254).
      - Tencent Cloud default V(http://metadata.tencentyun.com).
    type: str
  assume_role:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) - Assume an IAM agency (C(POST /v3.0/OS-CREDENTIAL/securitytokens),
        method C(assume_role)) with the credentials found (any way in); its temporary keys sign every job request and
        are renewed before they expire.
      - If not set, Terraform's variables E(HW_ASSUME_ROLE_AGENCY_NAME), E(HW_ASSUME_ROLE_DOMAIN_NAME), E(HW_ASSUME_ROLE_DOMAIN_ID)
        and E(HW_ASSUME_ROLE_DURATION) are used, when any of them is set.
      - With an agency, O(project_id) is the agency's project (looked up from O(region) with the agency's keys when
        not set).
      - Tencent Cloud (O(service=tencent_batch)) - Assume a CAM role (STS C(AssumeRole), signed with the credentials
        found - any way in); its temporary keys sign every request and are renewed before they expire.
      - If not set, Terraform's variables E(TENCENTCLOUD_ASSUME_ROLE_ARN), E(TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME)
        and E(TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION) are used when any of them is set, else the C(role_arn) of the
        credentials file.
    type: dict
    suboptions:
      agency_name:
        description:
          - Huawei Cloud (O(service=drs), O(service=iotda)) only. Name of the agency to assume.
          - Required.
        type: str
      domain_name:
        description:
          - Huawei Cloud (O(service=drs), O(service=iotda)) only. Name of the account (domain) that owns the agency.
            Set this or O(assume_role.domain_id).
        type: str
      domain_id:
        description:
          - Huawei Cloud (O(service=drs), O(service=iotda)) only. ID of the account (domain) that owns the agency.
        type: str
      duration:
        description:
          - Huawei Cloud (O(service=drs), O(service=iotda)) - How long, in seconds, the agency's keys are valid (IAM
            accepts 900 to 86400).
          - Tencent Cloud (O(service=tencent_batch)) - How long, in seconds, the role's keys are valid (at most 43200).
          - Huawei Cloud default V(3600).
          - Tencent Cloud default V(7200).
        type: int
      role_arn:
        description:
          - Tencent Cloud (O(service=tencent_batch)) only. The role to assume, C(qcs::cam::uin/<uin>:roleName/<name>).
          - Required.
        type: str
      session_name:
        description:
          - Tencent Cloud (O(service=tencent_batch)) only. Name of the role session (2 to 128 letters, digits or C(_+=,.@-)),
            seen in CloudAudit.
        type: str
        default: cloudops-jobs
      policy:
        description:
          - Tencent Cloud (O(service=tencent_batch)) only. A CAM policy (a dict, or its JSON text) that narrows what
            the role's keys may do; sent URL-encoded, as STS documents.
        type: raw
  language:
    description:
      - Huawei Cloud (O(service=drs), O(service=iotda)) only. Language of the service's messages, sent as C(X-Language).
    type: str
    choices:
      - en-us
      - zh-cn
    default: en-us
  secret_id:
    description:
      - Tencent Cloud (O(service=tencent_batch)) only. SecretId of the Tencent Cloud API key (or of temporary credentials),
        used for C(TC3-HMAC-SHA256) request signing. Used with O(secret_key).
      - If not set, the value of the E(TENCENTCLOUD_SECRET_ID) environment variable is used (keys set by the rulebook
        win over a O(credentials_file) found in the environment, and keys found in the environment over the credentials
        file).
    type: str
  rate_limit:
    description:
      - Tencent Cloud (O(service=tencent_batch)) only. Requests per second the source allows itself for each API (C(Action))
        of the run, as Tencent Cloud counts them. C(DescribeJobs) and C(RetryJobs) each have this budget, so a list
        or a state read does not wait for a retry and the other way round. Every request of an API counts, re-sends
        of throttled requests included.
      - Each API allows 2 requests per second; raise it only for an account with a higher quota. A request the service
        still throttles (C(RequestLimitExceeded)) is re-sent with backoff, up to O(max_retries) times; the backoff holds
        back that request's API only.
      - Must be greater than 0.
    type: float
    default: 2
  sts_endpoint:
    description:
      - Tencent Cloud (O(service=tencent_batch)) only. The STS service that O(assume_role) and TKE workload identity
        call (C(AssumeRole), C(AssumeRoleWithWebIdentity), version C(2018-08-13)) - a host, as the SDK takes it (C(https)
        is used), or a base URL such as C(https://sts.ap-guangzhou.tencentcloudapi.com) for a regional or private endpoint
        or a local emulator.
      - Its calls do not count against the O(rate_limit) budgets of the service's APIs.
    type: str
    default: sts.tencentcloudapi.com
  validate_certs:
    description:
      - Verify the endpoint's TLS certificate, against the system's CA certificates or O(ca_bundle). Set to V(false)
        only for test endpoints; the source warns when it is off.
    type: bool
    default: true
  ca_bundle:
    description:
      - Path to a file of CA certificates (PEM), or a directory of them prepared with C(openssl rehash), to verify the
        endpoint with instead of the system's, for private CAs and TLS-inspecting proxies. Checked before any request.
    type: path
  timeout:
    description:
      - Seconds to wait for each request to connect and for each answer.
    type: int
    default: 30
  max_retries:
    description:
      - How many times a request is re-sent when the service throttled it (HTTP 429 or a throttling error code, honouring
        C(Retry-After)), answered 503, or could not be reached at all. Capped exponential backoff with jitter.
      - A write whose outcome is unknown (no answer within O(timeout), connection reset after sending, HTTP 500/502/504)
        is never re-sent; its jobs are reported failed with status V(unknown).
    type: int
    default: 4
  # END generated
notes:
  - "Each event is C({cloudops_job: {service, id, status, previous_status, error_code, error_msg, module, region,
    project_id}}), plus C(task_id) for IoTDA, where C(id) is the subtask's target. C(module) is the action module that
    recovers the job: C(cloudops.jobs.drs_job_retry), C(cloudops.jobs.iotda_batchtask_retry),
    C(cloudops.jobs.tencent_batch_retry). C(previous_status) is the state seen at the pass before (null when the job was
    not seen before). C(error_code) and C(error_msg) are what the list gave for the job (null when it gave none).
    C(project_id) is null for Tencent."
  - The collection's module_utils are imported from the collection this file belongs to
    (C(.../ansible_collections/cloudops/jobs/extensions/eda/plugins/event_source/failed_jobs.py)), so an installed
    collection works as it is. The Python that runs ansible-rulebook needs C(ansible-core).
  - The credential, region, endpoint and TLS options are the modules' (doc fragments C(cloudops.jobs.huaweicloud),
    C(cloudops.jobs.tencentcloud), C(cloudops.jobs.connection)), with the same names, defaults and environment
    fallbacks; the ones of the service's cloud apply. Their documentation here is generated from those fragments
    (C(scripts/eda_source_docs.py)).
  # BEGIN generated by scripts/eda_source_docs.py from the doc fragments (notes): do not edit
  - Huawei Cloud (O(service=drs), O(service=iotda)) - Exactly one way in is used - O(auth_token); or O(access_key) and
    O(secret_key) (with O(security_token) for temporary credentials); or O(user_name), O(password) and O(domain_name);
    or O(credentials_file). With the options of two of them set by the rulebook, the source fails before sending any
    request.
  - Huawei Cloud (O(service=drs), O(service=iotda)) - A way in set by the rulebook wins over ways found only in environment
    variables; among those, the order is O(auth_token), else O(access_key) and O(secret_key), else password login, else
    workload identity (E(HUAWEICLOUD_SDK_IDP_ID) and E(HUAWEICLOUD_SDK_ID_TOKEN_FILE), the SDK's variables; the id token
    file is read again at each renewal), else the credentials file, else the instance metadata (O(use_metadata)). With
    none, the source fails before any request, listing every source it tried. O(assume_role) applies on top of the way
    in found.
  - Huawei Cloud (O(service=drs), O(service=iotda)) - Temporary keys (instance metadata, workload identity, an agency)
    and the token of a password login are renewed before they expire (5 minutes before, or a fifth of their lifetime
    if shorter) and once after an answer that says they expired. Keys given as they are (O(auth_token), O(security_token))
    are not renewed; when they expire the source says so.
  - Huawei Cloud (O(service=drs), O(service=iotda)) - O(region) must be a region name (letters, digits and C(-)) and
    O(project_id) an ID (no C(/), C(?), C(..) or spaces), because they become part of host names and URL paths.
  - Huawei Cloud (O(service=drs), O(service=iotda)) - An AK/SK-signed request signs every header it sends, as the official
    Huawei Cloud SDK does.
  - Tencent Cloud (O(service=tencent_batch)) - The credentials are looked for in this order - O(secret_id) and O(secret_key)
    (with O(security_token) for temporary keys) or O(credentials_file) set by the rulebook (not both); then the same
    from environment variables; then TKE workload identity (E(TKE_REGION), E(TKE_PROVIDER_ID), E(TKE_WEB_IDENTITY_TOKEN_FILE)
    and E(TKE_ROLE_ARN), the SDK's variables - STS C(AssumeRoleWithWebIdentity), the token file read again at each renewal);
    then the default credentials file; then the instance metadata (O(use_metadata)). With none, the source fails before
    sending any request, listing every source it tried. O(assume_role) applies on top of the way in found.
  - Tencent Cloud (O(service=tencent_batch)) - Temporary keys (instance metadata, workload identity, an assumed role)
    are renewed before they expire (5 minutes before, or a fifth of their lifetime if shorter) and once after an answer
    that says they expired or are unknown (C(AuthFailure.TokenFailure), C(AuthFailure.SecretIdNotFound)); that request
    was not acted on and is sent once more.
  - Tencent Cloud (O(service=tencent_batch)) - Tencent Cloud refuses requests whose timestamp is more than 5 minutes
    off its clock (C(AuthFailure.SignatureExpire)), so keep the clock of the machine that runs ansible-rulebook synchronised.
  - Proxies are taken from the standard E(https_proxy), E(http_proxy), E(all_proxy) and E(no_proxy) environment variables
    (lower or upper case), as curl reads them. The proxy must be an C(http://) URL (credentials in it are sent as C(Proxy-Authorization));
    HTTPS goes through it in a C(CONNECT) tunnel.
  - The source needs no Python package beyond ansible-core (HTTP and TLS are the standard library's).
  # END generated
"""

EXAMPLES = r"""
- name: Recover DRS jobs as they fail
  hosts: localhost
  sources:
    - cloudops.jobs.failed_jobs:
        service: drs
        region: cn-north-4
        interval: 60
        filters:
          engine_type: mysql
  rules:
    - name: Retry the job
      condition: event.cloudops_job is defined
      throttle:
        once_within: 15 minutes
        group_by_attributes:
          - event.cloudops_job.id
      action:
        run_playbook:
          name: cloudops.jobs.eda_recover_job
          extra_vars:
            job_service: "{{ event.cloudops_job.service }}"
            job_id: "{{ event.cloudops_job.id }}"
"""


def _collection_root():
    """The directory holding ``ansible_collections`` when this file sits in .../ansible_collections/cloudops/jobs/..."""
    here = os.path.abspath(globals().get("__file__") or "")
    path = here
    for _level in range(7):  # event_source, plugins, eda, extensions, jobs, cloudops, ansible_collections
        path = os.path.dirname(path)
    if os.path.basename(path) == "ansible_collections" and os.path.isdir(os.path.join(path, "cloudops", "jobs", "plugins")):
        return os.path.dirname(path)
    return None


def _import_collection():
    """Make the module_utils of this file's own collection importable (ansible-rulebook sets up no collection loader)."""
    root = _collection_root()
    if root is not None and root not in sys.path:
        sys.path.insert(0, root)
    try:
        from ansible_collections.cloudops.jobs.plugins.module_utils import (  # pylint: disable=unused-import
            _argspec, _discovery, _drs, _errors, _huawei, _iotda, _tencent, _tencent_batch, _transport,
        )
    except ImportError as exc:
        raise ImportError("cloudops.jobs.failed_jobs needs the cloudops.jobs collection it belongs to and ansible-core "
                          "(install the collection with ansible-galaxy, so this file sits in "
                          ".../ansible_collections/cloudops/jobs/extensions/eda/plugins/event_source/): %s" % exc)


_import_collection()

# pylint: disable=wrong-import-position
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator  # noqa: E402
from ansible.module_utils.parsing.convert_bool import boolean  # noqa: E402

from ansible_collections.cloudops.jobs.plugins.module_utils import _argspec, _discovery  # noqa: E402
from ansible_collections.cloudops.jobs.plugins.module_utils import _drs, _iotda, _tencent_batch  # noqa: E402
from ansible_collections.cloudops.jobs.plugins.module_utils._credentials import apply_env  # noqa: E402
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError, Scrubber  # noqa: E402
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import HuaweiClient  # noqa: E402
from ansible_collections.cloudops.jobs.plugins.module_utils._tencent import TencentClient  # noqa: E402
from ansible_collections.cloudops.jobs.plugins.module_utils import _transport  # noqa: E402

LOG = logging.getLogger("cloudops.jobs.failed_jobs")
NAME = "cloudops.jobs.failed_jobs"

DRS, IOTDA, TENCENT_BATCH = _discovery.DRS, _discovery.IOTDA, _discovery.TENCENT_BATCH

SERVICES = {
    DRS: dict(provider="huawei", module="cloudops.jobs.drs_job_retry", failed=_drs.FAILED_STATES, lib=_drs),
    IOTDA: dict(provider="huawei", module="cloudops.jobs.iotda_batchtask_retry", failed=_iotda.SUBTASK_FAILED, lib=_iotda),
    TENCENT_BATCH: dict(provider="tencent", module="cloudops.jobs.tencent_batch_retry", failed=_tencent_batch.FAILED_STATES,
                        lib=_tencent_batch),
}
# IoTDA tasks whose subtasks are read: the ones a retry is accepted for (the others are done or not started).
IOTDA_READ_TASK_STATES = _iotda.TASK_STATUSES - _iotda.TASK_REFUSED
# What either cloud's option spec marks no_log: scrubbed from every message, before the arguments are even checked.
SECRET_OPTIONS = tuple(sorted(set(_argspec.secret_options(_argspec.huawei_spec())) | set(_argspec.secret_options(_argspec.tencent_spec()))))
# Keys ansible-rulebook adds to a source's arguments.
RULEBOOK_KEYS = ("eda_feedback_queue",)
# The code of the ApiError a list or a read raises for an answer that is not what the API documents.
MALFORMED = "MalformedResponse"


def source_spec():
    return dict(
        service=dict(type="str", required=True, choices=sorted(SERVICES)),
        filters=dict(type="dict", default={}),
        interval=dict(type="int", default=60),
        emit_existing=dict(type="bool", default=False),
        enabled=dict(type="bool", default=True),
        max_backoff=dict(type="int", default=600),
    )


def iotda_spec():
    return _argspec.iotda_spec()   # the options the IoTDA modules take, from the one place they are declared


def _fail(msg):
    return ValueError("%s: %s" % (NAME, msg))


class Config:
    """The checked arguments of one source, and what polling needs: the client and the list call."""

    def __init__(self, args):
        if args is None:
            args = {}
        if not isinstance(args, dict):
            raise _fail("the arguments must be a mapping of argument names to values, got %s" % type(args).__name__)
        given = dict((k, v) for k, v in args.items() if k not in RULEBOOK_KEYS and v is not None)
        secrets = Scrubber(given.get(name) for name in SECRET_OPTIONS)
        service = given.get("service")
        if service not in SERVICES:
            shown = "missing" if service is None else repr(service)
            raise _fail("service is %s: set service to one of %s" % (shown, ", ".join(sorted(SERVICES))))
        self.service = service
        self.provider = SERVICES[service]["provider"]
        spec = _argspec.huawei_spec() if self.provider == "huawei" else _argspec.tencent_spec()
        if service == IOTDA:
            spec.update(iotda_spec())
        spec.update(source_spec())
        result = ArgumentSpecValidator(spec).validate(given)
        for value in getattr(result, "_no_log_values", ()):
            secrets.add(value)
        params = result.validated_parameters
        # The environment variables of the ways in, applied by the collection; ``from_env`` names the options they
        # filled (a way in the rulebook set wins over one found in the environment).
        self.from_env = frozenset()
        if self.provider == "huawei":
            params, self.from_env = apply_env(params, _argspec.HUAWEI_AUTH_ENV)
        else:
            params, self.from_env = apply_env(params, _argspec.TENCENT_AUTH_ENV)
        for name in SECRET_OPTIONS:
            secrets.add(params.get(name))
        self.scrubber = secrets
        if result.error_messages:
            raise _fail(secrets("; ".join(result.error_messages)))
        self.params = params
        try:
            self._check()
        except _argspec.InputError as exc:
            raise _fail(secrets(str(exc)))
        self.interval = params["interval"]
        self.max_backoff = max(params["max_backoff"], params["interval"])
        self.emit_existing = params["emit_existing"]
        self.module = SERVICES[service]["module"]
        self.failed_states = SERVICES[service]["failed"]

    def _check(self):
        p = self.params
        _argspec.check_positive(p, "interval", "max_backoff")
        _argspec.check_common(p)
        self.filters = SERVICES[self.service]["lib"].check_filters(p["filters"], "filters")
        if self.service == IOTDA:
            _iotda.check_instance_id(p.get("instance_id"))
        self.transport = None
        self.client = None
        self.derived = None
        # Building the client checks the credentials and the region; it sends nothing.
        if self.provider == "huawei":
            self.client = HuaweiClient(p, None, on_secret=self.scrubber.add, warn=self.warn, from_env=self.from_env)
            if self.service == IOTDA:
                self.derived = _iotda.derived_signing(p, self.client.kind)
        else:
            self.client = TencentClient(p, None, on_secret=self.scrubber.add, warn=self.warn, from_env=self.from_env)

    def warn(self, msg):
        LOG.warning("%s (%s): %s", NAME, self.service, self.scrubber(msg))

    def connect(self):
        """Open the transport (one pooled session for the source's life)."""
        try:
            self.transport = _transport.from_params(self.params, "cloudops.jobs/%s eda-source/failed_jobs" % _transport.COLLECTION_VERSION,
                                                    4, self.warn)
        except _argspec.InputError as exc:
            raise _fail(self.scrubber(str(exc)))
        self.client.transport = self.transport

    def close(self):
        if self.transport is not None:
            self.transport.close()

    def region(self):
        return self.params.get("region")

    def project_id(self):
        if self.provider != "huawei":
            return None
        # Known once a request was signed for the project (given, looked up, or found by the password login).
        return self.client.project_id()


def _check_records(items, key, what):
    """What the tracker relies on: a list of records, each with a string ``key`` and a string or null status. Anything
    else is a malformed answer: the pass changes nothing recorded (no job forgotten, none emitted again)."""
    if not isinstance(items, list):
        raise ApiError("%s is not a list (%s)" % (what, type(items).__name__), code=MALFORMED)
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get(key), str) or not item[key] \
                or not isinstance(item.get("status"), (str, type(None))):
            raise ApiError("%s has an entry without a %s and a status: entry %d" % (what, key, i), code=MALFORMED)


def _error_fields(item):
    """(error_code, error_msg) a list entry or a subtask record gives, else (None, None)."""
    if not isinstance(item, dict):
        return None, None
    nested = item.get("error")
    if isinstance(nested, dict):
        code, msg = nested.get("error_code"), nested.get("error_msg")
    else:
        code = item.get("error_code")
        msg = item.get("error_msg") or item.get("error_message") or item.get("failed_reason") or item.get("state_reason")
    return (str(code) if code not in (None, "") else None), (str(msg) if msg not in (None, "") else None)


class Tracker:
    """Failure episodes: which jobs are in one, and what each was seen as last. No I/O.

    A job is known by its key ``(scope, id)``: the scope is the IoTDA task (None for the other services). ``update``
    takes one observation: ``seen`` maps a key to its status; ``scopes`` are the scopes that were read in full. A job of
    a read scope that is not in ``seen`` is missing from it; a job of a scope that was not read keeps what was known.
    """

    def __init__(self, failed_states, emit_existing, missing_passes=2):
        self.failed_states = failed_states
        self.emit_existing = emit_existing
        self.missing_passes = missing_passes
        self.jobs = {}          # key -> {"status", "failed", "missing"}
        self.baselined = set()  # scopes whose first complete read was taken

    def update(self, seen, scopes, initial_scopes=(), markers=None):
        """Record one observation; return ``[(key, previous status)]`` for the jobs that entered a failed state.

        ``initial_scopes``: the scopes that existed when the source started. Unless ``emit_existing``, the jobs found
        failed at the first complete read of such a scope are recorded as failed without an event.
        ``markers``: key -> when the job's last run ended (Tencent ``EndTime``). A job seen failed again with a later
        end than the one recorded has run and failed again between two passes: a new episode.
        """
        markers = markers or {}
        entered = []
        for key, status in seen.items():
            failed = status in self.failed_states
            known = self.jobs.get(key)
            marker = markers.get(key)
            baseline = not self.emit_existing and key[0] in initial_scopes and key[0] not in self.baselined
            in_episode = bool(known and known["failed"])
            if in_episode and failed and marker is not None and known.get("marker") not in (None, marker):
                in_episode = False
            if failed and not in_episode and not baseline:
                entered.append((key, known["status"] if known else None))
            self.jobs[key] = {"status": status, "failed": failed, "missing": 0, "marker": marker}
        for key in list(self.jobs):
            if key in seen or key[0] not in scopes:
                continue
            known = self.jobs[key]
            known["missing"] += 1
            if known["missing"] >= self.missing_passes:
                del self.jobs[key]
        self.baselined.update(scopes)
        return entered


class Watcher:
    """One list pass per call of :meth:`poll` (blocking: run it off the event loop)."""

    def __init__(self, config):
        self.config = config
        # IoTDA pages by marker (no skew): one miss means the subtask left the failed state. The offset-paged lists
        # may skip a record while jobs come and go during a pass: a job must be missing twice.
        self.tracker = Tracker(config.failed_states, config.emit_existing, 1 if config.service == IOTDA else 2)
        self.initial_scopes = None  # the scopes of the first complete list pass
        self.task_reads = {}        # IoTDA: task_id -> (the list entry it was read for, {target: record})

    def _list(self):
        c = self.config
        if c.service == DRS:
            return _drs.list_jobs(c.client, c.filters, language=c.params["language"])
        if c.service == TENCENT_BATCH:
            return _tencent_batch.list_jobs(c.client, c.filters)
        return _iotda.list_tasks(c.client, c.filters, instance_id=c.params.get("instance_id"), derived=c.derived)

    def poll(self):
        """List once; return ``(events, errors)``: an event for each job seen entering a failed state, and the
        ApiErrors of the parts that could not be read (nothing recorded of those parts changes)."""
        items = self._list()
        if self.config.service == IOTDA:
            _check_records(items, "task_id", "the batch task list")
            records, scopes, errors = self._iotda(items)
        else:
            _check_records(items, "id", "the job list")
            records = dict(((None, item["id"]), item) for item in items)
            scopes, errors = set([None]), []
        if self.initial_scopes is None:
            self.initial_scopes = set(item.get("task_id") for item in items) if self.config.service == IOTDA else set([None])
        seen = dict((key, record.get("status")) for key, record in records.items())
        markers = None
        if self.config.service == TENCENT_BATCH:
            markers = dict((key, record.get("end_time")) for key, record in records.items())
        entered = self.tracker.update(seen, scopes, self.initial_scopes, markers)
        return [self.event(key, records[key], previous) for key, previous in entered], errors

    def _iotda(self, tasks):
        """The failed subtasks of each listed task in Fail, PartialSuccess or Processing, read again only when the
        task's list entry changed: ``({(task_id, target): record}, scopes read in full, errors)``."""
        c = self.config
        records, scopes, errors = {}, set(), []
        listed = set()
        for task in tasks:
            task_id = task.get("task_id")
            if not task_id:
                continue
            listed.add(task_id)
            entry = json.dumps(task, sort_keys=True, default=str)
            if task.get("status") not in IOTDA_READ_TASK_STATES:
                subtasks = {}      # done, stopped or not started: no subtask to recover
            elif task_id in self.task_reads and self.task_reads[task_id][0] == entry:
                subtasks = self.task_reads[task_id][1]
            else:
                try:
                    subtasks = {}
                    for status in sorted(_iotda.SUBTASK_FAILED):
                        snap = _iotda.read_task(c.client, task_id, instance_id=c.params.get("instance_id"), derived=c.derived,
                                                task_detail_status=status)
                        _check_records(snap.details, "target", "the subtasks of batch task %s" % task_id)
                        for record in snap.details:
                            subtasks[record["target"]] = record
                except ApiError as exc:
                    errors.append(exc)
                    self.task_reads.pop(task_id, None)
                    continue
            self.task_reads[task_id] = (entry, subtasks)
            scopes.add(task_id)
            for target, record in subtasks.items():
                records[(task_id, target)] = record
        for task_id in list(self.task_reads):
            if task_id not in listed:
                del self.task_reads[task_id]
        # A task gone from a complete list: its subtasks are missing too.
        scopes.update(key[0] for key in self.tracker.jobs if key[0] not in listed)
        return records, scopes, errors

    def event(self, key, record, previous):
        c = self.config
        task_id, job_id = key
        status = record.get("status")
        code, msg = _error_fields(record)
        job = {"service": c.service, "id": job_id, "status": status, "previous_status": previous, "error_code": code,
               "error_msg": msg, "module": c.module, "region": c.region(), "project_id": c.project_id()}
        if c.service == IOTDA:
            job["task_id"] = task_id
        return {"cloudops_job": c.scrubber.obj(job)}


def _describe(exc, scrubber):
    if isinstance(exc, ApiError):
        return scrubber(str(exc))
    return scrubber("unexpected error %s: %s" % (type(exc).__name__, exc))


async def run(queue, config, watcher=None, sleep=None):
    """Poll until cancelled: one list pass per interval, backing off (doubling, up to max_backoff) while passes fail."""
    watcher = watcher or Watcher(config)
    sleep = sleep or asyncio.sleep
    failures = 0
    loop = asyncio.get_running_loop()
    while True:
        try:
            events, errors = await loop.run_in_executor(None, watcher.poll)
        except Exception as exc:  # pylint: disable=broad-except
            events, errors = [], [exc]
            if not isinstance(exc, ApiError):
                LOG.debug("%s", config.scrubber(traceback.format_exc()))
        for event in events:
            await queue.put(event)
        if errors:
            failures += 1
            delay = min(config.max_backoff, config.interval * (2 ** min(failures, 16)))
            for exc in errors:
                if isinstance(exc, ApiError) and exc.code == MALFORMED:
                    LOG.warning("%s (%s): a list pass got a malformed answer (%d failed in a row); what it knew of every job "
                                "is kept, next in %ss: %s", NAME, config.service, failures, delay, _describe(exc, config.scrubber))
                else:
                    LOG.warning("%s (%s): a list pass failed (%d in a row), next in %ss: %s", NAME, config.service, failures,
                                delay, _describe(exc, config.scrubber))
        else:
            failures = 0
            delay = config.interval
        await sleep(delay)


def enabled(args):
    """``enabled`` is read first: a disabled source needs no other argument (no credentials for a service not watched)."""
    value = args.get("enabled") if isinstance(args, dict) else None
    if value is None:
        return True
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise _fail("enabled must be true or false, got %r" % (value,))


async def main(queue, args):
    """ansible-rulebook's entry point: check the arguments (a bad one stops the source at once), then poll."""
    if not enabled(args):
        service = args.get("service")
        if service not in SERVICES:
            raise _fail("service is %r: set service to one of %s" % (service, ", ".join(sorted(SERVICES))))
        LOG.info("%s (%s): enabled is false; idle, sending no request", NAME, service)
        await asyncio.Event().wait()
        return
    config = Config(args)
    config.connect()
    try:
        await run(queue, config)
    finally:
        config.close()


if __name__ == "__main__":
    class _PrintQueue:
        async def put(self, event):
            print(json.dumps(event))

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(_PrintQueue(), json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}))
