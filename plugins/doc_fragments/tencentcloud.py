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
      - If not set, the value of the E(TENCENTCLOUD_SECRET_ID) environment variable is used.
    type: str
  secret_key:
    description:
      - SecretKey that goes with O(secret_id). Never logged.
      - If not set, the value of E(TENCENTCLOUD_SECRET_KEY) is used.
    type: str
  security_token:
    description:
      - Token of temporary credentials (from STS or a CAM role), sent as C(X-TC-Token).
      - If not set, the value of E(TENCENTCLOUD_SECURITY_TOKEN) or E(TENCENTCLOUD_SESSION_TOKEN) is used (first set wins).
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
        the other way round. Every request of an API counts (re-sends of throttled requests included); its starts are
        spaced at least C(1 / rate_limit) seconds apart, plus 40 ms.
      - Each API allows 2 requests per second; raise it only for an account with a higher quota.
        A request the service still throttles (C(RequestLimitExceeded)) is re-sent with backoff, up to O(max_retries)
        times; the backoff holds back that request's API only.
      - Must be greater than 0.
    type: float
    default: 2
notes:
  - O(secret_id) and O(secret_key) are required (as options or from the environment); without them the module fails
    before sending any request.
  - Tencent Cloud refuses requests whose timestamp is more than 5 minutes off its clock (C(AuthFailure.SignatureExpire)),
    so keep the controller's clock synchronised.
"""
