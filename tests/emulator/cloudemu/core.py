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
from cloudemu.auth_tencent import EXPIRED_CODES, RateWindow
from cloudemu.faults import FaultError, FaultRule, Faults
from cloudemu.messages import Answer
from cloudemu.record import RequestLog, Stats
from cloudemu.scenario import BUILDERS, ScenarioError, World, build_target, error_entry
from cloudemu.services import SERVICES, TencentBatch, Unknown
from cloudemu.temporary import iso_micro as _iso_micro
from cloudemu.timeline import Clock

DEFAULT_CONFIG = {"latency_ms": 0, "clock_offset_s": 0, "tencent_rate_limit": 2, "log_limit": 0, "lag_s": 1.0,
                  "workspace_new_job": True,
                  # credentials (issue 20): lifetimes, instance metadata, the codes an expired token or key gets
                  "token_lifetime_s": 24 * 3600, "credential_lifetime_s": None, "metadata_token": "required",
                  "metadata_token_lifetime_s": None, "metadata_agency": "cloudops-ecs-agency",
                  "metadata_role": "cloudops-cvm-role", "huawei_expired_code": "APIGW.0301",
                  "tencent_expired_code": "AuthFailure.TokenFailure"}
BOOLEAN_CONFIG = frozenset(["workspace_new_job"])
# Knobs that take one of a few strings, and the numbers that may be null (null: see the contract).
CHOICE_CONFIG = {"metadata_token": ("required", "optional", "404", "405", "503"),
                 "huawei_expired_code": ("APIGW.0301", "APIGW.0307"),
                 "tencent_expired_code": EXPIRED_CODES}
