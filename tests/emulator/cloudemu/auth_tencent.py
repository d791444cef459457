# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud API 3.0: TC3-HMAC-SHA256 verification, as tencentcloud-sdk-python-common signs, and the
per-action request window."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import datetime
import hashlib
import hmac
import threading

from cloudemu.messages import parse_authorization

ALGORITHM = "TC3-HMAC-SHA256"
MAX_SKEW_S = 5 * 60
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
TOKEN_FAILURE = "AuthFailure.TokenFailure"
EXPIRED_CODES = (TOKEN_FAILURE, "AuthFailure.SecretIdNotFound")


class TencentFailure(Exception):
    """A Tencent error answer (HTTP 200): ``code`` and message."""

    def __init__(self, code, message):
        super(TencentFailure, self).__init__(message)
        self.code = code
        self.message = message


def canonical_request(method, path, query_string, header_value, signed_names, body, content_sha=None):
    """As the SDK: GET signs the query string and an empty payload, POST an empty query and the body."""
    lines = []
    for name in signed_names:
        value = header_value(name)
        if value is None:
            raise TencentFailure("AuthFailure.SignatureFailure", "The signed header %s is missing." % name)
        lines.append("%s:%s\n" % (name, value))
    if content_sha == UNSIGNED_PAYLOAD:
        payload = UNSIGNED_PAYLOAD.encode("utf-8")
    elif method.upper() == "GET":
        payload = b""
    else:
        payload = body or b""
    return "\n".join([method.upper(), path or "/", query_string if method.upper() == "GET" else "", "".join(lines),
                      ";".join(signed_names), hashlib.sha256(payload).hexdigest()])


def utc_date(timestamp):
    return datetime.datetime.fromtimestamp(int(timestamp), datetime.timezone.utc).strftime("%Y-%m-%d")


def utc_time(timestamp):
    return datetime.datetime.fromtimestamp(int(timestamp), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def string_to_sign(timestamp, scope, canonical):
    return "\n".join([ALGORITHM, str(timestamp), scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])


def signature(secret_key, date, service, text):
    def _hmac(key, msg):
        return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()

    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode("utf-8"), date), service), "tc3_request")
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _lookup(credentials, secret_id):
    """(secret key, required X-TC-Token or None, issued key or None) or None; ``credentials``: a dict of static keys
    or the world's Credentials (static and issued temporary keys)."""
    if isinstance(credentials, dict):
        secret = credentials.get(secret_id)
        return None if secret is None else (secret, None, None)
    return credentials.tencent_secret(secret_id)


def verify(req, credentials, wall_now, service="batch", expired_code=TOKEN_FAILURE):
    """Return the SecretId of a correctly signed request, or raise :class:`TencentFailure`.

    A temporary key (one the emulator issued) needs its own token in ``X-TC-Token`` (else ``AuthFailure.TokenFailure``)
    and is refused with ``expired_code`` once it expired; a static key's ``X-TC-Token`` is not checked.
    """
    algorithm, fields = parse_authorization(req.header("Authorization"))
    if algorithm != ALGORITHM:
        raise TencentFailure("AuthFailure.SignatureFailure", "The Authorization header is missing or not %s." % ALGORITHM)
    scope_parts = (fields.get("Credential") or "").split("/")
    if len(scope_parts) != 4 or scope_parts[3] != "tc3_request" or not fields.get("SignedHeaders") or not fields.get("Signature"):
        raise TencentFailure("AuthFailure.SignatureFailure", "The Authorization header is malformed.")
    secret_id, date, scope_service = scope_parts[0], scope_parts[1], scope_parts[2]
    timestamp = req.header("X-TC-Timestamp") or ""
    if not timestamp.isdigit():
        raise TencentFailure("AuthFailure.SignatureFailure", "X-TC-Timestamp is missing or not epoch seconds.")
    if abs(wall_now - int(timestamp)) > MAX_SKEW_S:
        raise TencentFailure("AuthFailure.SignatureExpire",
                             "Signature expired. Timestamp %s is more than 5 minutes off the server time." % timestamp)
    found = _lookup(credentials, secret_id)
    if found is None:
        raise TencentFailure("AuthFailure.SecretIdNotFound", "The SecretId %s is not found." % secret_id)
    secret_key, token, issued = found
    if token is not None and req.header("X-TC-Token") != token:
        raise TencentFailure(TOKEN_FAILURE, "The token is %s: a temporary SecretId needs its own token in X-TC-Token."
                             % ("missing" if req.header("X-TC-Token") is None else "invalid"))
    if issued is not None and issued.expired(wall_now):
        if expired_code == "AuthFailure.SecretIdNotFound":
            raise TencentFailure(expired_code, "The SecretId %s is not found." % secret_id)
        raise TencentFailure(expired_code, "The token has expired: the temporary SecretId %s expired at %s."
                             % (secret_id, utc_time(issued.expires)))
    if scope_service != service or date != utc_date(timestamp):
        raise TencentFailure("AuthFailure.SignatureFailure",
                             "The credential scope must be %s/%s/tc3_request." % (utc_date(timestamp), service))
    names = fields["SignedHeaders"].split(";")
    if "host" not in names:
        raise TencentFailure("AuthFailure.SignatureFailure", "SignedHeaders must include host.")
    canonical = canonical_request(req.method, req.path, req.query_string, req.header, names, req.body,
                                  req.header("X-TC-Content-SHA256"))
    expected = signature(secret_key, date, scope_service, string_to_sign(timestamp, "/".join(scope_parts[1:]), canonical))
    if not hmac.compare_digest(expected, fields["Signature"].lower()):
        raise TencentFailure("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
    return secret_id


class RateWindow:
    """At most ``limit`` accepted requests of one action within any 1-second window (0: no limit)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._accepted = collections.defaultdict(collections.deque)

    def allow(self, action, now, limit):
        if not limit:
            return True
        with self._lock:
            times = self._accepted[action]
            while times and times[0] <= now - 1.0:
                times.popleft()
            if len(times) >= limit:
                return False
            times.append(now)
            return True

    def clear(self):
        with self._lock:
            self._accepted.clear()
