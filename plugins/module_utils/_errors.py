# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One exception type for every service error, and the secret scrubber."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

# What a job's status is when the outcome of a write could not be known.
STATUS_UNKNOWN = "unknown"
MASK = "********"


class ApiError(Exception):
    """A request that did not succeed.

    ``outcome_unknown`` is True when the request may have been acted on
    (read timeout, connection reset after sending, 5xx on a write): such a
    request is never re-sent.
    """

    CONNECTION_CODES = ("ConnectionError", "ConnectTimeout", "ReadTimeout")

    def __init__(self, message, code=None, http_status=None, request_id=None, outcome_unknown=False, step=None):
        super(ApiError, self).__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status
        self.request_id = request_id
        self.outcome_unknown = outcome_unknown
        self.step = step   # a step before any job's own request (IAM login, project lookup): the message names it

    def to_dict(self):
        """The error keys a job entry or a failed module result carries."""
        out = {"error_msg": self.message}
        if self.code is not None:
            out["error_code"] = self.code
        if self.request_id:
            out["request_id"] = self.request_id
        if self.http_status is not None:
            out["http_status"] = self.http_status
        return out

    def __str__(self):
        parts = [self.message]
        if self.code:
            parts.insert(0, "[%s]" % self.code)
        if self.http_status is not None:
            parts.append("(HTTP %s)" % self.http_status)
        if self.request_id:
            parts.append("(request id %s)" % self.request_id)
        return " ".join(parts)


def code_in(code, codes):
    """True when ``code`` is one of ``codes`` or a sub-code of one (``codes`` entry + ``"."`` + anything)."""
    return bool(code) and any(code == c or code.startswith(c + ".") for c in codes)


def _first(mapping, *keys):
    for key in keys:
        value = mapping.get(key)
        if value not in (None, ""):
            return value
    return None


def parse_json(body):
    """Decode a body to a JSON value, or None when it is not JSON: not UTF-8 (RFC 8259), not JSON text, nested too
    deep to decode, or numbers too long to convert. (``null`` decodes to None too: no answer documents it.)"""
    if not body:
        return None
    try:
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        return json.loads(body)
    except (ValueError, RecursionError):   # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None


MALFORMED = "MalformedResponse"


def _kind(value):
    if value is None:
        return "null"
    for types, name in ((bool, "true/false"), (dict, "an object"), (list, "a list"), (str, "a string"),
                        ((int, float), "a number")):
        if isinstance(value, types):
            return name
    return type(value).__name__


class Shape:
    """Reads one 2xx answer of ``api`` against its model (the fields the collection relies on, as the SDK models type
    them); anything else raises an :class:`ApiError` ``MalformedResponse`` naming the API and the field. For a write
    (``write``) the outcome is then unknown: the request may have been acted on, and it is not re-sent."""

    def __init__(self, api, request_id=None, write=False):
        self.api = api
        self.request_id = request_id
        self.write = write

    def error(self, where, got, expected):
        msg = "the %s answer is malformed: %s is %s, where %s is documented" % (self.api, where, got, expected)
        if self.write:
            msg += "; the request may have been acted on, so it was not re-sent (re-run the task: the precheck will tell)"
        return ApiError(msg, code=MALFORMED, request_id=self.request_id, outcome_unknown=self.write)

    def obj(self, value, where="the body", expected="an object"):
        if not isinstance(value, dict):
            raise self.error(where, _kind(value) if value is not None or where != "the body" else "empty or null", expected)
        return value

    def get(self, data, key, types, where=None, optional=False):
        """``data[key]`` of one of ``types`` (str: a non-empty string; int: not a bool); None when ``optional`` and absent."""
        value = data.get(key)
        if value is None and optional:
            return None
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if ok and isinstance(value, str) and not value:
            ok = False
        if not ok:
            names = {str: "a string", int: "an integer", list: "a list", dict: "an object"}
            got = "missing" if key not in data else "empty" if value == "" else _kind(value)
            raise self.error(where or key, got, " or ".join(names.get(t, t.__name__) for t in types))
        return value

    def items(self, data, key, what, where=None, optional=False):
        """``data[key]``: a list whose every entry is an object (``what`` names the entries)."""
        where = where or key
        values = self.get(data, key, (list,), where, optional)
        for index, item in enumerate(values or []):
            self.obj(item, "%s[%d]" % (where, index), what)
        return values


