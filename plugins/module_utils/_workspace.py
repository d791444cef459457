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

from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import path_quote
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import JobAction
from ansible_collections.cloudops.jobs.plugins.module_utils._results import STATUS_NOT_FOUND

FAILED_STATES = frozenset(["FAILED", "FAIL"])
SUCCEEDED_STATES = frozenset(["SUCCESS", "COMPLETE"])
RUNNING_STATES = frozenset(["RUNNING", "WAITING", "INIT"])
# Only registration and deregistration jobs can be retried (API reference).
RETRYABLE_JOB_TYPES = frozenset(["applyWorkspace", "cancelWorkspace"])


class WorkspaceRetry(JobAction):
    """``POST /v2/{project_id}/workspace-jobs/{job_id}/actions`` with ``{"op_type": "retry"}``, per job."""

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
        self.job_types = {}
        self.read_errors = {}

    def _each(self, fn, ids):
        """``[(id, value or ApiError)]`` in the order of ``ids``, at most ``parallelism`` in flight."""
        def guarded(job_id):
            try:
                return fn(job_id)
            except ApiError as exc:
                return exc
        ids = list(ids)
        if len(ids) <= 1 or self.parallelism <= 1:
            return [(job_id, guarded(job_id)) for job_id in ids]
        self.client.project_id()  # resolve once, before the threads start
        with ThreadPoolExecutor(max_workers=min(self.parallelism, len(ids))) as pool:
            return list(zip(ids, pool.map(guarded, ids)))

    def _path(self, job_id, suffix=""):
        return "/v2/{project_id}/workspace-jobs/%s%s" % (path_quote(job_id), suffix)

    def read_states(self, ids):
        """One ``GET`` per job, concurrently; a job the service answers 404 for is absent (not found).

        A read that fails otherwise is that job's alone (``read_error``): the other jobs are not held back by it.
        """
        states = {}
        self.read_errors = {}
        for job_id, answer in self._each(lambda j: self.client.call("workspace", "GET", self._path(j), idempotent=True), ids):
            if isinstance(answer, ApiError):
                if answer.http_status != 404:
                    self.read_errors[job_id] = answer
                continue
            data = answer[0]
            states[job_id] = data.get("status") or "UNKNOWN"
            self.job_types[job_id] = data.get("job_type")
        return states

    def read_error(self, job_id):
        return self.read_errors.get(job_id)

    def refusal(self, job_id, state):
        job_type = self.job_types.get(job_id)
        if job_type and job_type not in RETRYABLE_JOB_TYPES:
            return "a %s job cannot be retried: Workspace retries only %s jobs" % (job_type, " and ".join(sorted(RETRYABLE_JOB_TYPES)))
        return None

    def act(self, ids, results):
        body = {"op_type": self.op_type}
        sent = self._each(lambda j: self.client.call("workspace", "POST", self._path(j, "/actions"), body=body), ids)
        for job_id, answer in sent:
            if isinstance(answer, ApiError):
                results.failed_from(job_id, answer)
                if answer.http_status == 404:
                    results.update(job_id, status=STATUS_NOT_FOUND)
                continue
            data, request_id = answer
            results.acted(job_id, "success", new_job_id=data.get("job_id"), request_id=request_id)
