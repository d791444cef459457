# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""drs_job_start: DrsStart through Runner over a fake DRS client, and the module end to end with a fake client.

The fake stands in for HuaweiClient: ``call(service, method, path, body, query, headers, idempotent, derived)`` answers
batch-status from a state table and batch-starting per job (success, a per-job refusal, or an ApiError for the request).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._drs import FAILED_STATES, RUNNING_STATES
from ansible_collections.cloudops.jobs.plugins.module_utils._drs_start import DrsStart
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import Runner, RunOptions, Selection
from ansible_collections.cloudops.jobs.plugins.modules import drs_job_start
from ansible_collections.cloudops.jobs.tests.unit.plugins.runner_fakes import FakeClock, Warnings, by_id, huawei_module_runner

STATUS_PATH = "/v3/{project_id}/jobs/batch-status"
START_PATH = "/v3/{project_id}/jobs/batch-starting"
T0 = "1795456800000"   # 2026-11-23T18:00:00Z


class FakeDrs:
    """DRS behind the client interface.

    ``after``: the state a started job shows; a list is one state per read from then on (the last one stays);
    a dict gives that per job.
    """

    def __init__(self, states, refuse=None, write_error=None, after="INCRE_TRANSFER_STARTED", answer_key="results"):
        self.states = dict(states)
        self.refuse = dict(refuse or {})
        self.write_error = write_error
        self.after = after
        self.answer_key = answer_key
        self.progress = {}
        self.calls = []
        self.project_calls = 0

    def project_id(self):
        self.project_calls += 1
        return "0123456789abcdef0123456789abcdef"

    def call(self, service, method, path, body=None, query=None, headers=None, idempotent=False, derived=None):
        self.calls.append(dict(service=service, method=method, path=path, body=json.loads(json.dumps(body)),
                               headers=dict(headers or {}), idempotent=idempotent))
        assert service == "drs" and method == "POST"
        if path == STATUS_PATH:
            assert idempotent and body["page_req"] == {"cur_page": 1, "per_page": 0}
            results = []
            for job_id in body["jobs"]:
                if job_id not in self.states:
                    results.append({"id": job_id, "error_code": "DRS.10000011", "error_message": "job not found"})
                    continue
                if self.progress.get(job_id):
                    self.states[job_id] = self.progress[job_id].pop(0)
                results.append({"id": job_id, "status": self.states[job_id]})
            return {"results": results, "count": len(results)}, "rid-status-%d" % len(self.calls)
        assert path == START_PATH and not idempotent
        if self.write_error is not None:
            raise self.write_error
        rid = "rid-start-%d" % len(self.calls)
        items = []
        for job in body["jobs"]:
            job_id = job["job_id"]
            if job_id not in self.states:
                items.append({"id": job_id, "status": "failed", "error_code": "DRS.10000011", "error_msg": "job not found"})
            elif job_id in self.refuse:
                items.append({"id": job_id, "status": "failed", "error_code": self.refuse[job_id][0],
                              "error_msg": self.refuse[job_id][1]})
            elif self.states[job_id] not in ("CONFIGURATION", "WAITING_FOR_START", "START_JOB_FAILED"):
                items.append({"id": job_id, "status": "failed", "error_code": "DRS.10040006", "error_msg": "wrong state"})
            else:
                items.append({"id": job_id, "status": "success"})
                after = self.after.get(job_id, "INCRE_TRANSFER_STARTED") if isinstance(self.after, dict) else self.after
                after = after if isinstance(after, list) else [after]
                self.states[job_id] = after[0]
                self.progress[job_id] = list(after[1:])
        return {self.answer_key: items, "count": len(items)}, rid

    def starts(self):
        return [c for c in self.calls if c["path"] == START_PATH]

    def reads(self):
        return [c for c in self.calls if c["path"] == STATUS_PATH]


def warnings(result):
    """Warning texts: plain strings before ansible-core 2.19, WarningSummary dicts since."""
    return [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]


