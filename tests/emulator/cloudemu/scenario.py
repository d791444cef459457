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
import re
import threading

from cloudemu.temporary import TemporaryKeys
from cloudemu.timeline import Tracked

TOP_KEYS = ("huawei", "tencent", "drs", "workspace", "iotda", "tencent_batch")
TASK_RECORD_RE = re.compile(r"^[0-9a-f]{24}$")


class ScenarioError(ValueError):
    """A scenario that cannot be loaded; the message names the place."""


# Entry keys the emulator reads itself (the rest of an entry is kept in ``Job.info`` and shown where the API has it).
OWN_KEYS = ("status", "timeline", "timelines", "error", "targets", "target_timeline")
# Generator entries: {"count": N, "prefix": "...", ...} stands for N entries (see docs/dev/emulator-contract.md).
GENERATOR_KEYS = ("count", "prefix", "start", "width", "cycle")
MAX_GENERATED = 100000
# The length of a generated id, where the service's ids have one (the number is zero-padded to it).
ID_LENGTHS = {"tencent_batch": 12, "iotda": 24}


class Job(Tracked):
    """A job, task or target: ``id`` plus the scenario's other fields in ``info``; ``record``: its paging id (IoTDA)."""

    __slots__ = ("id", "info", "record")

    def __init__(self, job_id, status, timeline=None, error=None, info=None, timelines=None):
        super(Job, self).__init__(status, timeline, error, timelines)
        self.id = job_id
        self.info = info or {}
        self.record = None


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

    def __init__(self, job_id, status, timeline=None, error=None, info=None, timelines=None, targets=None, target_timeline=None):
        super(Task, self).__init__(job_id, status, timeline, error, info, timelines)
        self.targets = {}
        for target in targets or []:
            self.add_target(target)
        self.target_timeline = target_timeline
        self.derived = False

    def actual(self, now):
        if self.derived:
            return derived_task_status([t.actual(now) for t in self.targets.values()])
        return super(Task, self).actual(now)

    def status(self, now):
        if self.lagging(now):
            return super(Task, self).status(now)
        if self.derived:
            return derived_task_status([t.status(now) for t in self.targets.values()])
        return super(Task, self).status(now)

    def add_target(self, target):
        """Add a subtask; it is the newest record (the highest marker)."""
        target.record = "%s%016x" % (self.record_prefix(), len(self.targets) + 1)
        self.targets[target.id] = target

    def record_prefix(self):
        return hashlib.sha256(("task:%s" % self.id).encode("utf-8")).hexdigest()[:8]


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


def error_entry(value, where, key="error"):
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("code"), str):
        _fail(where, "%s must be {\"code\": ..., \"msg\": ...}" % key)
    return {"code": value["code"], "msg": str(value.get("msg") or value.get("message") or "the action failed")}


def _timelines(value, where):
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        _fail(where, "timelines must be a non-empty list of timelines (one per successive action)")
    return [_steps(steps, "%s[%d]" % (where, i)) for i, steps in enumerate(value)]


def _job(entry, where, id_key="id", cls=Job, **extra):
    if not isinstance(entry, dict):
        _fail(where, "each entry is an object")
    job_id, status = entry.get(id_key), entry.get("status")
    if not isinstance(job_id, str) or not job_id:
        _fail(where, "%s must be a non-empty string" % id_key)
    if not isinstance(status, str) or not status:
        _fail(where, "status must be a non-empty string")
    if entry.get("timeline") is not None and entry.get("timelines") is not None:
        _fail(where, "give timeline or timelines, not both")
    if entry.get("status_error") is not None:
        entry = dict(entry, status_error=error_entry(entry["status_error"], where, "status_error"))
    lag = entry.get("lag_s")
    if lag is not None and (isinstance(lag, bool) or not isinstance(lag, (int, float)) or lag < 0):
        _fail(where, "lag_s must be a number of seconds >= 0")
    info = dict((k, v) for k, v in entry.items() if k != id_key and k not in OWN_KEYS)
    return cls(job_id, status, _steps(entry.get("timeline"), where + ".timeline"), error_entry(entry.get("error"), where + ".error"),
               info, _timelines(entry.get("timelines"), where + ".timelines"), **extra)


