# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud DRS: batch retry/resume and batch start, with the job state tables.

State values: QueryJobStatusResp in huaweicloudsdkdrs (see docs/dev and the api notes).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import check_ids
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import Discovery, JobAction, Record
from ansible_collections.cloudops.jobs.plugins.module_utils._results import Outcome

FAILED_STATES = frozenset([
    "CREATE_FAILED", "START_JOB_FAILED", "FULL_TRANSFER_FAILED", "INCRE_TRANSFER_FAILED",
    "RELEASE_RESOURCE_FAILED", "REBUILD_NODE_FAILED", "CHANGE_JOB_FAILED", "CHILD_TRANSFER_FAILED",
    "NODE_UPGRADE_FAILED",
])
# Running or done: an action would change nothing.
RUNNING_STATES = frozenset([
    "CREATING", "STARTJOBING", "FULL_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED",
    "CHILD_TRANSFER_STARTING", "CHILD_TRANSFER_STARTED", "CHILD_TRANSFER_COMPLETE", "REBUILD_NODE_STARTED",
    "CHANGE_JOB_STARTED", "NODE_UPGRADE_START", "NODE_UPGRADE_COMPLETE",
])
# Ended or ending: the job (or its child transfer) is deleted or being released; nothing can recover it, and
# waiting ends there.
ENDED_STATES = frozenset([
    "DELETED", "RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_COMPLETE", "RELEASE_CHILD_TRANSFER_STARTED",
    "RELEASE_CHILD_TRANSFER_COMPLETE",
])
# Where a started or resumed job settles when it works (incremental sync runs on, healthy).
HEALTHY_STATES = frozenset(["FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED", "CHILD_TRANSFER_STARTED",
                            "CHILD_TRANSFER_COMPLETE"])
SUSPENDED = "PAUSING"
STARTABLE_STATES = frozenset(["CONFIGURATION", "WAITING_FOR_START", "START_JOB_FAILED"])
ENDED_HINT = "the job is deleted or its resources are being released: it cannot be recovered"


def read_status(client, ids, language="en-us"):
    """``{id: {"status", "error_code", "error_msg"}}`` from one ``batch-status`` request (``per_page`` 0: every job).

    DRS answers an error entry (``id``, ``error_code``, ``error_message``, no ``status``) for a job it cannot read;
    an id the answer does not mention is absent.
    """
    body = {"jobs": list(ids), "page_req": {"cur_page": 1, "per_page": 0}}
    data, request_id = client.call("drs", "POST", "/v3/{project_id}/jobs/batch-status", body=body,
                                   headers={"X-Language": language}, idempotent=True)
    wanted = set(ids)
    answers = {}
    for item in data.get("results") or []:
        if not isinstance(item, dict) or item.get("id") not in wanted:
            continue
        if item.get("status"):
            answers[item["id"]] = {"status": item["status"], "error_code": None, "error_msg": None}
        else:
            answers[item["id"]] = {"status": None, "error_code": item.get("error_code") or "UnknownError",
                                   "error_msg": item.get("error_message") or item.get("error_msg") or
                                   "the service answered no status for this job", "request_id": request_id}
    return answers


def start_plan(params, warn):
    """``(ids, option, {id: epoch-ms string or None}, start_time)`` from drs_job_start's ``jobs`` (a start time per job)
    or ``job_ids``/``filters`` with one ``start_time`` (epoch-ms string, None: now); raises InputError on bad input,
    before any request. ``ids`` is None with filters."""
    from ansible_collections.cloudops.jobs.plugins.module_utils._timeutil import to_epoch_ms
    start_times = {}
    if params.get("jobs") is not None:
        ids = [job["job_id"] for job in params["jobs"]]
        check_ids(ids, "jobs[].job_id")
        for job in params["jobs"]:
            when = to_epoch_ms(job["start_time"], "jobs[].start_time") if job.get("start_time") not in (None, "") else None
            if job["job_id"] in start_times and start_times[job["job_id"]] != when:
                warn("jobs lists %s twice with different start times; the first is used" % job["job_id"])
            start_times.setdefault(job["job_id"], when)
        return ids, "jobs", start_times, None
    ids = params["job_ids"]
    if ids is not None:
        check_ids(ids, "job_ids")
    when = to_epoch_ms(params["start_time"]) if params.get("start_time") not in (None, "") else None
    return ids, "job_ids", start_times, when


