# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud API 3.0 client: TC3-signed JSON POSTs, each API (``Action``) paced by its own client-side rate limiter."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading
import time

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit  # type: ignore

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError, tencent_spec
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import MALFORMED, ApiError, Shape, error_fields
from ansible_collections.cloudops.jobs.plugins.module_utils._retry import MAYBE_ACTED, THROTTLED, RateLimiter
from ansible_collections.cloudops.jobs.plugins.module_utils._tencent_auth import sign_headers
from ansible_collections.cloudops.jobs.plugins.module_utils._transport import default_classify

THROTTLING_CODES = ("RequestLimitExceeded",)
# The code of a request that may have been acted on (the transport reports a write with it unknown, never re-sent).
UNKNOWN_OUTCOME_CODES = ("InternalError",)
# What to check when the service refuses the credentials.
AUTH_HINTS = {
    "AuthFailure.SignatureFailure": "check secret_key (TENCENTCLOUD_SECRET_KEY): the signature does not match",
    "AuthFailure.SecretIdNotFound": "check secret_id (TENCENTCLOUD_SECRET_ID): Tencent Cloud does not know it",
    "AuthFailure.SignatureExpire": "synchronise the controller's clock (NTP): it is more than 5 minutes off",
    "AuthFailure.TokenFailure": "security_token was refused: temporary credentials expire; get new ones",
    "AuthFailure.InvalidSecretId": "check secret_id (TENCENTCLOUD_SECRET_ID): it is not a SecretId",
}


def is_throttling(code):
    return bool(code) and any(code == c or code.startswith(c + ".") for c in THROTTLING_CODES)


def tencent_classify(response):
    """Tencent answers errors with HTTP 200: throttling codes are re-sent, InternalError may have acted."""
    verdict = default_classify(response)
    if verdict != "ok" or response.status != 200:
        return verdict
    code, _msg, _rid = error_fields(response.json())
    if is_throttling(code):
        return THROTTLED
    if code in UNKNOWN_OUTCOME_CODES:
        return MAYBE_ACTED
    return verdict


def validate_params(params):
    if not params.get("secret_id") or not params.get("secret_key"):
        missing = [n for n in ("secret_id", "secret_key") if not params.get(n)]
        raise InputError("%s missing: set secret_id and secret_key (or TENCENTCLOUD_SECRET_ID and "
                         "TENCENTCLOUD_SECRET_KEY)" % " and ".join(missing))
    rate = params.get("rate_limit")
    if rate is not None and rate <= 0:
        raise InputError("rate_limit must be greater than 0 requests per second, got %s" % rate)


class ActionBudget:
    """``rate`` requests per second for each API of a run, as Tencent counts them ("a maximum of N requests can be
    initiated per second for this API"): one :class:`RateLimiter` per ``Action``, made at its first request.

    Requests of different APIs do not wait for each other; a throttled request, re-sent after its backoff, waits for
    its own API's next start only.
    """

    def __init__(self, rate):
        self.rate = rate
        self.interval = 1.0 / rate + RateLimiter.MARGIN   # the spacing of one API's request starts
        self._limiters = {}
        self._lock = threading.Lock()

    def limiter(self, action):
        with self._lock:
            limiter = self._limiters.get(action)
            if limiter is None:
                limiter = self._limiters[action] = RateLimiter(self.rate)
            return limiter

    def actions(self):
        with self._lock:
            return sorted(self._limiters)


class TencentClient:
    """Calls one Tencent Cloud service (``batch``) for one module run. Thread-safe: a run may list one API while it
    writes with another, each within its own ``rate_limit`` (:class:`ActionBudget`)."""

    def __init__(self, params, transport, service="batch", version="2017-03-12", clock=time.time):
        validate_params(params)
        self.params = params
        self.transport = transport
        self.service = service
        self.version = version
        self.clock = clock
        self.url = params["endpoint"].rstrip("/") + "/"
        self.host = urlsplit(self.url).netloc
        self.limiter = ActionBudget(params["rate_limit"])

    def call(self, action, payload, idempotent=False):
        """Send ``action`` with ``payload``; return (Response dict, request id). Raise ApiError on an error answer."""
        body = json.dumps(payload).encode("utf-8")
        p = self.params

        def prepare():
            headers = self.transport.base_headers()
            headers.update(sign_headers(p["secret_id"], p["secret_key"], self.host, action, self.version, body,
                                        int(self.clock()), service=self.service, region=p.get("region"),
                                        token=p.get("security_token")))
            return "POST", self.url, headers, body

        try:
            response = self.transport.send(prepare, idempotent=idempotent, classify=tencent_classify,
                                           before_send=self.limiter.limiter(action).acquire)
        except ApiError as exc:
            raise self._named(exc, action)
        # The transport raised for every answer that is not a success, deciding whether a write may have acted (its
        # InternalError included, through tencent_classify); here the 2xx body is read against the API 3.0 envelope.
        shape = Shape("Tencent Cloud %s %s" % (self.service, action), write=not idempotent)
        data = shape.get(shape.obj(response.json()), "Response", (dict,))
        shape.request_id = shape.get(data, "RequestId", (str,), "Response.RequestId")
        error = shape.get(data, "Error", (dict,), "Response.Error", optional=True)
        if error is not None:   # refused: not acted on (its codes that may have acted were raised above)
            code = shape.get(error, "Code", (str,), "Response.Error.Code")
            raise self._named(ApiError(error.get("Message") or code, code=code, http_status=response.status,
                                       request_id=shape.request_id), action)
        return data, shape.request_id

    def _named(self, exc, action):
        """``exc`` with what to check added, for an unreachable endpoint or refused credentials."""
        if exc.code == MALFORMED and not exc.message.startswith("the Tencent"):
            exc.message = "Tencent Cloud %s %s: %s" % (self.service, action, exc.message)
        hint = AUTH_HINTS.get(exc.code or "")
        if exc.code in ApiError.CONNECTION_CODES and not exc.outcome_unknown:
            hint = "check endpoint (%s) and the network path to it" % self.params["endpoint"]
        if hint and hint not in exc.message:
            exc.message += "; " + hint
        return exc


def _check(cm):
    validate_params(cm.params)


def _build(cm, pool_size):
    return TencentClient(cm.params, cm.transport(pool_size))


# Tencent Cloud's entry for CloudJobsModule: its shared options, its input checks (no request needed), its client.
TENCENT = (tencent_spec, _check, _build)
