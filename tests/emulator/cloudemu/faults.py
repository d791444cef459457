# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injected faults: rules matched per operation, and the answers they turn a request into."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import random
import threading

from cloudemu.messages import Answer

# kind -> whether the operation is carried out before the fault answer unless the rule says otherwise
# (garbage: the default depends on its ``body``, see GARBAGE_4XX)
KINDS = {"status": False, "latency": True, "drop": True, "malformed": True, "html": False, "garbage": True}
RULE_KEYS = frozenset(["op", "fault", "times", "probability", "seed", "draw", "act", "status", "error_code", "error_msg",
                       "retry_after", "delay_ms", "path_contains", "body"])
# How a rule with a probability below 1 decides: one seeded sequence in arrival order, or a draw per request.
DRAWS = ("arrival", "request")
HTML_PAGE = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
             b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")

# The ``garbage`` kind's bodies. 2xx: a fixed body, or the real answer transformed (GARBAGE_TRANSFORMS, which need the
# operation carried out: ``act`` true); 4xx: a junk error body (``act`` default false: the request was refused).
GARBAGE_TRANSFORMS = ("wrong_types", "null_entries", "invalid_utf8", "huge_numbers")
GARBAGE_2XX = ("null", "empty_array", "string", "empty_object", "html", "empty", "deep_nesting") + GARBAGE_TRANSFORMS
GARBAGE_4XX = ("4xx_html", "4xx_empty", "4xx_text")
GARBAGE_BODIES = GARBAGE_2XX + GARBAGE_4XX
DEEP_NESTING = 100000
HUGE_DIGITS = 5000
GARBAGE_HTML = (b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n<body><h1>Welcome</h1>\n"
                b"<form action=\"/login\" method=\"post\"><input name=\"user\"></form>\n</body></html>\n")
GARBAGE_4XX_HTML = (b"<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n"
                    b"<hr><center>Request blocked by the web application firewall</center>\r\n</body>\r\n</html>\r\n")
GARBAGE_4XX_TEXT = b"Bad Request: upstream rejected the request\n"
_HUGE = "\u0000huge-number\u0000"   # a marker string, swapped for the digits once the answer is serialized


class FaultError(ValueError):
    """A fault rule that cannot be used."""


def _number(spec, key, default, low=None, high=None):
    value = spec.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (low is not None and value < low) \
            or (high is not None and value > high):
        raise FaultError("fault rule %s must be a number%s, got %r" % (key, "" if low is None else " >= %s" % low, value))
    return value


