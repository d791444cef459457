# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei DRS v3 batch calls: batch-retry-task, batch-starting, batch-status.

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
                    action.apply(job, job_id, now, steps_for(entry, job) if steps_for else None)
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
                if job is None:
                    results.append({"id": job_id, "error_code": NOT_FOUND[0], "error_message": NOT_FOUND[1]})
                else:
                    results.append({"id": job_id, "status": job.status(now)})
        return Answer(200, {"results": results, "count": len(ids)})
