# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport.send with a hand-made fake session; the error shapes and the scrubber.

The failures the fake raises are the SendErrors HttpSession raises for real ones (test_http_session.py shows which).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import random
import socket
import ssl
from http.client import HTTPMessage, RemoteDisconnected

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._errors import (
    MASK, ApiError, Scrubber, error_fields, error_from_response, parse_json,
)
from ansible_collections.cloudops.jobs.plugins.module_utils._retry import MAYBE_ACTED, OK, THROTTLED, UNAVAILABLE, RetryPolicy
from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError
from ansible_collections.cloudops.jobs.plugins.module_utils._transport import (
    HttpResponse, HttpSession, SendError, Transport, default_classify, describe_exception, from_params,
)

URL = "https://drs.cn-north-4.myhuaweicloud.com/v3/p/jobs/batch-retry-task"


def message(headers):
    """Headers as http.client answers them (case-insensitive ``get``)."""
    out = HTTPMessage()
    for name, value in (headers or {}).items():
        out[name] = value
    return out


class FakeResponse:
    def __init__(self, status, headers=None, body=b""):
        self.status_code = status
        self.headers = message(headers)
        self.content = body


class FakeSession:
    """Answers from a script: (status, headers, body) tuples or exceptions to raise."""

    def __init__(self, script, log=None):
        self.script = list(script)
        self.calls = []
        self.closed = False
        self.log = log if log is not None else []

    def request(self, method, url, **kwargs):
        self.log.append("request")
        self.calls.append((method, url, kwargs))
        item = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(item, BaseException):
            raise item
        return FakeResponse(*item)

    def close(self):
        self.closed = True


class Prepare:
    """Builds a freshly 'signed' request per attempt."""

    def __init__(self, method="POST", log=None):
        self.method = method
        self.count = 0
        self.log = log if log is not None else []

    def __call__(self):
        self.count += 1
        self.log.append("prepare")
        return self.method, URL, {"Authorization": "sig-%d" % self.count, "Content-Type": "application/json"}, b'{"jobs": []}'


def make(script, max_retries=4, **policy_args):
    slept = []
    log = []
    session = FakeSession(script, log)
    policy = RetryPolicy(max_retries=max_retries, sleep=slept.append, rng=random.Random(0), **policy_args)
    return Transport(timeout=7, policy=policy, session=session), session, slept, log


def connection_refused():
    return SendError("ConnectionError", "could not connect (connection refused)", True, ConnectionRefusedError(111, "Connection refused"))


def name_not_resolved():
    return SendError("ConnectionError", "could not connect (name not resolved)", True, socket.gaierror(-2, "Name or service not known"))


def connection_reset():
    return SendError("ConnectionError", "the connection failed (RemoteDisconnected)", reason=RemoteDisconnected("closed"))


def read_timeout():
    return SendError("ReadTimeout", "no answer within the timeout", reason=socket.timeout("timed out"))


def connect_timeout():
    return SendError("ConnectTimeout", "connecting timed out", True, socket.timeout("timed out"))


# --- construction ------------------------------------------------------------------------------

def test_the_default_session_is_the_stdlib_pool_and_headers_are_ours():
    transport = Transport(timeout=7)
    assert isinstance(transport.session, HttpSession)
    assert transport.session.context.verify_mode == ssl.CERT_REQUIRED and transport.session.context.check_hostname
    assert transport.base_headers()["User-Agent"].startswith("cloudops.jobs/")
    assert transport.base_headers()["Accept"] == "application/json"


def test_request_is_sent_as_prepared():
    transport, session, slept, _log = make([(200, {"X-Request-Id": "r1"}, b'{"ok": true}')])
    response = transport.send(Prepare())
    assert response.status == 200
    assert response.json() == {"ok": True}
    assert response.header("x-request-id") == "r1"
    method, url, kwargs = session.calls[0]
    assert (method, url) == ("POST", URL)
    assert kwargs["headers"] == {"Authorization": "sig-1", "Content-Type": "application/json"}
    assert kwargs["data"] == b'{"jobs": []}'
    assert kwargs["timeout"] == 7
    assert slept == []