# DrsStart through Runner ------------------------------------------------------------------

def test_startable_states_are_started_running_skipped_others_refused_with_hints():
    states = {"cfg": "CONFIGURATION", "wait": "WAITING_FOR_START", "sfail": "START_JOB_FAILED", "run": "INCRE_TRANSFER_STARTED",
              "starting": "STARTJOBING", "ifail": "INCRE_TRANSFER_FAILED", "paused": "PAUSING", "gone": "DELETED"}
    client = FakeDrs(states)
    ids = list(states) + ["ghost"]
    result = Runner(RunOptions(), DrsStart(client, "zh-cn"), Warnings()).run(Selection(ids))
    jobs = by_id(result)
    assert [j["id"] for j in result["jobs"]] == ids
    assert [c["body"] for c in client.starts()] == [{"jobs": [{"job_id": "cfg"}, {"job_id": "wait"}, {"job_id": "sfail"}]}]
    assert all(c["headers"] == {"X-Language": "zh-cn"} for c in client.calls)
    for job_id in ("cfg", "wait", "sfail"):
        assert jobs[job_id]["changed"] and jobs[job_id]["status"] == "success" and jobs[job_id]["request_id"] == "rid-start-2"
    assert jobs["run"]["skipped"] and jobs["run"]["status"] == "INCRE_TRANSFER_STARTED"
    assert jobs["starting"]["skipped"] and jobs["starting"]["status"] == "STARTJOBING"
    assert jobs["ifail"]["failed"] and "drs_job_retry" in jobs["ifail"]["error_msg"]
    assert "CONFIGURATION, START_JOB_FAILED, WAITING_FOR_START" in jobs["ifail"]["error_msg"]
    assert jobs["paused"]["failed"] and "resumed with cloudops.jobs.drs_job_retry" in jobs["paused"]["error_msg"]
    assert jobs["gone"]["failed"] and jobs["gone"]["status"] == "DELETED"
    assert jobs["ghost"]["failed"] and jobs["ghost"]["status"] == "not_found"   # DRS.10000011: job not found
    assert result["summary"] == {"total": 9, "changed": 3, "failed": 4, "skipped": 2}
    assert result["msg"] == "4 of 9 jobs failed: ifail, paused, gone, ghost"


@pytest.mark.parametrize("state", sorted(RUNNING_STATES))
def test_every_running_state_is_skipped(state):
    client = FakeDrs({"a": state})
    result = Runner(RunOptions(), DrsStart(client), Warnings()).run(Selection(["a"]))
    assert result["jobs"][0]["skipped"] and not result["changed"] and not result["failed"] and client.starts() == []


@pytest.mark.parametrize("state", sorted(FAILED_STATES - set(["START_JOB_FAILED"])))
def test_a_failed_job_that_ran_before_is_refused_pointing_at_drs_job_retry(state):
    client = FakeDrs({"a": state})
    result = Runner(RunOptions(), DrsStart(client), Warnings()).run(Selection(["a"]))
    job = result["jobs"][0]
    assert job["failed"] and job["status"] == state and "drs_job_retry" in job["error_msg"] and client.starts() == []


def test_start_time_is_sent_per_job_only_where_given():
    client = FakeDrs({"a": "CONFIGURATION", "b": "CONFIGURATION", "c": "WAITING_FOR_START"})
    action = DrsStart(client, start_times={"a": T0, "b": None, "c": "1599202771816"})
    Runner(RunOptions(), action, Warnings()).run(Selection(["a", "b", "c"]))
    assert client.starts()[0]["body"] == {"jobs": [{"job_id": "a", "start_time": T0}, {"job_id": "b"},
                                                   {"job_id": "c", "start_time": "1599202771816"}]}


