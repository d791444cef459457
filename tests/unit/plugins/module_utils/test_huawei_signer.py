# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SDK-HMAC-SHA256 and V11-HMAC-SHA256 signing checked against huaweicloudsdkcore's own signers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import json

from urllib.parse import quote

import pytest

hypothesis = pytest.importorskip("hypothesis")
signer_mod = pytest.importorskip("huaweicloudsdkcore.signer.signer")
sdk_request_mod = pytest.importorskip("huaweicloudsdkcore.sdk_request")
hkdf_mod = pytest.importorskip("huaweicloudsdkcore.signer.hkdf")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.cloudops.jobs.plugins.module_utils._huawei_auth import (
    AkSkAuth, TokenAuth, canonical_query, canonical_request, canonical_uri, derive_key, sign_aksk, sign_derived,
)

EXAMPLES = 500
SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])

AK = "HPUAEXAMPLEAK0000001"
SK = "ExampleSecretKey0000000000000000000000001"
PROJECT = "0123456789abcdef0123456789abcdef"
VECTOR_DATE = "20240102T030405Z"
VECTOR_WHEN = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
JSON_TYPES = ("application/json", "application/json;charset=UTF-8", "application/bson")
OTHER_TYPES = ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/octet-stream")
SUB_DELIMS = "!$&'()*+,;=:@"


class _Cred:
    def __init__(self, ak, sk):
        self.ak = ak
        self.sk = sk


def sdk_sign(method, host, path, query, headers, body, ak, sk, derived=None):
    """Sign with the SDK; return the signed SdkRequest. ``path`` is the (percent-encoded) resource path as sent."""
    request = sdk_request_mod.SdkRequest(method=method, schema="https", host=host, resource_path=path,
                                         query_params=list(query), header_params=dict(headers), body=body)
    if derived:
        signer_mod.DerivationAKSKSigner(_Cred(ak, sk)).sign(request, derived_auth_service_name=derived[0], region_id=derived[1])
    else:
        signer_mod.Signer(_Cred(ak, sk)).sign(request)
    return request


# --- generated requests -------------------------------------------------------------------------

SEGMENT_CHARS = st.sampled_from(list("abcXYZ019-._~") + list(SUB_DELIMS) + list("%/?#[] \"<>^`{|}") + ["\u00e9", "\u4e2d", "\U0001f600", "\u00df"])
QUERY_CHARS = st.sampled_from(list("abcXYZ019-._~") + list(SUB_DELIMS) + list("%/?# ") + ["\u00e9", "\u4e2d", "\U0001f600"])
HOSTS = ("drs.cn-north-4.myhuaweicloud.com", "abc123def4.st1.iotda-app.cn-north-4.myhuaweicloud.com",
         "localhost:8443", "10.0.0.1:443", "iotda.ap-southeast-1.myhuaweicloud.com")
SIMPLE_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEF0123456789-", min_size=1, max_size=40)
HEADER_VALUE = st.text(alphabet="abcdefABC0123456789-=/+.,:; ", min_size=1, max_size=30)


