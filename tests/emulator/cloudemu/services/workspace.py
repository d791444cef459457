# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Workspace jobs: ``POST .../workspace-jobs/{job_id}/actions`` (retry) and ``GET .../workspace-jobs/{job_id}``.

A retry answers a new job id; the retried job and that id both show the retried run from then on.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import uuid

from cloudemu.messages import Answer
from cloudemu.services.base import BadRequest, HuaweiService, Route, body_object, iso_time
from cloudemu.timeline import Action, Refused

RETRYABLE_TYPES = frozenset(["applyWorkspace", "cancelWorkspace"])
DEFAULT_JOB_TYPE = "applyWorkspace"
TERMINAL = frozenset(["SUCCESS", "FAILED", "COMPLETE", "FAIL"])
FAILED = frozenset(["FAILED", "FAIL"])
NOT_FOUND = "WKS.00130004"
WRONG_STATE = "WKS.00130005"
CREATED = 1704164645  # begin_time of a job the scenario gives none for: 2024-01-02T03:04:05Z

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
            try:
                RETRY.apply(job, job_id, self.emu.clock.now())
            except Refused as exc:
                return self.error(req, exc.http_status, exc.code, exc.message)
            new_id = str(uuid.uuid4())
            self.emu.world.workspace_aliases[new_id] = job
        return Answer(200, {"job_id": new_id}, acted=True)

    def show(self, req, params):
        job_id = params["job_id"]
        clock = self.emu.clock
        with self.emu.world.lock:
            job = self._find(job_id)
            if job is None:
                return self._not_found(req, job_id)
            status = job.status(clock.now())
            acted_at, changed_at = job.acted_at, job.changed_at
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