def test_partial_failure_keeps_good_jobs_changed_and_carries_the_service_error():
    client = FakeDrs({"a": "CONFIGURATION", "b": "CONFIGURATION", "c": "CONFIGURATION"},
                     refuse={"b": ("DRS.10040006", "The source database is unreachable.")})
    result = Runner(RunOptions(), DrsStart(client), Warnings()).run(Selection(["a", "b", "c"]))
    jobs = by_id(result)
    assert jobs["a"]["changed"] and jobs["c"]["changed"] and not jobs["a"]["failed"]
    assert jobs["b"] == {"id": "b", "changed": False, "failed": True, "skipped": False, "status": "failed",
                         "error_code": "DRS.10040006", "error_msg": "The source database is unreachable.",
                         "request_id": "rid-start-2"}
    assert result["failed"] and result["changed"] and result["msg"] == "1 of 3 jobs failed: b"


def test_the_answer_under_jobs_instead_of_results_is_read_too():
    client = FakeDrs({"a": "CONFIGURATION"}, answer_key="jobs")
    result = Runner(RunOptions(), DrsStart(client), Warnings()).run(Selection(["a"]))
    assert result["jobs"][0]["changed"] and result["jobs"][0]["status"] == "success"


@pytest.mark.parametrize("unknown, status", [(True, "unknown"), (False, "failed")])
def test_a_start_request_failing_as_a_whole_fails_every_job(unknown, status):
    error = ApiError("the service answered HTTP 500", code="DRS.00000500", http_status=500, request_id="r9",
                     outcome_unknown=unknown)
    client = FakeDrs({"a": "CONFIGURATION", "b": "WAITING_FOR_START"}, write_error=error)
    result = Runner(RunOptions(), DrsStart(client), Warnings()).run(Selection(["a", "b"]))
    assert len(client.starts()) == 1
    for job in result["jobs"]:
        assert job["failed"] and not job["changed"] and job["status"] == status and job["error_code"] == "DRS.00000500"
        assert job["request_id"] == "r9"


def test_check_mode_reads_and_sends_no_start():
    client = FakeDrs({"a": "CONFIGURATION", "b": "INCRE_TRANSFER_STARTED"})
    result = Runner(RunOptions(check_mode=True, diff=True), DrsStart(client, start_times={"a": T0}), Warnings()).run(Selection(["a", "b"]))
    jobs = by_id(result)
    assert client.starts() == [] and len(client.reads()) == 1
    assert jobs["a"]["changed"] and jobs["a"]["status"] == "CONFIGURATION" and jobs["b"]["skipped"]
    assert result["diff"] == {"before": {"a": "CONFIGURATION", "b": "INCRE_TRANSFER_STARTED"},
                              "after": {"a": "STARTJOBING", "b": "INCRE_TRANSFER_STARTED"}}


def test_check_mode_without_precheck_sends_nothing():
    client = FakeDrs({"a": "CONFIGURATION"})
    result = Runner(RunOptions(check_mode=True, precheck=False), DrsStart(client), Warnings()).run(Selection(["a"]))
    assert client.calls == [] and result["jobs"][0]["status"] == "not_checked" and result["changed"]


def test_second_run_changes_nothing_and_sends_no_start():
    client = FakeDrs({"a": "CONFIGURATION", "b": "START_JOB_FAILED"})
    first = Runner(RunOptions(), DrsStart(client), Warnings()).run(Selection(["a", "b"]))
    second = Runner(RunOptions(), DrsStart(client), Warnings()).run(Selection(["a", "b"]))
    assert first["changed"] and not second["changed"] and not second["failed"]
    assert all(j["skipped"] for j in second["jobs"]) and len(client.starts()) == 1


