# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP over one pooled ``requests.Session`` per module run, with the retry policy applied.

The transport knows nothing of clouds: a provider client hands it a ``prepare`` callable that
builds (and signs) the request afresh for every attempt, and a ``classify`` callable that says
whether an answer is final, throttled, unavailable, or of unknown effect.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ssl
import traceback

try:
    import requests
    from requests.adapters import HTTPAdapter
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised by sanity's import test
    requests = None
    HTTPAdapter = object
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError, error_from_response, parse_json
from ansible_collections.cloudops.jobs.plugins.module_utils._retry import (
    MAYBE_ACTED, OK, THROTTLED, UNAVAILABLE, RetryPolicy, parse_retry_after,
)

COLLECTION_VERSION = "0.1.0"


class HttpResponse:
    """What came back: status, headers (case-insensitive), body bytes."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body or b""
        self._json = None
        self._parsed = False

    def json(self):
        if not self._parsed:
            self._json = parse_json(self.body)
            self._parsed = True
        return self._json

    def header(self, name):
        return self.headers.get(name)


def default_classify(response):
    """HTTP-level verdict shared by both clouds."""
    status = response.status
    if status == 429:
        return THROTTLED
    if status == 503:
        return UNAVAILABLE
    if status >= 500:
        return MAYBE_ACTED
    return OK


def unreadable(response):
    """True for a 2xx answer whose body is not JSON: accepted, but what it says cannot be read.

    For a write that is an outcome the service may have acted on; a read is simply asked again.
    """
    return 200 <= response.status < 300 and bool(response.body.strip()) and response.json() is None


def _never_reached(exc):
    """True when the exception proves the request never reached the service."""
    if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError,
                        requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader,
                        requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema)):
        return True
    if isinstance(exc, requests.exceptions.ProxyError):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        # requests wraps urllib3's MaxRetryError; its reason tells where it failed.
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        name = type(reason).__name__ if reason is not None else ""
        return name in ("NewConnectionError", "NameResolutionError", "ConnectTimeoutError", "SSLError", "ProxyError")
    return False


def _cert_verify_error(exc):
    """The ssl.SSLCertVerificationError inside a requests SSLError (requests -> urllib3 -> ssl), if any."""
    seen = 0
    todo = [exc]
    while todo and seen < 20:
        current = todo.pop()
        seen += 1
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        todo.extend(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))
        for linked in (getattr(current, "reason", None), current.__cause__, current.__context__):
            if isinstance(linked, BaseException):
                todo.append(linked)
    return None


def describe_exception(exc):
    """A short, secret-free description of a requests exception (no URL query, no headers)."""
    if isinstance(exc, requests.exceptions.SSLError):
        verify = _cert_verify_error(exc)
        if verify is not None:
            return ("TLS verification failed: certificate verify failed: %s (set ca_bundle to the CA that signed the "
                    "endpoint's certificate)" % (getattr(verify, "verify_message", None) or "the certificate is not trusted"))
        return "TLS verification or handshake failed (set ca_bundle for a private CA): %s" % type(exc).__name__
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connecting timed out"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return "no answer within the timeout"
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        if reason is not None:
            return "could not connect (%s)" % type(reason).__name__
        return "the connection failed (%s)" % (exc.args[0].__class__.__name__ if exc.args else "ConnectionError")
    return "the request failed (%s)" % type(exc).__name__


class Transport:
    """Sends requests with retries. One per module run; safe to share across threads."""

    def __init__(self, timeout=30, validate_certs=True, ca_bundle=None, max_retries=4,
                 user_agent=None, pool_size=10, policy=None, session=None):
        if not HAS_REQUESTS:
            raise RuntimeError("requests is required")
        self.timeout = timeout
        self.verify = (ca_bundle or True) if validate_certs else False
        self.policy = policy or RetryPolicy(max_retries=max_retries)
        self.user_agent = user_agent or "cloudops.jobs/%s python-requests/%s" % (COLLECTION_VERSION, requests.__version__)
        self.session = session or requests.Session()
        # Every header we send is one we chose (and so one we sign): no session defaults.
        self.session.headers.clear()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(pool_size, 10), max_retries=0)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        # Proxies (HTTP(S)_PROXY, NO_PROXY) come from the environment, as requests reads them.
        self.sent = 0

    def base_headers(self):
        return {"User-Agent": self.user_agent, "Accept": "application/json"}

    def send(self, prepare, idempotent=False, classify=default_classify, before_send=None):
        """Send the request ``prepare()`` builds, re-sending as the policy allows.

        ``prepare()`` returns ``(method, url, headers, body_bytes)`` and is called for every
        attempt (so signatures and dates are fresh). ``before_send()`` runs before every attempt
        (a rate limiter). Returns the final :class:`HttpResponse`; raises :class:`ApiError` when no
        answer came back or when the answer's effect is unknown.
        """
        attempt = 0
        while True:
            method, url, headers, body = prepare()
            if before_send is not None:
                before_send()
            self.sent += 1
            try:
                raw = self.session.request(method, url, headers=headers, data=body, timeout=self.timeout,
                                           verify=self.verify, allow_redirects=False)
            except requests.exceptions.RequestException as exc:
                never = _never_reached(exc)
                verdict = UNAVAILABLE if never else MAYBE_ACTED
                # An untrusted certificate fails the same way every time: reported at once, not re-sent.
                final = _cert_verify_error(exc) is not None
                if not final and self.policy.should_retry(verdict, attempt, idempotent):
                    self.policy.wait(attempt)
                    attempt += 1
                    continue
                unknown = not never and not idempotent
                msg = describe_exception(exc)
                if unknown:
                    msg += "; the request may have been acted on, so it was not re-sent"
                raise ApiError(msg, code=type(exc).__name__, outcome_unknown=unknown)
            response = HttpResponse(raw.status_code, raw.headers, raw.content)
            verdict = classify(response)
            if verdict == OK and unreadable(response):
                verdict = MAYBE_ACTED
            if verdict != OK and self.policy.should_retry(verdict, attempt, idempotent):
                self.policy.wait(attempt, parse_retry_after(response.header("Retry-After")))
                attempt += 1
                continue
            if verdict == MAYBE_ACTED and not idempotent:
                if unreadable(response):
                    raise ApiError("the service answered HTTP %s with a body that is not JSON; the request may have been acted on, "
                                   "so it was not re-sent" % response.status, code="MalformedResponse", http_status=response.status,
                                   request_id=response.header("X-Request-Id"), outcome_unknown=True)
                raise error_from_response(response.status, response.body, request_id=response.header("X-Request-Id"),
                                          outcome_unknown=True)
            return response

    def close(self):
        self.session.close()
