# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud Batch (2017-03-12): RetryJobs, DescribeJobs, DescribeJob at ``POST /`` with ``X-TC-Action``.

Errors come with HTTP 200 as ``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from cloudemu.auth_tencent import TencentFailure, verify
from cloudemu.messages import Answer
from cloudemu.services.base import Service, iso_time
from cloudemu.timeline import Action, Refused

JOB_ID_RE = re.compile(r"^job-[a-z0-9]{8}$")
MAX_IDS = 100
TERMINAL = frozenset(["SUCCEED", "FAILED", "FAILED_INTERRUPTED"])
STATES = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEED", "FAILED", "FAILED_INTERRUPTED")
FILTER_NAMES = ("job-id", "job-name", "job-state", "zone", "tag-key", "tag-value", "tag:<key>")
CREATED = 1704164645          # CreateTime of a job the scenario gives none for: 2024-01-02T03:04:05Z
ENDED = CREATED + 3600        # EndTime of a finished job the scenario gives none for
DEFAULT_ZONE = "ap-guangzhou-3"

RETRY = Action(lambda s: s == "FAILED", "UnsupportedOperation",
               "Unsupported operation: the job {id} is {status}, and only a FAILED job can be retried.", [(0.0, "SUCCEED")])


def _query_payload(pairs):
    """A GET request's parameters (``JobIds.0=...``, ``Filters.0.Values.1=...``) as the JSON body a POST would carry."""
    root = {}
    for key, value in pairs:
        parts = key.split(".")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise TencentFailure("InvalidParameter", "The parameter `%s` is malformed." % key)
        if isinstance(node.get(parts[-1]), dict):
            raise TencentFailure("InvalidParameter", "The parameter `%s` is malformed." % key)
        node[parts[-1]] = int(value) if value.isdigit() and len(parts) == 1 else value

    def listed(node):
        if not isinstance(node, dict):
            return node
        if node and all(k.isdigit() for k in node):
            return [listed(v) for _k, v in sorted(node.items(), key=lambda kv: int(kv[0]))]
        return dict((k, listed(v)) for k, v in node.items())

    return listed(root)


def _job_ids(payload, name="JobIds", required=True):
    ids = payload.get(name)
    if ids is None:
        if required:
            raise TencentFailure("MissingParameter", "The request is missing a required parameter `%s`." % name)
        return None
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise TencentFailure("InvalidParameter", "`%s` must be a non-empty list of job IDs." % name)
    if len(ids) > MAX_IDS:
        raise TencentFailure("InvalidParameter", "`%s` has at most %d job IDs, got %d." % (name, MAX_IDS, len(ids)))
    return ids


def _check_formats(ids):
    for job_id in ids:
        if not JOB_ID_RE.match(job_id):
            raise TencentFailure("InvalidParameter.JobIdMalformed", "Invalid job ID format: `%s`." % job_id)


def _number(payload, name, default, low, high):
    value = payload.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise TencentFailure("InvalidParameterValue", "`%s` must be an integer from %d to %d." % (name, low, high))
    return value


