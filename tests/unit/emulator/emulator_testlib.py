# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the emulator tests share: the demo scenario's names, and a client that signs as the official SDKs do."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os
from datetime import datetime, timezone

import requests

EMULATOR_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))
DEMO = os.path.join(EMULATOR_DIR, "scenarios", "demo.json")
PROJECT = "0123456789abcdef0123456789abcdef"
AK, SK = "DEMOAK0000000000000001", "demo-secret-key-0000000000000000000001"
TMP_AK, TMP_SK, TMP_TOKEN = "DEMOTMPAK00000000001", "demo-tmp-secret-0000000000000000000001", "demo-security-token-0001"
STATIC_TOKEN = "demo-static-token-0001"
INSTANCE_HOST = "abc123def4.st1.iotda-app.cn-north-4.myhuaweicloud.com"
TASK = "64a1b2c3d4e5f60718293a4b"

# The paths the service tests call.
RETRY = "/v3/{project_id}/jobs/batch-retry-task"
START = "/v3/{project_id}/jobs/batch-starting"
STATUS = "/v3/{project_id}/jobs/batch-status"
WS_ACTION = "/v2/{project_id}/workspace-jobs/%s/actions"
WS_SHOW = "/v2/{project_id}/workspace-jobs/%s"
IOT_RETRY = "/v5/iot/{project_id}/batchtasks/%s/retry"
IOT_SHOW = "/v5/iot/{project_id}/batchtasks/%s"
SECRET_ID, SECRET_KEY = "AKIDDEMO0000000000000000000000000001", "demo-tencent-secret-0000000000000001"


class Cloud:
    """Calls the emulator: control API, Huawei (signed with huaweicloudsdkcore's signers), Tencent (TC3 as the SDK)."""

    def __init__(self, server, clock):
        self.server = server
        self.emulator = server.emulator
        self.clock = clock
        self.url = server.url
        self.host = self.url.split("//", 1)[1]
        self.session = requests.Session()

    # control API
    def control(self, method, path, body=None):
        answer = self.session.request(method, self.url + "/_emu/" + path, json=body, timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def log(self, op=None):
        return [e for e in self.control("GET", "requests")["requests"] if op is None or e["op"] == op]

    def state(self, service, job_id):
        key = "task_id" if service == "iotda" else "id"
        return next(j for j in self.control("GET", "state")[service] if j[key] == job_id)

    # Huawei
    def huawei_request(self, method, path, body=None, query=None, host=None, derived=None, ak=AK, sk=SK, headers=None):
        """An SdkRequest signed by huaweicloudsdkcore (Signer, or DerivationAKSKSigner when ``derived`` is (service, region))."""
        from huaweicloudsdkcore.auth.credentials import BasicCredentials
        from huaweicloudsdkcore.sdk_request import SdkRequest
        from huaweicloudsdkcore.signer.signer import DerivationAKSKSigner, Signer

        header_params = {"Content-Type": "application/json", "X-Project-Id": PROJECT}
        header_params.update(headers or {})
        req = SdkRequest(method=method, schema="http", host=host or self.host, resource_path=path.replace("{project_id}", PROJECT),
                         query_params=list(query or []), header_params=header_params,
                         body=json.dumps(body) if body is not None else "")
        credentials = BasicCredentials(ak, sk, PROJECT)
        if derived:
            DerivationAKSKSigner(credentials).sign(req, derived[0], derived[1])
        else:
            Signer(credentials).sign(req)
        return req

    def send(self, req, proxy=False, tamper=None):
        """Send a signed SdkRequest; ``proxy``: through the emulator as an HTTP proxy, to the request's own host."""
        headers = dict(req.header_params)
        if tamper:
            tamper(headers)
        if proxy:
            return self.session.request(req.method, "http://%s%s" % (req.host, req.uri), headers=headers, data=req.body or None,
                                        proxies={"http": self.url}, timeout=10)
        return self.session.request(req.method, self.url + req.uri, headers=headers, data=req.body or None, timeout=10)

    def huawei(self, method, path, body=None, query=None, **kwargs):
        return self.send(self.huawei_request(method, path, body, query, **kwargs))

    # Tencent
    def tencent_headers(self, action, body, secret_id=SECRET_ID, secret_key=SECRET_KEY, timestamp=None):
        """Headers as tencentcloud-sdk-python-common's TC3 signing builds them, the signature by its ``Sign.sign_tc3``."""
        from tencentcloud.common.sign import Sign

        timestamp = int(self.clock.wall() if timestamp is None else timestamp)
        date = datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")
        canonical = "POST\n/\n\ncontent-type:application/json\nhost:%s\n\ncontent-type;host\n%s" % (
            self.host, hashlib.sha256(body).hexdigest())
        string_to_sign = "TC3-HMAC-SHA256\n%d\n%s/batch/tc3_request\n%s" % (
            timestamp, date, hashlib.sha256(canonical.encode("utf-8")).hexdigest())
        signature = Sign.sign_tc3(secret_key, date, "batch", string_to_sign)
        return {
            "Content-Type": "application/json", "Host": self.host, "X-TC-Action": action, "X-TC-Version": "2017-03-12",
            "X-TC-Timestamp": str(timestamp), "X-TC-Region": "ap-guangzhou",
            "Authorization": "TC3-HMAC-SHA256 Credential=%s/%s/batch/tc3_request, SignedHeaders=content-type;host, "
                             "Signature=%s" % (secret_id, date, signature),
        }

    def tencent(self, action, payload, **kwargs):
        """The ``Response`` object of a TC3-signed call."""
        body = json.dumps(payload).encode("utf-8")
        answer = self.session.post(self.url + "/", data=body, headers=self.tencent_headers(action, body, **kwargs), timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()["Response"]
