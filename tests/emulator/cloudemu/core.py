# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator: routes a request to its service, applies faults and latency, logs it; and the control API."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import sys
import time
import traceback

from cloudemu.auth_huawei import HuaweiAuth
from cloudemu.auth_tencent import RateWindow
from cloudemu.faults import FaultError, FaultRule, Faults
from cloudemu.messages import Answer
from cloudemu.record import RequestLog, Stats
from cloudemu.scenario import ScenarioError, World
from cloudemu.services import SERVICES, TencentBatch, Unknown
from cloudemu.timeline import Clock

DEFAULT_CONFIG = {"latency_ms": 0, "clock_offset_s": 0, "tencent_rate_limit": 2, "log_limit": 0}
# The keys of a reset body that sets faults and config too (none of them is a scenario key).
RESET_KEYS = ("scenario", "faults", "config")


def _control_error(message, status=400):
    return Answer(status, {"error": message})


def _ok(data=None):
    return Answer(200, data if data is not None else {"ok": True})


class Emulator:
    """All state of one emulator; thread-safe. ``clock`` and ``sleep`` are injectable for tests."""

    def __init__(self, scenario, clock=None, sleep=time.sleep):
        self.start_scenario = scenario
        self.clock = clock or Clock()
        self.sleep = sleep
        self.huawei_auth = HuaweiAuth(self.clock)
        self.rate_window = RateWindow()
        self.log = RequestLog()
        self.stats = Stats()
        self.faults = Faults()
        self.config = dict(DEFAULT_CONFIG)
        self.world = World(scenario)
        self.services = [cls(self) for cls in SERVICES]
        self.unknown = Unknown(self)
        self.known_ops = frozenset(op for service in self.services for op in service.ops())
        self._control = {
            ("GET", "/_emu/health"): lambda req: _ok(),
            ("GET", "/_emu/requests"): self._get_requests,
            ("DELETE", "/_emu/requests"): lambda req: self._done(self.log.clear),
            ("GET", "/_emu/stats"): lambda req: _ok(self.stats.snapshot()),
            ("DELETE", "/_emu/stats"): lambda req: self._done(self.stats.clear),
            ("POST", "/_emu/reset"): self._post_reset,
            ("GET", "/_emu/faults"): lambda req: _ok({"faults": self.faults.describe()}),
            ("POST", "/_emu/faults"): self._post_faults,
            ("DELETE", "/_emu/faults"): lambda req: self._done(self.faults.clear),
            ("GET", "/_emu/config"): lambda req: _ok(dict(self.config)),
            ("POST", "/_emu/config"): self._post_config,
            ("POST", "/_emu/clock"): self._post_clock,
            ("GET", "/_emu/state"): lambda req: _ok(self.state()),
        }

    # state -----------------------------------------------------------------
    def reset(self, scenario=None):
        """Replace every job and credential (``scenario`` or the start scenario); clear log, stats, faults, config."""
        world = World(scenario or self.start_scenario)
        self.world = world
        self.log.clear()
        self.stats.clear()
        self.faults.clear()
        self.rate_window.clear()
        self.clock.reset()
        self.configure(DEFAULT_CONFIG)

    @staticmethod
    def check_config(changes):
        if not isinstance(changes, dict):
            raise ValueError("config must be an object")
        unknown = sorted(set(changes) - set(DEFAULT_CONFIG))
        if unknown:
            raise ValueError("unknown config keys %s (known: %s)" % (", ".join(unknown), ", ".join(sorted(DEFAULT_CONFIG))))
        for key, value in changes.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (key != "clock_offset_s" and value < 0):
                raise ValueError("config %s must be a number%s, got %r" % (key, "" if key == "clock_offset_s" else " >= 0", value))

    def configure(self, changes):
        self.check_config(changes)
        self.config.update(changes)
        self.clock.offset = float(self.config["clock_offset_s"])
        self.log.set_limit(int(self.config["log_limit"]))

    def state(self):
        world = self.world
        with world.lock:
            now = self.clock.now()
            retried_as = {}
            for alias, job in world.workspace_aliases.items():
                retried_as.setdefault(job.id, []).append(alias)
            return {
                "drs": [{"id": j.id, "status": j.status(now), "actions": j.actions} for j in world.drs.values()],
                "workspace": [{"id": j.id, "status": j.status(now), "actions": j.actions, "job_type": j.info.get("job_type"),
                               "retried_as": retried_as.get(j.id, [])} for j in world.workspace.values()],
                "iotda": [{"task_id": t.id, "status": t.status(now), "actions": t.actions,
                           "targets": [{"target": x.id, "status": x.status(now), "actions": x.actions} for x in t.targets.values()]}
                          for t in world.iotda.values()],
                "tencent_batch": [{"id": j.id, "status": j.status(now), "actions": j.actions}
                                  for j in world.tencent_batch.values()],
            }

    # requests ----------------------------------------------------------------
    def route(self, req):
        """(service, op, route, params) for a request; the Unknown service answers the rest."""
        for service in self.services:
            found = service.route(req)
            if found is not None:
                return (service,) + found
        return (self.unknown,) + self.unknown.route(req)

    def serve(self, req, send):
        """Answer one service request through ``send(answer)``, with faults, latency, log and stats."""
        service, op, route, params = self.route(req)
        entry = self.log.begin({
            "t_start": time.monotonic(), "t_end": None, "service": service.name, "op": op, "method": req.method,
            "path": req.path, "query": req.query(), "host": req.host, "headers": req.logged_headers(),
            "body": req.logged_body(), "status": None, "error_code": None, "fault": None, "acted": False,
        })
        self.stats.begin(op)
        answer = None
        rule = self.faults.pick(op, req.path, req)
        try:
            delay = 0.0
            if rule is not None and not rule.act:
                answer, delay = rule.answer(service, req, None)
            else:
                answer = self._handle(service, req, route, params)
                if rule is not None:
                    answer, delay = rule.answer(service, req, answer)
            if not isinstance(service, TencentBatch):
                answer.headers.setdefault("X-Request-Id", req.request_id)
            delay += self.config["latency_ms"] / 1000.0
            if delay > 0:
                self.sleep(delay)
            send(answer)
        finally:
            self.stats.end(op)
            self.log.finish(entry, t_end=time.monotonic(), status=None if answer is None or answer.drop else answer.status,
                            error_code=answer.error_code if answer is not None else None,
                            fault=rule.kind if rule is not None else None, acted=bool(answer is not None and answer.acted))

    def _handle(self, service, req, route, params):
        try:
            return service.handle(req, route, params)
        except Exception:  # pylint: disable=broad-exception-caught
            traceback.print_exc(file=sys.stderr)
            return service.error(req, 500, "EMU.0500", "the emulator failed on this request (see its stderr)")

    # control API -------------------------------------------------------------
    def control(self, req):
        handler = self._control.get((req.method, req.path.rstrip("/")))
        if handler is None:
            return _control_error("no control endpoint %s %s" % (req.method, req.path), 404)
        try:
            return handler(req)
        except (ValueError, FaultError, ScenarioError) as exc:
            return _control_error(str(exc))

    @staticmethod
    def _done(action):
        action()
        return _ok()

    @staticmethod
    def _body(req):
        data = req.json() if req.body.strip() else {}
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data

    def _get_requests(self, req):
        since = req.param("since", "0")
        if not since.isdigit():
            raise ValueError("since must be a sequence number")
        return _ok({"requests": self.log.entries(op=req.param("op"), since=int(since))})

    def _post_reset(self, req):
        body = self._body(req)
        if not any(key in body for key in RESET_KEYS):
            self.reset(body)
            return _ok()
        # {"scenario": {...}, "faults": [...], "config": {...}}: a reset, then those faults and config, in one call.
        unknown = sorted(set(body) - set(RESET_KEYS))
        if unknown:
            raise ValueError("a reset with faults or config takes only %s; unknown keys: %s" % (", ".join(RESET_KEYS), ", ".join(unknown)))
        scenario, specs, config = body.get("scenario") or {}, body.get("faults") or [], body.get("config") or {}
        if not isinstance(scenario, dict):
            raise ValueError("scenario must be an object")
        if not isinstance(specs, list):
            raise FaultError("faults must be a list of rules")
        for spec in specs:      # checked before anything is replaced
            FaultRule(spec, self.known_ops)
        self.check_config(config)
        self.reset(scenario)
        self.configure(config)
        self.faults.add(specs, self.known_ops)
        return _ok({"faults": self.faults.describe(), "config": dict(self.config)})

    def _post_faults(self, req):
        self.faults.add(self._body(req).get("faults"), self.known_ops)
        return _ok({"faults": self.faults.describe()})

    def _post_config(self, req):
        self.configure(self._body(req))
        return _ok(dict(self.config))

    def _post_clock(self, req):
        seconds = self._body(req).get("advance_s")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
            raise ValueError("advance_s must be a number of seconds >= 0")
        self.clock.advance(seconds)
        return _ok()
