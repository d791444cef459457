# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud API gateway authentication: X-Auth-Token, SDK-HMAC-SHA256 and derived V11-HMAC-SHA256.

The canonical request is rebuilt from what arrived on the wire, as huaweicloudsdkcore's ``Signer``
builds it before sending: method, the path unquoted then quoted per segment with a trailing ``/``,
the query pairs sorted, exactly the headers named in SignedHeaders (values stripped), and the SHA-256
of the raw body.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import hashlib
import hmac
import re
import time

from urllib.parse import quote, unquote

from cloudemu.messages import parse_authorization

SDK_ALGORITHM = "SDK-HMAC-SHA256"
V11_ALGORITHM = "V11-HMAC-SHA256"
SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
MAX_SKEW_S = 15 * 60
EMPTY_HASH = hashlib.sha256(b"").hexdigest()
REQUIRED_SIGNED = ("host", "x-sdk-date")
# Standard and enterprise IoTDA instances: <id>.st1.iotda-app.<region>.myhuaweicloud.com
INSTANCE_HOST_MARK = ".iotda-app."

_PORT_RE = re.compile(r":\d+$")


class AuthFailure(Exception):
    """The gateway refuses the request (HTTP 401, APIGW.0301); ``expired``: an IAM token or a temporary key expired."""

    def __init__(self, message, expired=False):
        super(AuthFailure, self).__init__(message)
        self.expired = expired


def _iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + ".%06dZ" % int((epoch % 1) * 1e6)


def _quote(value):
    return quote(value, safe="~")


def canonical_uri(path):
    uri = "/".join(_quote(part) for part in unquote(path or "/").split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(pairs):
    """``pairs``: (key, value) strings as decoded from the query; sorted as the SDK sorts its query params."""
    return "&".join("%s=%s" % (_quote(k), _quote(v)) for k, v in sorted(pairs))


def canonical_request(method, path, query_pairs, header_value, signed_names, body, content_sha=None):
    """``header_value(name)``: the received value of a header (None when absent); ``body``: raw bytes."""
    lines = []
    for name in signed_names:
        value = header_value(name)
        if value is None:
            raise AuthFailure("the signed header %s is missing" % name)
        lines.append("%s:%s\n" % (name, value.strip()))
    if not body:
        payload = EMPTY_HASH
    elif content_sha:
        payload = content_sha
    else:
        payload = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), canonical_uri(path), canonical_query(query_pairs), "".join(lines),
                      ";".join(signed_names), payload])


def string_to_sign(algorithm, sdk_date, canonical, info=None):
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    parts = [algorithm, sdk_date] + ([info] if info else []) + [digest]
    return "\n".join(parts)


def derive_key(access_key, secret_key, info):
    """HKDF-SHA256, one block, as ``huaweicloudsdkcore.signer.hkdf``: the signing key is OKM's hex string."""
    prk = hmac.new(access_key.encode("utf-8"), secret_key.encode("utf-8"), hashlib.sha256).digest()
    return hmac.new(prk, info.encode("utf-8") + b"\x01", hashlib.sha256).hexdigest()


