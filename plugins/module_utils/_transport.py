# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP on the standard library (``http.client`` and ``ssl``), with the retry policy applied.

One :class:`HttpSession` per module run keeps a small pool of keep-alive connections per host, safe
to share across the threads that fan requests out. Proxies come from the environment as curl and
requests read them (``https_proxy``, ``http_proxy``, ``all_proxy``, ``no_proxy``, either case).
Every failure to get an answer becomes one :class:`SendError`, which says whether the
request can have reached the service.

The transport knows nothing of clouds: a provider client hands it a ``prepare`` callable that
builds (and signs) the request afresh for every attempt, and a ``classify`` callable that says
whether an answer is final, throttled, unavailable, or of unknown effect.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import os
import re
import select
import socket
import ssl
import sys
import threading
from http.client import HTTPConnection, HTTPException, HTTPSConnection, InvalidURL
from urllib.parse import unquote, urlsplit

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError, error_from_response, parse_json
from ansible_collections.cloudops.jobs.plugins.module_utils._retry import (
    MAYBE_ACTED, OK, THROTTLED, UNAVAILABLE, RetryPolicy, parse_retry_after,
)

COLLECTION_VERSION = "0.1.0"
DEFAULT_PORTS = {"http": 80, "https": 443}


# --- what can go wrong before an answer ----------------------------------------------------------

class SendError(Exception):
    """No answer came back. ``code``: the error code the results carry (the names requests used, so they stay
    stable): ``ConnectionError``, ``ConnectTimeout``, ``ReadTimeout``, ``SSLError``, ``ProxyError``, ``InvalidURL``.
    ``never_reached``: the request certainly did not reach the service. ``reason``: the socket/ssl/http.client
    exception behind it. The message names no host, URL or header.
    """

    def __init__(self, code, message, never_reached=False, reason=None, final=False):
        super(SendError, self).__init__(message)
        self.code = code
        self.message = message
        self.never_reached = never_reached
        self.reason = reason
        self.final = final   # fails the same way every time (the proxy refused our credentials): not re-sent


def _why(exc):
    """Why a socket operation failed, in a few words (``connection refused``, ``name not resolved``...)."""
    if isinstance(exc, socket.gaierror):
        return "name not resolved"
    text = getattr(exc, "strerror", None)
    return text.lower() if text else type(exc).__name__


def _environment_proxies():
    """``{scheme: proxy URL, "no": ...}`` as the environment names them; ``{}`` when it names none."""
    if not any(name.lower().endswith("_proxy") for name in os.environ):
        return {}
    from urllib.request import getproxies_environment  # only when a proxy may be set
    return getproxies_environment()


def _proxy_for(proxies, scheme, host):
    """``(host, port, Proxy-Authorization or None)`` of the proxy ``proxies`` name for this URL, or None."""
    if not proxies:
        return None
    from urllib.request import proxy_bypass_environment
    url = proxies.get(scheme) or proxies.get("all")
    if not url or proxy_bypass_environment(host, proxies):
        return None
    parts = urlsplit(url if "://" in url else "http://" + url)
    if parts.scheme != "http":
        raise SendError("ProxyError", "the %s proxy must be an http:// URL, not %s://" % (scheme, parts.scheme), True)
    auth = None
    if parts.username:
        pair = "%s:%s" % (unquote(parts.username), unquote(parts.password or ""))
        auth = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
    return parts.hostname, parts.port or 80, auth


_PROXY_REFUSED = re.compile(r"Tunnel connection failed: (40[37])\b")


def _proxy_hint(status):
    if str(status) == "407":
        return (": it needs credentials, or refused the ones given; set them in the proxy URL "
                "(https_proxy=http://USER:PASSWORD@HOST:PORT, the password percent-encoded)")
    return ": it does not allow this destination; ask its administrator, or add the host to no_proxy"


# --- the connection pool -------------------------------------------------------------------------

class RawResponse:
    """What :meth:`HttpSession.request` returns (the shape the test fakes return too)."""

    def __init__(self, status_code, headers, content):
        self.status_code = status_code
        self.headers = headers
        self.content = content