def test_verify_setting(tmp_path):
    assert Transport(validate_certs=False, ca_bundle="/no/such.pem").session.context.verify_mode == ssl.CERT_NONE
    assert Transport(validate_certs=False).session.context.check_hostname is False
    with pytest.raises(OSError):   # ca_bundle is loaded when the run's session is made, before any request
        Transport(validate_certs=True, ca_bundle=str(tmp_path / "missing.pem"))
    empty = tmp_path / "empty.pem"
    empty.write_text("not a certificate")
    with pytest.raises(ssl.SSLError):
        Transport(validate_certs=True, ca_bundle=str(empty))


PARAMS = {"timeout": 7, "validate_certs": True, "ca_bundle": None, "max_retries": 2}


def test_from_params_builds_the_run_transport_and_warns_when_verification_is_off():
    warned = []
    transport = from_params(PARAMS, "ua/1", warn=warned.append)
    assert (transport.timeout, transport.policy.max_retries, transport.user_agent, warned) == (7, 2, "ua/1", [])
    unverified = from_params(dict(PARAMS, validate_certs=False), "ua/1", warn=warned.append)
    assert unverified.session.context.verify_mode == ssl.CERT_NONE
    assert warned == ["validate_certs is false: the endpoint's TLS certificate is not verified"]


def test_from_params_names_ca_bundle_when_it_cannot_be_loaded(tmp_path):
    not_pem = tmp_path / "ca.pem"
    not_pem.write_text("not a certificate")
    for path in (str(not_pem), str(tmp_path / "missing.pem")):
        with pytest.raises(InputError) as info:
            from_params(dict(PARAMS, ca_bundle=path), "ua/1")
        assert str(info.value).startswith("ca_bundle %r could not be loaded" % path)


def test_close_closes_the_session():
    transport, session, _slept, _log = make([(200, {}, b"")])
    transport.close()
    assert session.closed is True


# --- retries ---------------------------------------------------------------------------------

def test_429_then_200_waits_at_least_retry_after():
    transport, session, slept, _log = make([(429, {"Retry-After": "3"}, b'{"error_code": "APIG.0308"}'), (200, {}, b"{}")])
    response = transport.send(Prepare())
    assert response.status == 200
    assert len(session.calls) == 2
    assert len(slept) == 1 and slept[0] >= 3.0


def test_429_retry_after_is_capped():
    transport, session, slept, _log = make([(429, {"Retry-After": "3600"}, b""), (200, {}, b"{}")], max_retry_after=20.0)
    transport.send(Prepare())
    assert slept == [20.0]
    assert len(session.calls) == 2


@pytest.mark.parametrize("idempotent", [False, True])
def test_503_is_retried_for_reads_and_writes(idempotent):
    transport, session, slept, _log = make([(503, {}, b"busy"), (503, {}, b"busy"), (200, {}, b"{}")], base_delay=0.5)
    assert transport.send(Prepare(), idempotent=idempotent).status == 200
    assert len(session.calls) == 3
    assert len(slept) == 2
    assert 0.25 <= slept[0] <= 0.5 and 0.5 <= slept[1] <= 1.0


@pytest.mark.parametrize("status", [500, 502, 504])
def test_5xx_on_a_write_is_unknown_after_one_send(status):
    body = json.dumps({"error_code": "DRS.0001", "error_msg": "internal"}).encode()
    transport, session, slept, _log = make([(status, {"X-Request-Id": "rid-5"}, body), (200, {}, b"{}")])
    with pytest.raises(ApiError) as info:
        transport.send(Prepare(), idempotent=False)
    err = info.value
    assert err.outcome_unknown is True
    assert err.http_status == status
    assert err.code == "DRS.0001"
    assert err.request_id == "rid-5"
    assert "may have been acted on" in err.message
    assert len(session.calls) == 1
    assert slept == []


def test_500_on_a_read_is_resent():
    transport, session, slept, _log = make([(500, {}, b""), (200, {}, b'{"a": 1}')])
    response = transport.send(Prepare("GET"), idempotent=True)
    assert response.status == 200 and response.json() == {"a": 1}
    assert len(session.calls) == 2
    assert len(slept) == 1


def test_500_on_a_read_after_all_retries_is_an_error_that_did_not_act():
    transport, session, slept, _log = make([(500, {}, b"")], max_retries=2)
    with pytest.raises(ApiError) as info:
        transport.send(Prepare("GET"), idempotent=True)
    assert info.value.http_status == 500 and info.value.outcome_unknown is False
    assert len(session.calls) == 3
    assert len(slept) == 2


