# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud DRS: batch retry/resume and batch start, with the job state tables.

State values: QueryJobStatusResp in huaweicloudsdkdrs (see docs/dev and the api notes).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.jobs.plugins.module_utils import _discovery
from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError, Shape
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import Discovery, JobAction, Record
from ansible_collections.cloudops.jobs.plugins.module_utils._results import STATUS_NOT_FOUND, Outcome

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
# Every job state QueryJobsReq.status documents: a filter value outside it is refused before any request.
JOB_STATES = FAILED_STATES | RUNNING_STATES | ENDED_STATES | STARTABLE_STATES | frozenset([SUSPENDED])
# The error code of a batch-status or batch action entry for a job the service does not know.
NOT_FOUND_CODES = ("DRS.10000011",)
ENDED_HINT = "the job is deleted or its resources are being released: it cannot be recovered"


# Discovery: QueryJobsReq (POST /v3/{project_id}/jobs): per_page 0-100 (0 with cur_page 0 or 1 may mean "every job";
# that is not relied on), one status per query, instance_ids at most 10.
LIST_PATH = "/v3/{project_id}/jobs"
PER_PAGE = 100
FILTER_KEYS = ("status", "name", "engine_type", "db_use_type", "net_type", "enterprise_project_id", "tags",
               "instance_ids", "instance_ip")
INSTANCE_IDS_MAX = 10


def check_filters(filters, option="filters"):
    """``filters`` for the DRS job list, checked before any request and normalized: ``status`` a list (one query
    each), lists without duplicates in the user's order. Raises InputError naming the key and what is accepted."""
    out = {}
    for key, value in _discovery.check_keys(_discovery.DRS, filters, FILTER_KEYS, option).items():
        if key == "status":
            out[key] = _discovery.one_of(option, key, _discovery.texts(option, key, value), JOB_STATES, "DRS job state")
        elif key == "tags":
            if not isinstance(value, dict) or not value:
                raise InputError("%s.tags must be a dict of tag keys to tag values, for example {env: prod}, got %r"
                                 % (option, value))
            out[key] = dict((_discovery.text(option, "tags", k, "a tag key"), _discovery.text(option, "tags", v, "a tag value (a string)"))
                            for k, v in value.items())
        elif key == "instance_ids":
            ids = _discovery.texts(option, key, value, "a database instance ID or a list of them")
            if len(ids) > INSTANCE_IDS_MAX:
                raise InputError("%s.instance_ids has %d IDs; DRS accepts at most %d" % (option, len(ids), INSTANCE_IDS_MAX))
            out[key] = ids
        else:
            out[key] = _discovery.text(option, key, value)
    return out


def list_query(filters, status=None, cur_page=1, per_page=PER_PAGE):
    """The QueryJobsReq body of one page: ``filters`` as :func:`check_filters` normalized them, one ``status``."""
    body = {"cur_page": cur_page, "per_page": per_page}
    for key in FILTER_KEYS:
        if key != "status" and filters.get(key) is not None:
            body[key] = filters[key]
    if status is not None:
        body["status"] = status
    return body


def list_jobs(client, filters, language="en-us", statuses=None):
    """Every DRS job ``filters`` select (as :func:`check_filters` returned them: they are not checked again): a list
    of job dicts as the service answers them (``id``, ``name``, ``status``, ``create_time``, ``engine_type``,
    ``net_type``, ``db_use_type``, ``task_type``, ``job_direction``, ...).

    The API takes one ``status`` per query: one query per status of ``filters`` (or, when ``filters`` has none, of
    ``statuses``; ``statuses`` None means every job, whatever its state). Pages of 100, until a short page or the
    ``total_record`` count; a job that shows up twice (it changed state between queries) is kept once, where it first
    appeared. A job whose ``status`` is not the queried one (it changed state while being listed) is left out.
    """
    wanted = filters.get("status")
    if wanted is None:
        wanted = [None] if statuses is None else list(statuses)
    headers = {"X-Language": language}
    out, seen = [], set()
    for status in wanted:
        got = 0
        request_id = None
        for page in range(1, _discovery.MAX_PAGES + 1):
            data, request_id = client.call("drs", "POST", LIST_PATH, body=list_query(filters, status, page), headers=headers,
                                           idempotent=True)
            shape = Shape("DRS job list (POST /v3/{project_id}/jobs)", request_id)
            data = shape.obj(data)
            jobs = shape.items(data, "jobs", "a job object")
            total = shape.get(data, "total_record", (int,), optional=True)
            got += len(jobs)
            for index, job in enumerate(jobs):
                job_id = shape.get(job, "id", (str,), "jobs[%d].id" % index)
                if shape.get(job, "status", (str,), "jobs[%d].status" % index) != (status or job["status"]):
                    continue   # it changed state while being listed
                _discovery.add_once(out, seen, job_id, dict(job))
            if not _discovery.more_pages(len(jobs) >= PER_PAGE, got, total):
                break
        else:
            raise _discovery.paging_stopped("DRS jobs", _discovery.MAX_PAGES, request_id)
    return out