def tls_context(validate_certs=True, ca_bundle=None):
    """The system's CAs (or ``ca_bundle``) with the host name checked; or, with ``validate_certs`` false, no checks.

    Raises OSError (ssl.SSLError) when ``ca_bundle`` holds no certificate it can load.
    """
    if validate_certs:
        if ca_bundle and os.path.isdir(ca_bundle):
            return ssl.create_default_context(capath=ca_bundle)
        return ssl.create_default_context(cafile=ca_bundle or None)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class HttpSession:
    """Keep-alive connections pooled per (scheme, host, port, proxy), each used by one request at a time.

    Redirects are not followed (no API here redirects, and a signed request must not go elsewhere). The proxy
    environment is read once, when the session is made, and each host's proxy decided once.
    """

    def __init__(self, context=None, pool_size=10):
        self._context = context
        self.pool_size = pool_size
        self._idle = {}
        self._lock = threading.Lock()
        self._proxies = _environment_proxies()
        self._routes = {}   # (scheme, host) -> the proxy for it, or None

    @property
    def context(self):
        """The TLS settings; the default ones (the system's CAs, ~20 ms to load) are made at the first https connection."""
        with self._lock:
            if self._context is None:
                self._context = tls_context()
            return self._context

    def request(self, method, url, headers=None, data=None, timeout=30):
        try:
            parts = urlsplit(url)
            scheme, host, port = parts.scheme, parts.hostname, parts.port or DEFAULT_PORTS.get(parts.scheme)
        except ValueError as exc:
            raise SendError("InvalidURL", "the URL is not valid (%s)" % exc, True)
        if scheme not in DEFAULT_PORTS or not host:
            raise SendError("InvalidURL", "the URL must be http:// or https:// with a host", True)
        route = (scheme, host)
        if route not in self._routes:
            self._routes[route] = _proxy_for(self._proxies, scheme, host)
        proxy = self._routes[route]
        headers = dict(headers or {})
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        if proxy and scheme == "http":
            target = "http://" + parts.netloc + target   # a plain-HTTP proxy takes the whole URL
            if proxy[2]:
                headers["Proxy-Authorization"] = proxy[2]
        key = (scheme, host, port, proxy)
        conn = self._idle_connection(key) or self._connect(scheme, host, port, proxy, timeout)
        sent = False
        try:
            conn.request(method, target, body=data, headers=headers)
            sent = True
            answer = conn.getresponse()
            body = answer.read()
        except socket.timeout as exc:
            conn.close()
            raise SendError("ReadTimeout", "no answer within the timeout", reason=exc)
        except (OSError, HTTPException, ValueError) as exc:
            conn.close()
            if not sent and isinstance(exc, (ValueError, InvalidURL)):   # a URL or header with control characters
                raise SendError("InvalidURL", "the request cannot be sent (%s)" % type(exc).__name__, True, exc)
            raise SendError("ConnectionError", "the connection failed (%s)" % _why(exc), reason=exc)
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if conn.sock is not None and len(idle) < self.pool_size:   # no sock: the server closed it
                idle.append(conn)
                conn = None
        if conn is not None:
            conn.close()
        return RawResponse(answer.status, answer.headers, body)

    def _connect(self, scheme, host, port, proxy, timeout):
        kind = HTTPSConnection if scheme == "https" else HTTPConnection
        tls = {"context": self.context} if scheme == "https" else {}
        conn = kind(proxy[0], proxy[1], timeout=timeout, **tls) if proxy else kind(host, port, timeout=timeout, **tls)
        if proxy and scheme == "https":
            conn.set_tunnel(host, port, headers={"Proxy-Authorization": proxy[2]} if proxy[2] else None)
        try:
            conn.connect()
            # Headers and body leave in separate writes: without this, Nagle's algorithm holds the body back
            # until the server's delayed ACK (40 ms on Linux), on every request.
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except ssl.SSLError as exc:
            conn.close()
            raise SendError("SSLError", "the TLS handshake failed (%s)" % type(exc).__name__, True, exc)
        except socket.timeout as exc:
            conn.close()
            raise SendError("ConnectTimeout", "connecting timed out", True, exc)
        except (OSError, HTTPException) as exc:
            conn.close()
            if proxy:
                refused = _PROXY_REFUSED.search(str(exc))
                if refused:   # the proxy's own answer to CONNECT: the same every time
                    raise SendError("ProxyError", "the proxy refused the tunnel (HTTP %s)%s" % (refused.group(1), _proxy_hint(
                        refused.group(1))), True, exc, final=True)
                raise SendError("ProxyError", "the proxy failed (%s)" % (exc if "Tunnel" in str(exc) else _why(exc)), True, exc)
            raise SendError("ConnectionError", "could not connect (%s)" % _why(exc), True, exc)
        return conn

    def _idle_connection(self, key):
        """A pooled connection the server has not closed meanwhile (it would be readable), or None."""
        while True:
            with self._lock:
                idle = self._idle.get(key)
                conn = idle.pop() if idle else None
            if conn is None:
                return None
            try:
                if not select.select([conn.sock], [], [], 0)[0]:
                    return conn
            except (OSError, ValueError, TypeError):
                pass
            conn.close()

    def close(self):
        with self._lock:
            idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn in conns:
                conn.close()


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

    def text(self):
        """The body as text (an answer documented as plain text: an instance metadata token, a role name)."""
        return self.body.decode("utf-8", "replace")

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