def test_wait_reports_final_states_waiting_for_start_counts_as_started():
    # Each start answers success; the reads after it show: a transferring, b scheduled, c failing to start.
    client = FakeDrs({"a": "CONFIGURATION", "b": "CONFIGURATION", "c": "CONFIGURATION"}, after={
        "a": ["STARTJOBING", "STARTJOBING", "FULL_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED"],
        "b": ["WAITING_FOR_START"],
        "c": ["STARTJOBING", "STARTJOBING", "START_JOB_FAILED"],
    })
    fc = FakeClock()
    runner = Runner(RunOptions(wait=True, wait_interval=2), DrsStart(client, start_times={"b": T0}), Warnings(), clock=fc.clock, sleep=fc.sleep)
    result = runner.run(Selection(["a", "b", "c"]))
    jobs = by_id(result)
    assert jobs["a"]["status"] == "INCRE_TRANSFER_STARTED" and jobs["a"]["changed"] and not jobs["a"]["failed"]
    assert jobs["b"]["status"] == "WAITING_FOR_START" and jobs["b"]["changed"] and not jobs["b"]["failed"]
    assert jobs["c"]["status"] == "START_JOB_FAILED" and jobs["c"]["failed"] and jobs["c"]["changed"]
    assert "START_JOB_FAILED" in jobs["c"]["error_msg"] and result["failed"] and result["msg"] == "1 of 3 jobs failed: c"
    # polls: [a b c] -> [a c] -> [a]; a first pause of 2 s, then wait_interval (2 s) caps the backoff
    assert [c["body"]["jobs"] for c in client.reads()] == [["a", "b", "c"], ["a", "b", "c"], ["a", "c"], ["a"]]
    assert fc.sleeps == [2.0, 2, 2]


def test_wait_timeout_keeps_the_last_state():
    client = FakeDrs({"a": "CONFIGURATION"}, after=["STARTJOBING"] * 50)
    fc = FakeClock()
    result = Runner(RunOptions(wait=True, wait_timeout=5, wait_interval=2), DrsStart(client), Warnings(), clock=fc.clock, sleep=fc.sleep).run(Selection(["a"]))
    job = result["jobs"][0]
    assert job["timed_out"] and job["failed"] and job["status"] == "STARTJOBING" and "wait_timeout" in job["error_msg"]


# the module end to end --------------------------------------------------------------------

@pytest.fixture
def run_module(monkeypatch, capsys):
    """Run drs_job_start.main() with ``args`` over ``fake``; ``built`` lists every client the module asked for."""
    return huawei_module_runner(monkeypatch, capsys, drs_job_start.main)


def test_module_job_ids_with_one_iso_start_time_sends_epoch_ms_for_every_job(run_module):
    fake = FakeDrs({"a": "CONFIGURATION", "b": "WAITING_FOR_START"})
    result = run_module(fake, job_ids=["a", "b"], start_time="2026-11-24T02:00:00+08:00")
    assert [c["body"] for c in fake.starts()] == [{"jobs": [{"job_id": "a", "start_time": T0}, {"job_id": "b", "start_time": T0}]}]
    assert result["changed"] and not result["failed"]
    assert result["summary"] == {"total": 2, "changed": 2, "failed": 0, "skipped": 0}
    assert fake.starts()[0]["headers"] == {"X-Language": "en-us"}


@pytest.mark.parametrize("start_time", [1599202771816, "1599202771816"])
def test_module_epoch_ms_start_time_as_int_or_string(run_module, start_time):
    fake = FakeDrs({"a": "CONFIGURATION"})
    run_module(fake, job_ids=["a"], start_time=start_time)
    assert fake.starts()[0]["body"] == {"jobs": [{"job_id": "a", "start_time": "1599202771816"}]}


@pytest.mark.parametrize("start_time", [None, ""])
def test_module_no_start_time_means_now(run_module, start_time):
    fake = FakeDrs({"a": "CONFIGURATION"})
    args = dict(job_ids=["a"])
    if start_time is not None:
        args["start_time"] = start_time
    run_module(fake, **args)
    assert fake.starts()[0]["body"] == {"jobs": [{"job_id": "a"}]}


