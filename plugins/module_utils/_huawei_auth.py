# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud request signing: SDK-HMAC-SHA256 and the derived V11-HMAC-SHA256.

Both follow ``huaweicloudsdkcore.signer`` (Signer, DerivationAKSKSigner): every header sent is
signed (names containing ``_`` excepted), the canonical URI ends in ``/``, the query is sorted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import hmac

from urllib.parse import quote, unquote, urlsplit

SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
ALGORITHM = "SDK-HMAC-SHA256"
DERIVED_ALGORITHM = "V11-HMAC-SHA256"
EMPTY_HASH = hashlib.sha256(b"").hexdigest()
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"


def _to_bytes(value):
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8")


def _quote(value):
    return quote(value, safe="~")


def canonical_uri(path):
    """Unquote the path, quote each segment with ``safe='~'``, and end it with ``/``."""
    uri = "/".join(_quote(part) for part in unquote(path or "/").split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(query):
    """``query``: a list of (key, value) pairs, or a dict; list values repeat the key (sorted)."""
    pairs = list(query.items()) if isinstance(query, dict) else list(query or [])
    out = []
    # (key, value) pairs sorted as the SDK sorts them: a repeated key's values in order too.
    for key, value in sorted(pairs, key=lambda kv: (str(kv[0]), str(kv[1]))):
        k = _quote(str(key))
        if isinstance(value, (list, tuple)):
            for item in sorted(str(v) for v in value):
                out.append("%s=%s" % (k, _quote(item)))
        elif isinstance(value, bool):
            out.append("%s=%s" % (k, _quote(str(value).lower())))
        else:
            out.append("%s=%s" % (k, _quote(str(value))))
    return "&".join(out)


def signed_header_names(headers):
    return sorted(name.lower() for name in headers if "_" not in name)


def payload_hash(headers, body):
    """As the SDK: an empty body hashes as "" even when the payload is marked unsigned."""
    if not body:
        return EMPTY_HASH
    for name, value in headers.items():
        if name.lower() == "x-sdk-content-sha256" and value:
            return value
    return hashlib.sha256(_to_bytes(body)).hexdigest()


def canonical_request(method, path, query, headers, body):
    """Return (canonical request, signed header names) for the request as it will be sent."""
    names = signed_header_names(headers)
    lowered = dict((k.lower(), str(v).strip()) for k, v in headers.items())
    canon_headers = "".join("%s:%s\n" % (name, lowered[name]) for name in names)
    text = "\n".join([method.upper(), canonical_uri(path), canonical_query(query), canon_headers,
                      ";".join(names), payload_hash(headers, body)])
    return text, names


def _hmac_hex(key, msg):
    return hmac.new(_to_bytes(key), _to_bytes(msg), hashlib.sha256).hexdigest()


def derive_key(access_key, secret_key, info):
    """HKDF-SHA256 (one block) as ``huaweicloudsdkcore.signer.hkdf``: the key is OKM's hex string."""
    prk = hmac.new(_to_bytes(access_key), _to_bytes(secret_key), hashlib.sha256).digest()
    return hmac.new(prk, _to_bytes(info) + b"\x01", hashlib.sha256).hexdigest()


def format_sdk_date(when):
    return when.strftime(SDK_DATE_FORMAT)


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc) if hasattr(datetime, "timezone") else datetime.datetime.utcnow()


def prepare_signing_headers(url, headers, body, when):
    """Add ``X-Sdk-Date``, ``Host`` and (for non-JSON bodies) ``X-Sdk-Content-Sha256`` as the SDK does.

    Returns (new headers dict, path, query pairs).
    """
    parts = urlsplit(url)
    out = dict(headers)
    lowered = set(k.lower() for k in out)
    content_type = next((v for k, v in out.items() if k.lower() == "content-type"), None)
    if content_type and not (content_type.startswith("application/json") or content_type.startswith("application/bson")):
        out["X-Sdk-Content-Sha256"] = UNSIGNED_PAYLOAD
    if "x-sdk-date" not in lowered:
        out["X-Sdk-Date"] = format_sdk_date(when)
    if "host" not in lowered:
        out["Host"] = parts.netloc
    query = []
    if parts.query:
        for item in parts.query.split("&"):
            key, _sep, value = item.partition("=")
            query.append((unquote(key), unquote(value)))
    return out, parts.path or "/", query


def _sdk_date_of(headers):
    return next(v for k, v in headers.items() if k.lower() == "x-sdk-date")


def sign_aksk(method, url, headers, body, access_key, secret_key, when=None):
    """Headers with ``Authorization: SDK-HMAC-SHA256 ...`` for the request."""
    headers, path, query = prepare_signing_headers(url, headers, body, when or utcnow())
    canon, names = canonical_request(method, path, query, headers, body)
    string_to_sign = "%s\n%s\n%s" % (ALGORITHM, _sdk_date_of(headers), hashlib.sha256(_to_bytes(canon)).hexdigest())
    signature = _hmac_hex(secret_key, string_to_sign)
    headers["Authorization"] = "%s Access=%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, access_key, ";".join(names), signature)
    return headers


def sign_derived(method, url, headers, body, access_key, secret_key, service, region, when=None):
    """Headers with ``Authorization: V11-HMAC-SHA256 Credential=AK/date/region/service ...``."""
    headers, path, query = prepare_signing_headers(url, headers, body, when or utcnow())
    canon, names = canonical_request(method, path, query, headers, body)
    sdk_date = _sdk_date_of(headers)
    info = "%s/%s/%s" % (sdk_date[:8], region, service)
    string_to_sign = "%s\n%s\n%s\n%s" % (DERIVED_ALGORITHM, sdk_date, info, hashlib.sha256(_to_bytes(canon)).hexdigest())
    signature = _hmac_hex(derive_key(access_key, secret_key, info), string_to_sign)
    headers["Authorization"] = "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        DERIVED_ALGORITHM, access_key, info, ";".join(names), signature)
    return headers


class TokenAuth:
    """An IAM token sent as ``X-Auth-Token`` (given, or obtained by password login)."""

    kind = "token"

    def __init__(self, token):
        self.token = token

    def apply(self, method, url, headers, body, derived=None):
        out = dict(headers)
        out["X-Auth-Token"] = self.token
        return out


class AkSkAuth:
    """AK/SK signing, with ``X-Security-Token`` for temporary credentials."""

    kind = "aksk"

    def __init__(self, access_key, secret_key, security_token=None, clock=utcnow):
        self.access_key = access_key
        self.secret_key = secret_key
        self.security_token = security_token
        self.clock = clock

    def apply(self, method, url, headers, body, derived=None):
        """``derived``: None for SDK-HMAC-SHA256, or ``(service, region)`` for V11-HMAC-SHA256."""
        out = dict(headers)
        if self.security_token:
            out["X-Security-Token"] = self.security_token
        if derived:
            service, region = derived
            return sign_derived(method, url, out, body, self.access_key, self.secret_key, service, region, self.clock())
        return sign_aksk(method, url, out, body, self.access_key, self.secret_key, self.clock())