@st.composite
def requests_(draw):
    """(method, host, encoded path, query pairs, headers, body, ak, sk, when)."""
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE"]))
    host = draw(st.sampled_from(HOSTS))
    segments = draw(st.lists(st.text(alphabet=SEGMENT_CHARS, min_size=0, max_size=8), min_size=0, max_size=5))
    safe = draw(st.sampled_from(["", SUB_DELIMS]))
    path = "/" + "/".join(quote(seg, safe=safe) for seg in segments)
    if segments and draw(st.booleans()):
        path += "/"
    key_pool = draw(st.lists(st.text(alphabet=QUERY_CHARS, min_size=1, max_size=6), min_size=1, max_size=4, unique=True))
    # values: empty strings and repeats of the same key included
    query = draw(st.lists(st.tuples(st.sampled_from(key_pool), st.text(alphabet=QUERY_CHARS, min_size=0, max_size=8)), max_size=6))
    # In drawn order: a repeated key's values arrive unsorted and must be signed sorted, as the SDK does.

    headers = {}
    content_type = draw(st.sampled_from((None,) + JSON_TYPES + OTHER_TYPES))
    if content_type:
        headers["Content-Type"] = content_type
    for name in ("X-Security-Token", "X-Language", "Instance-Id", "X-Project-Id", "X_Trace_Id", "x_custom", "X-Custom-Header"):
        if draw(st.booleans()):
            value = draw(HEADER_VALUE)
            if draw(st.integers(0, 4)) == 0:
                value = "  %s \t" % value  # canonical header values are stripped
            headers[name] = value
    if draw(st.integers(0, 3)) == 0:
        headers[draw(st.sampled_from(["Host", "host"]))] = host

    body_kind = draw(st.sampled_from(["none", "empty", "json", "text", "bytes"]))
    if body_kind == "none":
        body = None
    elif body_kind == "empty":
        body = b""
    elif body_kind == "json":
        ids = draw(st.lists(st.text(min_size=0, max_size=10), max_size=4))
        body = json.dumps({"jobs": [{"job_id": i} for i in ids]}, ensure_ascii=draw(st.booleans())).encode("utf-8")
    elif body_kind == "text":
        body = draw(st.text(min_size=1, max_size=40))
    else:
        body = draw(st.binary(min_size=1, max_size=40))

    ak = draw(SIMPLE_TEXT)
    sk = draw(SIMPLE_TEXT)
    when = draw(st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2099, 12, 31, 23, 59, 59)))
    when = when.replace(microsecond=0, tzinfo=datetime.timezone.utc)
    return method, host, path, query, headers, body, ak, sk, when


def _url(host, path, query, bare_empty=False):
    url = "https://%s%s" % (host, path)
    if query:
        parts = []
        for key, value in query:
            if bare_empty and value == "":
                parts.append(quote(key, safe=""))
            else:
                parts.append("%s=%s" % (quote(key, safe=""), quote(value, safe="")))
        url += "?" + "&".join(parts)
    return url


def _ours_and_sdk(req, data, derived=None):
    method, host, path, query, headers, body, ak, sk, when = req
    sdk_headers = dict(headers)
    sdk_headers["X-Sdk-Date"] = when.strftime("%Y%m%dT%H%M%SZ")
    # Ours either reads the same X-Sdk-Date header or is given the time.
    use_header = data.draw(st.booleans())
    ours_headers = dict(sdk_headers) if use_header else dict(headers)
    url = _url(host, path, query, bare_empty=data.draw(st.booleans()))
    if derived:
        ours = sign_derived(method, url, ours_headers, body, ak, sk, derived[0], derived[1], None if use_header else when)
    else:
        ours = sign_aksk(method, url, ours_headers, body, ak, sk, None if use_header else when)
    sdk = sdk_sign(method, host, path, query, sdk_headers, body, ak, sk, derived=derived)
    return ours, sdk


def test_sign_aksk_matches_sdk_signer():
    seen = []

    @SETTINGS
    @given(req=requests_(), data=st.data())
    def check(req, data):
        ours, sdk = _ours_and_sdk(req, data)
        assert ours["Authorization"] == sdk.header_params["Authorization"]
        assert ours["Authorization"].startswith("SDK-HMAC-SHA256 Access=%s, SignedHeaders=" % req[6])
        assert ("X-Sdk-Content-Sha256" in ours) == ("X-Sdk-Content-Sha256" in sdk.header_params)
        seen.append(req)

    check()
    assert len(seen) >= EXAMPLES
    # the generator really produced the interesting shapes
    assert any(r[5] and r[4].get("Content-Type") in OTHER_TYPES for r in seen)
    assert any(len(set(k for k, _v in r[3])) < len(r[3]) for r in seen)
    assert any(any(v == "" for _k, v in r[3]) for r in seen)
    assert any("%" in r[2] for r in seen)
    assert set(r[0] for r in seen) == set(["GET", "POST", "PUT", "DELETE"])