def test_a_2xx_that_is_not_json_on_a_write_is_unknown_after_one_send():
    transport, session, slept, _log = make([(200, {"X-Request-Id": "rid-m"}, b'{"results": [{"id": "j-1", "sta'), (200, {}, b"{}")])
    with pytest.raises(ApiError) as info:
        transport.send(Prepare(), idempotent=False)
    err = info.value
    assert err.outcome_unknown is True and err.code == "MalformedResponse" and err.http_status == 200
    assert err.request_id == "rid-m" and "may have been acted on" in err.message
    assert len(session.calls) == 1 and slept == []


def test_a_2xx_that_is_not_json_on_a_read_is_resent():
    transport, session, slept, _log = make([(200, {}, b"<html>oops"), (200, {}, b'{"a": 1}')])
    response = transport.send(Prepare("GET"), idempotent=True)
    assert response.json() == {"a": 1}
    assert len(session.calls) == 2 and len(slept) == 1


@pytest.mark.parametrize("body", [b"{truncated", b"null", b"\xff\xfe{}", b"[" * 100000 + b"]" * 100000, b"<html>ok</html>"])
def test_a_2xx_that_is_not_json_on_a_read_after_all_retries_is_a_malformed_response(body):
    transport, session, _slept, _log = make([(200, {"X-Request-Id": "rid-g"}, body)], max_retries=1)
    with pytest.raises(ApiError) as info:
        transport.send(Prepare("GET"), idempotent=True)
    assert info.value.code == "MalformedResponse" and info.value.outcome_unknown is False
    assert info.value.request_id == "rid-g" and "drs.cn-north-4.myhuaweicloud.com answered HTTP 200" in info.value.message
    assert len(session.calls) == 2


@pytest.mark.parametrize("body", [b"", b"  ", b"{}"])
def test_an_empty_or_json_2xx_is_final(body):
    transport, session, _slept, _log = make([(200, {}, body)])
    assert transport.send(Prepare(), idempotent=False).status == 200
    assert len(session.calls) == 1


def test_read_timeout_on_a_write_is_unknown_after_one_send():
    transport, session, slept, _log = make([read_timeout(), (200, {}, b"{}")])
    with pytest.raises(ApiError) as info:
        transport.send(Prepare(), idempotent=False)
    assert info.value.outcome_unknown is True
    assert info.value.code == "ReadTimeout"
    assert "no answer within the timeout" in info.value.message
    assert len(session.calls) == 1
    assert slept == []


def test_read_timeout_on_a_read_is_resent():
    transport, session, slept, _log = make([read_timeout(), (200, {}, b"{}")])
    assert transport.send(Prepare("GET"), idempotent=True).status == 200
    assert len(session.calls) == 2
    assert len(slept) == 1


def test_connection_reset_on_a_write_is_unknown_after_one_send():
    transport, session, _slept, _log = make([connection_reset(), (200, {}, b"{}")])
    with pytest.raises(ApiError) as info:
        transport.send(Prepare(), idempotent=False)
    assert info.value.outcome_unknown is True
    assert len(session.calls) == 1


@pytest.mark.parametrize("factory", [connection_refused, name_not_resolved,
                                     connect_timeout])
def test_never_reached_is_resent_even_for_a_write(factory):
    transport, session, slept, _log = make([factory(), (200, {}, b"{}")])
    assert transport.send(Prepare(), idempotent=False).status == 200
    assert len(session.calls) == 2
    assert len(slept) == 1


def test_never_reached_after_all_retries_is_a_known_failure():
    transport, session, slept, _log = make([connection_refused()], max_retries=3)
    with pytest.raises(ApiError) as info:
        transport.send(Prepare(), idempotent=False)
    assert info.value.outcome_unknown is False
    assert info.value.code == "ConnectionError"
    assert info.value.message == "drs.cn-north-4.myhuaweicloud.com: could not connect (connection refused) (4 attempts)"
    assert "secret" not in str(info.value)
    assert len(session.calls) == 4
    assert len(slept) == 3


