# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei DRS v3: batch-retry-task, batch-starting, batch-status, and the job list (``POST /v3/{project_id}/jobs``).

Batch calls answer 200 and report each job as ``success`` or ``failed``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from cloudemu.messages import Answer
from cloudemu.services.base import BadRequest, HuaweiService, Route, body_object, id_list, obj
from cloudemu.timeline import Action, Refused

NOT_FOUND = ("DRS.10000011", "job not found")
WRONG_STATE = "DRS.10040006"
INVALID = "DRS.10000001"
STARTABLE = frozenset(["CONFIGURATION", "WAITING_FOR_START", "START_JOB_FAILED"])
RUNNING = [(0.0, "INCRE_TRANSFER_STARTED")]
# Every job status the SDK's QueryJobStatusResp / QueryJobsReq list (a scenario may use others too).
STATES = (
    "CREATING", "CREATE_FAILED", "CONFIGURATION", "STARTJOBING", "WAITING_FOR_START", "START_JOB_FAILED", "PAUSING",
    "FULL_TRANSFER_STARTED", "FULL_TRANSFER_FAILED", "FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED",
    "INCRE_TRANSFER_FAILED", "RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_FAILED", "RELEASE_RESOURCE_COMPLETE",
    "REBUILD_NODE_STARTED", "REBUILD_NODE_FAILED", "CHANGE_JOB_STARTED", "CHANGE_JOB_FAILED", "DELETED",
    "CHILD_TRANSFER_STARTING", "CHILD_TRANSFER_STARTED", "CHILD_TRANSFER_COMPLETE", "CHILD_TRANSFER_FAILED",
    "RELEASE_CHILD_TRANSFER_STARTED", "RELEASE_CHILD_TRANSFER_COMPLETE", "NODE_UPGRADE_START", "NODE_UPGRADE_COMPLETE",
    "NODE_UPGRADE_FAILED",
)
# QueryJobsReq: the enumerated fields and their values; the other string fields.
LIST_CHOICES = {"status": STATES, "db_use_type": ("migration", "sync", "cloudDataGuard"), "net_type": ("vpn", "vpc", "eip"),
                "service_name": ("eps",)}
LIST_STRINGS = ("engine_type", "enterprise_project_id", "name", "instance_ip")
LIST_KEYS = ("cur_page", "per_page", "tags", "instance_ids") + tuple(LIST_CHOICES) + LIST_STRINGS
MAX_LIST_IDS = 100
MAX_INSTANCE_IDS = 10
CREATED_MS = "1704164645000"   # create_time of a job the scenario gives none for (epoch ms, 2024-01-02T03:04:05Z)
# JobInfo fields and their values for a job the scenario gives none for.
JOB_DEFAULTS = (("description", ""), ("engine_type", "mysql"), ("net_type", "eip"), ("billing_tag", False),
                ("job_direction", "up"), ("db_use_type", "migration"), ("task_type", "FULL_INCR_TRANS"))

RETRY = Action(lambda s: s.endswith("_FAILED") or s == "PAUSING", WRONG_STATE,
               "The job {id} is {status}: only a failed (*_FAILED) or paused (PAUSING) job can be retried or resumed.",
               RUNNING)
START = Action(lambda s: s in STARTABLE, WRONG_STATE,
               "The job {id} is {status}: only a job in CONFIGURATION, WAITING_FOR_START or START_JOB_FAILED can be started.",
               RUNNING)


def _failed(job_id, code, message):
    return {"id": job_id, "status": "failed", "error_code": code, "error_msg": message}


