# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tencent_batch_job_info end to end over a fake Tencent Batch client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._module import CloudJobsModule
from ansible_collections.cloudops.jobs.plugins.modules import tencent_batch_job_info
from ansible_collections.cloudops.jobs.tests.unit.plugins.runner_fakes import run_main

CREDENTIALS = dict(secret_id="AKIDEXAMPLE0000000000000000000000001", secret_key="ExampleSecretKey000000000000000001", region="ap-guangzhou")


class FakeBatch:
    def __init__(self, jobs):
        self.jobs = jobs
        self.calls = []

    def call(self, action, payload, idempotent=False):
        self.calls.append(json.loads(json.dumps(payload)))
        assert action == "DescribeJobs" and idempotent
        assert 1 <= payload["Limit"] <= 100
        if "JobIds" in payload:
            assert "Filters" not in payload and len(payload["JobIds"]) <= 100
            rows = [j for j in self.jobs if j["JobId"] in payload["JobIds"]]
            return {"JobSet": rows, "TotalCount": len(rows), "RequestId": "rid"}, "rid"
        rows = self.jobs
        for f in payload.get("Filters") or []:
            field = {"job-state": "JobState", "job-name": "JobName"}[f["Name"]]
            rows = [j for j in rows if j[field] in f["Values"]]
        return {"JobSet": rows[payload["Offset"]:payload["Offset"] + payload["Limit"]], "TotalCount": len(rows), "RequestId": "rid"}, "rid"


def jobs(n):
    return [{"JobId": "job-%08d" % i, "JobName": "etl" if i % 2 else "ml", "JobState": ("FAILED", "RUNNING", "SUCCEED")[i % 3],
             "CreateTime": "2026-12-01T00:00:00Z", "EndTime": None, "Placement": {"Zone": "ap-guangzhou-3"}, "Priority": 1}
            for i in range(n)]


@pytest.fixture
def run(monkeypatch, capsys):
    def runner(fake, check_mode=False, **args):
        monkeypatch.setattr(CloudJobsModule, "client", lambda self, pool_size=10: fake)
        return run_main(tencent_batch_job_info.main, dict(CREDENTIALS, **args), capsys, check_mode)
    return runner


@pytest.mark.parametrize("check_mode", [False, True])
def test_filters_list_every_matching_job_once(run, check_mode):
    fake = FakeBatch(jobs(250))
    result = run(fake, check_mode=check_mode, filters={"job-state": "FAILED", "job-name": "etl"})
    expected = [j["JobId"] for j in jobs(250) if j["JobState"] == "FAILED" and j["JobName"] == "etl"]
    assert not result["changed"]
    assert [j["id"] for j in result["jobs"]] == expected
    assert result["jobs"][0] == {"id": expected[0], "name": "etl", "status": "FAILED", "create_time": "2026-12-01T00:00:00Z",
                                 "end_time": None, "zone": "ap-guangzhou-3", "priority": 1}
    assert [c["Offset"] for c in fake.calls] == [0]
    assert fake.calls[0]["Filters"] == [{"Name": "job-state", "Values": ["FAILED"]}, {"Name": "job-name", "Values": ["etl"]}]


def test_empty_filters_page_through_every_job(run):
    fake = FakeBatch(jobs(250))
    result = run(fake, filters={})
    assert len(result["jobs"]) == 250 and len({j["id"] for j in result["jobs"]}) == 250
    assert [c["Offset"] for c in fake.calls] == [0, 100, 200]
    assert all("Filters" not in c for c in fake.calls)


def test_job_ids_in_the_users_order_with_not_found(run):
    fake = FakeBatch(jobs(3))
    result = run(fake, job_ids=["job-00000002", "job-99999999", "job-00000000"])
    assert [(j["id"], j["status"]) for j in result["jobs"]] == [("job-00000002", "SUCCEED"), ("job-99999999", "not_found"),
                                                                ("job-00000000", "FAILED")]
    assert result["jobs"][0]["name"] == "ml"


@pytest.mark.parametrize("args,words", [
    (dict(filters={"state": "FAILED"}), ["filters has unknown key 'state'", "accepted: job-id, job-name, job-state"]),
    (dict(filters={"job-state": "failed"}), ["filters.job-state has 'failed'"]),
    (dict(filters={"job-state": []}), ["filters.job-state is an empty list"]),
    (dict(job_ids=["job-1"], filters={}), ["mutually exclusive"]),
    (dict(filters={}, precheck=False), ["precheck"]),
])
def test_bad_input_fails_before_any_request(run, args, words):
    fake = FakeBatch(jobs(3))
    result = run(fake, **args)
    assert result["failed"]
    for word in words:
        assert word in result["msg"]
    assert fake.calls == []