def _fill(value, number):
    return value.replace("{n}", number) if isinstance(value, str) else value


def expand(entries, where, id_key="id", id_length=None):
    """The entries with every generator entry (one with ``count``) replaced by the entries it stands for.

    ``{"count": N, "prefix": P, "start": 1, "width": W, "cycle": {field: [values]}, ...fields}``: ids ``P`` +
    the numbers start..start+N-1 zero-padded to ``W`` (default: to ``id_length`` characters in all where the
    service's ids have a fixed length, else the digits of the largest number); ``{n}`` in a string field is that
    number (padded); ``cycle`` gives field i of entry i from its list, round robin (``status`` too).
    """
    if not isinstance(entries, list):
        _fail(where, "must be a list")
    out = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or "count" not in entry:
            out.append(entry)
            continue
        here = "%s[%d]" % (where, i)
        count, prefix, start = entry.get("count"), entry.get("prefix", ""), entry.get("start", 1)
        cycle = entry.get("cycle") or {}
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_GENERATED:
            _fail(here, "count must be an integer from 0 to %d" % MAX_GENERATED)
        if not isinstance(prefix, str) or isinstance(start, bool) or not isinstance(start, int) or start < 0:
            _fail(here, "prefix must be a string and start an integer >= 0")
        if not isinstance(cycle, dict) or not all(isinstance(v, list) and v for v in cycle.values()):
            _fail(here, "cycle must map fields to non-empty lists of values")
        digits = len(str(start + count - 1)) if count else 1
        width = entry.get("width")
        if width is None:
            width = max(digits, id_length - len(prefix)) if id_length else digits
        if isinstance(width, bool) or not isinstance(width, int) or width < digits:
            _fail(here, "width must be an integer of at least %d (the digits of the largest number)" % digits)
        fields = dict((k, v) for k, v in entry.items() if k not in GENERATOR_KEYS)
        if "status" not in fields and "status" not in cycle:
            _fail(here, "a generator entry needs status (or cycle.status)")
        for n in range(count):
            number = str(start + n).zfill(width)
            item = dict((k, _fill(v, number)) for k, v in fields.items())
            for key, values in cycle.items():
                item[key] = _fill(values[n % len(values)], number)
            item[id_key] = prefix + number
            out.append(item)
    return out


def _jobs(entries, where, build, id_key="id"):
    if entries is None:
        return {}
    out = {}
    for i, entry in enumerate(expand(entries, where, id_key, ID_LENGTHS.get(where))):
        job = build(entry, "%s[%d]" % (where, i))
        if job.id in out:
            _fail("%s[%d]" % (where, i), "duplicate id %r" % job.id)
        out[job.id] = job
    return out


def build_target(entry, where):
    return _job(entry, where, id_key="target")


def build_task(entry, where):
    if not isinstance(entry, dict):
        _fail(where, "each entry is an object")
    targets, names = [], set()
    for i, target in enumerate(expand(entry.get("targets") or [], where + ".targets", "target")):
        job = build_target(target, "%s.targets[%d]" % (where, i))
        if job.id in names:
            _fail("%s.targets[%d]" % (where, i), "duplicate target %r" % job.id)
        names.add(job.id)
        targets.append(job)
    return _job(entry, where, id_key="task_id", cls=Task, targets=targets,
                target_timeline=_steps(entry.get("target_timeline"), where + ".target_timeline"))


def build_job(entry, where):
    return _job(entry, where)


