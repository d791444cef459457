# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
attributes:
  action_group:
    support: full
    membership:
      - cloudops.jobs.tencentcloud
      - cloudops.jobs.all
options:
  secret_id:
    description:
      - SecretId of the Tencent Cloud API key (or of temporary credentials), used for C(TC3-HMAC-SHA256) request signing.
        Used with O(secret_key).
      - If not set, the value of the E(TENCENTCLOUD_SECRET_ID) environment variable is used (keys set by the task win over
        a O(credentials_file) found in the environment, and keys found in the environment over the credentials file).
    type: str
  secret_key:
    description:
      - SecretKey that goes with O(secret_id). Never logged.
      - If not set, the value of E(TENCENTCLOUD_SECRET_KEY) is used.
    type: str
  security_token:
    description:
      - Token of temporary credentials (from STS or a CAM role), sent as C(X-TC-Token). Keys given with a token are used
        as they are and never renewed; when Tencent Cloud says they expired, the module says so. Use O(assume_role),
        O(use_metadata), a O(credentials_file) with C(role_arn) or TKE workload identity for keys that are renewed.
      - If not set, the value of E(TENCENTCLOUD_SECURITY_TOKEN) or E(TENCENTCLOUD_SESSION_TOKEN) is used (first set wins),
        only with keys from the environment too.
    type: str
  region:
    description:
      - Region, for example V(ap-guangzhou), sent as C(X-TC-Region).
      - If not set, the value of E(TENCENTCLOUD_REGION) is used.
    type: str
  endpoint:
    description:
      - Base URL of the service, for a regional endpoint (C(https://batch.ap-guangzhou.tencentcloudapi.com)),
        a private endpoint or a local emulator. The C(Host) it names is part of the signature.
    type: str
    default: https://batch.tencentcloudapi.com
  rate_limit:
    description:
      - Requests per second the module allows itself for each API (C(Action)) of the run, as Tencent Cloud counts them.
        C(DescribeJobs) and C(RetryJobs) each have this budget, so a list or a state read does not wait for a retry and
        the other way round. Every request of an API counts, re-sends of throttled requests included.
      - Each API allows 2 requests per second; raise it only for an account with a higher quota.
        A request the service still throttles (C(RequestLimitExceeded)) is re-sent with backoff, up to O(max_retries)
        times; the backoff holds back that request's API only.
      - Must be greater than 0.
    type: float
    default: 2
  credentials_file:
    description:
      - Path of a credentials file in the Tencent Cloud SDK's format (C(ProfileCredential)) - an INI section C([default])
        with C(secret_id) and C(secret_key), and optionally C(role_arn), a CAM role assumed with the file's keys (as
        O(assume_role) with its defaults; an O(assume_role) the task sets wins over it).
      - If not set, the value of E(TENCENTCLOUD_CREDENTIALS_FILE) is used, else C(~/.tencentcloud/credentials), else
        C(/etc/tencentcloud/credentials), when one exists.
      - A file named here or in E(TENCENTCLOUD_CREDENTIALS_FILE) must exist. Set by the task, it cannot be combined with
        O(secret_id) and O(secret_key) set by the task.
    type: path
  use_metadata:
    description:
      - Use the temporary keys of the CVM instance's CAM role from the instance metadata
        (C(GET /latest/meta-data/cam/security-credentials/) for the role name, then C(GET .../<role>)), when no other way
        in is found. They are renewed before they expire.
      - If not set, the value of E(TENCENTCLOUD_USE_METADATA) is used.
    type: bool
    default: false
  metadata_endpoint:
    description:
      - Base URL of the instance metadata service, for O(use_metadata).
      - If not set, the value of E(TENCENTCLOUD_METADATA_ENDPOINT) is used.
    type: str
    default: http://metadata.tencentyun.com
  sts_endpoint:
    description:
      - The STS service that O(assume_role) and TKE workload identity call (C(AssumeRole), C(AssumeRoleWithWebIdentity),
        version C(2018-08-13)) - a host, as the SDK takes it (C(https) is used), or a base URL such as
        C(https://sts.ap-guangzhou.tencentcloudapi.com) for a regional or private endpoint or a local emulator.
      - Its calls do not count against the O(rate_limit) budgets of the service's APIs.
    type: str
    default: sts.tencentcloudapi.com
  assume_role:
    description:
      - Assume a CAM role (STS C(AssumeRole), signed with the credentials found - any way in); its temporary keys sign
        every request and are renewed before they expire.
      - If not set, Terraform's variables E(TENCENTCLOUD_ASSUME_ROLE_ARN), E(TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME) and
        E(TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION) are used when any of them is set, else the C(role_arn) of the
        credentials file.
    type: dict
    suboptions:
      role_arn:
        description: The role to assume, C(qcs::cam::uin/<uin>:roleName/<name>).
        type: str
        required: true
      session_name:
        description: Name of the role session (2 to 128 letters, digits or C(_+=,.@-)), seen in CloudAudit.
        type: str
        default: cloudops-jobs
      duration:
        description: How long, in seconds, the role's keys are valid (at most 43200).
        type: int
        default: 7200
      policy:
        description:
          - A CAM policy (a dict, or its JSON text) that narrows what the role's keys may do; sent URL-encoded, as STS
            documents.
        type: raw
notes:
  - The credentials are looked for in this order - O(secret_id) and O(secret_key) (with O(security_token) for
    temporary keys) or O(credentials_file) set by the task (not both); then the same from environment variables; then TKE
    workload identity (E(TKE_REGION), E(TKE_PROVIDER_ID), E(TKE_WEB_IDENTITY_TOKEN_FILE) and E(TKE_ROLE_ARN), the SDK's
    variables - STS C(AssumeRoleWithWebIdentity), the token file read again at each renewal); then the default
    credentials file; then the instance metadata (O(use_metadata)). With none, the module fails before sending any
    request, listing every source it tried. O(assume_role) applies on top of the way in found.
  - Temporary keys (instance metadata, workload identity, an assumed role) are renewed before they expire (5 minutes
    before, or a fifth of their lifetime if shorter) and once after an answer that says they expired or are unknown
    (C(AuthFailure.TokenFailure), C(AuthFailure.SecretIdNotFound)); that request was not acted on and is sent once more.
  - Tencent Cloud refuses requests whose timestamp is more than 5 minutes off its clock (C(AuthFailure.SignatureExpire)),
    so keep the controller's clock synchronised.
"""