class DrsAction(JobAction):
    """A DRS v3 batch call: one request carries every job (the API documents no per-request maximum)."""

    path = None
    failed_states = FAILED_STATES | ENDED_STATES
    succeeded = HEALTHY_STATES

    def __init__(self, client, language="en-us"):
        self.client = client
        self.language = language

    def read(self, ids):
        records = {}
        for job_id, answer in read_status(self.client, ids, self.language).items():
            if answer["status"]:
                records[job_id] = Record(answer["status"])
            else:
                records[job_id] = Record(error=ApiError(answer["error_msg"], code=answer["error_code"],
                                                        request_id=answer.get("request_id")))
        return records

    def discover(self, filters):
        from ansible_collections.cloudops.jobs.plugins.module_utils._discovery import list_drs_jobs
        jobs = list_drs_jobs(self.client, filters or {}, self.language, statuses=sorted(self.actionable))
        records = {}
        for job in jobs:
            if job.get("id") and job["id"] not in records:
                records[job["id"]] = Record(job.get("status"))
        return Discovery(records, "no DRS job matched filters in a state it can be %s from" % self.verb)

    def job_body(self, job_id):
        return {"job_id": job_id}

    def act(self, ids):
        body = {"jobs": [self.job_body(job_id) for job_id in ids]}
        try:
            data, request_id = self.client.call("drs", "POST", self.path, body=body, headers={"X-Language": self.language})
        except ApiError as exc:
            return dict((job_id, Outcome.from_error(exc)) for job_id in ids)
        # The API reference calls the list `results`; its start example answers `jobs`.
        items = data.get("results")
        if items is None:
            items = data.get("jobs")
        outcomes = {}
        for item in items or []:
            if not isinstance(item, dict):
                continue
            job_id = item.get("id") or item.get("job_id")
            if str(item.get("status", "")).lower() == "success":
                outcomes[job_id] = Outcome.acted("success", request_id=request_id)
            else:
                outcomes[job_id] = Outcome.refused(
                    "failed", item.get("error_msg") or item.get("error_message") or "the service refused the action",
                    error_code=item.get("error_code"), request_id=request_id)
        return outcomes


class DrsRetry(DrsAction):
    """``POST /v3/{project_id}/jobs/batch-retry-task``: retry failed jobs, resume suspended ones."""

    path = "/v3/{project_id}/jobs/batch-retry-task"
    verb = "retried"
    actionable = FAILED_STATES | frozenset([SUSPENDED])
    settled = RUNNING_STATES
    expected_after = "INCRE_TRANSFER_STARTED"
    hints = dict((state, ENDED_HINT) for state in ENDED_STATES)
    hints.update({"CONFIGURATION": "a configured job that never ran is started with cloudops.jobs.drs_job_start",
                  "WAITING_FOR_START": "it is scheduled to start; cloudops.jobs.drs_job_start can start it now"})

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
    hints.update((state, ENDED_HINT) for state in ENDED_STATES)

    def __init__(self, client, language="en-us", start_times=None, start_time=None):
        """``start_times``: {id: epoch-ms string or None} for jobs with their own; ``start_time``: for the others."""
        super(DrsStart, self).__init__(client, language)
        self.start_times = start_times or {}
        self.start_time = start_time

    def job_body(self, job_id):
        body = {"job_id": job_id}
        when = self.start_times.get(job_id, self.start_time)
        if when is not None:
            body["start_time"] = when
        return body