BUILDERS = {"drs": (build_job, "id"), "workspace": (build_job, "id"), "iotda": (build_task, "task_id"),
            "tencent_batch": (build_job, "id")}


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
        # Who may be assumed / federated (None: any name is accepted; see docs/dev/emulator-contract.md).
        self.agencies = None
        if huawei.get("agencies") is not None:
            self.agencies = []
            for i, agency in enumerate(_list(huawei["agencies"], "huawei.agencies")):
                if not isinstance(agency, dict) or not isinstance(agency.get("name"), str) or not agency["name"]:
                    _fail("huawei.agencies[%d]" % i, "needs name (and domain_name or domain_id)")
                name = agency.get("domain_name") or default_domain
                self.agencies.append({"name": agency["name"], "domain_name": name,
                                      "domain_id": agency.get("domain_id") or _domain_id(name)})
        self.idps = _token_lists(huawei.get("idps"), "huawei.idps")
        self.roles = None
        if tencent.get("roles") is not None:
            self.roles = _list(tencent["roles"], "tencent.roles")
            if not all(isinstance(r, str) and r for r in self.roles):
                _fail("tencent.roles", "must be a list of role ARNs")
        self.oidc_providers = _token_lists(tencent.get("oidc_providers"), "tencent.oidc_providers")
        self.issued_tokens = {}   # token -> {"expires": wall seconds, "project": {...} or None, "user": name}
        self.issued = TemporaryKeys()

    def huawei_secret(self, access_key):
        """(secret key, required security token or None, issued Key or None), or None for an unknown AK."""
        if access_key in self.aksk:
            return self.aksk[access_key], None, None
        item = self.temporary.get(access_key)
        if item:
            return item["sk"], item["security_token"], None
        key = self.issued.get("huawei", access_key)
        if key is not None:
            return key.secret, key.token, key
        return None

    def tencent_secret(self, secret_id):
        """(secret key, required X-TC-Token or None, issued Key or None), or None for an unknown SecretId."""
        if secret_id in self.tencent:
            return self.tencent[secret_id], None, None
        key = self.issued.get("tencent", secret_id)
        if key is not None:
            return key.secret, key.token, key
        return None


def _list(value, where):
    if not isinstance(value, list):
        _fail(where, "must be a list")
    return list(value)


def _token_lists(value, where):
    """``{"provider id": ["token", ...]}`` (None stays None: any non-empty token is accepted)."""
    if value is None:
        return None
    if not isinstance(value, dict) or not all(isinstance(k, str) and k and isinstance(v, list)
                                              and all(isinstance(t, str) and t for t in v) for k, v in value.items()):
        _fail(where, "must map provider ids to lists of tokens")
    return dict((k, list(v)) for k, v in value.items())


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
        for service, (build, id_key) in BUILDERS.items():
            setattr(self, service, _jobs(data.get(service), service, build, id_key))
        self.workspace_aliases = {}     # id a retry answered -> the retried job (config workspace_new_job false)
        self.workspace_retry_of = {}    # new job a retry started -> the retried job's id
        self._task_records = 0
        for task in self.iotda.values():
            self.number_task(task)

    def number_task(self, task):
        """Give a task its record id: its task_id when that is 24 hex digits, else the next ``%024x`` number."""
        self._task_records += 1
        task.record = task.id if TASK_RECORD_RE.match(task.id) else "%024x" % self._task_records

    def jobs_of(self, service):
        """The dict of id -> job of ``service`` (drs, workspace, iotda, tencent_batch)."""
        if service not in BUILDERS:
            raise ScenarioError("service must be one of %s, got %r" % (", ".join(BUILDERS), service))
        return getattr(self, service)


def load(path):
    """The scenario file at ``path`` as a dict (checked by building a World from it)."""
    with open(path, "rb") as handle:
        try:
            data = json.loads(handle.read().decode("utf-8"))
        except ValueError as exc:
            raise ScenarioError("scenario %s is not JSON: %s" % (path, exc))
    World(data)
    return data
