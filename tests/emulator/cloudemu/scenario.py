# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scenario files: checked, and turned into the :class:`World` the services act on.

The format is in docs/dev/emulator-contract.md. Every job-like entry becomes a :class:`Job` (a
:class:`~cloudemu.timeline.Tracked` with its id and the scenario's other fields).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import threading

from cloudemu.timeline import Tracked

TOP_KEYS = ("huawei", "tencent", "drs", "workspace", "iotda", "tencent_batch")


class ScenarioError(ValueError):
    """A scenario that cannot be loaded; the message names the place."""


class Job(Tracked):
    """A job, task or target: ``id`` plus the scenario's other fields in ``info``."""

    __slots__ = ("id", "info")

    def __init__(self, job_id, status, timeline=None, error=None, info=None):
        super(Job, self).__init__(status, timeline, error)
        self.id = job_id
        self.info = info or {}


def derived_task_status(statuses):
    """An IoTDA task's status from its subtasks': under way, all done, some done, none done."""
    counted = [s for s in statuses if s != "Removed"]
    if any(s in ("Processing", "Waitting", "FailWaitRetry") for s in counted):
        return "Processing"
    succeeded = sum(1 for s in counted if s == "Success")
    if succeeded == len(counted):
        return "Success"
    return "PartialSuccess" if succeeded else "Fail"


class Task(Job):
    """An IoTDA batch task: a Job whose targets are Jobs too.

    After a retry, a task with no timeline of its own takes its status from its targets.
    """

    __slots__ = ("targets", "target_timeline", "derived")

    def __init__(self, job_id, status, timeline=None, error=None, info=None, targets=None, target_timeline=None):
        super(Task, self).__init__(job_id, status, timeline, error, info)
        self.targets = targets or {}
        self.target_timeline = target_timeline
        self.derived = False

    def status(self, now):
        if self.derived:
            return derived_task_status([t.status(now) for t in self.targets.values()])
        return super(Task, self).status(now)


def _fail(where, problem):
    raise ScenarioError("scenario%s: %s" % (" " + where if where else "", problem))


def _steps(value, where):
    if value is None:
        return None
    if not isinstance(value, list):
        _fail(where, "timeline must be a list of [seconds, status] pairs")
    steps = []
    for i, step in enumerate(value):
        if (not isinstance(step, (list, tuple)) or len(step) != 2 or not isinstance(step[0], (int, float))
                or isinstance(step[0], bool) or step[0] < 0 or not isinstance(step[1], str)):
            _fail("%s[%d]" % (where, i), "a timeline step is [seconds >= 0, status], got %r" % (step,))
        steps.append((float(step[0]), step[1]))
    return sorted(steps, key=lambda s: s[0])


def _error(value, where):
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("code"), str):
        _fail(where, "error must be {\"code\": ..., \"msg\": ...}")
    return {"code": value["code"], "msg": str(value.get("msg") or value.get("message") or "the action failed")}


def _job(entry, where, id_key="id", cls=Job, **extra):
    if not isinstance(entry, dict):
        _fail(where, "each entry is an object")
    job_id, status = entry.get(id_key), entry.get("status")
    if not isinstance(job_id, str) or not job_id:
        _fail(where, "%s must be a non-empty string" % id_key)
    if not isinstance(status, str) or not status:
        _fail(where, "status must be a non-empty string")
    info = dict((k, v) for k, v in entry.items() if k not in (id_key, "status", "timeline", "error", "targets", "target_timeline"))
    return cls(job_id, status, _steps(entry.get("timeline"), where + ".timeline"), _error(entry.get("error"), where + ".error"),
               info, **extra)


def _jobs(entries, where, build):
    if entries is None:
        return {}
    if not isinstance(entries, list):
        _fail(where, "must be a list")
    out = {}
    for i, entry in enumerate(entries):
        job = build(entry, "%s[%d]" % (where, i))
        if job.id in out:
            _fail("%s[%d]" % (where, i), "duplicate id %r" % job.id)
        out[job.id] = job
    return out