def read_status(client, ids, language="en-us"):
    """``{id: Record}`` from one ``batch-status`` request (``per_page`` 0: every job): the job's ``state``, or, for
    the error entry DRS answers for a job it cannot read (``id``, ``error_code``, ``error_message``, no ``status``),
    its ``error``. A job it does not know (``DRS.10000011``) and an id the answer does not mention are absent.
    """
    body = {"jobs": list(ids), "page_req": {"cur_page": 1, "per_page": 0}}
    data, request_id = client.call("drs", "POST", "/v3/{project_id}/jobs/batch-status", body=body,
                                   headers={"X-Language": language}, idempotent=True)
    shape = Shape("DRS batch-status (POST /v3/{project_id}/jobs/batch-status)", request_id)
    wanted = set(ids)
    records = {}
    for index, item in enumerate(shape.items(shape.obj(data), "results", "a job status object")):
        job_id = shape.get(item, "id", (str,), "results[%d].id" % index)
        status = shape.get(item, "status", (str,), "results[%d].status" % index, optional=True)
        code = None if status else shape.get(item, "error_code", (str,), "results[%d].status or error_code" % index)
        if job_id not in wanted or code in NOT_FOUND_CODES:
            continue
        if status:
            records[job_id] = Record(status)
        else:
            records[job_id] = Record(error=ApiError(item.get("error_message") or item.get("error_msg") or
                                                    "the service answered no status for this job",
                                                    code=code, request_id=request_id))
    return records


class DrsAction(JobAction):
    """A DRS v3 batch call: one request carries every job (the API documents no per-request maximum)."""

    path = None
    failed_states = FAILED_STATES | ENDED_STATES
    succeeded = HEALTHY_STATES

    def __init__(self, client, language="en-us"):
        self.client = client
        self.language = language

    def read(self, ids):
        return read_status(self.client, ids, self.language)

    def discover(self, filters):
        jobs = list_jobs(self.client, filters or {}, self.language, statuses=sorted(self.actionable))   # each job once
        records = dict((job["id"], Record(job.get("status"))) for job in jobs)
        return Discovery(records, "no DRS job matched filters in a state it can be %s from" % self.verb)

    def job_body(self, job_id):
        return {"job_id": job_id}

    def act(self, ids):
        body = {"jobs": [self.job_body(job_id) for job_id in ids]}
        # An error answer fails every job of the request (the Runner records it): one request carries them all.
        return self._outcomes(*self.client.call("drs", "POST", self.path, body=body, headers={"X-Language": self.language}))

    def _outcomes(self, data, request_id):
        # The API reference (and the SDK's BatchRestoreTaskResponse/BatchStartJobsResponse) call the list `results`;
        # the start example answers `jobs`.
        shape = Shape("DRS %s (POST %s)" % (self.path.rsplit("/", 1)[-1], self.path), request_id, write=True)
        data = shape.obj(data)
        key = "jobs" if "results" not in data and "jobs" in data else "results"
        outcomes = {}
        for index, item in enumerate(shape.items(data, key, "a job result object")):
            job_id = item.get("id") if "id" in item else item.get("job_id")
            if not isinstance(job_id, str) or not job_id:
                raise shape.error("%s[%d].id" % (key, index), "missing" if job_id is None else "not a job ID", "a string")
            status = shape.get(item, "status", (str,), "%s[%d].status" % (key, index))
            if status.lower() == "success":
                outcomes[job_id] = Outcome.acted("success", request_id=request_id)
            else:
                code = item.get("error_code")
                outcomes[job_id] = Outcome.refused(
                    STATUS_NOT_FOUND if code in NOT_FOUND_CODES else "failed",
                    item.get("error_msg") or item.get("error_message") or "the service refused the action",
                    error_code=code, request_id=request_id)
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
