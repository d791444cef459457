# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""workspace_job_action: WorkspaceRetry through Runner over a fake Workspace client, and the module end to end.

The fake stands in for HuaweiClient and is called from the module's worker threads: every answer sleeps a random
few milliseconds so answers come back out of order, and it counts requests in flight and actions per job.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import threading
import time

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import Runner, RunOptions, Selection
from ansible_collections.cloudops.jobs.plugins.module_utils._workspace import WorkspaceRetry
from ansible_collections.cloudops.jobs.plugins.modules import workspace_job_action
from ansible_collections.cloudops.jobs.tests.unit.plugins.runner_fakes import FakeClock, Warnings, by_id, huawei_module_runner

PREFIX = "/v2/{project_id}/workspace-jobs/"


class FakeWorkspace:
    """Workspace jobs behind the client interface.

    ``jobs``: {id: status or (status, job_type)}. ``action_errors`` / ``read_errors``: {id: ApiError} raised for that
    job's POST / GET. ``after``: the status a retried job shows (a list: one per later read, the last one stays).
    """

    def __init__(self, jobs, action_errors=None, read_errors=None, after="RUNNING", max_sleep=0.004, seed=7):
        self.jobs = {}
        for job_id, value in jobs.items():
            status, job_type = value if isinstance(value, tuple) else (value, "applyWorkspace")
            self.jobs[job_id] = {"status": status, "job_type": job_type, "later": []}
        self.action_errors = dict(action_errors or {})
        self.read_errors = dict(read_errors or {})
        self.after = after
        self.max_sleep = max_sleep
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.calls = []
        self.actions = {}          # job id -> number of retries the fake acted on
        self.in_flight = 0
        self.max_in_flight = 0
        self.project_calls = []    # the thread each project_id() call came from

    def project_id(self):
        self.project_calls.append(threading.current_thread().name)
        return "0123456789abcdef0123456789abcdef"

    def call(self, service, method, path, body=None, query=None, headers=None, idempotent=False, derived=None):
        assert service == "workspace" and path.startswith(PREFIX)
        rest = path[len(PREFIX):]
        with self.lock:
            self.calls.append(dict(method=method, path=path, body=body, idempotent=idempotent, query=query))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            delay = self.random.uniform(0, self.max_sleep)
        try:
            time.sleep(delay)
            if method == "GET":
                assert idempotent and body is None and "/" not in rest
                return self._show(rest)
            assert method == "POST" and not idempotent and rest.endswith("/actions")
            return self._retry(rest[:-len("/actions")], body)
        finally:
            with self.lock:
                self.in_flight -= 1

    def _show(self, job_id):
        if job_id in self.read_errors:
            raise self.read_errors[job_id]
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None:
                raise ApiError("The job %s does not exist." % job_id, code="WKS.00130004", http_status=404, request_id="rid-404")
            if job["later"]:
                job["status"] = job["later"].pop(0)
            return {"id": job_id, "job_type": job["job_type"], "status": job["status"], "sub_jobs": []}, "rid-get-" + job_id

    def _retry(self, job_id, body):
        assert body == {"op_type": "retry"}
        if job_id in self.action_errors:
            raise self.action_errors[job_id]
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None:
                raise ApiError("The job %s does not exist." % job_id, code="WKS.00130004", http_status=404, request_id="rid-404")
            if job["status"] != "FAILED" and job["status"] != "FAIL":
                raise ApiError("only a FAILED job can be retried", code="WKS.00130005", http_status=400, request_id="rid-400")
            self.actions[job_id] = self.actions.get(job_id, 0) + 1
            after = self.after if isinstance(self.after, list) else [self.after]
            self.jobs["new-" + job_id] = {"status": after[0], "job_type": job["job_type"], "later": list(after[1:])}
        return {"job_id": "new-" + job_id}, "rid-post-" + job_id

    def posts(self):
        return [c for c in self.calls if c["method"] == "POST"]

    def gets(self):
        return [c for c in self.calls if c["method"] == "GET"]


def ids(n, prefix="ws-"):
    return ["%s%04d" % (prefix, i) for i in range(n)]


def warnings(result):
    return [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]


# WorkspaceRetry through Runner ------------------------------------------------------------

