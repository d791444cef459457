# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud TC3-HMAC-SHA256 signing, as ``tencentcloud.common.abstract_client`` does it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import hmac

ALGORITHM = "TC3-HMAC-SHA256"


def _to_bytes(value):
    if isinstance(value, bytes):
        return value
    return (value or "").encode("utf-8")


def _hmac(key, msg):
    return hmac.new(key, _to_bytes(msg), hashlib.sha256).digest()


def utc_date(timestamp):
    return datetime.datetime.utcfromtimestamp(int(timestamp)).strftime("%Y-%m-%d") if not hasattr(datetime, "timezone") \
        else datetime.datetime.fromtimestamp(int(timestamp), datetime.timezone.utc).strftime("%Y-%m-%d")


def tc3_signature(secret_key, method, host, content_type, canonical_query, body, timestamp, service):
    """Return (signature hex, credential scope, signed headers)."""
    signed_headers = "content-type;host"
    canonical_headers = "content-type:%s\nhost:%s\n" % (content_type, host)
    canonical = "\n".join([method.upper(), "/", canonical_query, canonical_headers, signed_headers,
                           hashlib.sha256(_to_bytes(body)).hexdigest()])
    date = utc_date(timestamp)
    scope = "%s/%s/tc3_request" % (date, service)
    string_to_sign = "\n".join([ALGORITHM, str(int(timestamp)), scope, hashlib.sha256(_to_bytes(canonical)).hexdigest()])
    key = _hmac(_hmac(_hmac(_to_bytes("TC3" + secret_key), date), service), "tc3_request")
    return hmac.new(key, _to_bytes(string_to_sign), hashlib.sha256).hexdigest(), scope, signed_headers


def sign_headers(secret_id, secret_key, host, action, version, body, timestamp, service="batch",
                 region=None, token=None, language=None, content_type="application/json"):
    """Every header a TC3-signed JSON POST carries."""
    signature, scope, signed = tc3_signature(secret_key, "POST", host, content_type, "", body, timestamp, service)
    headers = {
        "Host": host,
        "Content-Type": content_type,
        "X-TC-Action": action,
        "X-TC-Version": version,
        "X-TC-Timestamp": str(int(timestamp)),
        "Authorization": "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (ALGORITHM, secret_id, scope, signed, signature),
    }
    if region:
        headers["X-TC-Region"] = region
    if token:
        headers["X-TC-Token"] = token
    if language:
        headers["X-TC-Language"] = language
    return headers
