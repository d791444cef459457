# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud DRS: batch retry/resume and batch start, with the job state tables.

State values: QueryJobStatusResp in huaweicloudsdkdrs (see docs/dev and the api notes).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import JobAction

FAILED_STATES = frozenset([
    "CREATE_FAILED", "START_JOB_FAILED", "FULL_TRANSFER_FAILED", "INCRE_TRANSFER_FAILED",
    "RELEASE_RESOURCE_FAILED", "REBUILD_NODE_FAILED", "CHANGE_JOB_FAILED", "CHILD_TRANSFER_FAILED",
    "NODE_UPGRADE_FAILED",
])
# Running or done: an action would change nothing.
RUNNING_STATES = frozenset([
    "STARTJOBING", "FULL_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED",
    "CHILD_TRANSFER_STARTING", "CHILD_TRANSFER_STARTED", "CHILD_TRANSFER_COMPLETE", "REBUILD_NODE_STARTED",
    "CHANGE_JOB_STARTED", "NODE_UPGRADE_START", "NODE_UPGRADE_COMPLETE",
])
# Where a started or resumed job settles when it works (incremental sync runs on, healthy).
HEALTHY_STATES = frozenset(["FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED", "CHILD_TRANSFER_STARTED",
                            "CHILD_TRANSFER_COMPLETE"])
SUSPENDED = "PAUSING"
STARTABLE_STATES = frozenset(["CONFIGURATION", "WAITING_FOR_START", "START_JOB_FAILED"])


class DrsAction(JobAction):
    """A DRS v3 batch call: one request carries every job (the API documents no per-request maximum)."""

    path = None
    failed_states = FAILED_STATES | frozenset(["DELETED"])
    succeeded = HEALTHY_STATES

    def __init__(self, client, language="en-us"):
        self.client = client
        self.language = language

    def _headers(self):
        return {"X-Language": self.language}

    def read_states(self, ids):
        """One ``batch-status`` request for all ids (``per_page`` 0 answers every job)."""
        body = {"jobs": list(ids), "page_req": {"cur_page": 1, "per_page": 0}}
        data, _request_id = self.client.call("drs", "POST", "/v3/{project_id}/jobs/batch-status", body=body,
                                             headers=self._headers(), idempotent=True)
        states = {}
        for item in data.get("results") or []:
            if isinstance(item, dict) and item.get("id") and item.get("status"):
                states[item["id"]] = item["status"]
        return states

    def job_body(self, job_id):
        return {"job_id": job_id}

    def act(self, ids, results):
        body = {"jobs": [self.job_body(job_id) for job_id in ids]}
        try:
            data, request_id = self.client.call("drs", "POST", self.path, body=body, headers=self._headers())
        except ApiError as exc:
            for job_id in ids:
                results.failed_from(job_id, exc)
            return
        # The API reference calls the list `results`; its start example answers `jobs`.
        items = data.get("results")
        if items is None:
            items = data.get("jobs")
        for item in items or []:
            if not isinstance(item, dict):
                continue
            job_id = item.get("id") or item.get("job_id")
            if str(item.get("status", "")).lower() == "success":
                results.acted(job_id, "success", request_id=request_id)
            else:
                results.failed(job_id, "failed", item.get("error_msg") or item.get("error_message") or "the service refused the action",
                               error_code=item.get("error_code"), request_id=request_id)
        results.missing_as_unknown(ids, "the service's answer (request id %s) did not mention this job" % request_id)


class DrsRetry(DrsAction):
    """``POST /v3/{project_id}/jobs/batch-retry-task``: retry failed jobs, resume suspended ones."""

    path = "/v3/{project_id}/jobs/batch-retry-task"
    verb = "retried"
    actionable = FAILED_STATES | frozenset([SUSPENDED])
    settled = RUNNING_STATES
    expected_after = "INCRE_TRANSFER_STARTED"
    hints = {"CONFIGURATION": "a configured job that never ran is started with cloudops.jobs.drs_job_start",
             "WAITING_FOR_START": "it is scheduled to start; cloudops.jobs.drs_job_start can start it now"}

    def __init__(self, client, language="en-us", sync_re_edit=None):
        super(DrsRetry, self).__init__(client, language)
        self.sync_re_edit = sync_re_edit

    def job_body(self, job_id):
        body = {"job_id": job_id}
        if self.sync_re_edit is not None:
            body["is_sync_re_edit"] = self.sync_re_edit
        return body


class DrsStart(DrsAction):
    """``POST /v3/{project_id}/jobs/batch-starting``: start configured jobs, now or at a time."""

    path = "/v3/{project_id}/jobs/batch-starting"
    verb = "started"
    actionable = STARTABLE_STATES
    settled = RUNNING_STATES
    succeeded = HEALTHY_STATES | frozenset(["WAITING_FOR_START"])
    expected_after = "STARTJOBING"
    hints = dict((state, "a failed job that ran before is retried with cloudops.jobs.drs_job_retry")
                 for state in FAILED_STATES if state != "START_JOB_FAILED")
    hints["PAUSING"] = "a suspended job is resumed with cloudops.jobs.drs_job_retry"

    def __init__(self, client, language="en-us", start_times=None):
        super(DrsStart, self).__init__(client, language)
        self.start_times = start_times or {}

    def job_body(self, job_id):
        body = {"job_id": job_id}
        if self.start_times.get(job_id) is not None:
            body["start_time"] = self.start_times[job_id]
        return body
