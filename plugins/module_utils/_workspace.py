# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud Workspace: retry failed jobs, one request per job, many in flight at once.

Top-level job ``status`` values are not documented. Seen: SUCCESS, RUNNING, FAILED, WAITING, INIT;
Huawei's Terraform provider treats COMPLETE, SUCCESS and FAIL as terminal. Any other value is
treated as not final (waiting goes on) and is neither retried nor skipped.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.cloudops.jobs.plugins.module_utils._errors import MALFORMED, ApiError, Shape
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import path_quote
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import JobAction, Record
from ansible_collections.cloudops.jobs.plugins.module_utils._results import STATUS_NOT_FOUND, Outcome

FAILED_STATES = frozenset(["FAILED", "FAIL"])
SUCCEEDED_STATES = frozenset(["SUCCESS", "COMPLETE"])
RUNNING_STATES = frozenset(["RUNNING", "WAITING", "INIT"])
# Only registration and deregistration jobs can be retried (API reference).
RETRYABLE_JOB_TYPES = frozenset(["applyWorkspace", "cancelWorkspace"])


def job_path(job_id, suffix=""):
    return "/v2/{project_id}/workspace-jobs/%s%s" % (path_quote(job_id), suffix)


def read_job(client, job_id):
    """The job as ``GET /v2/{project_id}/workspace-jobs/{job_id}`` answers it (``id``, ``job_type``, ``status``,
    ``fail_reason``, ``job_error_code``, ``begin_time``, ``end_time``, ``sub_jobs``...); raises ApiError (404: unknown)."""
    data, request_id = client.call("workspace", "GET", job_path(job_id), idempotent=True)
    shape = Shape("Workspace job (GET /v2/{project_id}/workspace-jobs/{job_id})", request_id)
    data = shape.obj(data)
    shape.get(data, "status", (str,))
    shape.get(data, "job_type", (str,), optional=True)
    return data


def each(client, fn, ids, parallelism):
    """``[(id, value or ApiError)]`` in the order of ``ids``, at most ``parallelism`` calls of ``fn`` in flight."""
    def guarded(job_id):
        try:
            return fn(job_id)
        except ApiError as exc:
            return exc
    ids = list(ids)
    if len(ids) <= 1 or parallelism <= 1:
        return [(job_id, guarded(job_id)) for job_id in ids]
    client.project_id()  # resolve once, before the threads start
    with ThreadPoolExecutor(max_workers=min(parallelism, len(ids))) as pool:
        return list(zip(ids, pool.map(guarded, ids)))


class WorkspaceRetry(JobAction):
    """``POST /v2/{project_id}/workspace-jobs/{job_id}/actions`` with ``{"op_type": "retry"}``, per job.

    A retry starts a new job: the answer's ``job_id`` (reported as ``new_job_id``) is the job ``wait`` follows; the
    retried job can stay ``FAILED``.
    """

    verb = "retried"
    actionable = FAILED_STATES
    settled = SUCCEEDED_STATES | RUNNING_STATES
    succeeded = SUCCEEDED_STATES
    failed_states = FAILED_STATES
    expected_after = "RUNNING"

    def __init__(self, client, op_type="retry", parallelism=8):
        self.client = client
        self.op_type = op_type
        self.parallelism = parallelism

    def read(self, ids):
        """One ``GET`` per job, concurrently; a job the service answers 404 for is absent (not found).

        A read that fails otherwise is that job's alone (``Record.error``): the other jobs are not held back by it.
        """
        records = {}
        answers = each(self.client, lambda j: read_job(self.client, j), ids, self.parallelism)
        for job_id, answer in answers:
            if isinstance(answer, ApiError) and (answer.code == MALFORMED or answer.step):
                raise answer   # the service's answers cannot be read, or no request could be made: nothing is acted on
        for job_id, answer in answers:
            if isinstance(answer, ApiError):
                if answer.http_status != 404:
                    records[job_id] = Record(error=answer)
                continue
            job_type = answer.get("job_type")
            refusal = None
            if job_type and job_type not in RETRYABLE_JOB_TYPES:
                refusal = "a %s job cannot be retried: Workspace retries only %s jobs" % (
                    job_type, " and ".join(sorted(RETRYABLE_JOB_TYPES)))
            records[job_id] = Record(answer["status"], refusal=refusal)
        return records

    def act(self, ids):
        outcomes = {}
        for job_id, answer in each(self.client, self._retry, ids, self.parallelism):
            if isinstance(answer, ApiError):
                outcomes[job_id] = Outcome.from_error(answer, STATUS_NOT_FOUND if answer.http_status == 404 else None)
            else:
                outcomes[job_id] = Outcome.acted("success", request_id=answer[1], started_as=answer[0], new_job_id=answer[0])
        return outcomes

    def _retry(self, job_id):
        """(the id of the job the retry started, request id); RunActionsOnWorkspaceJobResponse: ``job_id``."""
        data, request_id = self.client.call("workspace", "POST", job_path(job_id, "/actions"), body={"op_type": self.op_type})
        shape = Shape("Workspace job action (POST /v2/{project_id}/workspace-jobs/{job_id}/actions)", request_id, write=True)
        return shape.get(shape.obj(data), "job_id", (str,)), request_id
