# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""drs_job_info end to end over a fake DRS client: listing by filters, reading by job_ids, bad input before any request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.jobs.plugins.modules import drs_job_info
from ansible_collections.cloudops.jobs.tests.unit.plugins.runner_fakes import huawei_module_runner

LIST_PATH = "/v3/{project_id}/jobs"
STATUS_PATH = "/v3/{project_id}/jobs/batch-status"


class FakeDrs:
    def __init__(self, jobs):
        self.jobs = list(jobs)
        self.calls = []

    def project_id(self):
        return "0123456789abcdef0123456789abcdef"

    def call(self, service, method, path, body=None, query=None, headers=None, idempotent=False, derived=None):
        self.calls.append(dict(path=path, body=json.loads(json.dumps(body)), headers=dict(headers or {}), idempotent=idempotent))
        assert service == "drs" and method == "POST" and idempotent
        if path == LIST_PATH:
            rows = [j for j in self.jobs if body.get("status") in (None, j["status"])
                    and body.get("engine_type") in (None, j.get("engine_type"))
                    and (body.get("name") is None or j["id"] in body["name"].split(",") or body["name"] in j["name"])]
            start = (body["cur_page"] - 1) * body["per_page"]
            return {"total_record": len(rows), "jobs": rows[start:start + body["per_page"]]}, "rid"
        assert path == STATUS_PATH
        known = dict((j["id"], j) for j in self.jobs)
        results = [{"id": i, "status": known[i]["status"]} if i in known else
                   {"id": i, "error_code": "DRS.10000011", "error_message": "job not found"} for i in body["jobs"]]
        return {"results": results, "count": len(results)}, "rid"


def jobs(n):
    states = ("INCRE_TRANSFER_FAILED", "PAUSING", "INCRE_TRANSFER_STARTED", "FULL_TRANSFER_FAILED")
    return [{"id": "job-%04d" % i, "name": "sync-%d" % i, "status": states[i % 4], "engine_type": "mysql" if i % 2 else "mongodb",
             "create_time": "1795456800000"} for i in range(n)]


@pytest.fixture
def run(monkeypatch, capsys):
    return huawei_module_runner(monkeypatch, capsys, drs_job_info.main)


@pytest.mark.parametrize("check_mode", [False, True])
def test_filters_list_every_matching_job_once_across_pages(run, check_mode):
    fake = FakeDrs(jobs(250))
    result = run(fake, check_mode=check_mode, filters={"status": ["INCRE_TRANSFER_FAILED", "PAUSING"], "engine_type": "mysql"})
    expected = [j for j in jobs(250) if j["status"] in ("INCRE_TRANSFER_FAILED", "PAUSING") and j["engine_type"] == "mysql"]
    assert not result["changed"] and not result.get("failed")
    assert [j["id"] for j in result["jobs"]] == [j["id"] for j in expected if j["status"] == "INCRE_TRANSFER_FAILED"] + \
        [j["id"] for j in expected if j["status"] == "PAUSING"]
    assert result["jobs"][0] == expected[0]
    assert [(c["body"]["status"], c["body"]["cur_page"]) for c in fake.calls] == [("INCRE_TRANSFER_FAILED", 1), ("PAUSING", 1)]
    assert all(c["body"]["per_page"] == 100 and c["headers"] == {"X-Language": "en-us"} for c in fake.calls)


def test_empty_filters_list_every_job(run):
    fake = FakeDrs(jobs(250))
    result = run(fake, filters={}, language="zh-cn")
    assert [j["id"] for j in result["jobs"]] == [j["id"] for j in jobs(250)]
    assert [c["body"]["cur_page"] for c in fake.calls] == [1, 2, 3]
    assert all("status" not in c["body"] and c["headers"]["X-Language"] == "zh-cn" for c in fake.calls)


def test_job_ids_read_states_in_the_users_order_with_the_listed_fields(run):
    fake = FakeDrs(jobs(4))
    result = run(fake, job_ids=["job-0002", "job-0000", "nope", "job-0002"])
    assert result["jobs"] == [
        jobs(4)[2],
        jobs(4)[0],
        {"id": "nope", "status": "not_found"},   # batch-status answers DRS.10000011 (job not found) for it
    ]
    assert not result["changed"] and not result.get("failed")
    assert [c["path"] for c in fake.calls] == [STATUS_PATH, LIST_PATH]
    assert fake.calls[1]["body"] == {"cur_page": 1, "per_page": 100, "name": "job-0002,job-0000"}
    warnings = [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]
    assert any("job-0002" in w and "once" in w for w in warnings)


def test_job_ids_status_comes_from_batch_status_and_ids_are_listed_100_at_a_time(run):
    fake = FakeDrs(jobs(250))
    listed = dict((j["id"], dict(j, status="STALE")) for j in jobs(250))
    fake.jobs = list(listed.values())   # the list shows another state than batch-status: batch-status wins
    real = dict((j["id"], j["status"]) for j in jobs(250))
    original = fake.call

    def call(service, method, path, body=None, **kwargs):
        if path == STATUS_PATH:
            results = [{"id": i, "status": real[i]} for i in body["jobs"]]
            fake.calls.append(dict(path=path, body=body, headers={}, idempotent=True))
            return {"results": results, "count": len(results)}, "rid"
        return original(service, method, path, body=body, **kwargs)
    fake.call = call
    ids = [j["id"] for j in jobs(250)][::-1]
    result = run(fake, job_ids=ids)
    assert [j["id"] for j in result["jobs"]] == ids
    assert [j["status"] for j in result["jobs"]] == [real[i] for i in ids]
    assert all(j["name"] == listed[j["id"]]["name"] for j in result["jobs"])
    lists = [c for c in fake.calls if c["path"] == LIST_PATH]
    assert [len(c["body"]["name"].split(",")) for c in lists] == [100, 100, 50]


@pytest.mark.parametrize("args,words", [
    (dict(filters={"stat": "PAUSING"}), ["filters has unknown key 'stat'", "accepted: status, name, engine_type"]),
    (dict(filters={"status": "failed"}), ["filters.status", "'failed'"]),
    (dict(filters={"tags": "env=prod"}), ["filters.tags must be a dict"]),
    (dict(job_ids=["a/b"]), ["job_ids"]),
    (dict(job_ids=["a"], filters={}), ["mutually exclusive"]),
    (dict(), ["one of the following is required: job_ids, filters"]),
    (dict(filters={}, wait=True), ["wait"]),
])
def test_bad_input_fails_before_any_request(run, args, words):
    fake = FakeDrs(jobs(3))
    result = run(fake, **args)
    assert result["failed"]
    for word in words:
        assert word in result["msg"]
    assert fake.calls == []