@pytest.mark.parametrize("max_retries", [0, 1, 3, 5])
@pytest.mark.parametrize("status", [429, 503])
def test_max_retries_respected(max_retries, status):
    """A write still throttled or unavailable when the re-sends run out was not acted on (on both clouds)."""
    transport, session, slept, _log = make([(status, {}, b"")], max_retries=max_retries)
    with pytest.raises(ApiError) as info:
        transport.send(Prepare())
    assert info.value.http_status == status and info.value.outcome_unknown is False
    assert info.value.message.endswith("(still refused after %d attempts; it was not acted on)" % (max_retries + 1))
    assert len(session.calls) == max_retries + 1
    assert len(slept) == max_retries


def test_prepare_and_before_send_run_once_per_attempt_before_the_request():
    log = []
    session = FakeSession([(429, {}, b""), (503, {}, b""), (200, {}, b"{}")], log)
    transport = Transport(policy=RetryPolicy(sleep=lambda s: log.append("sleep"), rng=random.Random(0)), session=session)
    prepare = Prepare(log=log)
    transport.send(prepare, before_send=lambda: log.append("before_send"))
    assert prepare.count == 3
    assert log == ["prepare", "before_send", "request", "sleep"] * 2 + ["prepare", "before_send", "request"]
    # every attempt carried its own fresh signature
    assert [call[2]["headers"]["Authorization"] for call in session.calls] == ["sig-1", "sig-2", "sig-3"]


def test_custom_classify_throttles_an_http_200():
    body_throttled = json.dumps({"Response": {"Error": {"Code": "RequestLimitExceeded", "Message": "slow"}, "RequestId": "x"}}).encode()

    def classify(response):
        code = error_fields(response.json())[0]
        return THROTTLED if code == "RequestLimitExceeded" else OK

    transport, session, slept, _log = make([(200, {}, body_throttled), (200, {}, b'{"Response": {"RequestId": "y"}}')])
    response = transport.send(Prepare(), classify=classify)
    assert response.json()["Response"]["RequestId"] == "y"
    assert len(session.calls) == 2 and len(slept) == 1


@pytest.mark.parametrize("status,verdict", [
    (200, OK), (201, OK), (400, OK), (401, OK), (404, OK), (429, THROTTLED), (503, UNAVAILABLE),
    (500, MAYBE_ACTED), (502, MAYBE_ACTED), (504, MAYBE_ACTED),
])
def test_default_classify(status, verdict):
    assert default_classify(HttpResponse(status, {}, b"")) == verdict


def test_describe_exception_has_no_url():
    assert describe_exception(connection_refused()) == "could not connect (connection refused)"
    assert describe_exception(connection_reset()) == "the connection failed (RemoteDisconnected)"
    handshake = SendError("SSLError", "the TLS handshake failed (SSLEOFError)", True, ssl.SSLEOFError(8, "EOF"))
    assert describe_exception(handshake) == "the TLS handshake failed (SSLEOFError); set ca_bundle for a private CA"


def test_http_response_body_and_json():
    assert HttpResponse(200, {}, None).body == b""
    assert HttpResponse(200, {}, b"<html>").json() is None
    assert HttpResponse(200, {}, b'[1, 2]').json() == [1, 2]


# --- error shapes --------------------------------------------------------------------------------

@pytest.mark.parametrize("data,expected", [
    ({"error_code": "DRS.10000011", "error_msg": "job not found", "request_id": "r1"}, ("DRS.10000011", "job not found", "r1")),
    ({"errorCode": "IOTDA.014000", "errorMsg": "bad request"}, ("IOTDA.014000", "bad request", None)),
    ({"code": 400, "message": "invalid"}, ("400", "invalid", None)),
    ({"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information", "request_id": "gw"},
     ("APIGW.0301", "Incorrect IAM authentication information", "gw")),
    ({"error_code": "DRS.1", "error_message": "from batch-status"}, ("DRS.1", "from batch-status", None)),
    ({"error": {"code": "401", "message": "The request you have made requires authentication.", "title": "Unauthorized"}},
     ("401", "The request you have made requires authentication.", None)),
    ({"error": {"code": 403, "title": "Forbidden"}}, ("403", "Forbidden", None)),
    ({"Response": {"Error": {"Code": "AuthFailure.SignatureExpire", "Message": "expired"}, "RequestId": "tc-1"}},
     ("AuthFailure.SignatureExpire", "expired", "tc-1")),
    ({"Response": {"RequestId": "tc-2", "JobId": "job-1"}}, (None, None, None)),
    ({"jobs": []}, (None, None, None)),
    ({"error_code": "", "error_msg": ""}, (None, None, None)),
    ([1, 2], (None, None, None)),
    (None, (None, None, None)),
    ("text", (None, None, None)),
])
def test_error_fields_shapes(data, expected):
    assert error_fields(data) == expected