@pytest.mark.parametrize("parallelism", [8, 3, 64])
def test_many_jobs_concurrently_each_once_in_the_users_order(parallelism):
    job_ids = ids(200)
    order = list(job_ids)
    random.Random(3).shuffle(order)     # the user's order is not the sorted one
    fake = FakeWorkspace(dict((j, "FAILED") for j in job_ids))
    result = Runner(RunOptions(), WorkspaceRetry(fake, parallelism=parallelism), Warnings()).run(Selection(order))
    assert [j["id"] for j in result["jobs"]] == order
    assert fake.actions == dict((j, 1) for j in job_ids)                  # exactly once
    assert sorted(c["path"] for c in fake.posts()) == sorted(PREFIX + j + "/actions" for j in job_ids)
    assert len(fake.gets()) == 200
    assert 1 < fake.max_in_flight <= parallelism
    for job in result["jobs"]:
        assert job == {"id": job["id"], "changed": True, "failed": False, "skipped": False, "status": "success",
                       "new_job_id": "new-" + job["id"], "request_id": "rid-post-" + job["id"]}
    assert result["summary"] == {"total": 200, "changed": 200, "failed": 0, "skipped": 0}
    assert fake.project_calls and set(fake.project_calls) == set([threading.current_thread().name])


def test_parallelism_one_sends_one_at_a_time():
    fake = FakeWorkspace(dict((j, "FAILED") for j in ids(20)))
    result = Runner(RunOptions(), WorkspaceRetry(fake, parallelism=1), Warnings()).run(Selection(ids(20)))
    assert fake.max_in_flight == 1 and [j["id"] for j in result["jobs"]] == ids(20)
    assert [c["path"] for c in fake.posts()] == [PREFIX + j + "/actions" for j in ids(20)]


def test_precheck_table_and_job_type_refusal():
    fake = FakeWorkspace({
        "apply": "FAILED", "cancel": ("FAILED", "cancelWorkspace"), "fail": "FAIL", "rebuild": ("FAILED", "rebuildWorkspace"),
        "done": "SUCCESS", "complete": "COMPLETE", "running": "RUNNING", "waiting": "WAITING", "init": "INIT",
        "rebuild-ok": ("SUCCESS", "rebuildWorkspace"), "odd": "PAUSED",
    })
    order = ["apply", "cancel", "fail", "rebuild", "done", "complete", "running", "waiting", "init", "rebuild-ok", "odd", "ghost"]
    result = Runner(RunOptions(), WorkspaceRetry(fake, parallelism=4), Warnings()).run(Selection(order))
    jobs = by_id(result)
    assert [j["id"] for j in result["jobs"]] == order
    assert sorted(c["path"] for c in fake.posts()) == sorted(PREFIX + j + "/actions" for j in ("apply", "cancel", "fail"))
    for job_id in ("apply", "cancel", "fail"):
        assert jobs[job_id]["changed"] and jobs[job_id]["new_job_id"] == "new-" + job_id
    rebuild = jobs["rebuild"]
    assert rebuild["failed"] and not rebuild["changed"] and rebuild["status"] == "FAILED"
    assert "rebuildWorkspace" in rebuild["error_msg"] and "applyWorkspace and cancelWorkspace" in rebuild["error_msg"]
    for job_id, status in (("done", "SUCCESS"), ("complete", "COMPLETE"), ("running", "RUNNING"), ("waiting", "WAITING"),
                           ("init", "INIT"), ("rebuild-ok", "SUCCESS")):
        assert jobs[job_id]["skipped"] and jobs[job_id]["status"] == status
    assert jobs["odd"]["failed"] and jobs["odd"]["status"] == "PAUSED" and "FAIL, FAILED" in jobs["odd"]["error_msg"]
    assert jobs["ghost"]["failed"] and jobs["ghost"]["status"] == "not_found"
    assert result["summary"] == {"total": 12, "changed": 3, "failed": 3, "skipped": 6}


def test_a_job_answer_without_a_status_is_malformed_and_nothing_is_retried():
    fake = FakeWorkspace({"a": None, "b": "FAILED"})
    result = Runner(RunOptions(), WorkspaceRetry(fake), Warnings()).run(Selection(["a", "b"]))
    assert [j["failed"] for j in result["jobs"]] == [True, True] and fake.posts() == []
    assert result["jobs"][0]["error_code"] == "MalformedResponse" and "status is null" in result["jobs"][0]["error_msg"]
    assert "Workspace job (GET" in result["msg"] and result["msg"].startswith("2 of 2 jobs failed (a, b): ")


