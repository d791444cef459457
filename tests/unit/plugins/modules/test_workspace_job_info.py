# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""workspace_job_info end to end over a fake Workspace client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.modules import workspace_job_info
from ansible_collections.cloudops.jobs.tests.unit.plugins.runner_fakes import huawei_module_runner


class FakeWorkspace:
    def __init__(self, jobs, errors=None):
        self.jobs = jobs
        self.errors = errors or {}
        self.paths = []
        self.lock = threading.Lock()

    def project_id(self):
        return "0123456789abcdef0123456789abcdef"

    def call(self, service, method, path, body=None, query=None, headers=None, idempotent=False, derived=None):
        assert (service, method, body, idempotent) == ("workspace", "GET", None, True)
        with self.lock:
            self.paths.append(path)
        job_id = path.rsplit("/", 1)[1]
        if job_id in self.errors:
            raise self.errors[job_id]
        if job_id not in self.jobs:
            raise ApiError("The job does not exist.", code="WKS.00130004", http_status=404, request_id="rid-404")
        return dict(self.jobs[job_id], id=job_id), "rid"


JOBS = {
    "ws-1": {"job_type": "applyWorkspace", "status": "FAILED", "fail_reason": "quota", "job_error_code": "WKS.0101",
             "begin_time": "2026-12-01T00:00:00Z", "end_time": "2026-12-01T00:05:00Z", "sub_jobs_total": 1,
             "sub_jobs": [{"id": "sub-1", "status": "FAILED"}]},
    "ws-2": {"job_type": "cancelWorkspace", "status": "SUCCESS", "sub_jobs": []},
}


@pytest.fixture
def run(monkeypatch, capsys):
    return huawei_module_runner(monkeypatch, capsys, workspace_job_info.main)


@pytest.mark.parametrize("check_mode", [False, True])
def test_reads_each_job_in_the_users_order(run, check_mode):
    fake = FakeWorkspace(JOBS)
    result = run(fake, check_mode=check_mode, job_ids=["ws-2", "gone", "ws-1", "ws-2"], parallelism=3)
    assert not result["changed"] and not result.get("failed")
    assert [j["id"] for j in result["jobs"]] == ["ws-2", "gone", "ws-1"]
    assert result["jobs"][1] == {"id": "gone", "status": "not_found"}
    ws1 = result["jobs"][2]
    assert ws1 == dict(JOBS["ws-1"], id="ws-1")
    assert sorted(fake.paths) == sorted("/v2/{project_id}/workspace-jobs/%s" % j for j in ("ws-2", "gone", "ws-1"))
    assert run.built == [3]


def test_a_job_that_cannot_be_read_fails_the_task_and_the_others_are_reported(run):
    fake = FakeWorkspace(JOBS, errors={"ws-1": ApiError("upstream timeout", code="APIGW.0201", http_status=504, request_id="r5")})
    result = run(fake, job_ids=["ws-1", "ws-2"])
    assert result["failed"] and "ws-1" in result["msg"] and "1 of 2" in result["msg"]
    assert result["jobs"][0]["status"] == "unknown" and result["jobs"][0]["error_code"] == "APIGW.0201"
    assert result["jobs"][1]["status"] == "SUCCESS"


@pytest.mark.parametrize("args,words", [
    (dict(job_ids=[]), ["job_ids"]),
    (dict(job_ids=["../x"]), ["job_ids"]),
    (dict(job_ids=["ws-1"], parallelism=0), ["parallelism must be greater than 0"]),
    (dict(job_ids=["ws-1"], filters={}), ["filters"]),
])
def test_bad_input_fails_before_any_request(run, args, words):
    fake = FakeWorkspace(JOBS)
    result = run(fake, **args)
    assert result["failed"]
    for word in words:
        assert word in result["msg"]
    assert fake.paths == []