class Drs(HuaweiService):
    name = "drs"
    invalid_code = INVALID
    routes = (
        Route("POST", "/v3/{project_id}/jobs/batch-retry-task", "drs.retry", "retry"),
        Route("POST", "/v3/{project_id}/jobs/batch-starting", "drs.start", "start"),
        Route("POST", "/v3/{project_id}/jobs/batch-status", "drs.status", "status"),
        Route("POST", "/v3/{project_id}/jobs", "drs.list", "list_jobs"),
    )

    def retry(self, req, params):
        return self._batch(req, RETRY, None)

    def start(self, req, params):
        return self._batch(req, START, self._start_steps)

    def _start_steps(self, entry, job):
        """A start_time in the future: WAITING_FOR_START until then, the job's timeline from then on."""
        start_time = entry.get("start_time")
        if start_time in (None, ""):
            return None
        try:
            delay = int(str(start_time)) / 1000.0 - self.emu.clock.wall()
        except ValueError:
            raise Refused(INVALID, "start_time %r is not a timestamp in epoch milliseconds" % (start_time,))
        if delay <= 0:
            return None
        return [(0.0, "WAITING_FOR_START")] + [(at + delay, status) for at, status in START.steps(job)]

    def _batch(self, req, action, steps_for):
        jobs = body_object(req).get("jobs")
        if not isinstance(jobs, list) or not jobs or not all(isinstance(j, dict) and isinstance(j.get("job_id"), str)
                                                             and j["job_id"] for j in jobs):
            raise BadRequest("jobs must be a non-empty list of {\"job_id\": ...}")
        world = self.emu.world
        results = []
        acted = False
        with world.lock:
            now = self.emu.clock.now()
            for entry in jobs:
                job_id = entry["job_id"]
                job = world.drs.get(job_id)
                if job is None:
                    results.append(_failed(job_id, *NOT_FOUND))
                    continue
                try:
                    action.apply(job, job_id, now, steps_for(entry, job) if steps_for else None, self.emu.lag(job))
                except Refused as exc:
                    results.append(_failed(job_id, exc.code, exc.message))
                    continue
                acted = True
                results.append({"id": job_id, "status": "success"})
        return Answer(200, {"results": results, "count": len(results)}, acted=acted)

    def status(self, req, params):
        body = body_object(req)
        ids = id_list(body.get("jobs"), "jobs")
        page = obj(body.get("page_req"))
        per_page, cur_page = page.get("per_page", 0), page.get("cur_page", 1)
        if not isinstance(per_page, int) or not 0 <= per_page <= 100 or not isinstance(cur_page, int) or cur_page < 1:
            raise BadRequest("page_req.per_page must be 0-100 (0: all) and page_req.cur_page at least 1")
        shown = ids if per_page == 0 else ids[(cur_page - 1) * per_page:cur_page * per_page]
        world = self.emu.world
        results = []
        with world.lock:
            now = self.emu.clock.now()
            for job_id in shown:
                job = world.drs.get(job_id)
                error = job.info.get("status_error") if job is not None else {"code": NOT_FOUND[0], "msg": NOT_FOUND[1]}
                if error:
                    results.append({"id": job_id, "error_code": error["code"], "error_message": error["msg"]})
                else:
                    results.append({"id": job_id, "status": job.status(now)})
        return Answer(200, {"results": results, "count": len(ids)})

    # the job list ----------------------------------------------------------------------------------------------------
    @staticmethod
    def _query(body):
        """QueryJobsReq checked as the API documents it: (cur_page, per_page, filters); BadRequest otherwise."""
        unknown = sorted(set(body) - set(LIST_KEYS))
        if unknown:
            raise BadRequest("unknown fields %s in the job query (known: %s)" % (", ".join(unknown), ", ".join(LIST_KEYS)))
        cur_page, per_page = body.get("cur_page", 1), body.get("per_page", 10)
        for name, value in (("cur_page", cur_page), ("per_page", per_page)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise BadRequest("%s must be an integer >= 0, got %r" % (name, value))
        if per_page > 100:
            raise BadRequest("per_page must be 0-100, got %d" % per_page)
        if per_page == 0 and cur_page > 1:
            raise BadRequest("with per_page 0, cur_page must be 0 or 1, got %d" % cur_page)
        filters = {}
        for name, choices in LIST_CHOICES.items():
            value = body.get(name)
            if value is not None:
                if value not in choices:
                    raise BadRequest("%s must be one of %s, got %r" % (name, ", ".join(choices), value))
                filters[name] = value
        for name in LIST_STRINGS:
            value = body.get(name)
            if value is not None:
                if not isinstance(value, str) or not value:
                    raise BadRequest("%s must be a non-empty string, got %r" % (name, value))
                filters[name] = value
        if "name" in filters and len(filters["name"].split(",")) > MAX_LIST_IDS:
            raise BadRequest("name takes at most %d comma-separated job IDs" % MAX_LIST_IDS)
        tags = body.get("tags")
        if tags is not None:
            if not isinstance(tags, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items()):
                raise BadRequest("tags must be an object of string keys and values")
            filters["tags"] = tags
        instance_ids = body.get("instance_ids")
        if instance_ids is not None:
            id_list(instance_ids, "instance_ids")
            if len(instance_ids) > MAX_INSTANCE_IDS:
                raise BadRequest("instance_ids takes at most %d instance IDs, got %d" % (MAX_INSTANCE_IDS, len(instance_ids)))
            filters["instance_ids"] = instance_ids
        return cur_page, per_page, filters

    @staticmethod
    def _matches(job, status, filters):
        info = job.info
        for name, wanted in filters.items():
            if name == "status":
                if status != wanted:
                    return False
            elif name == "name":
                # "the job name or ID": an ID among the comma-separated ones, or a name containing the text
                if job.id not in wanted.split(",") and wanted not in info.get("name", job.id):
                    return False
            elif name == "tags":
                tags = info.get("tags") or {}
                if any(tags.get(k) != v for k, v in wanted.items()):
                    return False
            elif name == "instance_ids":
                if not set(wanted) & set(info.get("instance_ids") or []):
                    return False
            elif name == "enterprise_project_id":
                if info.get("enterprise_project_id", "0") != wanted:
                    return False
            elif name == "service_name":
                continue
            elif info.get(name, dict(JOB_DEFAULTS).get(name)) != wanted:
                return False
        return True

    @staticmethod
    def job_info(job, status):
        """A JobInfo (the SDK's model) for a job: the scenario's fields, else the defaults."""
        info = job.info
        view = {"id": job.id, "name": info.get("name", job.id), "status": status,
                "create_time": str(info.get("create_time", CREATED_MS))}
        for key, default in JOB_DEFAULTS:
            view[key] = info.get(key, default)
        view.update({"children": info.get("children", []), "node_newFramework": info.get("node_newFramework", True),
                     "job_action": info.get("job_action")})
        return view

    def list_jobs(self, req, params):
        cur_page, per_page, filters = self._query(body_object(req))
        world = self.emu.world
        with world.lock:
            now = self.emu.clock.now()
            found = []
            for job in world.drs.values():
                status = job.status(now)
                if self._matches(job, status, filters):
                    found.append((job, status))
        shown = found if per_page == 0 or cur_page == 0 else found[(cur_page - 1) * per_page:cur_page * per_page]
        return Answer(200, {"total_record": len(found), "jobs": [self.job_info(job, status) for job, status in shown]})
