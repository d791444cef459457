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
      - cloudops.jobs.huaweicloud
      - cloudops.jobs.all
options:
  region:
    description:
      - Huawei Cloud region, for example V(cn-north-4).
      - Builds the default service and IAM endpoints and finds the project when O(project_id) is not set.
      - If not set, the value of the E(HUAWEICLOUD_SDK_REGION) or E(HW_REGION_NAME) environment variable is used (first set wins).
    type: str
  project_id:
    description:
      - Project ID of the tenant in the region.
      - If omitted, it is looked up from O(region) through IAM (C(GET /v3/projects?name=REGION)); zero or several matches are an error.
      - If not set, the value of E(HUAWEICLOUD_SDK_PROJECT_ID) or E(HW_PROJECT_ID) is used.
    type: str
  access_key:
    description:
      - Access key ID (AK) for C(SDK-HMAC-SHA256) request signing. Used with O(secret_key).
      - If not set, the value of E(HUAWEICLOUD_SDK_AK) or E(HW_ACCESS_KEY) is used.
    type: str
  secret_key:
    description:
      - Secret access key (SK) that goes with O(access_key). Never logged.
      - If not set, the value of E(HUAWEICLOUD_SDK_SK) or E(HW_SECRET_KEY) is used.
    type: str
  security_token:
    description:
      - Security token of temporary AK/SK credentials, sent (and signed) as C(X-Security-Token).
      - If not set, the value of E(HUAWEICLOUD_SDK_SECURITY_TOKEN) or E(HW_SECURITY_TOKEN) is used.
    type: str
  auth_token:
    description:
      - A ready IAM token, sent as C(X-Auth-Token). Cannot be combined with AK/SK or password login options set by the task.
      - If not set, the value of E(HUAWEICLOUD_AUTH_TOKEN) or E(HW_AUTH_TOKEN) is used.
    type: str
  user_name:
    description:
      - IAM user name for password login (C(POST /v3/auth/tokens)); needs O(password) and O(domain_name).
      - Cannot be combined with O(auth_token) or O(access_key)/O(secret_key) set by the task.
      - If not set, the value of E(HW_USER_NAME) is used.
    type: str
  password:
    description:
      - IAM user password for password login. Never logged.
      - If not set, the value of E(HW_USER_PASSWORD) is used.
    type: str
  domain_name:
    description:
      - Account (domain) name the IAM user belongs to, for password login.
      - If not set, the value of E(HW_DOMAIN_NAME) is used.
    type: str
  endpoint:
    description:
      - Base URL of the service, overriding the one built from O(region), for private endpoints, other
        partitions or a local emulator - the module's own service host, C(https://<service>.<region>.myhuaweicloud.com)
        (C(drs), C(workspace) or C(iotda)), for example C(https://workspace.eu-west-101.myhuaweicloud.eu).
    type: str
  iam_endpoint:
    description:
      - Base URL of IAM, used for password login and project lookup.
      - Defaults to C(https://iam.{region}.myhuaweicloud.com) (C(https://iam.myhuaweicloud.com) for regions IAM has no regional endpoint in).
      - If not set, the value of E(HUAWEICLOUD_SDK_IAM_ENDPOINT) or E(HW_AUTH_URL) is used.
    type: str
  credentials_file:
    description:
      - Path of a credentials file in the Huawei Cloud SDK's format (C(ProfileCredentialProvider)) - an INI section
        C([basic]) with C(ak) and C(sk), optionally C(security_token), C(project_id) and C(iam_endpoint) (used when
        O(project_id) and O(iam_endpoint) are not set; C(project_id) is not used with O(assume_role)), or C(idp_id) and
        C(id_token_file) for workload identity.
      - If not set, the value of E(HUAWEICLOUD_SDK_CREDENTIALS_FILE) is used, else C(~/.huaweicloud/credentials) when it exists.
      - A file named here or in E(HUAWEICLOUD_SDK_CREDENTIALS_FILE) must exist. Set by the task, it is a way in of its own
        (it cannot be combined with the other ways in set by the task); found otherwise, it is used only when no way in is set
        by the task or the environment.
    type: path
  use_metadata:
    description:
      - Use the temporary keys of the ECS instance's agency from the instance metadata (C(PUT /meta-data/latest/api/token),
        then C(GET /openstack/latest/securitykey)), when no other way in is set. They are renewed before they expire.
      - If not set, the value of E(HUAWEICLOUD_USE_METADATA) is used.
    type: bool
    default: false
  metadata_endpoint:
    description:
      - Base URL of the instance metadata service, for O(use_metadata).
      - If not set, the value of E(HUAWEICLOUD_METADATA_ENDPOINT) is used.
    type: str
    default: http://169.254.169.254
  assume_role:
    description:
      - Assume an IAM agency (C(POST /v3.0/OS-CREDENTIAL/securitytokens), method C(assume_role)) with the credentials found
        (any way in); its temporary keys sign every job request and are renewed before they expire.
      - If not set, Terraform's variables E(HW_ASSUME_ROLE_AGENCY_NAME), E(HW_ASSUME_ROLE_DOMAIN_NAME),
        E(HW_ASSUME_ROLE_DOMAIN_ID) and E(HW_ASSUME_ROLE_DURATION) are used, when any of them is set.
      - With an agency, O(project_id) is the agency's project (looked up from O(region) with the agency's keys when not set).
    type: dict
    suboptions:
      agency_name:
        description: Name of the agency to assume.
        type: str
        required: true
      domain_name:
        description: Name of the account (domain) that owns the agency. Set this or O(assume_role.domain_id).
        type: str
      domain_id:
        description: ID of the account (domain) that owns the agency.
        type: str
      duration:
        description: How long, in seconds, the agency's keys are valid (IAM accepts 900 to 86400).
        type: int
        default: 3600
  language:
    description:
      - Language of the service's messages, sent as C(X-Language).
    type: str
    choices: [en-us, zh-cn]
    default: en-us
notes:
  - Exactly one way in is used - O(auth_token); or O(access_key) and O(secret_key) (with O(security_token) for temporary
    credentials); or O(user_name), O(password) and O(domain_name); or O(credentials_file). With the options of two of them
    set by the task (or C(module_defaults)), the module fails before sending any request.
  - A way in set by the task wins over ways found only in environment variables; among those, the order is O(auth_token),
    else O(access_key) and O(secret_key), else password login, else workload identity (E(HUAWEICLOUD_SDK_IDP_ID) and
    E(HUAWEICLOUD_SDK_ID_TOKEN_FILE), the SDK's variables; the id token file is read again at each renewal), else the
    credentials file, else the instance metadata (O(use_metadata)). With none, the module fails before any request,
    listing every source it tried. O(assume_role) applies on top of the way in found.
  - Temporary keys (instance metadata, workload identity, an agency) and the token of a password login are renewed before
    they expire (5 minutes before, or a fifth of their lifetime if shorter) and once after an answer that says they
    expired. Keys given as they are (O(auth_token), O(security_token)) are not renewed; when they expire the module says so.
  - O(region) must be a region name (letters, digits and C(-)) and O(project_id) an ID (no C(/), C(?), C(..) or spaces), because
    they become part of host names and URL paths.
  - An AK/SK-signed request signs every header it sends, as the official Huawei Cloud SDK does.
"""
