# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Oracles: the official Huawei SDK's credential providers and the collection, pointed at the same recording HTTP
server, send the same requests for the ECS metadata (MetadataAccessor), workload identity (FederalAccessor) and agency
assumption (huaweicloudsdkiam CreateTemporaryAccessKeyByAgency): method, path, body, and the headers that matter."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import huawei_spec
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import HuaweiClient
from ansible_collections.cloudops.jobs.plugins.module_utils._transport import Transport

PROJECT = "0123456789abcdef0123456789abcdef"
CREDENTIAL = {"credential": {"access": "TMPAK0001", "secret": "tmp-secret", "securitytoken": "tmp-security-token",
                             "expires_at": "2099-01-01T00:00:00.000000Z"}}
# The headers whose value decides what the service does with a request (the rest: User-Agent, Accept, dates).
MATTER = ("content-type", "x-metadata-token-ttl-seconds", "x-metadata-token", "x-idp-id", "x-security-token", "x-auth-token")


class Recorder(BaseHTTPRequestHandler):
    log = []

    def log_message(self, *args):   # quiet
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.log.append((self.command, self.path, dict((k.lower(), v) for k, v in self.headers.items()), body))
        if self.path == "/meta-data/latest/api/token":
            status, headers, out = 200, {"Content-Type": "text/plain"}, b"metadata-session-token"
        elif self.path == "/v3.0/OS-AUTH/id-token/tokens":
            status, headers, out = 201, {"X-Subject-Token": "unscoped-token"}, b'{"token": {"methods": ["mapped"]}}'
        else:
            status, headers, out = (201 if self.command == "POST" else 200), {}, json.dumps(CREDENTIAL).encode()
        self.send_response(status)
        headers.setdefault("Content-Type", "application/json")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_PUT = do_POST = _answer


@pytest.fixture
def server():
    Recorder.log = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def taken():
    out = []
    for method, path, headers, body in Recorder.log:
        out.append((method, path, dict((k, v) for k, v in headers.items() if k in MATTER),
                    json.loads(body.decode()) if body else None, headers.get("authorization", "").split(" ")[0]))
    Recorder.log = []
    return out


def ours(url, monkeypatch, **kwargs):
    params = dict((name, option.get("default")) for name, option in huawei_spec().items())
    params.update(region="cn-north-4", project_id=PROJECT, endpoint=url, iam_endpoint=url)
    params.update(kwargs)
    environ = kwargs.pop("environ", {})
    params.pop("environ", None)
    monkeypatch.setenv("HOME", "/nonexistent-home")
    client = HuaweiClient(params, Transport(max_retries=0), environ=environ)
    keys = client.credential().keys()
    assert (keys.access, keys.secret, keys.token) == ("TMPAK0001", "tmp-secret", "tmp-security-token")
    return taken()


def test_ecs_metadata_requests_are_the_sdks(server, monkeypatch):
    internal = pytest.importorskip("huaweicloudsdkcore.auth.internal")
    monkeypatch.setattr(internal.MetadataAccessor, "_METADATA_ENDPOINT", server)
    credential = internal.MetadataAccessor().get_credential()
    assert credential.access == "TMPAK0001"
    sdk = taken()
    assert [(m, p) for m, p, _h, _b, _a in sdk] == [("PUT", "/meta-data/latest/api/token"),
                                                    ("GET", "/openstack/latest/securitykey")]
    assert ours(server, monkeypatch, use_metadata=True, metadata_endpoint=server) == sdk


def test_workload_identity_requests_are_the_sdks(server, monkeypatch, tmp_path):
    internal = pytest.importorskip("huaweicloudsdkcore.auth.internal")
    credentials = pytest.importorskip("huaweicloudsdkcore.auth.credentials")
    iam_v3 = pytest.importorskip("huaweicloudsdkiam.v3")
    token_file = tmp_path / "token"
    token_file.write_text("header.payload.signature\n")
    http_client = iam_v3.IamClient.new_builder().with_credentials(
        credentials.GlobalCredentials("AK", "SK", "domain")).with_endpoint(server).build().get_http_client()
    credential = internal.FederalAccessor().get_credential(
        iam_endpoint=server, http_client=http_client, idp_id="idp-1", id_token_file=str(token_file))
    assert credential.access == "TMPAK0001"
    sdk = taken()
    assert [p for _m, p, _h, _b, _a in sdk] == ["/v3.0/OS-AUTH/id-token/tokens", "/v3.0/OS-CREDENTIAL/securitytokens"]
    environ = {"HUAWEICLOUD_SDK_IDP_ID": "idp-1", "HUAWEICLOUD_SDK_ID_TOKEN_FILE": str(token_file)}
    assert ours(server, monkeypatch, environ=environ) == sdk


@pytest.mark.parametrize("security_token, domain", [(None, "domain_name"), ("base-security-token", "domain_id")])
def test_agency_assumption_requests_are_the_sdks(server, monkeypatch, security_token, domain):
    credentials = pytest.importorskip("huaweicloudsdkcore.auth.credentials")
    iam_v3 = pytest.importorskip("huaweicloudsdkiam.v3")
    base = credentials.GlobalCredentials("BASEAK0001", "base-sk", "domain-of-the-base-keys")
    if security_token:
        base = base.with_security_token(security_token)
    client = iam_v3.IamClient.new_builder().with_credentials(base).with_endpoint(server).build()
    role = iam_v3.IdentityAssumerole(agency_name="ops-agency", duration_seconds=1800, **{domain: "acme"})
    request = iam_v3.CreateTemporaryAccessKeyByAgencyRequest(body=iam_v3.CreateTemporaryAccessKeyByAgencyRequestBody(
        auth=iam_v3.AgencyAuth(identity=iam_v3.AgencyAuthIdentity(methods=["assume_role"], assume_role=role))))
    assert client.create_temporary_access_key_by_agency(request).credential.access == "TMPAK0001"
    sdk = taken()
    assert [(m, p, a) for m, p, _h, _b, a in sdk] == [("POST", "/v3.0/OS-CREDENTIAL/securitytokens", "SDK-HMAC-SHA256")]
    got = ours(server, monkeypatch, access_key="BASEAK0001", secret_key="base-sk", security_token=security_token,
               assume_role={"agency_name": "ops-agency", domain: "acme", "duration": 1800})
    assert got == sdk