class FaultRule:
    """One rule: which requests it hits (``op``, ``path_contains``), how often, and what it does."""

    def __init__(self, spec, known_ops):
        if not isinstance(spec, dict):
            raise FaultError("a fault rule is an object")
        unknown = sorted(set(spec) - RULE_KEYS)
        if unknown:
            raise FaultError("unknown fault rule keys: %s" % ", ".join(unknown))
        self.op = spec.get("op", "*")
        if self.op != "*" and self.op not in known_ops:
            raise FaultError("unknown op %r (known: *, %s)" % (self.op, ", ".join(sorted(known_ops))))
        self.kind = spec.get("fault")
        if self.kind not in KINDS:
            raise FaultError("fault must be one of %s, got %r" % (", ".join(sorted(KINDS)), self.kind))
        times = spec.get("times", 1)
        if isinstance(times, bool) or not isinstance(times, int) or times < -1:
            raise FaultError("times must be an integer >= -1 (-1: forever), got %r" % (times,))
        self.remaining = times
        self.probability = _number(spec, "probability", 1.0, 0.0, 1.0)
        self.seed = spec.get("seed")
        self.random = random.Random(self.seed)
        self.draw = spec.get("draw", "arrival")
        if self.draw not in DRAWS:
            raise FaultError("draw must be one of %s, got %r" % (", ".join(DRAWS), self.draw))
        self._seen = {}     # draw "request": request key -> how many times this rule drew for it
        self.body = spec.get("body")
        if self.kind == "garbage":
            if self.body not in GARBAGE_BODIES:
                raise FaultError("a garbage fault's body must be one of %s, got %r" % (", ".join(GARBAGE_BODIES), self.body))
            self.act = bool(spec.get("act", self.body not in GARBAGE_4XX))
            if self.body in GARBAGE_TRANSFORMS and not self.act:
                raise FaultError("the garbage body %s transforms the real answer: it needs act true" % self.body)
            low, high = (400, 499) if self.body in GARBAGE_4XX else (200, 299)
            self.status = _number(spec, "status", None, low, high)
            self.status = None if self.status is None else int(self.status)
        elif self.body is not None:
            raise FaultError("body is a key of the garbage fault only")
        else:
            self.act = bool(spec.get("act", KINDS[self.kind]))
            self.status = int(_number(spec, "status", 504 if self.kind == "latency" else 500, 100, 599))
        self.unchanged = 0  # garbage: hits whose real answer had nothing the body changes (no list, no number)
        self.delay_s = _number(spec, "delay_ms", 1000, 0) / 1000.0
        self.retry_after = spec.get("retry_after")
        self.error_code = spec.get("error_code")
        self.error_msg = spec.get("error_msg")
        self.path_contains = spec.get("path_contains")
        self.spec = dict(spec)

    def _chance(self, req):
        """A number in [0, 1): the next of the seeded sequence, or (draw "request") one fixed by the seed, the
        request's method, path, query and body, and how many identical requests this rule drew for before, so
        concurrent requests get the same faults whatever order they arrive in."""
        if self.draw == "arrival" or req is None:
            return self.random.random()
        key = b"\n".join([req.method.encode("utf-8"), req.path.encode("utf-8"), req.query_string.encode("utf-8"), req.body])
        count = self._seen.get(key, 0)
        self._seen[key] = count + 1
        digest = hashlib.sha256(("%r|%d|" % (self.seed, count)).encode("utf-8") + key).digest()
        return int.from_bytes(digest[:8], "big") / float(1 << 64)

    def take(self, op, path, req=None):
        """True when this rule hits the request (and counts it). Call under the rule set's lock."""
        if self.remaining == 0 or (self.op != "*" and self.op != op):
            return False
        if self.path_contains and self.path_contains not in path:
            return False
        if self.probability < 1.0 and self._chance(req) >= self.probability:
            return False
        if self.remaining > 0:
            self.remaining -= 1
        return True

    def answer(self, service, req, real):
        """(answer, extra delay in seconds): the fault applied to ``real`` (the operation's answer, or None)."""
        acted = bool(real is not None and real.acted)
        if self.kind == "latency":
            if real is not None:
                return real, self.delay_s
            return self._status_answer(service, req, acted), self.delay_s
        if self.kind == "status":
            return self._status_answer(service, req, acted), 0.0
        if self.kind == "drop":
            answer = Answer(0, acted=acted)
            answer.drop = True
            return answer, 0.0
        if self.kind == "malformed":
            full = real.body() if real is not None else b'{"emulated": "malformed answer"}'
            headers = real.headers if real is not None else {}
            return Answer(200, headers=headers, body=full[:max(1, len(full) // 2)], acted=acted), 0.0
        if self.kind == "garbage":
            return self._garbage(real, acted), 0.0
        return Answer(502, body=HTML_PAGE, content_type="text/html", acted=acted), 0.0

    def _status_answer(self, service, req, acted):
        answer = service.fault(req, self.status, self.error_code, self.error_msg)
        if self.retry_after is not None:
            answer.headers["Retry-After"] = str(self.retry_after)
        answer.acted = acted
        return answer

    def _garbage(self, real, acted):
        body = self.body
        headers = dict(real.headers) if real is not None else {}
        if body in GARBAGE_4XX:
            status, content, content_type = {"4xx_html": (403, GARBAGE_4XX_HTML, "text/html"),
                                             "4xx_empty": (400, b"", "application/json"),
                                             "4xx_text": (400, GARBAGE_4XX_TEXT, "text/plain")}[body]
            return Answer(self.status or status, headers=headers, body=content, content_type=content_type, acted=acted)
        status = self.status or (real.status if real is not None and 200 <= real.status < 300 else 200)
        content_type = "application/json"
        if body in GARBAGE_TRANSFORMS:
            content = self._transform(body, _answer_data(real))
        elif body == "html":
            content, content_type = GARBAGE_HTML, "text/html"
        elif body == "deep_nesting":
            content = b"[" * DEEP_NESTING + b"]" * DEEP_NESTING
        else:
            content = {"null": b"null", "empty_array": b"[]", "string": b'"ok"', "empty_object": b"{}", "empty": b""}[body]
        return Answer(status, headers=headers, body=content, content_type=content_type, acted=acted)

    def _transform(self, body, data):
        """The real answer's JSON with every field of another type, every list entry null, every string holding invalid
        UTF-8, or every number 5,000 digits long; counted in ``unchanged`` when it has nothing of that kind."""
        changed = [False]

        def walk(value, leaf):
            if isinstance(value, dict):
                return dict((key, walk(item, leaf)) for key, item in value.items())
            if isinstance(value, list):
                if body == "null_entries":
                    changed[0] = changed[0] or bool(value)
                    return [None] * len(value)
                if body == "wrong_types" and not value:
                    changed[0] = True
                    return {}
                return [walk(item, leaf) for item in value]
            return leaf(value)

        def wrong_type(value):
            changed[0] = True
            if isinstance(value, bool):
                return "true" if value else "false"
            if isinstance(value, (int, float)):
                return str(value)
            if isinstance(value, str):
                return len(value)
            return []   # null

        def invalid_utf8(value):
            if isinstance(value, str):
                changed[0] = True
                return value[:1] + "\udcff\udcfe" + value[1:]   # surrogateescape: the bytes 0xff 0xfe
            return value

        def huge(value):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                changed[0] = True
                return _HUGE
            return value

        if body == "null_entries":
            out = walk(data, lambda value: value)
        else:
            out = walk(data, {"wrong_types": wrong_type, "invalid_utf8": invalid_utf8, "huge_numbers": huge}[body])
        if body == "wrong_types" and not isinstance(data, (dict, list)):
            out = wrong_type(data)
        text = json.dumps(out, separators=(",", ":"), ensure_ascii=False)
        if body == "huge_numbers":
            text = text.replace(json.dumps(_HUGE, ensure_ascii=False), "9" * HUGE_DIGITS)
        content = text.encode("utf-8", "surrogateescape")
        if not changed[0]:
            self.unchanged += 1
            if body == "invalid_utf8":
                content = b"\xff\xfe" + content   # no string to put it in: the body itself is not UTF-8
        return content

    def describe(self):
        out = dict(self.spec)
        out["remaining"] = self.remaining
        if self.kind == "garbage":
            out["unchanged"] = self.unchanged
        return out


def _answer_data(real):
    """The JSON data of an answer (None when it has none or its body is not JSON)."""
    if real is None:
        return None
    if real.data is not None:
        return real.data
    try:
        return json.loads(real.body().decode("utf-8"))
    except ValueError:
        return None


class Faults:
    """The rule list, in the order added; the first rule that hits a request applies."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules = []

    def add(self, specs, known_ops):
        if not isinstance(specs, list):
            raise FaultError("faults must be a list of rules")
        rules = [FaultRule(spec, known_ops) for spec in specs]
        with self._lock:
            self._rules.extend(rules)

    def clear(self):
        with self._lock:
            self._rules = []

    def pick(self, op, path, req=None):
        with self._lock:
            for rule in self._rules:
                if rule.take(op, path, req):
                    return rule
        return None

    def describe(self):
        with self._lock:
            return [rule.describe() for rule in self._rules]