def test_precheck_404_is_not_found_and_that_job_is_not_sent():
    fake = FakeWorkspace({"a": "FAILED", "c": "FAILED"})
    result = Runner(RunOptions(), WorkspaceRetry(fake, parallelism=4), Warnings()).run(Selection(["a", "b", "c"]))
    jobs = by_id(result)
    assert jobs["b"]["status"] == "not_found" and jobs["b"]["failed"]
    assert sorted(c["path"] for c in fake.posts()) == [PREFIX + "a/actions", PREFIX + "c/actions"]


def test_action_errors_404_not_found_500_unknown_400_failed_others_unaffected():
    job_ids = ids(12)
    errors = {
        job_ids[2]: ApiError("The job does not exist.", code="WKS.00130004", http_status=404, request_id="r404"),
        job_ids[5]: ApiError("the service answered HTTP 500; the request may have been acted on, so it was not re-sent",
                             code="WKS.00000500", http_status=500, request_id="r500", outcome_unknown=True),
        job_ids[9]: ApiError("The job is not FAILED.", code="WKS.00130005", http_status=400, request_id="r400"),
    }
    fake = FakeWorkspace(dict((j, "FAILED") for j in job_ids), action_errors=errors)
    result = Runner(RunOptions(precheck=False), WorkspaceRetry(fake, parallelism=4), Warnings()).run(Selection(job_ids))
    jobs = by_id(result)
    assert fake.gets() == [] and len(fake.posts()) == 12          # each sent once, none re-sent
    assert jobs[job_ids[2]] == {"id": job_ids[2], "changed": False, "failed": True, "skipped": False, "status": "not_found",
                                "error_code": "WKS.00130004", "error_msg": "The job does not exist.", "request_id": "r404"}
    unknown = jobs[job_ids[5]]
    assert unknown["status"] == "unknown" and unknown["failed"] and "may have been acted on" in unknown["error_msg"]
    assert unknown["error_code"] == "WKS.00000500" and unknown["request_id"] == "r500"
    assert jobs[job_ids[9]]["status"] == "failed" and jobs[job_ids[9]]["error_code"] == "WKS.00130005"
    good = [j for j in job_ids if j not in errors]
    assert all(jobs[j]["changed"] and jobs[j]["new_job_id"] == "new-" + j for j in good)
    assert [j["id"] for j in result["jobs"]] == job_ids
    assert result["summary"] == {"total": 12, "changed": 9, "failed": 3, "skipped": 0}
    assert result["msg"] == "3 of 12 jobs failed: %s, %s, %s" % (job_ids[2], job_ids[5], job_ids[9])


def test_a_failed_read_holds_back_only_its_own_job_and_the_others_are_retried():
    error = ApiError("Forbidden", code="WKS.00000403", http_status=403, request_id="r403")
    fake = FakeWorkspace({"a": "FAILED", "b": "FAILED", "c": "FAILED"}, read_errors={"b": error})
    result = Runner(RunOptions(), WorkspaceRetry(fake, parallelism=2), Warnings()).run(Selection(["a", "b", "c"]))
    assert sorted(c["path"] for c in fake.posts()) == [PREFIX + "a/actions", PREFIX + "c/actions"]
    jobs = {job["id"]: job for job in result["jobs"]}
    assert [job["id"] for job in result["jobs"]] == ["a", "b", "c"]
    assert jobs["a"]["changed"] and jobs["c"]["changed"] and not jobs["a"]["failed"]
    assert jobs["b"]["failed"] and not jobs["b"]["changed"]
    assert jobs["b"]["error_code"] == "WKS.00000403" and "precheck: false" in jobs["b"]["error_msg"]


def test_when_every_read_fails_every_job_fails_and_nothing_is_sent():
    error = ApiError("Forbidden", code="WKS.00000403", http_status=403, request_id="r403")
    fake = FakeWorkspace({"a": "FAILED", "b": "FAILED"}, read_errors={"a": error, "b": error})
    result = Runner(RunOptions(), WorkspaceRetry(fake, parallelism=2), Warnings()).run(Selection(["a", "b"]))
    assert fake.posts() == []
    for job in result["jobs"]:
        assert job["failed"] and job["error_code"] == "WKS.00000403" and "precheck: false" in job["error_msg"]


def test_without_precheck_a_rebuild_job_is_sent_and_the_service_refusal_reported():
    fake = FakeWorkspace({"a": ("SUCCESS", "rebuildWorkspace")})
    result = Runner(RunOptions(precheck=False), WorkspaceRetry(fake), Warnings()).run(Selection(["a"]))
    assert len(fake.posts()) == 1 and result["jobs"][0]["error_code"] == "WKS.00130005"


