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
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError, error_fields, error_from_response
from ansible_collections.cloudops.jobs.plugins.module_utils._retry import MAYBE_ACTED, THROTTLED, RateLimiter
from ansible_collections.cloudops.jobs.plugins.module_utils._tencent_auth import sign_headers
from ansible_collections.cloudops.jobs.plugins.module_utils._transport import default_classify

THROTTLING_CODES = ("RequestLimitExceeded",)
# Errors that say the request was not acted on for a reason that will not go away by re-sending.
UNKNOWN_OUTCOME_CODES = ("InternalError",)


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

        response = self.transport.send(prepare, idempotent=idempotent, classify=tencent_classify,
                                       before_send=self.limiter.limiter(action).acquire)
        data = response.json()
        if response.status >= 400 or not isinstance(data, dict):
            unknown = not idempotent and (response.status >= 500 or response.status == 200)
            raise error_from_response(response.status, response.body, outcome_unknown=unknown)
        code, msg, request_id = error_fields(data)
        body_response = data.get("Response") or {}
        if code:
            unknown = (code in UNKNOWN_OUTCOME_CODES) and not idempotent
            if unknown:
                msg = "%s; the request may have been acted on, so it was not re-sent" % msg
            raise ApiError(msg or code, code=code, http_status=response.status, request_id=request_id,
                           outcome_unknown=unknown)
        return body_response, body_response.get("RequestId")


def _check(cm):
    validate_params(cm.params)


def _build(cm, pool_size):
    return TencentClient(cm.params, cm.transport(pool_size))


# Tencent Cloud's entry for CloudJobsModule: its shared options, its input checks (no request needed), its client.
TENCENT = (tencent_spec, _check, _build)