def test_error_fields_prefers_error_code_over_other_spellings():
    assert error_fields({"error_code": "A", "errorCode": "B", "code": "C", "error_msg": "m1", "errorMsg": "m2", "message": "m3"}) == \
        ("A", "m1", None)


def test_error_from_response_huawei():
    body = b'{"error_code": "APIG.0308", "error_msg": "The request is throttled.", "request_id": "body-rid"}'
    err = error_from_response(429, body)
    assert (err.code, err.message, err.http_status, err.request_id, err.outcome_unknown) == \
        ("APIG.0308", "The request is throttled.", 429, "body-rid", False)
    # the X-Request-Id header wins over the body's id
    assert error_from_response(429, body, request_id="hdr-rid").request_id == "hdr-rid"
    assert err.to_dict() == {"error_msg": "The request is throttled.", "error_code": "APIG.0308", "request_id": "body-rid", "http_status": 429}
    assert str(err) == "[APIG.0308] The request is throttled. (HTTP 429) (request id body-rid)"


def test_error_from_response_iam_nested():
    err = error_from_response(401, json.dumps({"error": {"code": 401, "message": "auth failed", "title": "Unauthorized"}}))
    assert (err.code, err.message, err.http_status) == ("401", "auth failed", 401)


def test_error_from_response_tencent_with_http_200():
    body = json.dumps({"Response": {"Error": {"Code": "ResourceNotFound.Job", "Message": "no such job"}, "RequestId": "tc-9"}}).encode()
    err = error_from_response(200, body)
    assert (err.code, err.message, err.http_status, err.request_id) == ("ResourceNotFound.Job", "no such job", 200, "tc-9")


def test_error_from_response_html_body():
    body = b"<html>\n<head><title>502 Bad Gateway</title></head>\n<body>   nginx </body></html>"
    err = error_from_response(502, body, outcome_unknown=True)
    assert err.code is None
    assert err.message.startswith("the service answered HTTP 502 with a body that is not JSON: <html> <head><title>502 Bad Gateway")
    assert err.message.endswith("; the request may have been acted on, so it was not re-sent")
    assert err.outcome_unknown is True


def test_error_from_response_long_html_is_truncated():
    err = error_from_response(500, b"x" * 1000)
    assert err.message == "the service answered HTTP 500 with a body that is not JSON: " + "x" * 200


@pytest.mark.parametrize("body", [b"", None, b"   "])
def test_error_from_response_empty_body(body):
    err = error_from_response(404, body, request_id="rid")
    assert err.message == "the service answered HTTP 404"
    assert (err.code, err.http_status, err.request_id, err.outcome_unknown) == (None, 404, "rid", False)


def test_error_from_response_json_without_error_fields():
    err = error_from_response(400, b'{"jobs": []}')
    assert err.message == "the service answered HTTP 400"


def test_parse_json():
    assert parse_json(b'{"a": "\xc3\xa9"}') == {"a": "\u00e9"}
    assert parse_json('{"a": 1}') == {"a": 1}
    assert parse_json(b"\xff\xfe") is None
    assert parse_json(b"") is None


def test_api_error_minimal_dict_and_str():
    err = ApiError("boom")
    assert err.to_dict() == {"error_msg": "boom"}
    assert str(err) == "boom"
    assert err.outcome_unknown is False


# --- scrubber ----------------------------------------------------------------------------------

def test_scrubber_masks_every_secret():
    scrub = Scrubber(["AKIDsecret123", "sk-very-secret"])
    assert scrub("id=AKIDsecret123 key=sk-very-secret again AKIDsecret123") == "id=%s key=%s again %s" % (MASK, MASK, MASK)
    assert scrub("nothing here") == "nothing here"
    assert scrub(None) is None
    assert scrub(12345) == "12345"