def error_fields(data):
    """(code, message, request_id) from any error shape the services use, else (None, None, None).

    Huawei: ``{"error_code", "error_msg"}`` (also ``errorCode``/``errorMsg``, ``code``/``message``),
    IAM: ``{"error": {"code", "message"}}``, Tencent: ``{"Response": {"Error": {...}, "RequestId"}}``.
    """
    if not isinstance(data, dict):
        return None, None, None
    response = data.get("Response")
    if isinstance(response, dict):
        err = response.get("Error")
        if isinstance(err, dict):
            return err.get("Code"), err.get("Message"), response.get("RequestId")
        return None, None, None
    nested = data.get("error")
    if isinstance(nested, dict):
        code = _first(nested, "code", "error_code")
        return (str(code) if code is not None else None), _first(nested, "message", "title"), None
    code = _first(data, "error_code", "errorCode", "code")
    msg = _first(data, "error_msg", "errorMsg", "error_message", "message")
    if code is None and msg is None:
        return None, None, None
    return (str(code) if code is not None else None), msg, data.get("request_id")


def error_from_response(status, body, request_id=None, outcome_unknown=False):
    """Build an ApiError from an HTTP answer that is not a success."""
    data = parse_json(body)
    code, msg, body_request_id = error_fields(data)
    if msg is None:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
        text = " ".join(text.split())
        if data is None and text:
            msg = "the service answered HTTP %s with a body that is not JSON: %s" % (status, text[:200])
        else:
            msg = "the service answered HTTP %s" % status
    if outcome_unknown:
        msg = "%s; the request may have been acted on, so it was not re-sent" % msg
    return ApiError(msg, code=code, http_status=status, request_id=request_id or body_request_id,
                    outcome_unknown=outcome_unknown)


class Step:
    """A step before any job's request (an IAM login, a project lookup, a credential fetch, an STS call), as a context
    around it: an :class:`ApiError` raised inside names the step, the host it went to (``host``) and the fix.

    ``where``: what to check when the host cannot be reached; ``on_404``: what to check when it answers 404 (None: the
    ``hint``); ``hint``: what to check otherwise. An untrusted certificate or a refusing proxy keeps the transport's
    own hint (``ca_bundle``, the proxy credentials)."""

    def __init__(self, step, host, hint, where, on_404=None):
        self.step, self.host, self.hint, self.where, self.on_404 = step, host, hint, where, on_404

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, _tb):
        if not isinstance(exc, ApiError) or exc.step:
            return False
        if exc.code in ApiError.CONNECTION_CODES:
            hint = self.where
        elif exc.code in ("SSLError", "ProxyError"):
            hint = None
        elif exc.http_status == 404 and self.on_404:
            hint = self.on_404
        else:
            hint = self.hint
        at = "" if exc.http_status is None and exc.code != MALFORMED else " at %s" % self.host
        exc.message = "%s%s failed: %s%s" % (self.step, at, exc.message, "; " + hint if hint else "")
        exc.step = self.step
        return False


class Scrubber:
    """Replaces every known secret in a text with a mask."""

    def __init__(self, secrets=()):
        self._secrets = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret):
        if secret and len(str(secret)) >= 4:
            self._secrets.add(str(secret))

    def __call__(self, text):
        if text is None:
            return text
        text = str(text)
        # Longest first, so a secret containing another is masked whole.
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def obj(self, value):
        """Scrub every string inside a JSON-like value."""
        if isinstance(value, dict):
            return dict((k, self.obj(v)) for k, v in value.items())
        if isinstance(value, list):
            return [self.obj(v) for v in value]
        if isinstance(value, str):
            return self(value)
        return value
