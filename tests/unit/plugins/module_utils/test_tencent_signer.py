# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TC3-HMAC-SHA256 checked against tencentcloud-sdk-python-common's own request builder."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import json
import types

from unittest import mock

import pytest

hypothesis = pytest.importorskip("hypothesis")
abstract_client = pytest.importorskip("tencentcloud.common.abstract_client")
credential_mod = pytest.importorskip("tencentcloud.common.credential")
client_profile = pytest.importorskip("tencentcloud.common.profile.client_profile")
http_profile = pytest.importorskip("tencentcloud.common.profile.http_profile")
http_request = pytest.importorskip("tencentcloud.common.http.request")
sign_mod = pytest.importorskip("tencentcloud.common.sign")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.cloudops.jobs.plugins.module_utils._tencent_auth import sign_headers, tc3_signature, utc_date

EXAMPLES = 500
SECRET_ID = "AKIDEXAMPLE0000000000000000000000001"
SECRET_KEY = "ExampleSecretKey000000000000000001"
TIMESTAMP = 1704164645
HOST = "batch.tencentcloudapi.com"
T1_BODY = b'{"JobIds": ["job-abc12345", "job-def67890"]}'
T1_AUTH = ("TC3-HMAC-SHA256 Credential=AKIDEXAMPLE0000000000000000000000001/2024-01-02/batch/tc3_request, "
           "SignedHeaders=content-type;host, Signature=9fb1eac51dc0566595bb8ebed1f082ad35de6b261350b84fb866241c740fa54b")
T2_SIGNATURE = "f1bf4e0448b3f702dee30bc7bb1a2225ebe550458542cea8cf91ffc5f294f0c3"


class _BatchClient(abstract_client.AbstractClient):
    _apiVersion = "2017-03-12"
    _endpoint = HOST
    _service = "batch"


def _client(secret_id, secret_key, token, region, host, language="zh-CN", service="batch"):
    profile = client_profile.ClientProfile(httpProfile=http_profile.HttpProfile(endpoint=host), language=language)
    profile.disable_region_breaker = True
    client = _BatchClient(credential_mod.Credential(secret_id, secret_key, token), region, profile)
    client._service = service
    return client


def sdk_request(client, method, action, params, timestamp):
    """Let the SDK build and sign the request at a fixed time; return its RequestInternal."""
    req = http_request.RequestInternal(client._get_endpoint(), method, "/")
    with mock.patch.object(abstract_client, "time", types.SimpleNamespace(time=lambda: timestamp)):
        client._build_req_with_tc3_signature(action, params, req)
    return req


DAY = 86400
TIMESTAMPS = st.builds(lambda day, sec: day * DAY + sec, st.integers(16000, 24000),  # 2013 .. 2035
                       st.one_of(st.integers(0, 3), st.integers(DAY - 4, DAY - 1), st.integers(0, DAY - 1)))
KEY_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=", min_size=8, max_size=40)


@st.composite
def cases(draw):
    return {
        "secret_id": "AKID" + draw(KEY_TEXT),
        "secret_key": draw(st.one_of(KEY_TEXT, st.text(min_size=1, max_size=20).map(lambda s: "k" + s.strip() + "k"))),
        "token": draw(st.one_of(st.none(), st.text(alphabet="abcdefXYZ0123456789-_.", min_size=1, max_size=60))),
        "region": draw(st.sampled_from([None, "ap-guangzhou", "ap-shanghai", "na-siliconvalley", "eu-frankfurt"])),
        "host": draw(st.sampled_from([HOST, "batch.ap-guangzhou.tencentcloudapi.com", "localhost:8443", "127.0.0.1:9000"])),
        "language": draw(st.sampled_from(["zh-CN", "en-US"])),
        "service": draw(st.sampled_from(["batch", "cvm"])),
        "action": draw(st.sampled_from(["RetryJobs", "DescribeJob", "DescribeJobs"])),
        "timestamp": draw(TIMESTAMPS),
        "job_ids": draw(st.lists(st.one_of(st.text(max_size=12), st.from_regex(r"job-[a-z0-9]{8}", fullmatch=True)), max_size=6)),
    }


def test_tc3_matches_sdk_request_builder():
    seen = []

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(case=cases())
    def check(case):
        client = _client(case["secret_id"], case["secret_key"], case["token"], case["region"], case["host"],
                         case["language"], case["service"])
        params = {"JobIds": case["job_ids"]}
        sdk = sdk_request(client, "POST", case["action"], params, case["timestamp"])
        body = json.dumps(params).encode("utf-8")  # what TencentClient.call sends
        assert body == sdk.data.encode("utf-8")
        ours = sign_headers(case["secret_id"], case["secret_key"], case["host"], case["action"], "2017-03-12", body,
                            case["timestamp"], service=case["service"], region=case["region"], token=case["token"],
                            language=case["language"])
        assert ours["Authorization"] == sdk.header["Authorization"]
        sdk_headers = dict(sdk.header)
        del sdk_headers["X-TC-RequestClient"]  # unsigned SDK identification
        assert ours == sdk_headers

        # A raw UTF-8 body (ensure_ascii=False): the SDK's own canonical-request code path on the same request.
        raw = json.dumps(params, ensure_ascii=False)
        sdk.data = raw
        date = datetime.datetime.fromtimestamp(case["timestamp"], datetime.timezone.utc).strftime("%Y-%m-%d")
        expected = client._get_tc3_signature(params, sdk, date, case["service"], case["secret_key"])
        got = tc3_signature(case["secret_key"], "POST", case["host"], "application/json", "", raw.encode("utf-8"),
                            case["timestamp"], case["service"])
        assert got == (expected, "%s/%s/tc3_request" % (date, case["service"]), "content-type;host")
        seen.append(case)

    check()
    assert len(seen) >= EXAMPLES
    assert any(c["token"] for c in seen) and any(c["token"] is None for c in seen)
    assert any(c["timestamp"] % DAY >= DAY - 4 for c in seen) and any(c["timestamp"] % DAY <= 3 for c in seen)
    assert any(any(any(ord(ch) > 127 for ch in j) for j in c["job_ids"]) for c in seen)
    assert any(":" in c["host"] for c in seen)