def host_of(url):
    """The host (and port) a request went to, for messages: never a path, query or credential."""
    try:
        parts = urlsplit(url)
        return parts.hostname + (":%d" % parts.port if parts.port else "")
    except (TypeError, ValueError):
        return "the endpoint"


def _cert_verify_error(exc):
    """The ssl.SSLCertVerificationError behind a failed send, if that is what it was."""
    reason = getattr(exc, "reason", None)
    return reason if isinstance(reason, ssl.SSLCertVerificationError) else None


def describe_exception(exc):
    """A short, secret-free description of a failed send (no URL, no headers)."""
    verify = _cert_verify_error(exc)
    if verify is not None:
        return ("TLS verification failed: certificate verify failed: %s (set ca_bundle to the CA that signed the "
                "endpoint's certificate)" % (verify.verify_message or "the certificate is not trusted"))
    if getattr(exc, "code", None) == "SSLError":
        return exc.message + "; set ca_bundle for a private CA"
    return exc.message


class Transport:
    """Sends requests with retries. One per module run; safe to share across threads."""

    def __init__(self, timeout=30, validate_certs=True, ca_bundle=None, max_retries=4,
                 user_agent=None, pool_size=10, policy=None, session=None):
        self.timeout = timeout
        self.policy = policy or RetryPolicy(max_retries=max_retries)
        self.user_agent = user_agent or "cloudops.jobs/%s Python/%d.%d" % ((COLLECTION_VERSION,) + tuple(sys.version_info[:2]))
        # Every header we send is one we chose (and so one we sign), plus what HTTP/1.1 needs (Host, Content-Length,
        # Accept-Encoding: identity): no library defaults.
        context = tls_context(validate_certs, ca_bundle) if ca_bundle or not validate_certs else None
        self.session = session or HttpSession(context, pool_size=max(pool_size, 10))

    def base_headers(self):
        return {"User-Agent": self.user_agent, "Accept": "application/json"}

    def send(self, prepare, idempotent=False, classify=default_classify, before_send=None, text=False):
        """Send the request ``prepare()`` builds, re-sending as the policy allows; return the 2xx answer.

        ``prepare()`` returns ``(method, url, headers, body_bytes)`` and is called for every attempt (so signatures and
        dates are fresh). ``before_send()`` runs before every attempt (a rate limiter). ``classify(response)`` is the
        cloud's reading of an answer (its throttling and "may have acted" codes). ``text``: the API answers plain text
        (read it with ``HttpResponse.text()``), so a 2xx body that is not JSON is what it documents.

        This is the one place that decides whether a write may have acted, from the exchange: every answer that is not
        a success raises :class:`ApiError`, with ``outcome_unknown`` set only when a write may have been acted on (no
        answer after it was sent, 500/502/504, a 2xx that is not JSON, a code the cloud's ``classify`` says may have
        acted). Throttled and unavailable answers (429, 503) and connections never made are re-sent; when the re-sends
        run out, the service did not act.
        """
        attempt = 0
        while True:
            method, url, headers, body = prepare()
            if before_send is not None:
                before_send()
            try:
                raw = self.session.request(method, url, headers=headers, data=body, timeout=self.timeout)
            except SendError as exc:
                never = exc.never_reached
                verdict = UNAVAILABLE if never else MAYBE_ACTED
                # An untrusted certificate or a proxy that refuses us fails the same way every time: reported at once.
                final = exc.final or _cert_verify_error(exc) is not None
                if not final and self.policy.should_retry(verdict, attempt, idempotent):
                    self.policy.wait(attempt)
                    attempt += 1
                    continue
                unknown = not never and not idempotent
                msg = "%s: %s" % (host_of(url), describe_exception(exc))
                if unknown:
                    msg += "; the request may have been acted on, so it was not re-sent"
                elif attempt and not final:
                    msg += " (%d attempts)" % (attempt + 1)
                raise ApiError(msg, code=exc.code, outcome_unknown=unknown)
            response = HttpResponse(raw.status_code, raw.headers, raw.content)
            verdict = classify(response)
            if verdict == OK and not text and unreadable(response):
                verdict = MAYBE_ACTED
            if verdict != OK and self.policy.should_retry(verdict, attempt, idempotent):
                self.policy.wait(attempt, parse_retry_after(response.header("Retry-After")))
                attempt += 1
                continue
            if verdict == OK and response.status < 400:
                return response
            raise self._refusal(response, verdict, idempotent, attempt, url)

    @staticmethod
    def _refusal(response, verdict, idempotent, attempt, url):
        """The :class:`ApiError` of a final answer that is not a success."""
        unknown = verdict == MAYBE_ACTED and not idempotent
        request_id = response.header("X-Request-Id")
        if unreadable(response):
            what = "null" if response.body.strip() == b"null" else "a body that is not JSON"
            return ApiError("%s answered HTTP %s with %s%s" % (
                host_of(url), response.status, what, "; the request may have been acted on, so it was not re-sent" if unknown else ""),
                code="MalformedResponse", http_status=response.status, request_id=request_id, outcome_unknown=unknown)
        error = error_from_response(response.status, response.body, request_id=request_id, outcome_unknown=unknown)
        if verdict in (THROTTLED, UNAVAILABLE):
            error.message += " (still refused after %d attempts; it was not acted on)" % (attempt + 1)
        elif response.status == 407:
            error.message += "; the proxy" + _proxy_hint(407)
        return error

    def close(self):
        self.session.close()


def from_params(params, user_agent, pool_size=10, warn=None):
    """The run's :class:`Transport` from the connection options (``timeout``, ``validate_certs``, ``ca_bundle``,
    ``max_retries``), for the modules and the event source alike; ``warn`` is told when verification is off.

    Raises InputError naming ``ca_bundle`` when it holds no certificate that can be loaded, before any request.
    """
    if not params["validate_certs"] and warn is not None:
        warn("validate_certs is false: the endpoint's TLS certificate is not verified")
    try:
        return Transport(timeout=params["timeout"], validate_certs=params["validate_certs"], ca_bundle=params.get("ca_bundle"),
                         max_retries=params["max_retries"], pool_size=pool_size, user_agent=user_agent)
    except (OSError, ValueError) as exc:   # ssl.SSLError is an OSError
        raise InputError("ca_bundle %r could not be loaded (%s): give a PEM file of CA certificates"
                         % (params.get("ca_bundle"), exc))