def signature(key, text):
    return hmac.new(key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_sdk_date(value):
    """Epoch seconds of an ``X-Sdk-Date`` value, or None."""
    try:
        return calendar.timegm(time.strptime(value or "", SDK_DATE_FORMAT))
    except ValueError:
        return None


def hostname(host):
    """The Host header's name, lower case, without a port."""
    return _PORT_RE.sub("", (host or "").lower())


def is_instance_host(host, listed=()):
    name = hostname(host)
    return INSTANCE_HOST_MARK in name or name in listed


def instance_region(host):
    parts = hostname(host).split(".")
    if "iotda-app" in parts and parts.index("iotda-app") + 1 < len(parts):
        return parts[parts.index("iotda-app") + 1]
    return None


class HuaweiAuth:
    """Checks one request against the world's credentials; the wall clock comes from ``clock``."""

    def __init__(self, clock):
        self.clock = clock

    def verify(self, req, credentials, derived_service=None):
        """Return a short identity (``token``, ``aksk:AK``) or raise :class:`AuthFailure`.

        ``derived_service``: the service name of the derived signature the addressed API accepts
        (``iotdm`` for IoTDA), None when it accepts none.
        """
        token = req.header("X-Auth-Token")
        if token:
            return self._verify_token(token, credentials)
        authorization = req.header("Authorization")
        if not authorization:
            raise AuthFailure("the request has neither X-Auth-Token nor an Authorization header")
        algorithm, fields = parse_authorization(authorization)
        instance = is_instance_host(req.host, credentials.iotda_instance_hosts)
        if algorithm == SDK_ALGORITHM:
            if instance:
                raise AuthFailure("this IoTDA instance host accepts only derived AK/SK signatures (%s)" % V11_ALGORITHM)
            access_key, info = fields.get("Access"), None
        elif algorithm == V11_ALGORITHM:
            if not derived_service:
                raise AuthFailure("this API does not accept derived AK/SK signatures (%s)" % V11_ALGORITHM)
            access_key, _sep, info = (fields.get("Credential") or "").partition("/")
        else:
            raise AuthFailure("unsupported signing algorithm %r" % algorithm)
        return self._verify_signature(req, credentials, algorithm, access_key, info, fields, derived_service, instance)

    def _verify_token(self, token, credentials):
        if token in credentials.static_tokens:
            return "token"
        issued = credentials.issued_tokens.get(token)
        if issued is None:
            raise AuthFailure("decrypt token fail: the token is not valid")
        if issued["expires"] <= self.clock.wall():
            raise AuthFailure("token expires, expires_at: %s (the token has expired)" % _iso(issued["expires"]), expired=True)
        return "token"

    def _verify_signature(self, req, credentials, algorithm, access_key, info, fields, derived_service, instance):
        if not access_key or not fields.get("SignedHeaders") or not fields.get("Signature"):
            raise AuthFailure("the Authorization header is incomplete")
        secret = credentials.huawei_secret(access_key)
        if secret is None:
            raise AuthFailure("Get secretKey failed,ak:%s,err:ak not exist (the access key %s does not exist)"
                              % (access_key, access_key))
        secret_key, security_token, issued = secret
        if security_token is not None and req.header("X-Security-Token") != security_token:
            raise AuthFailure("the temporary access key %s needs its X-Security-Token (%s)"
                              % (access_key, "missing" if req.header("X-Security-Token") is None else "it does not match"))
        if issued is not None and issued.expired(self.clock.wall()):
            raise AuthFailure("security token expires, expires_at: %s (the temporary access key %s has expired)"
                              % (_iso(issued.expires), access_key), expired=True)
        sdk_date = req.header("X-Sdk-Date")
        when = parse_sdk_date(sdk_date)
        if when is None:
            raise AuthFailure("X-Sdk-Date is missing or not in the %s format" % SDK_DATE_FORMAT)
        if abs(self.clock.wall() - when) > MAX_SKEW_S:
            raise AuthFailure("X-Sdk-Date %s is more than 15 minutes off the server time" % sdk_date)
        names = fields["SignedHeaders"].split(";")
        missing = [n for n in REQUIRED_SIGNED if n not in names]
        if missing:
            raise AuthFailure("SignedHeaders must include %s" % ", ".join(missing))
        key = secret_key
        if info:
            key = self._derived_key(access_key, secret_key, info, sdk_date, derived_service, req.host if instance else None)
        canonical = canonical_request(req.method, req.path, req.query_pairs, req.header, names, req.body,
                                      req.header("X-Sdk-Content-Sha256"))
        expected = signature(key, string_to_sign(algorithm, sdk_date, canonical, info))
        if not hmac.compare_digest(expected, fields["Signature"].lower()):
            raise AuthFailure("verify aksk signature fail")
        return "aksk:%s" % access_key

    @staticmethod
    def _derived_key(access_key, secret_key, info, sdk_date, derived_service, instance_host):
        parts = info.split("/")
        if len(parts) != 3 or parts[0] != sdk_date[:8]:
            raise AuthFailure("the credential scope %r is not <yyyymmdd of X-Sdk-Date>/<region>/<service>" % info)
        if parts[2] != derived_service:
            raise AuthFailure("the credential scope names service %r, this API is %r" % (parts[2], derived_service))
        region = instance_region(instance_host) if instance_host else None
        if region and parts[1] != region:
            raise AuthFailure("the credential scope names region %r, this host is in %r" % (parts[1], region))
        return derive_key(access_key, secret_key, info)