def test_utc_date_at_day_boundaries():
    assert utc_date(1704153599) == "2024-01-01"  # 23:59:59 UTC
    assert utc_date(1704153600) == "2024-01-02"
    assert utc_date("1704164645") == "2024-01-02"


def test_vector_t1():
    headers = sign_headers(SECRET_ID, SECRET_KEY, HOST, "RetryJobs", "2017-03-12", T1_BODY, TIMESTAMP, region="ap-guangzhou")
    assert headers["Authorization"] == T1_AUTH
    assert headers["X-TC-Timestamp"] == "1704164645"
    assert headers["X-TC-Region"] == "ap-guangzhou"
    assert headers["X-TC-Action"] == "RetryJobs"
    assert headers["X-TC-Version"] == "2017-03-12"
    assert headers["Content-Type"] == "application/json"
    assert headers["Host"] == HOST
    assert "X-TC-Token" not in headers and "X-TC-Language" not in headers


def test_vector_t1_also_from_sdk():
    client = _client(SECRET_ID, SECRET_KEY, None, "ap-guangzhou", HOST)
    sdk = sdk_request(client, "POST", "RetryJobs", {"JobIds": ["job-abc12345", "job-def67890"]}, TIMESTAMP)
    assert sdk.data.encode("utf-8") == T1_BODY
    assert sdk.header["Authorization"] == T1_AUTH


def test_vector_t2_get():
    query = "JobIds.0=job-abc12345&JobIds.1=job-def67890"
    signature, scope, signed = tc3_signature(SECRET_KEY, "GET", HOST, "application/x-www-form-urlencoded", query, b"",
                                             TIMESTAMP, "batch")
    assert (signature, scope, signed) == (T2_SIGNATURE, "2024-01-02/batch/tc3_request", "content-type;host")
    client = _client(SECRET_ID, SECRET_KEY, None, "ap-guangzhou", HOST)
    sdk = sdk_request(client, "GET", "RetryJobs", {"JobIds": ["job-abc12345", "job-def67890"]}, TIMESTAMP)
    assert sdk.data == query
    assert sdk.header["Authorization"].endswith("Signature=" + T2_SIGNATURE)


def test_token_is_sent_but_not_signed():
    plain = sign_headers(SECRET_ID, SECRET_KEY, HOST, "RetryJobs", "2017-03-12", T1_BODY, TIMESTAMP, region="ap-guangzhou")
    with_token = sign_headers(SECRET_ID, SECRET_KEY, HOST, "RetryJobs", "2017-03-12", T1_BODY, TIMESTAMP,
                              region="ap-guangzhou", token="EXAMPLE-TOKEN", language="en-US")
    assert with_token["X-TC-Token"] == "EXAMPLE-TOKEN"
    assert with_token["X-TC-Language"] == "en-US"
    assert with_token["Authorization"] == plain["Authorization"] == T1_AUTH


def test_signature_depends_on_body_host_and_key():
    base = sign_headers(SECRET_ID, SECRET_KEY, HOST, "RetryJobs", "2017-03-12", T1_BODY, TIMESTAMP)["Authorization"]
    assert sign_headers(SECRET_ID, SECRET_KEY, HOST, "RetryJobs", "2017-03-12", T1_BODY + b" ", TIMESTAMP)["Authorization"] != base
    assert sign_headers(SECRET_ID, SECRET_KEY, HOST + ":443", "RetryJobs", "2017-03-12", T1_BODY, TIMESTAMP)["Authorization"] != base
    assert sign_headers(SECRET_ID, SECRET_KEY + "x", HOST, "RetryJobs", "2017-03-12", T1_BODY, TIMESTAMP)["Authorization"] != base


def test_sdk_sign_tc3_agrees_on_t1_string_to_sign():
    """Sign.sign_tc3 (the SDK's HMAC chain) over our string-to-sign gives T1's signature."""
    canonical = "POST\n/\n\ncontent-type:application/json\nhost:%s\n\ncontent-type;host\n%s" % (HOST, hashlib.sha256(T1_BODY).hexdigest())
    str2sign = "TC3-HMAC-SHA256\n%d\n2024-01-02/batch/tc3_request\n%s" % (TIMESTAMP, hashlib.sha256(canonical.encode()).hexdigest())
    assert sign_mod.Sign.sign_tc3(SECRET_KEY, "2024-01-02", "batch", str2sign) == T1_AUTH.rsplit("=", 1)[1]