def test_check_mode_reads_and_sends_no_retry():
    fake = FakeWorkspace({"a": "FAILED", "b": "SUCCESS", "c": ("FAILED", "rebuildWorkspace")})
    result = Runner(RunOptions(check_mode=True, diff=True), WorkspaceRetry(fake, parallelism=3), Warnings()).run(Selection(["a", "b", "c"]))
    jobs = by_id(result)
    assert fake.posts() == [] and len(fake.gets()) == 3
    assert jobs["a"]["changed"] and jobs["a"]["status"] == "FAILED" and "new_job_id" not in jobs["a"]
    assert jobs["b"]["skipped"] and jobs["c"]["failed"]
    assert result["diff"] == {"before": {"a": "FAILED", "b": "SUCCESS", "c": "FAILED"},
                              "after": {"a": "RUNNING", "b": "SUCCESS", "c": "FAILED"}}


def test_a_run_over_the_jobs_the_retries_started_changes_nothing():
    fake = FakeWorkspace(dict((j, "FAILED") for j in ids(10)), after="SUCCESS")
    first = Runner(RunOptions(), WorkspaceRetry(fake, parallelism=4), Warnings()).run(Selection(ids(10)))
    new_ids = [j["new_job_id"] for j in first["jobs"]]
    second = Runner(RunOptions(), WorkspaceRetry(fake, parallelism=4), Warnings()).run(Selection(new_ids))
    assert first["summary"]["changed"] == 10 and new_ids == ["new-" + j for j in ids(10)]
    assert not second["changed"] and not second["failed"] and second["summary"]["skipped"] == 10
    assert len(fake.posts()) == 10


def test_duplicates_are_retried_once_and_reported_once_with_a_warning():
    fake = FakeWorkspace({"a": "FAILED", "b": "FAILED"})
    warnings = Warnings()
    result = Runner(RunOptions(), WorkspaceRetry(fake, parallelism=4), warnings).run(Selection(["a", "b", "a", "a"]))
    assert [j["id"] for j in result["jobs"]] == ["a", "b"] and fake.actions == {"a": 1, "b": 1}
    assert warnings and "a" in warnings[0]


def test_wait_reports_final_states():
    # a: RUNNING, RUNNING, SUCCESS after its retry; b: RUNNING, RUNNING, FAIL.
    fake = FakeWorkspace({"a": "FAILED", "b": "FAILED"}, after=["RUNNING", "RUNNING", "SUCCESS"])
    original = fake._retry

    def retry(job_id, body):
        answer = original(job_id, body)
        if job_id == "b":
            fake.jobs["new-b"]["later"] = ["RUNNING", "FAIL"]
        return answer
    fake._retry = retry
    fc = FakeClock()
    runner = Runner(RunOptions(wait=True, wait_interval=5), WorkspaceRetry(fake, parallelism=2), Warnings(), clock=fc.clock, sleep=fc.sleep)
    result = runner.run(Selection(["a", "b"]))
    jobs = by_id(result)
    assert jobs["a"]["status"] == "SUCCESS" and jobs["a"]["changed"] and not jobs["a"]["failed"]
    assert jobs["a"]["new_job_id"] == "new-a"
    assert jobs["b"]["status"] == "FAIL" and jobs["b"]["failed"] and jobs["b"]["changed"] and "FAIL" in jobs["b"]["error_msg"]
    assert fake.jobs["a"]["status"] == fake.jobs["b"]["status"] == "FAILED"   # the retried jobs themselves stay FAILED
    assert sorted(c["path"].rsplit("/", 1)[-1] for c in fake.gets()[2:4]) == ["new-a", "new-b"]   # wait polls the new jobs
    assert fc.sleeps == [2.0, 4.0] and result["failed"]


def test_wait_does_not_treat_an_undocumented_status_as_final():
    fake = FakeWorkspace({"a": "FAILED"}, after=["QUEUED"])
    fc = FakeClock()
    runner = Runner(RunOptions(wait=True, wait_timeout=3, wait_interval=1), WorkspaceRetry(fake), Warnings(), clock=fc.clock, sleep=fc.sleep)
    job = runner.run(Selection(["a"]))["jobs"][0]
    assert job["timed_out"] and job["status"] == "QUEUED" and job["failed"]


def test_ids_are_escaped_in_the_path():
    fake = FakeWorkspace({"a:b@c": "FAILED"})
    Runner(RunOptions(precheck=False), WorkspaceRetry(fake), Warnings()).run(Selection(["a:b@c"]))
    assert fake.posts()[0]["path"] == PREFIX + "a%3Ab%40c/actions"


