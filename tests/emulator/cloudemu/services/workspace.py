# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Workspace jobs: ``POST .../workspace-jobs/{job_id}/actions`` (retry) and ``GET .../workspace-jobs/{job_id}``.

A retry starts a new job and answers its id: the retried job stays FAILED, the new job (readable by its id) shows
``INIT`` while reads lag (``lag_s``), then follows the retried job's timeline for that retry. With the config knob
``workspace_new_job`` false, the retried job itself runs and the id answered is an alias showing the same run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import uuid

from cloudemu.messages import Answer
from cloudemu.scenario import Job
from cloudemu.services.base import BadRequest, HuaweiService, Route, body_object, iso_time
from cloudemu.timeline import Action, Refused, item_steps

RETRYABLE_TYPES = frozenset(["applyWorkspace", "cancelWorkspace"])
DEFAULT_JOB_TYPE = "applyWorkspace"
TERMINAL = frozenset(["SUCCESS", "FAILED", "COMPLETE", "FAIL"])
FAILED = frozenset(["FAILED", "FAIL"])
NOT_FOUND = "WKS.00130004"
WRONG_STATE = "WKS.00130005"
CREATED = 1704164645  # begin_time of a job the scenario gives none for: 2024-01-02T03:04:05Z
NEW_JOB_STATUS = "INIT"   # what a new job shows while reads lag
# Fields of the retried job a new job does not take over.
NOT_INHERITED = ("begin_time", "end_time", "lag_s")

RETRY = Action(lambda s: s == "FAILED", WRONG_STATE,
               "The job {id} is {status}: only a FAILED job can be retried.", [(0.0, "SUCCESS")])


class Workspace(HuaweiService):
    name = "workspace"
    invalid_code = "WKS.00130001"
    routes = (
        Route("POST", "/v2/{project_id}/workspace-jobs/{job_id}/actions", "workspace.action", "action"),
        Route("GET", "/v2/{project_id}/workspace-jobs/{job_id}", "workspace.show", "show"),
    )

    def _find(self, job_id):
        world = self.emu.world
        return world.workspace.get(job_id) or world.workspace_aliases.get(job_id)

    def _not_found(self, req, job_id):
        return self.error(req, 404, NOT_FOUND, "The job %s does not exist." % job_id)

    def action(self, req, params):
        job_id = params["job_id"]
        if body_object(req).get("op_type") != "retry":
            raise BadRequest("op_type must be retry")
        with self.emu.world.lock:
            job = self._find(job_id)
            if job is None:
                return self._not_found(req, job_id)
            if job.info.get("job_type", DEFAULT_JOB_TYPE) not in RETRYABLE_TYPES:
                return self.error(req, 400, WRONG_STATE, "The job %s is a %s job: only registration (applyWorkspace) and "
                                  "deregistration (cancelWorkspace) jobs can be retried." % (job_id, job.info.get("job_type")))
            now = self.emu.clock.now()
            new_id = str(uuid.uuid4())
            try:
                if self.emu.config["workspace_new_job"]:
                    self._new_job(job, job_id, new_id, now)
                else:
                    RETRY.apply(job, job_id, now, lag=self.emu.lag(job))
                    self.emu.world.workspace_aliases[new_id] = job
            except Refused as exc:
                return self.error(req, exc.http_status, exc.code, exc.message)
        return Answer(200, {"job_id": new_id}, acted=True)

    def _new_job(self, job, job_id, new_id, now):
        """The retry starts job ``new_id``: INIT while reads lag, then the retried job's timeline for this retry."""
        RETRY.check(job, job_id, now)
        steps = item_steps(job, RETRY.default_steps)
        # a retry of the new job takes the retried job's next timelines (the last one repeats)
        later = job.timelines[min(job.actions + 1, len(job.timelines) - 1):] if job.timelines else None
        info = dict((k, v) for k, v in job.info.items() if k not in NOT_INHERITED)
        new = Job(new_id, NEW_JOB_STATUS, timeline=job.timeline, info=info, timelines=later)
        new.begin(now, steps, self.emu.lag(job))
        new.actions = 0
        job.actions += 1    # the retried job keeps its status, begin_time and end_time
        world = self.emu.world
        world.workspace[new_id] = new
        world.workspace_retry_of[new_id] = job_id

    def show(self, req, params):
        job_id = params["job_id"]
        clock = self.emu.clock
        with self.emu.world.lock:
            job = self._find(job_id)
            if job is None:
                return self._not_found(req, job_id)
            now = clock.now()
            status = job.status(now)
            changed_at = job.changed(now)
            new_job = job.id in self.emu.world.workspace_retry_of
            acted_at = job.acted_at if new_job or (job.acted_at is not None and not job.lagging(now)) else None
        info = job.info
        begin = iso_time(clock.wall_of(acted_at)) if acted_at is not None else info.get("begin_time", iso_time(CREATED))
        end = None
        if status in TERMINAL:
            end = iso_time(clock.wall_of(changed_at)) if changed_at is not None else info.get("end_time", begin)
        failed = status in FAILED
        return Answer(200, {
            "id": job_id, "job_type": info.get("job_type", DEFAULT_JOB_TYPE), "status": status,
            "begin_time": begin, "end_time": end,
            "job_error_code": info.get("job_error_code") if failed else None,
            "fail_reason": info.get("fail_reason") if failed else None,
            "sub_jobs_total": 0, "sub_jobs": [],
        })