def test_module_jobs_carry_their_own_start_times_in_the_body(run_module):
    fake = FakeDrs({"a": "CONFIGURATION", "b": "CONFIGURATION", "c": "START_JOB_FAILED", "d": "CONFIGURATION"})
    result = run_module(fake, jobs=[
        dict(job_id="a"),
        dict(job_id="b", start_time=1599202771816),
        dict(job_id="c", start_time="2026-11-23T18:00:00Z"),
        dict(job_id="d", start_time=""),
    ])
    assert fake.starts()[0]["body"] == {"jobs": [{"job_id": "a"}, {"job_id": "b", "start_time": "1599202771816"},
                                                 {"job_id": "c", "start_time": T0}, {"job_id": "d"}]}
    assert [j["id"] for j in result["jobs"]] == ["a", "b", "c", "d"] and result["summary"]["changed"] == 4


def test_module_a_job_listed_twice_in_jobs_is_started_once_with_the_first_time_and_warned(run_module):
    fake = FakeDrs({"a": "CONFIGURATION", "b": "CONFIGURATION"})
    result = run_module(fake, jobs=[dict(job_id="a", start_time=T0), dict(job_id="b"), dict(job_id="a", start_time=1599202771816)])
    assert fake.starts()[0]["body"] == {"jobs": [{"job_id": "a", "start_time": T0}, {"job_id": "b"}]}
    assert [j["id"] for j in result["jobs"]] == ["a", "b"]
    texts = warnings(result)
    assert any("different start times" in w and "a" in w for w in texts)
    assert any(w.startswith("jobs lists a more than once") for w in texts)


def test_module_a_job_listed_twice_in_job_ids_is_started_and_reported_once(run_module):
    fake = FakeDrs({"a": "CONFIGURATION"})
    result = run_module(fake, job_ids=["a", "a"], start_time=T0)
    assert fake.starts()[0]["body"] == {"jobs": [{"job_id": "a", "start_time": T0}]}
    assert len(result["jobs"]) == 1 and any("job_ids lists a more than once" in w for w in warnings(result))


@pytest.mark.parametrize("args, text", [
    (dict(job_ids=["a"], jobs=[dict(job_id="a")]), "mutually exclusive"),
    (dict(jobs=[dict(job_id="a")], start_time=T0), "mutually exclusive"),
    (dict(), "one of the following is required: jobs, job_ids"),
    (dict(job_ids=[]), "job_ids must list at least one id"),
    (dict(jobs=[]), "jobs[].job_id must list at least one id"),
    (dict(jobs=[dict(start_time=T0)]), "missing required arguments: job_id"),
    (dict(job_ids=["a/../b"]), "job_ids contains"),
    (dict(jobs=[dict(job_id="a b")]), "jobs[].job_id contains"),
    (dict(job_ids=["a"], start_time="2026-11-24T02:00:00"), "start_time '2026-11-24T02:00:00' has no time zone"),
    (dict(jobs=[dict(job_id="a"), dict(job_id="b", start_time="2026-11-24 02:00")]), "jobs[].start_time '2026-11-24 02:00' has no"),
    (dict(job_ids=["a"], start_time=1599202771), "start_time 1599202771 looks like seconds"),
    (dict(jobs=[dict(job_id="a", start_time="1599202771")]), "jobs[].start_time '1599202771' looks like seconds"),
    (dict(job_ids=["a"], start_time="next tuesday"), "neither epoch milliseconds nor an ISO 8601"),
    (dict(job_ids=["a"], start_time=True), "start_time must be epoch milliseconds"),
    (dict(job_ids=["a"], start_time="2026-02-30T00:00:00Z"), "is not a valid date-time"),
    (dict(job_ids=["a"], wait_timeout=0), "wait_timeout must be greater than 0"),
])
def test_module_bad_input_fails_before_any_request(run_module, args, text):
    fake = FakeDrs({"a": "CONFIGURATION", "b": "CONFIGURATION"})
    result = run_module(fake, **args)
    assert result["failed"] and text in result["msg"], result["msg"]
    assert "jobs" not in result or not isinstance(result["jobs"], list)
    assert fake.calls == [] and fake.project_calls == 0
    assert run_module.built == []   # not even a client was built