def test_sign_derived_matches_sdk_derivation_signer():
    seen = []

    @SETTINGS
    @given(req=requests_(), data=st.data(), service=st.sampled_from(["iotdm", "iotda", "drs"]),
           region=st.sampled_from(["cn-north-4", "ap-southeast-1", "eu-west-101"]))
    def check(req, data, service, region):
        ours, sdk = _ours_and_sdk(req, data, derived=(service, region))
        assert ours["Authorization"] == sdk.header_params["Authorization"]
        assert ours["Authorization"].startswith("V11-HMAC-SHA256 Credential=%s/%s/%s/%s, " % (
            req[6], req[8].strftime("%Y%m%d"), region, service))
        seen.append(req)

    check()
    assert len(seen) >= EXAMPLES


@SETTINGS
@given(ak=SIMPLE_TEXT, sk=SIMPLE_TEXT, info=st.text(min_size=1, max_size=40))
def test_derive_key_matches_sdk_hkdf(ak, sk, info):
    ours = derive_key(ak, sk, info)
    assert ours == hkdf_mod.get_der_key_sha256(access_key=ak, secret_key=sk, info=info)
    assert len(ours) == 64


QUERY_VALUES = st.one_of(st.text(alphabet=QUERY_CHARS, max_size=6), st.integers(-5, 500), st.booleans(),
                         st.lists(st.text(alphabet=QUERY_CHARS, max_size=4), min_size=1, max_size=3))


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(pairs=st.dictionaries(st.text(alphabet=QUERY_CHARS, min_size=1, max_size=6), QUERY_VALUES, max_size=5),
       as_dict=st.booleans())
def test_canonical_query_matches_sdk(pairs, as_dict):
    """Distinct keys; list values repeat the key (sorted); booleans lower-cased."""
    sdk_pairs = [(k, list(v) if isinstance(v, list) else v) for k, v in pairs.items()]
    expected = signer_mod.Signer._process_canonical_query_string(sdk_request_mod.SdkRequest(query_params=sdk_pairs))
    assert canonical_query(dict(pairs) if as_dict else list(pairs.items())) == expected


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(segments=st.lists(st.text(alphabet=SEGMENT_CHARS, max_size=6), max_size=4), trailing=st.booleans())
def test_canonical_uri_matches_sdk(segments, trailing):
    path = "/" + "/".join(quote(s, safe="") for s in segments) + ("/" if trailing else "")
    expected = signer_mod.Signer(_Cred("a", "b"))._process_canonical_uri(sdk_request_mod.SdkRequest(resource_path=path))
    assert canonical_uri(path) == expected
    assert canonical_uri(path).endswith("/")


def test_canonical_pieces():
    assert canonical_uri("") == "/"
    assert canonical_uri("/a b/%E4%B8%AD") == "/a%20b/%E4%B8%AD/"
    assert canonical_uri("/x:y@z/") == "/x%3Ay%40z/"
    assert canonical_query({"b": True, "a": ["2", "1"], "c": ""}) == "a=1&a=2&b=true&c="
    assert canonical_query([("k", "a b~/")]) == "k=a%20b~%2F"
    text, names = canonical_request("post", "/v1/x", [], {"Host": "h", "X_Skip": "1", "X-A": " v "}, b"{}")
    assert names == ["host", "x-a"]
    assert text == "POST\n/v1/x/\n\nhost:h\nx-a:v\n\nhost;x-a\n%s" % hashlib.sha256(b"{}").hexdigest()


# --- fixed vectors from api-notes ---------------------------------------------------------------

H1_URL = "https://drs.cn-north-4.myhuaweicloud.com/v3/%s/jobs/batch-retry-task" % PROJECT
H1_BODY = b'{"jobs": [{"job_id": "1f2e3d4c-0000-4000-8000-000000000001", "is_sync_re_edit": false}]}'
H2_URL = ("https://iotda.cn-north-4.myhuaweicloud.com/v5/iot/%s/batchtasks/64a1b2c3d4e5f60718293a4b"
          "?task_detail_status=FailWaitRetry&limit=50&offset=0" % PROJECT)