def _task(entry, where):
    if not isinstance(entry, dict):
        _fail(where, "each entry is an object")
    targets = {}
    for i, target in enumerate(entry.get("targets") or []):
        job = _job(target, "%s.targets[%d]" % (where, i), id_key="target")
        targets[job.id] = job
    return _job(entry, where, id_key="task_id", cls=Task, targets=targets,
                target_timeline=_steps(entry.get("target_timeline"), where + ".target_timeline"))


def _domain_id(name):
    return hashlib.sha256(("domain:%s" % name).encode("utf-8")).hexdigest()[:32]


class Credentials:
    """The scenario's Huawei and Tencent credentials, and the tokens IAM issued since the last reset."""

    def __init__(self, data):
        huawei = data.get("huawei") or {}
        tencent = data.get("tencent") or {}
        if not isinstance(huawei, dict) or not isinstance(tencent, dict):
            _fail("huawei/tencent", "must be objects")
        self.aksk = dict(huawei.get("aksk") or {})
        self.temporary = {}
        for ak, item in (huawei.get("temporary_aksk") or {}).items():
            if not isinstance(item, dict) or not item.get("sk") or not item.get("security_token"):
                _fail("huawei.temporary_aksk.%s" % ak, "needs sk and security_token")
            self.temporary[ak] = {"sk": item["sk"], "security_token": item["security_token"]}
        self.static_tokens = frozenset(huawei.get("tokens") or [])
        self.users = list(huawei.get("users") or [])
        for i, user in enumerate(self.users):
            if not isinstance(user, dict) or not all(isinstance(user.get(k), str) for k in ("name", "password", "domain")):
                _fail("huawei.users[%d]" % i, "needs name, password and domain")
        default_domain = self.users[0]["domain"] if self.users else "emulator"
        self.projects = []
        for i, project in enumerate(huawei.get("projects") or []):
            if not isinstance(project, dict) or not project.get("id") or not project.get("name"):
                _fail("huawei.projects[%d]" % i, "needs id and name")
            self.projects.append({"id": project["id"], "name": project["name"],
                                  "domain_id": project.get("domain_id") or _domain_id(default_domain)})
        self.iotda_instance_hosts = frozenset(h.lower() for h in huawei.get("iotda_instance_hosts") or [])
        self.tencent = dict(tencent.get("credentials") or {})
        self.issued_tokens = {}   # token -> {"expires": wall seconds, "project": {...} or None, "user": name}

    def huawei_secret(self, access_key):
        """(secret key, required security token or None), or None for an unknown AK."""
        if access_key in self.aksk:
            return self.aksk[access_key], None
        item = self.temporary.get(access_key)
        if item:
            return item["sk"], item["security_token"]
        return None


class World:
    """Everything a reset replaces: credentials, issued tokens and every job, behind one lock."""

    def __init__(self, data):
        if not isinstance(data, dict):
            _fail("", "the scenario is a JSON object")
        unknown = sorted(set(data) - set(TOP_KEYS))
        if unknown:
            _fail("", "unknown keys %s (known: %s)" % (", ".join(unknown), ", ".join(TOP_KEYS)))
        self.lock = threading.RLock()
        self.credentials = Credentials(data)
        self.drs = _jobs(data.get("drs"), "drs", _job)
        self.workspace = _jobs(data.get("workspace"), "workspace", _job)
        self.workspace_aliases = {}     # id a retry answered -> the retried job
        self.iotda = _jobs(data.get("iotda"), "iotda", _task)
        self.tencent_batch = _jobs(data.get("tencent_batch"), "tencent_batch", _job)


def load(path):
    """The scenario file at ``path`` as a dict (checked by building a World from it)."""
    with open(path, "rb") as handle:
        try:
            data = json.loads(handle.read().decode("utf-8"))
        except ValueError as exc:
            raise ScenarioError("scenario %s is not JSON: %s" % (path, exc))
    World(data)
    return data