def test_module_partial_failure_fails_the_task_and_keeps_good_jobs_changed(run_module):
    fake = FakeDrs({"a": "CONFIGURATION", "b": "CONFIGURATION", "c": "FULL_TRANSFER_FAILED"},
                   refuse={"b": ("DRS.10040006", "The source database is unreachable.")})
    result = run_module(fake, job_ids=["a", "b", "c", "zz"])
    jobs = by_id(result)
    assert result["failed"] and result["changed"]
    assert jobs["a"]["changed"] and jobs["a"]["status"] == "success"
    assert jobs["b"]["error_code"] == "DRS.10040006" and jobs["b"]["failed"]
    assert jobs["c"]["failed"] and "drs_job_retry" in jobs["c"]["error_msg"]
    assert jobs["zz"]["failed"] and jobs["zz"]["status"] == "not_found"   # DRS.10000011: job not found
    assert result["msg"] == "3 of 4 jobs failed: b, c, zz"


def test_module_without_precheck_sends_every_job_and_reports_refusals(run_module):
    fake = FakeDrs({"a": "CONFIGURATION", "b": "INCRE_TRANSFER_STARTED"})
    result = run_module(fake, job_ids=["a", "b", "zz"], precheck=False)
    jobs = by_id(result)
    assert fake.reads() == [] and len(fake.starts()) == 1
    assert jobs["a"]["changed"] and jobs["b"]["error_code"] == "DRS.10040006" and jobs["zz"]["status"] == "not_found"


def test_module_check_mode_and_diff_send_no_start(run_module):
    fake = FakeDrs({"a": "CONFIGURATION", "b": "INCRE_TRANSFER_STARTED"})
    result = run_module(fake, check_mode=True, diff=True, job_ids=["a", "b"], start_time=T0)
    assert fake.starts() == [] and len(fake.reads()) == 1
    assert result["changed"] and by_id(result)["a"]["status"] == "CONFIGURATION" and by_id(result)["b"]["skipped"]
    assert result["diff"]["after"] == {"a": "STARTJOBING", "b": "INCRE_TRANSFER_STARTED"}


def test_module_second_run_is_idempotent(run_module):
    fake = FakeDrs({"a": "CONFIGURATION", "b": "START_JOB_FAILED"})
    first = run_module(fake, job_ids=["a", "b"])
    second = run_module(fake, job_ids=["a", "b"])
    assert first["changed"] and not second["changed"] and not second["failed"]
    assert [j["status"] for j in second["jobs"]] == ["INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED"]
    assert len(fake.starts()) == 1


def test_module_wait_reports_the_final_states(run_module):
    fake = FakeDrs({"a": "CONFIGURATION", "b": "WAITING_FOR_START"}, after="INCRE_TRANSFER_STARTED")
    result = run_module(fake, job_ids=["a", "b"], wait=True, wait_interval=1)
    assert [j["status"] for j in result["jobs"]] == ["INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED"]
    assert not result["failed"] and result["changed"]
    assert [c["path"] for c in fake.calls] == [STATUS_PATH, START_PATH, STATUS_PATH]


def test_module_a_failing_status_read_fails_every_job_and_sends_no_start(run_module):
    class Denied(FakeDrs):
        def call(self, service, method, path, **kwargs):
            self.calls.append(dict(path=path))
            raise ApiError("no permission", code="DRS.10000040", http_status=403, request_id="rid-x")
    fake = Denied({"a": "CONFIGURATION"})
    result = run_module(fake, job_ids=["a", "b"])
    assert len(fake.calls) == 1 and result["failed"] and not result["changed"]
    assert all(j["error_code"] == "DRS.10000040" and "precheck: false" in j["error_msg"] for j in result["jobs"])