# the module end to end --------------------------------------------------------------------

@pytest.fixture
def run_module(monkeypatch, capsys):
    return huawei_module_runner(monkeypatch, capsys, workspace_job_action.main)


def test_module_retries_concurrently_in_order_with_new_job_ids(run_module):
    job_ids = ids(100)
    fake = FakeWorkspace(dict((j, "FAILED") for j in job_ids))
    result = run_module(fake, job_ids=job_ids, parallelism=6)
    assert run_module.built == [6]                     # the connection pool is as large as parallelism
    assert [j["id"] for j in result["jobs"]] == job_ids
    assert [j["new_job_id"] for j in result["jobs"]] == ["new-" + j for j in job_ids]
    assert fake.actions == dict((j, 1) for j in job_ids)
    assert 1 < fake.max_in_flight <= 6
    assert result["changed"] and not result["failed"] and result["msg"] == "100 of 100 jobs acted on, 0 skipped"


def test_module_default_parallelism_is_8(run_module):
    fake = FakeWorkspace(dict((j, "FAILED") for j in ids(40)))
    run_module(fake, job_ids=ids(40))
    assert run_module.built == [8] and fake.max_in_flight <= 8


@pytest.mark.parametrize("args, text", [
    (dict(job_ids=["a"], parallelism=0), "parallelism must be greater than 0, got 0"),
    (dict(job_ids=["a"], parallelism=-3), "parallelism must be greater than 0, got -3"),
    (dict(job_ids=[]), "job_ids must list at least one id"),
    (dict(job_ids=["a/../b"]), "job_ids contains"),
    (dict(job_ids=["a", " "]), "job_ids contains"),
    (dict(job_ids=["a"], op_type="cancel"), "value of op_type must be one of: retry"),
    (dict(), "missing required arguments: job_ids"),
    (dict(job_ids=["a"], wait_interval=0), "wait_interval must be greater than 0"),
])
def test_module_bad_input_fails_before_any_request(run_module, args, text):
    fake = FakeWorkspace({"a": "FAILED"})
    result = run_module(fake, **args)
    assert result["failed"] and text in result["msg"], result["msg"]
    assert fake.calls == [] and fake.project_calls == [] and run_module.built == []


def test_module_partial_failure(run_module):
    fake = FakeWorkspace({"a": "FAILED", "b": "FAILED", "c": ("FAILED", "rebuildWorkspace")},
                         action_errors={"b": ApiError("boom", code="WKS.00000500", http_status=500, outcome_unknown=True)})
    result = run_module(fake, job_ids=["a", "b", "c", "d"], parallelism=4)
    jobs = by_id(result)
    assert result["failed"] and result["changed"]
    assert jobs["a"]["changed"] and jobs["a"]["new_job_id"] == "new-a"
    assert jobs["b"]["status"] == "unknown" and jobs["b"]["error_code"] == "WKS.00000500"
    assert jobs["c"]["failed"] and "rebuildWorkspace" in jobs["c"]["error_msg"]
    assert jobs["d"]["status"] == "not_found"
    assert result["msg"] == "3 of 4 jobs failed: b, c, d"
    assert sorted(c["path"] for c in fake.posts()) == [PREFIX + "a/actions", PREFIX + "b/actions"]


def test_module_check_mode_sends_no_retry(run_module):
    fake = FakeWorkspace({"a": "FAILED", "b": "RUNNING"})
    result = run_module(fake, check_mode=True, job_ids=["a", "b"])
    assert fake.posts() == [] and result["changed"] and by_id(result)["a"]["status"] == "FAILED" and by_id(result)["b"]["skipped"]


def test_module_second_run_is_idempotent_and_wait_reports_final_state(run_module):
    fake = FakeWorkspace({"a": "FAILED", "b": "FAILED"}, after="SUCCESS")
    first = run_module(fake, job_ids=["a", "b"], wait=True, wait_interval=1)
    assert [j["status"] for j in first["jobs"]] == ["SUCCESS", "SUCCESS"] and first["changed"] and not first["failed"]
    # The jobs the retries started are done: a run over them changes nothing.
    second = run_module(fake, job_ids=[j["new_job_id"] for j in first["jobs"]])
    assert not second["changed"] and not second["failed"] and all(j["skipped"] for j in second["jobs"])
    assert len(fake.posts()) == 2