STRING_CONFIG = frozenset(["metadata_agency", "metadata_role"])
NULLABLE_CONFIG = frozenset(["credential_lifetime_s", "metadata_token_lifetime_s"])
POSITIVE_CONFIG = frozenset(["token_lifetime_s", "credential_lifetime_s", "metadata_token_lifetime_s"])
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
            ("GET", "/_emu/state"): lambda req: _ok(self.state(req.param("service"))),
            ("POST", "/_emu/jobs"): self._post_jobs,
            ("GET", "/_emu/credentials"): lambda req: _ok(self.credentials_state()),
            ("POST", "/_emu/credentials"): self._post_credentials,
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
            if key in BOOLEAN_CONFIG:
                if not isinstance(value, bool):
                    raise ValueError("config %s must be true or false, got %r" % (key, value))
                continue
            if key in CHOICE_CONFIG:
                if value not in CHOICE_CONFIG[key]:
                    raise ValueError("config %s must be one of %s, got %r" % (key, ", ".join(CHOICE_CONFIG[key]), value))
                continue
            if key in STRING_CONFIG:
                if value is not None and not isinstance(value, str):
                    raise ValueError("config %s must be a string (empty or null: none), got %r" % (key, value))
                continue
            if value is None and key in NULLABLE_CONFIG:
                continue
            if key in POSITIVE_CONFIG and not isinstance(value, bool) and isinstance(value, (int, float)) and value <= 0:
                nullable = " or null" if key in NULLABLE_CONFIG else ""
                raise ValueError("config %s must be a number > 0%s, got %r" % (key, nullable, value))
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (key != "clock_offset_s" and value < 0):
                raise ValueError("config %s must be a number%s, got %r" % (key, "" if key == "clock_offset_s" else " >= 0", value))

    def configure(self, changes):
        self.check_config(changes)
        self.config.update(changes)
        self.clock.offset = float(self.config["clock_offset_s"])
        self.log.set_limit(int(self.config["log_limit"]))

    def lag(self, item):
        """How long reads lag an action on ``item``: its scenario ``lag_s``, else the ``lag_s`` knob."""
        lag = item.info.get("lag_s")
        return float(self.config["lag_s"] if lag is None else lag)

    def state(self, service=None):
        """Every job (of ``service`` when given): ``status`` as reads show it now, ``actual_status`` as the service knows it."""
        world = self.world
        if service is not None:
            world.jobs_of(service)
        with world.lock:
            now = self.clock.now()
            retried_as = {}
            for alias, job in world.workspace_aliases.items():
                retried_as.setdefault(job.id, []).append(alias)
            for new_id, old_id in world.workspace_retry_of.items():
                retried_as.setdefault(old_id, []).append(new_id)

            def item(job, key="id"):
                return {key: job.id, "status": job.status(now), "actual_status": job.actual(now), "actions": job.actions}

            out = {
                "drs": lambda: [item(j) for j in world.drs.values()],
                "workspace": lambda: [dict(item(j), job_type=j.info.get("job_type"), retried_as=retried_as.get(j.id, []),
                                           retry_of=world.workspace_retry_of.get(j.id)) for j in world.workspace.values()],
                "iotda": lambda: [dict(item(t, "task_id"), targets=[item(x, "target") for x in t.targets.values()])
                                  for t in world.iotda.values()],
                "tencent_batch": lambda: [item(j) for j in world.tencent_batch.values()],
            }
            return dict((name, make()) for name, make in out.items() if service in (None, name))

    def set_job(self, spec):
        """``POST /_emu/jobs`` for one job: set its status now (no lag, no timeline), or add it when it is new."""
        if not isinstance(spec, dict):
            raise ValueError("each job is an object")
        spec = dict(spec)
        service = spec.pop("service", None)
        world = self.world
        jobs = world.jobs_of(service)
        build, id_key = BUILDERS[service]
        job_id = spec.pop(id_key, None) if id_key in spec else spec.pop("id", None)
        target = spec.pop("target", None) if service == "iotda" else None
        if not isinstance(job_id, str) or not job_id:
            raise ValueError("%s needs a non-empty %s" % (service, id_key))
        with world.lock:
            now = self.clock.now()
            job = jobs.get(job_id)
            if job is None:
                if target is not None:
                    raise ValueError("no iotda task %s: add the task before its targets" % job_id)
                spec[id_key] = job_id
                job = build(spec, "POST /_emu/jobs")
                jobs[job_id] = job
                if service == "iotda":
                    world.number_task(job)
                return {"service": service, id_key: job_id, "added": True, "status": job.status(now)}
            if target is not None:
                item = job.targets.get(target)
                if item is None:
                    item = build_target(dict(spec, target=target), "POST /_emu/jobs")
                    job.add_target(item)
                    return {"service": service, id_key: job_id, "target": target, "added": True, "status": item.status(now)}
                job = item
            status = spec.pop("status", None)
            if status is not None and (not isinstance(status, str) or not status):
                raise ValueError("status must be a non-empty string")
            unknown = sorted(k for k in spec if k in ("timeline", "timelines", "targets", "target_timeline", "error"))
            if unknown:
                raise ValueError("an existing job takes status and info fields only, not %s" % ", ".join(unknown))
            if spec.get("status_error") is not None:
                spec["status_error"] = error_entry(spec["status_error"], "POST /_emu/jobs", "status_error")
            job.info.update(spec)
            if status is not None:
                if getattr(job, "derived", False):
                    job.derived = False
                job.set(now, status)
            result = {"service": service, id_key: job_id, "added": False, "status": job.status(now)}
            if target is not None:
                result["target"] = target
            return result

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
        finished = False
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
            # The log entry is complete before the answer leaves: a client that reads the log right after its answer
            # sees what was done.
            self._finish(entry, answer, rule)
            finished = True
            send(answer)
        finally:
            self.stats.end(op)
            if not finished:
                self._finish(entry, answer, rule)

    def _finish(self, entry, answer, rule):
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

    def _post_jobs(self, req):
        body = self._body(req)
        specs = body.get("jobs") if set(body) == {"jobs"} else [body]
        if not isinstance(specs, list) or not specs:
            raise ValueError("jobs must be a non-empty list of {\"service\", \"id\", \"status\", ...}")
        return _ok({"jobs": [self.set_job(spec) for spec in specs]})

    def credential_lifetime(self, asked):
        """The lifetime of a temporary key: the ``credential_lifetime_s`` knob when set, else ``asked``."""
        override = self.config.get("credential_lifetime_s")
        return float(asked if override is None else override)

    def credentials_state(self):
        """``GET /_emu/credentials``: every temporary key and IAM token issued since the reset (ids, no secrets)."""
        world = self.world
        with world.lock:
            wall = self.clock.wall()
            keys = world.credentials.issued.describe(wall)
            tokens = [{"source": item.get("source", "password"), "user": item.get("user"),
                       "expires_at": _iso_micro(item["expires"]), "expired": item["expires"] <= wall}
                      for item in world.credentials.issued_tokens.values()]
        return {"keys": keys, "tokens": tokens}

    def _post_credentials(self, req):
        """``{"expire": "all" | "huawei" | "tencent" | "tokens"}``: make those issued keys / IAM tokens expire now."""
        what = self._body(req).get("expire")
        if what not in ("all", "huawei", "tencent", "tokens"):
            raise ValueError("expire must be one of all, huawei, tencent, tokens")
        world = self.world
        with world.lock:
            wall = self.clock.wall()
            count = 0
            if what in ("all", "huawei", "tencent"):
                count += world.credentials.issued.expire(wall, None if what == "all" else what)
            if what in ("all", "tokens"):
                for item in world.credentials.issued_tokens.values():
                    if item["expires"] > wall:
                        item["expires"] = wall
                        count += 1
        return _ok({"expired": count})

    def _post_clock(self, req):
        seconds = self._body(req).get("advance_s")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
            raise ValueError("advance_s must be a number of seconds >= 0")
        self.clock.advance(seconds)
        return _ok()
