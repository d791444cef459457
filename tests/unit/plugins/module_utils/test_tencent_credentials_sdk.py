# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Oracles: tencentcloud-sdk-python's credential providers and the collection, pointed at the same recording HTTP
server, send the same requests for the CVM role credentials (CVMRoleCredential), STS AssumeRole
(STSAssumeRoleCredential) and TKE workload identity (DefaultTkeOIDCRoleArnProvider / OIDCRoleArnCredential): method,
path, body, the headers that matter and the Authorization's credential scope."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import threading

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import tencent_spec
from ansible_collections.cloudops.jobs.plugins.module_utils._tencent import TencentClient
from ansible_collections.cloudops.jobs.plugins.module_utils._transport import Transport

ROLE_ARN = "qcs::cam::uin/100000000001:roleName/ops"
ROLE_PATH = "/latest/meta-data/cam/security-credentials/"
CREDENTIALS = {"TmpSecretId": "AKIDTMP0001", "TmpSecretKey": "tmp-secret", "Token": "tmp-token"}
EXPIRES = 4102444800   # 2100-01-01
# The headers whose value decides what the service does with a request (the rest: User-Agent, Accept, the timestamp,
# the SDK's X-TC-RequestClient and X-TC-Language).
MATTER = ("host", "content-type", "x-tc-action", "x-tc-version", "x-tc-region", "x-tc-token")


class Recorder(BaseHTTPRequestHandler):
    log = []

    def log_message(self, *args):   # quiet
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.log.append((self.command, self.path, dict((k.lower(), v) for k, v in self.headers.items()), body))
        if self.path == ROLE_PATH:
            out, kind = b"cvm-role", "text/plain"
        elif self.path.startswith(ROLE_PATH):
            out, kind = json.dumps(dict(CREDENTIALS, ExpiredTime=EXPIRES, Code="Success",
                                        Expiration="2100-01-01T00:00:00Z")).encode(), "application/json"
        else:
            out, kind = json.dumps({"Response": {"Credentials": CREDENTIALS, "ExpiredTime": EXPIRES,
                                                 "Expiration": "2100-01-01T00:00:00Z", "RequestId": "r-1"}}).encode(), \
                "application/json"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = _answer


@pytest.fixture
def server():
    Recorder.log = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1:%d" % httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def plain_http(monkeypatch):
    """The SDK's STS providers build their own HttpProfile (https): make it http for the recording server."""
    credential = pytest.importorskip("tencentcloud.common.credential")
    from tencentcloud.common.profile.http_profile import HttpProfile

    class PlainHttp(HttpProfile):
        def __init__(self, *args, **kwargs):
            kwargs["protocol"] = "http"
            super(PlainHttp, self).__init__(*args, **kwargs)

    monkeypatch.setattr(credential, "HttpProfile", PlainHttp)
    return credential


def scope(headers):
    """The Authorization's algorithm, SecretId, service and signed headers (not the date or the signature)."""
    auth = headers.get("authorization", "")
    match = re.match(r"(\S+) Credential=([^/]+)/[^/]+/([^/]+)/tc3_request, SignedHeaders=([^,]+), Signature=", auth)
    return match.groups() if match else auth


def taken(session_name=False):
    out = []
    for method, path, headers, body in Recorder.log:
        payload = json.loads(body.decode()) if body else None
        if session_name and payload:   # each side names its own session: its own prefix and the time
            assert re.match(r"^[\w+=,.@-]{2,128}$", payload.pop("RoleSessionName"))
        out.append((method, path.split("?")[0], dict((k, v) for k, v in headers.items() if k in MATTER), payload,
                    scope(headers)))
    Recorder.log = []
    return out


def ours(server, monkeypatch, session_name=False, environ=None, **kwargs):
    params = dict((name, option.get("default")) for name, option in tencent_spec().items())
    params.update(endpoint="http://%s" % server, sts_endpoint="http://%s" % server)
    params.update(kwargs)
    monkeypatch.setenv("HOME", "/nonexistent-home")
    client = TencentClient(params, Transport(max_retries=0), environ=environ or {})
    keys = client.credential().keys()
    assert (keys.access, keys.secret, keys.token, keys.expires) == ("AKIDTMP0001", "tmp-secret", "tmp-token", EXPIRES)
    return taken(session_name)


def test_cvm_metadata_requests_are_the_sdks(server, monkeypatch):
    credential = pytest.importorskip("tencentcloud.common.credential")
    monkeypatch.setattr(credential.CVMRoleCredential, "_role_endpoint", "http://%s%s" % (server, ROLE_PATH))
    cred = credential.CVMRoleCredential()
    assert cred.get_credential_info() == ("AKIDTMP0001", "tmp-secret", "tmp-token")
    sdk = taken()
    assert [(m, p) for m, p, _h, _b, _a in sdk] == [("GET", ROLE_PATH), ("GET", ROLE_PATH + "cvm-role")]
    assert ours(server, monkeypatch, use_metadata=True, metadata_endpoint="http://%s" % server) == sdk


def test_assume_role_requests_are_the_sdks(server, monkeypatch, plain_http):
    cred = plain_http.STSAssumeRoleCredential("AKIDBASE0001", "base-secret", ROLE_ARN, "cloudops-jobs", 900,
                                              endpoint=server)
    assert cred.get_credential_info() == ("AKIDTMP0001", "tmp-secret", "tmp-token")
    sdk = taken()
    assert [(m, p, a[:3]) for m, p, _h, _b, a in sdk] == [("POST", "/", ("TC3-HMAC-SHA256", "AKIDBASE0001", "sts"))]
    assert sdk[0][2]["x-tc-action"] == "AssumeRole" and sdk[0][2]["x-tc-version"] == "2018-08-13"
    got = ours(server, monkeypatch, secret_id="AKIDBASE0001", secret_key="base-secret",
               assume_role={"role_arn": ROLE_ARN, "session_name": "cloudops-jobs", "duration": 900, "policy": None})
    assert got == sdk


def test_tke_workload_identity_requests_are_the_sdks(server, monkeypatch, plain_http, tmp_path):
    token_file = tmp_path / "web-identity-token"
    token_file.write_text("header.payload.signature")
    environ = {"TKE_REGION": "ap-shanghai", "TKE_PROVIDER_ID": "tke-oidc", "TKE_ROLE_ARN": ROLE_ARN,
               "TKE_WEB_IDENTITY_TOKEN_FILE": str(token_file)}
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    cred = plain_http.DefaultTkeOIDCRoleArnProvider().get_credential()
    cred.endpoint = server
    assert cred.get_credential_info() == ("AKIDTMP0001", "tmp-secret", "tmp-token")
    sdk = taken(session_name=True)
    assert [(m, p, a) for m, p, _h, _b, a in sdk] == [("POST", "/", "SKIP")]
    assert sdk[0][2]["x-tc-action"] == "AssumeRoleWithWebIdentity" and sdk[0][2]["x-tc-region"] == "ap-shanghai"
    for name in environ:
        monkeypatch.delenv(name)
    assert ours(server, monkeypatch, session_name=True, environ=environ) == sdk
