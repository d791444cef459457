# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud API 3.0 client: TC3-signed JSON POSTs, each API (``Action``) paced by its own client-side rate limiter;
signed with the run's one way in (``_tencent_credentials``), kept current."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading
import time

from urllib.parse import urlsplit

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import TENCENT_AUTH_ENV, InputError, tencent_spec
from ansible_collections.cloudops.jobs.plugins.module_utils._credentials import CredentialOwner, Static
from ansible_collections.cloudops.jobs.plugins.module_utils import _tencent_credentials as creds
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import MALFORMED, ApiError, Shape, code_in, error_fields
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
    "AuthFailure.TokenFailure": "security_token was refused: temporary credentials given as they are expire and are not "
                                "renewed; get new ones, or use assume_role, use_metadata, a credentials file with role_arn "
                                "or TKE workload identity, which renew",
    "AuthFailure.InvalidSecretId": "check secret_id (TENCENTCLOUD_SECRET_ID): it is not a SecretId",
}
# Keys given as they are with a security token, refused as expired or unknown: they cannot be renewed.
GIVEN_EXPIRED_HINT = ("the temporary keys given as they are (secret_id %s with security_token, from %s) expired or are "
                      "no longer known: keys given as they are cannot be renewed; get new ones, or use a way in that "
                      "renews: %s")


def is_throttling(code):
    return code_in(code, THROTTLING_CODES)


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


def validate_params(params, from_env=frozenset(), environ=None):
    """Input checks that need no request; the run's way in (:class:`_tencent_credentials.Way`)."""
    rate = params.get("rate_limit")
    if rate is not None and rate <= 0:
        raise InputError("rate_limit must be greater than 0 requests per second, got %s" % rate)
    return creds.resolve(params, from_env, environ)


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


def _envelope(response, api, write):
    """(Response dict, Shape) of a 2xx API 3.0 answer; raises ApiError for its ``Response.Error`` (not acted on)."""
    shape = Shape(api, write=write)
    data = shape.get(shape.obj(response.json()), "Response", (dict,))
    shape.request_id = shape.get(data, "RequestId", (str,), "Response.RequestId")
    error = shape.get(data, "Error", (dict,), "Response.Error", optional=True)
    if error is not None:   # refused: not acted on (its codes that may have acted were raised by the transport)
        code = shape.get(error, "Code", (str,), "Response.Error.Code")
        raise ApiError(error.get("Message") or code, code=code, http_status=response.status, request_id=shape.request_id)
    return data, shape


