# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every emulated service shares: routes, the error shapes, and Huawei gateway authentication."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

from urllib.parse import unquote

from cloudemu.auth_huawei import AuthFailure
from cloudemu.messages import Answer

# Default error code and message of an injected ``status`` fault, per HTTP status (Huawei gateway shape).
HUAWEI_FAULTS = {
    429: ("APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit"),
    502: ("APIGW.0203", "Backend error"),
    503: ("APIGW.0202", "Backend unavailable"),
    504: ("APIGW.0201", "Backend timeout"),
}


class BadRequest(Exception):
    """A request body or parameter the API rejects (HTTP 400 with the service's code for invalid input)."""


class Route:
    """``METHOD pattern`` → operation; ``{name}`` in the pattern matches one path segment (unquoted)."""

    def __init__(self, method, pattern, op, handler, authenticated=True, derived=None):
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        self.method = method
        self.regex = re.compile("^%s/?$" % regex)
        self.op = op
        self.handler = handler
        self.authenticated = authenticated
        self.derived = derived

    def match(self, req):
        if req.method != self.method:
            return None
        found = self.regex.match(req.path)
        if found is None:
            return None
        return dict((k, unquote(v)) for k, v in found.groupdict().items())


class Service:
    """A service: its routes and how its errors look. ``emu`` gives the world, the clock and the auth."""

    name = None
    routes = ()
    invalid_code = None      # the code of a 400 for invalid input

    def __init__(self, emu):
        self.emu = emu

    def ops(self):
        """The operation names this service answers."""
        return [route.op for route in self.routes]

    def route(self, req):
        """(op, route, path params) for a request this service answers, else None; ``handle`` takes the route."""
        for route in self.routes:
            params = route.match(req)
            if params is not None:
                return route.op, route, params
        return None

    def handle(self, req, route, params):
        try:
            return getattr(self, route.handler)(req, params)
        except BadRequest as exc:
            return self.bad_request(req, str(exc))

    def bad_request(self, req, message):
        return self.error(req, 400, self.invalid_code, message)

    def error(self, req, status, code, message):
        """An error in the Huawei gateway and service shape: ``error_code``, ``error_msg``, ``request_id``."""
        return Answer(status, {"error_code": code, "error_msg": message, "request_id": req.request_id}, error_code=code)

    def fault(self, req, status, code=None, message=None):
        """The answer of an injected ``status`` fault in this service's error shape."""
        default_code, default_msg = HUAWEI_FAULTS.get(status, ("EMU.%d" % status, "Emulated fault: HTTP %d" % status))
        return self.error(req, status, code or default_code, message or default_msg)


class HuaweiService(Service):
    """A Huawei service behind the API gateway: every route but the unauthenticated ones is verified first."""

    def auth_error(self, req, exc):
        """The gateway's 401: APIGW.0301, or the ``huawei_expired_code`` knob's code for an expired token or key."""
        code = self.emu.config.get("huawei_expired_code", "APIGW.0301") if exc.expired else "APIGW.0301"
        if code == "APIGW.0307":
            return self.error(req, 401, code, "The token must be updated.")
        return self.error(req, 401, code, "Incorrect IAM authentication information: %s" % exc)

    def handle(self, req, route, params):
        if route.authenticated:
            try:
                self.emu.huawei_auth.verify(req, self.emu.world.credentials, route.derived)
            except AuthFailure as exc:
                return self.auth_error(req, exc)
        return super(HuaweiService, self).handle(req, route, params)


def obj(value):
    """``value`` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def body_object(req):
    """The JSON object body, or raise :class:`BadRequest`."""
    data = req.json()
    if not isinstance(data, dict):
        raise BadRequest("the request body must be a JSON object")
    return data


def id_list(value, what):
    """A list of non-empty strings, or raise :class:`BadRequest`."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise BadRequest("%s must be a list of non-empty strings" % what)
    return value


def int_param(req, name, default, low, high):
    raw = req.param(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest("%s must be an integer" % name)
    if not low <= value <= high:
        raise BadRequest("%s must be between %d and %d" % (name, low, high))
    return value


def iso_time(epoch):
    """``2024-01-02T03:04:05Z`` for epoch seconds (None → None)."""
    if epoch is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