H3_URL = "https://workspace.cn-north-4.myhuaweicloud.com/v2/%s/workspace-jobs/job-123/actions" % PROJECT
H4_HOST = "abc123def4.st1.iotda-app.cn-north-4.myhuaweicloud.com"
H4_HEADERS = {"Content-Type": "application/json", "X-Project-Id": PROJECT, "Instance-Id": "11111111-2222-3333-4444-555555555555"}
H4_BODY = b'{"targets": ["dev-1", "dev-2"]}'
H4_AUTH = ("V11-HMAC-SHA256 Credential=HPUAEXAMPLEAK0000001/20240102/cn-north-4/iotdm, "
           "SignedHeaders=content-type;host;instance-id;x-project-id;x-sdk-date, "
           "Signature=056bd683828594944b2e1ef942d1fdf289e121e8345a793b991bc6ee71472526")


def test_vector_h1():
    headers = {"Content-Type": "application/json", "X-Language": "en-us", "X-Project-Id": PROJECT}
    signed = sign_aksk("POST", H1_URL, headers, H1_BODY, AK, SK, VECTOR_WHEN)
    assert hashlib.sha256(H1_BODY).hexdigest() == "0bc7008b8cda3d1bc7fda5ef9c5dc7ce581c592e4a50dea294ecac8b9d0db2a1"
    assert signed["Authorization"] == (
        "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=content-type;host;x-language;x-project-id;x-sdk-date, "
        "Signature=0a1c9d0ac2820f7ca903666d905595a4051c5d3983b684862afc57e63b8bf546")
    assert signed["X-Sdk-Date"] == VECTOR_DATE
    assert signed["Host"] == "drs.cn-north-4.myhuaweicloud.com"
    assert headers == {"Content-Type": "application/json", "X-Language": "en-us", "X-Project-Id": PROJECT}  # not mutated


def test_vector_h2():
    signed = sign_aksk("GET", H2_URL, {"Content-Type": "application/json", "X-Project-Id": PROJECT}, b"", AK, SK, VECTOR_WHEN)
    assert canonical_query([("task_detail_status", "FailWaitRetry"), ("limit", "50"), ("offset", "0")]) == \
        "limit=50&offset=0&task_detail_status=FailWaitRetry"
    assert signed["Authorization"] == (
        "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=content-type;host;x-project-id;x-sdk-date, "
        "Signature=b6a3d66e1d9f68a91997cefd4644fd0282d71bcd63ba165710cf505ef12da446")


def test_vector_h3_with_security_token():
    auth = AkSkAuth(AK, SK, security_token="EXAMPLE-SECURITY-TOKEN", clock=lambda: VECTOR_WHEN)
    signed = auth.apply("POST", H3_URL, {"Content-Type": "application/json", "X-Project-Id": PROJECT}, b'{"op_type": "retry"}')
    assert signed["X-Security-Token"] == "EXAMPLE-SECURITY-TOKEN"
    assert signed["Authorization"] == (
        "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, "
        "Signature=69be292820c640deaec01809f53cc096a6e5670b471f2fffcf1deb1c8ad6d824")


@pytest.mark.parametrize("url,headers,body", [
    (H1_URL, {"Content-Type": "application/json", "X-Language": "en-us", "X-Project-Id": PROJECT}, H1_BODY),
    (H2_URL, {"Content-Type": "application/json", "X-Project-Id": PROJECT}, b""),
    (H3_URL, {"Content-Type": "application/json", "X-Project-Id": PROJECT, "X-Security-Token": "EXAMPLE-SECURITY-TOKEN"},
     b'{"op_type": "retry"}'),
])
def test_vectors_h1_h3_also_match_sdk(url, headers, body):
    method = "GET" if "?" in url else "POST"
    host, _sep, rest = url[len("https://"):].partition("/")
    path, _sep, qs = ("/" + rest).partition("?")
    query = [tuple(item.split("=", 1)) for item in qs.split("&")] if qs else []
    sdk = sdk_sign(method, host, path, query, dict(headers, **{"X-Sdk-Date": VECTOR_DATE}), body, AK, SK)
    assert sign_aksk(method, url, headers, body, AK, SK, VECTOR_WHEN)["Authorization"] == sdk.header_params["Authorization"]