class TencentClient(CredentialOwner):
    """Calls one Tencent Cloud service (``batch``) for one module run (or one event source). Thread-safe: a run may
    list one API while it writes with another, each within its own ``rate_limit`` (:class:`ActionBudget`).

    The credentials are a ``_credentials.Static`` (keys given as they are) or a ``Renewing`` (temporary keys from the
    CVM metadata, TKE workload identity or an assumed role): every request asks for the current keys as it is signed
    (so a long ``wait`` never sends expired ones), and an answer that says they expired or are unknown
    (:data:`_tencent_credentials.EXPIRED_CODES`) renews them and sends the request once more (it was not acted on).
    The STS and metadata calls go through the same transport but not through Batch's per-API rate budget.
    """

    def __init__(self, params, transport, service="batch", version="2017-03-12", clock=time.time, on_secret=None,
                 warn=None, from_env=frozenset(), environ=None):
        self.params = params
        self.way = validate_params(params, from_env, environ)
        self.transport = transport
        self.service = service
        self.version = version
        self.clock = clock
        self.on_secret = on_secret or (lambda value: None)
        self.warn = warn or (lambda msg: None)
        self.url = params["endpoint"].rstrip("/") + "/"
        self.host = urlsplit(self.url).netloc
        self.sts_url = creds.sts_url(params.get("sts_endpoint"))
        self.limiter = ActionBudget(params["rate_limit"])
        self._lock = threading.Lock()

    # credentials (credential() and _renewing() from CredentialOwner) -------
    def _build_credential(self):
        way = self.way
        if way.kind == "keys":
            for secret in way.keys.secrets():   # a credentials file's key is a secret the task did not give
                self.on_secret(secret)
            base = Static(way.keys)
        elif way.kind == "metadata":
            base = self._renewing(creds.MetadataKeys(self, way.metadata_endpoint), "CVM instance metadata")
        else:
            base = self._renewing(creds.WebIdentityKeys(self, way.oidc), way.origin)
        if not way.assume:
            return base
        return self._renewing(creds.AssumeRoleKeys(self, base, way.assume), "role %s" % way.assume["role_arn"])

    def plain_request(self, method, url, headers=None, text=False):
        """An unsigned request of a credential fetcher (the CVM metadata): only the headers given."""
        def prepare():
            sent = self.transport.base_headers()
            sent.update(headers or {})
            sent.setdefault("Host", urlsplit(url).netloc)
            return method, url, sent, None
        return self.transport.send(prepare, idempotent=True, classify=default_classify, text=text)

    def sts_call(self, action, payload, keys, region=None):
        """One STS call (2018-08-13) signed with ``keys`` (None: not signed, ``Authorization: SKIP``, as the SDK sends
        AssumeRoleWithWebIdentity); return (Response dict, Shape). Not paced by Batch's rate budget."""
        body = json.dumps(payload).encode("utf-8")
        url = self.sts_url
        host = urlsplit(url).netloc
        region = region or self.params.get("region") or creds.STS_REGION

        def prepare():
            headers = self.transport.base_headers()
            if keys is None:
                headers.update(sign_headers("", "", host, action, creds.STS_VERSION, body, int(self.clock()),
                                            service="sts", region=region))
                headers["Authorization"] = "SKIP"
            else:
                headers.update(sign_headers(keys.access, keys.secret, host, action, creds.STS_VERSION, body,
                                            int(self.clock()), service="sts", region=region, token=keys.token))
            return "POST", url, headers, body

        response = self.transport.send(prepare, idempotent=True, classify=tencent_classify)
        return _envelope(response, "Tencent Cloud STS %s" % action, False)

    # requests ------------------------------------------------------------
    def call(self, action, payload, idempotent=False):
        """Send ``action`` with ``payload``; return (Response dict, request id). Raise ApiError on an error answer."""
        body = json.dumps(payload).encode("utf-8")
        p = self.params
        credential = self.credential()
        limiter = self.limiter.limiter(action)

        for attempt in (0, 1):
            used = []

            def prepare():
                # The API's own budget first, then the keys: the request is signed with keys current when it leaves.
                limiter.acquire()
                keys = credential.keys()
                used.append(keys)
                headers = self.transport.base_headers()
                headers.update(sign_headers(keys.access, keys.secret, self.host, action, self.version, body,
                                            int(self.clock()), service=self.service, region=p.get("region"),
                                            token=keys.token))
                return "POST", self.url, headers, body

            try:
                response = self.transport.send(prepare, idempotent=idempotent, classify=tencent_classify)
                # The transport raised for every answer that is not a success, deciding whether a write may have acted
                # (its InternalError included, through tencent_classify); here the 2xx body is read against the API
                # 3.0 envelope.
                data, shape = _envelope(response, "Tencent Cloud %s %s" % (self.service, action), not idempotent)
                return data, shape.request_id
            except ApiError as exc:
                # An expired or unknown temporary key was not acted on: renew the keys it was signed with, send again.
                if attempt == 0 and not exc.step and exc.code in creds.EXPIRED_CODES and credential.renewable \
                        and used and credential.expired(used[-1]):
                    continue
                raise self._named(exc, action)

    def _named(self, exc, action):
        """``exc`` with what to check added, for an unreachable endpoint or refused credentials."""
        if exc.step:   # a credential fetch on the way: its message already names what to check
            return exc
        if exc.code == MALFORMED and not exc.message.startswith("the Tencent"):
            exc.message = "Tencent Cloud %s %s: %s" % (self.service, action, exc.message)
        hint = self.refused_hint(exc.code)
        if exc.code in ApiError.CONNECTION_CODES and not exc.outcome_unknown:
            hint = "check endpoint (%s) and the network path to it" % self.params["endpoint"]
        if hint and hint not in exc.message:
            exc.message += "; " + hint
        return exc

    def refused_hint(self, code):
        """What to check when the service refuses the request's credentials."""
        if not code or not code.startswith("AuthFailure"):
            return AUTH_HINTS.get(code or "")
        way = self.way
        renew = "; ".join(creds.RENEWING_WAYS)
        if way.given_temporary and code in creds.EXPIRED_CODES:
            return GIVEN_EXPIRED_HINT % (way.keys.access, way.origin, renew)
        if way.assume or way.kind != "keys":
            if code in creds.EXPIRED_CODES:
                return ("the temporary keys of %s were refused, also after they were renewed: check the controller's "
                        "clock and that the role's keys are still valid" % self.credential().source)
            if code == "AuthFailure.UnauthorizedOperation":
                return "the temporary keys of %s may not call this API: check the role's policies" % self.credential().source
            return AUTH_HINTS.get(code)
        hint = AUTH_HINTS.get(code)
        if hint and way.origin.startswith("credentials file"):
            hint = hint.replace("(TENCENTCLOUD_SECRET_ID)", "(in %s)" % way.origin[len("credentials file "):]) \
                .replace("(TENCENTCLOUD_SECRET_KEY)", "(in %s)" % way.origin[len("credentials file "):])
        return hint


def _check(module):
    validate_params(module.params, module.from_env)


def _build(module, pool_size):
    return TencentClient(module.params, module.transport(pool_size), on_secret=module.add_secret, warn=module.warn,
                         from_env=module.from_env)


# Tencent Cloud's entry for CloudJobsModule: its shared options, its input checks (no request needed), its client,
# and the environment variables of its ways in.
TENCENT = (tencent_spec, _check, _build, TENCENT_AUTH_ENV)