class TencentBatch(Service):
    name = "tencent_batch"
    handlers = {"RetryJobs": "retry_jobs", "DescribeJobs": "describe_jobs", "DescribeJob": "describe_job"}

    def ops(self):
        return ["tencent.%s" % action for action in self.handlers]

    def route(self, req):
        action = req.header("X-TC-Action")
        if req.path != "/" or not action or req.method not in ("POST", "GET"):
            return None
        return "tencent.%s" % action, action, {}

    def handle(self, req, route, params):
        emu = self.emu
        try:
            verify(req, emu.world.credentials, emu.clock.wall(), "batch", emu.config["tencent_expired_code"])
            if route not in self.handlers:
                raise TencentFailure("InvalidAction", "The action `%s` is not valid for this service." % route)
            limit = emu.config["tencent_rate_limit"]
            if not emu.rate_window.allow(route, emu.clock.now(), limit):
                raise TencentFailure("RequestLimitExceeded", "Your current request times exceed the frequency limit `%s` "
                                     "for a second of %s. Please reduce the frequency of calls." % (limit, route))
            if req.method == "GET":
                payload = _query_payload(req.query_pairs)
            else:
                payload = req.json()
                if not isinstance(payload, dict):
                    raise TencentFailure("InvalidParameter", "The request body is not a JSON object.")
            return getattr(self, self.handlers[route])(req, payload)
        except TencentFailure as exc:
            return self.error(req, 200, exc.code, exc.message)

    def error(self, req, status, code, message):
        return Answer(status, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": req.request_id}},
                      error_code=code)

    def fault(self, req, status, code=None, message=None):
        if status == 429:
            default = ("RequestLimitExceeded", "Your current request times exceed the frequency limit (emulated fault).")
        else:
            default = ("InternalError", "An internal error occurred (emulated fault: HTTP %d)." % status)
        return self.error(req, status, code or default[0], message or default[1])

    def _answer(self, req, response, acted=False):
        response["RequestId"] = req.request_id
        return Answer(200, {"Response": response}, acted=acted)

    def retry_jobs(self, req, payload):
        ids = _job_ids(payload)
        _check_formats(ids)
        world = self.emu.world
        with world.lock:
            unknown = next((i for i in ids if i not in world.tencent_batch), None)
            if unknown:
                raise TencentFailure("ResourceNotFound.Job", "The specified job does not exist: `%s`." % unknown)
            now = self.emu.clock.now()
            unique = list(dict.fromkeys(ids))
            try:
                for job_id in unique:
                    RETRY.check(world.tencent_batch[job_id], job_id, now)
            except Refused as exc:
                raise TencentFailure(exc.code, exc.message)
            for job_id in unique:
                job = world.tencent_batch[job_id]
                RETRY.apply(job, job_id, now, lag=self.emu.lag(job))
        return self._answer(req, {}, acted=True)

    def _view(self, job, now):
        """A JobView (DescribeJobs) for a job as reads show it now: an EndTime once it ended, the old one while reads lag."""
        state = job.status(now)
        info = job.info
        end = None
        if state in TERMINAL:
            changed = job.changed(now)
            end = iso_time(self.emu.clock.wall_of(changed)) if changed is not None else info.get("end_time", iso_time(ENDED))
        return {
            "JobId": job.id, "JobName": info.get("name", job.id), "JobState": state, "Priority": info.get("priority", 0),
            "Placement": {"Zone": info.get("zone", DEFAULT_ZONE), "ProjectId": info.get("project_id", 0)},
            "CreateTime": info.get("create_time", iso_time(CREATED)), "EndTime": end,
            "TaskMetrics": {}, "Tags": [{"Key": k, "Value": v} for k, v in sorted((info.get("tags") or {}).items())],
        }

    @staticmethod
    def _filters(payload):
        """DescribeJobs ``Filters`` as (name, values) pairs, checked."""
        filters = payload.get("Filters")
        if filters is None:
            return None
        if not isinstance(filters, list):
            raise TencentFailure("InvalidParameter", "`Filters` must be a list of {\"Name\": ..., \"Values\": [...]}.")
        out = []
        for i, item in enumerate(filters):
            name, values = (item.get("Name"), item.get("Values")) if isinstance(item, dict) else (None, None)
            if not isinstance(name, str) or not isinstance(values, list) or not values \
                    or not all(isinstance(v, str) for v in values):
                raise TencentFailure("InvalidParameter", "`Filters.%d` must be {\"Name\": string, \"Values\": a non-empty list "
                                     "of strings}." % i)
            if name not in FILTER_NAMES[:-1] and not (name.startswith("tag:") and len(name) > 4):
                raise TencentFailure("InvalidFilter", "The filter `%s` is not supported (supported: %s)."
                                     % (name, ", ".join(FILTER_NAMES)))
            if name == "job-state":
                bad = [v for v in values if v not in STATES]
                if bad:
                    raise TencentFailure("InvalidParameterValue", "The value `%s` of the filter `job-state` is not a job "
                                         "state (%s)." % (bad[0], ", ".join(STATES)))
            out.append((name, values))
        return out

    @staticmethod
    def _matches(job, state, filters):
        """Filters AND together, the values of one filter OR together."""
        info = job.info
        tags = info.get("tags") or {}
        for name, values in filters:
            if name == "job-id":
                found = job.id in values
            elif name == "job-name":
                found = info.get("name", job.id) in values
            elif name == "job-state":
                found = state in values
            elif name == "zone":
                found = info.get("zone", DEFAULT_ZONE) in values
            elif name == "tag-key":
                found = any(key in values for key in tags)
            elif name == "tag-value":
                found = any(value in values for value in tags.values())
            else:
                found = tags.get(name[4:]) in values
            if not found:
                return False
        return True

    def describe_jobs(self, req, payload):
        ids = _job_ids(payload, required=False)
        filters = self._filters(payload)
        if ids is not None and filters is not None:
            raise TencentFailure("InvalidParameter.InvalidParameterCombination",
                                 "The parameters `JobIds` and `Filters` cannot be specified at the same time.")
        offset = _number(payload, "Offset", 0, 0, 10 ** 9)
        limit = _number(payload, "Limit", 20, 1, MAX_IDS)
        world = self.emu.world
        with world.lock:
            now = self.emu.clock.now()
            jobs = list(world.tencent_batch.values()) if ids is None else \
                [world.tencent_batch[i] for i in dict.fromkeys(ids) if i in world.tencent_batch]
            if filters:
                jobs = [job for job in jobs if self._matches(job, job.status(now), filters)]
            views = [self._view(job, now) for job in jobs[offset:offset + limit]]
        return self._answer(req, {"JobSet": views, "TotalCount": len(jobs)})

    def describe_job(self, req, payload):
        job_id = payload.get("JobId")
        if not isinstance(job_id, str) or not job_id:
            raise TencentFailure("MissingParameter", "The request is missing a required parameter `JobId`.")
        _check_formats([job_id])
        world = self.emu.world
        with world.lock:
            job = world.tencent_batch.get(job_id)
            if job is None:
                raise TencentFailure("ResourceNotFound.Job", "The specified job does not exist: `%s`." % job_id)
            view = self._view(job, self.emu.clock.now())
        placement = view.pop("Placement")
        view.update({"Zone": placement["Zone"], "TaskSet": [], "DependenceSet": [], "TaskInstanceMetrics": {},
                     "NextAction": "", "StateReason": job.info.get("state_reason", "Some task instances failed.")
                     if view["JobState"] == "FAILED" else ""})
        return self._answer(req, view)