def test_vector_h4_derived_key():
    assert derive_key(AK, SK, "20240102/cn-north-4/iotdm") == "20d083b2de8f91cb693b67f99637d5ee4fd69e335dacedc708b05ab62dd2e41e"


def test_vector_h4_signature_rebuilt_with_sdk():
    """The task id was not recorded in api-notes; 64a1b2c3d4e5f60718293a4b (H2's task) reproduces the recorded value."""
    task = "64a1b2c3d4e5f60718293a4b"
    path = "/v5/iot/%s/batchtasks/%s/retry" % (PROJECT, task)
    sdk = sdk_sign("POST", H4_HOST, path, [], dict(H4_HEADERS, **{"X-Sdk-Date": VECTOR_DATE}), H4_BODY, AK, SK,
                   derived=("iotdm", "cn-north-4"))
    auth = AkSkAuth(AK, SK, clock=lambda: VECTOR_WHEN)
    ours = auth.apply("POST", "https://%s%s" % (H4_HOST, path), H4_HEADERS, H4_BODY, derived=("iotdm", "cn-north-4"))
    assert ours["Authorization"] == sdk.header_params["Authorization"]
    assert ours["Authorization"] == H4_AUTH


def test_token_auth_sends_token_and_no_signature():
    out = TokenAuth("tok-123").apply("GET", H3_URL, {"Accept": "application/json"}, b"")
    assert out == {"Accept": "application/json", "X-Auth-Token": "tok-123"}


def test_aksk_auth_without_token_sends_no_security_token():
    out = AkSkAuth(AK, SK, clock=lambda: VECTOR_WHEN).apply("POST", H3_URL, {"Content-Type": "application/json"}, b"{}")
    assert "X-Security-Token" not in out
    assert "x-security-token" not in out["Authorization"]


def test_underscore_headers_are_sent_but_not_signed():
    base = {"Content-Type": "application/json"}
    plain = sign_aksk("POST", H3_URL, base, b"{}", AK, SK, VECTOR_WHEN)
    extra = sign_aksk("POST", H3_URL, dict(base, X_Trace_Id="abc"), b"{}", AK, SK, VECTOR_WHEN)
    assert extra["X_Trace_Id"] == "abc"
    assert extra["Authorization"] == plain["Authorization"]


def test_non_json_content_type_signs_unsigned_payload():
    signed = sign_aksk("POST", H3_URL, {"Content-Type": "text/plain"}, b"hello", AK, SK, VECTOR_WHEN)
    assert signed["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    assert "x-sdk-content-sha256" in signed["Authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    host, _sep, path = H3_URL[len("https://"):].partition("/")
    sdk = sdk_sign("POST", host, "/" + path, [], {"Content-Type": "text/plain", "X-Sdk-Date": VECTOR_DATE}, b"hello", AK, SK)
    assert signed["Authorization"] == sdk.header_params["Authorization"]


# --- regressions: divergences from the SDK found by the generated comparison ---------------------

def test_unsigned_payload_with_empty_body_hashes_empty_string_as_sdk():
    host, path = "iotda.cn-north-4.myhuaweicloud.com", "/v5/iot/p/batchtasks"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Sdk-Date": VECTOR_DATE}
    ours = sign_aksk("GET", "https://%s%s" % (host, path), headers, b"", AK, SK)
    sdk = sdk_sign("GET", host, path, [], headers, b"", AK, SK)
    assert ours["Authorization"] == sdk.header_params["Authorization"]


def test_repeated_query_key_out_of_order_is_signed_sorted_as_sdk():
    host, path = "iotda.cn-north-4.myhuaweicloud.com", "/v5/iot/p/batchtasks"
    headers = {"Content-Type": "application/json", "X-Sdk-Date": VECTOR_DATE}
    ours = sign_aksk("GET", "https://%s%s?status=b&status=a" % (host, path), headers, b"", AK, SK)
    sdk = sdk_sign("GET", host, path, [("status", "b"), ("status", "a")], headers, b"", AK, SK)
    assert ours["Authorization"] == sdk.header_params["Authorization"]