def test_scrubber_masks_longest_first():
    scrub = Scrubber(["abcd", "abcd1234efgh"])
    assert scrub("token abcd1234efgh and abcd") == "token %s and %s" % (MASK, MASK)
    assert "1234" not in scrub("abcd1234efgh")


def test_scrubber_ignores_short_and_empty_secrets():
    scrub = Scrubber(["", None, "abc"])
    assert scrub("abc def") == "abc def"
    scrub.add("defg")
    assert scrub("abc defg") == "abc %s" % MASK


def test_scrubber_nested_objects():
    scrub = Scrubber(["s3cr3t-token", "AK000001"])
    value = {
        "msg": "header X-Auth-Token: s3cr3t-token",
        "list": ["AK000001", {"deep": ["x s3cr3t-token y"]}, 5, None, True],
        "n": 3,
    }
    assert scrub.obj(value) == {
        "msg": "header X-Auth-Token: %s" % MASK,
        "list": [MASK, {"deep": ["x %s y" % MASK]}, 5, None, True],
        "n": 3,
    }
    assert value["msg"] == "header X-Auth-Token: s3cr3t-token"  # the input is not modified


def untrusted_certificate():
    reason = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate")
    reason.verify_message = "self-signed certificate"
    return SendError("SSLError", "the TLS handshake failed (SSLCertVerificationError)", True, reason)


def test_an_untrusted_certificate_is_reported_at_once_not_resent():
    transport, session, slept, _log = make([untrusted_certificate(), (200, {}, b"{}")], max_retries=3)
    with pytest.raises(ApiError) as info:
        transport.send(Prepare(), idempotent=True)
    assert len(session.calls) == 1 and slept == []
    assert info.value.outcome_unknown is False
    assert info.value.message.startswith("drs.cn-north-4.myhuaweicloud.com: TLS verification failed: certificate verify failed: "
                                         "self-signed certificate (set ca_bundle")
    assert info.value.code == "SSLError"


def test_a_handshake_failure_other_than_the_certificate_is_still_resent():
    eof = SendError("SSLError", "the TLS handshake failed (SSLEOFError)", True, ssl.SSLEOFError(8, "EOF occurred in violation of protocol"))
    transport, session, slept, _log = make([eof, (200, {}, b"{}")])
    assert transport.send(Prepare(), idempotent=False).status == 200
    assert len(session.calls) == 2 and len(slept) == 1


@pytest.mark.parametrize("status", ["407", "403"])
def test_a_proxy_that_refuses_the_tunnel_is_asked_once(status):
    """A wrong proxy password is not re-sent (five CONNECTs with bad credentials can lock a directory account)."""
    refused = SendError("ProxyError", "the proxy refused the tunnel (HTTP %s)" % status, True,
                        OSError("Tunnel connection failed: %s Proxy Authentication Required" % status), final=True)
    transport, session, slept, _log = make([refused, (200, {}, b"{}")], max_retries=4)
    with pytest.raises(ApiError) as info:
        transport.send(Prepare(), idempotent=True)
    assert len(session.calls) == 1 and slept == []
    assert info.value.code == "ProxyError" and info.value.outcome_unknown is False


def test_a_407_from_a_plain_http_proxy_is_final_and_names_the_proxy_credentials():
    transport, session, slept, _log = make([(407, {}, b"<html>Proxy Authentication Required</html>"), (200, {}, b"{}")])
    with pytest.raises(ApiError) as info:
        transport.send(Prepare(), idempotent=True)
    assert len(session.calls) == 1 and slept == []
    assert info.value.http_status == 407 and "USER:PASSWORD@HOST:PORT" in info.value.message


@pytest.mark.parametrize("idempotent", [False, True])
def test_every_error_answer_raises_and_only_may_have_acted_answers_of_writes_are_unknown(idempotent):
    for status, unknown in ((400, False), (401, False), (404, False), (500, True), (502, True), (504, True)):
        transport, _session, _slept, _log = make([(status, {}, b'{"error_code": "X.1", "error_msg": "no"}')], max_retries=0)
        with pytest.raises(ApiError) as info:
            transport.send(Prepare(), idempotent=idempotent)
        assert (info.value.http_status, info.value.code) == (status, "X.1")
        assert info.value.outcome_unknown is (unknown and not idempotent)
