# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared flow: precheck, check mode, act, wait, diff, exactly-once reporting (DRS as the example)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import filters_spec, state_spec
from ansible_collections.cloudops.jobs.plugins.module_utils._drs import DrsRetry, check_filters
from ansible_collections.cloudops.jobs.plugins.module_utils._drs_start import DrsStart
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import HUAWEI
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import Runner, RunOptions, Selection
from ansible_collections.cloudops.jobs.plugins.module_utils._module import CloudJobsModule
from ansible_collections.cloudops.jobs.tests.unit.plugins.runner_fakes import HUAWEI_TEST_CREDENTIALS, FakeClock, Warnings, by_id, run_main


class FakeDrsClient:
    """Answers batch-status from a state table and the batch writes from per-job outcomes."""

    def __init__(self, states, refuse=None, write_error=None, drop=(), status_sequence=None):
        self.states = dict(states)
        self.refuse = refuse or {}
        self.write_error = write_error
        self.drop = set(drop)
        self.status_sequence = list(status_sequence or [])
        self.calls = []

    def call(self, service, method, path, body=None, query=None, headers=None, idempotent=False, derived=None):
        self.calls.append((path, body, idempotent, headers))
        if path.endswith("batch-status"):
            if self.status_sequence:
                self.states.update(self.status_sequence.pop(0))
            return {"results": [{"id": j, "status": self.states[j]} if j in self.states else
                                {"id": j, "error_code": "DRS.10000011", "error_message": "not found"} for j in body["jobs"]]}, "rid-s"
        if self.write_error is not None:
            raise self.write_error
        results = []
        for job in body["jobs"]:
            job_id = job["job_id"]
            if job_id in self.drop:
                continue
            if job_id in self.refuse:
                results.append({"id": job_id, "status": "failed", "error_code": self.refuse[job_id], "error_msg": "refused"})
            else:
                results.append({"id": job_id, "status": "success"})
        return {"results": results, "count": len(results)}, "rid-w"

    def writes(self):
        return [c for c in self.calls if not c[0].endswith("batch-status")]


def test_precheck_acts_only_where_the_action_applies():
    client = FakeDrsClient({"a": "INCRE_TRANSFER_FAILED", "b": "PAUSING", "c": "INCRE_TRANSFER_STARTED", "d": "DELETED"})
    result = Runner(RunOptions(), DrsRetry(client), Warnings()).run(Selection(["a", "b", "c", "d", "e"]))
    jobs = by_id(result)
    assert [j["id"] for j in result["jobs"]] == ["a", "b", "c", "d", "e"]
    assert client.writes()[0][1] == {"jobs": [{"job_id": "a"}, {"job_id": "b"}]}
    assert jobs["a"]["changed"] and jobs["a"]["status"] == "success" and jobs["a"]["request_id"] == "rid-w"
    assert jobs["c"] == {"id": "c", "changed": False, "failed": False, "skipped": True, "status": "INCRE_TRANSFER_STARTED"}
    assert jobs["d"]["failed"] and "PAUSING" in jobs["d"]["error_msg"] and jobs["d"]["status"] == "DELETED"
    # batch-status answers an error entry DRS.10000011 (job not found) for an unknown job: not_found, as everywhere else
    assert jobs["e"]["failed"] and jobs["e"]["status"] == "not_found" and "does not know" in jobs["e"]["error_msg"]
    assert result["summary"] == {"total": 5, "changed": 2, "failed": 2, "skipped": 1}
    assert result["failed"] and result["changed"]
    assert result["msg"] == "2 of 5 jobs failed: d, e"


def test_second_run_changes_nothing_and_sends_no_write():
    client = FakeDrsClient({"a": "INCRE_TRANSFER_STARTED", "b": "FULL_TRANSFER_STARTED"})
    result = Runner(RunOptions(), DrsRetry(client), Warnings()).run(Selection(["a", "b"]))
    assert not result["changed"] and not result["failed"]
    assert client.writes() == []
    assert all(j["skipped"] for j in result["jobs"])


def test_check_mode_reports_without_writing():
    client = FakeDrsClient({"a": "INCRE_TRANSFER_FAILED", "b": "INCRE_TRANSFER_STARTED"})
    result = Runner(RunOptions(check_mode=True), DrsRetry(client), Warnings()).run(Selection(["a", "b"]))
    jobs = by_id(result)
    assert client.writes() == []
    assert jobs["a"]["changed"] and jobs["a"]["status"] == "INCRE_TRANSFER_FAILED"
    assert jobs["b"]["skipped"]


def test_no_precheck_sends_every_job_blind():
    client = FakeDrsClient({})
    result = Runner(RunOptions(precheck=False), DrsRetry(client, sync_re_edit=True), Warnings()).run(Selection(["a", "b"]))
    assert [c[0] for c in client.calls] == ["/v3/{project_id}/jobs/batch-retry-task"]
    assert client.calls[0][1] == {"jobs": [{"job_id": "a", "is_sync_re_edit": True}, {"job_id": "b", "is_sync_re_edit": True}]}
    assert result["summary"]["changed"] == 2


def test_duplicates_are_acted_on_once_and_reported_once_with_a_warning():
    client = FakeDrsClient({"a": "INCRE_TRANSFER_FAILED"})
    warnings = Warnings()
    result = Runner(RunOptions(), DrsRetry(client), warnings).run(Selection(["a", "a", "a"]))
    assert len(result["jobs"]) == 1
    assert client.writes()[0][1] == {"jobs": [{"job_id": "a"}]}
    assert warnings and "a" in warnings[0]


def test_job_missing_from_the_answer_is_unknown_not_dropped():
    client = FakeDrsClient({"a": "INCRE_TRANSFER_FAILED", "b": "INCRE_TRANSFER_FAILED"}, drop={"b"})
    result = Runner(RunOptions(), DrsRetry(client), Warnings()).run(Selection(["a", "b"]))
    jobs = by_id(result)
    assert jobs["b"]["failed"] and jobs["b"]["status"] == "unknown"
    assert jobs["a"]["changed"]


def test_per_job_refusal_carries_the_service_error():
    client = FakeDrsClient({"a": "INCRE_TRANSFER_FAILED", "b": "INCRE_TRANSFER_FAILED"}, refuse={"b": "DRS.10040006"})
    result = Runner(RunOptions(), DrsRetry(client), Warnings()).run(Selection(["a", "b"]))
    jobs = by_id(result)
    assert jobs["b"]["error_code"] == "DRS.10040006" and jobs["b"]["status"] == "failed"
    assert jobs["a"]["changed"] and not jobs["a"]["failed"]
    assert result["failed"] and result["changed"]


@pytest.mark.parametrize("unknown, status", [(True, "unknown"), (False, "failed")])
def test_whole_request_failure_fails_every_job(unknown, status):
    error = ApiError("boom", code="APIGW.0301", http_status=401, request_id="r1", outcome_unknown=unknown)
    client = FakeDrsClient({"a": "PAUSING", "b": "PAUSING"}, write_error=error)
    result = Runner(RunOptions(), DrsRetry(client), Warnings()).run(Selection(["a", "b"]))
    for job in result["jobs"]:
        assert job["failed"] and job["status"] == status and job["error_code"] == "APIGW.0301" and job["request_id"] == "r1"


def test_status_read_failure_fails_jobs_and_suggests_precheck_false():
    class Denied(FakeDrsClient):
        def call(self, service, method, path, **kwargs):
            raise ApiError("no permission", code="DRS.0403", http_status=403)
    result = Runner(RunOptions(), DrsRetry(Denied({})), Warnings()).run(Selection(["a"]))
    assert result["jobs"][0]["failed"] and "precheck: false" in result["jobs"][0]["error_msg"]


def test_wait_reports_final_states_and_fails_on_a_failed_end():
    client = FakeDrsClient({"a": "INCRE_TRANSFER_FAILED", "b": "INCRE_TRANSFER_FAILED"},
                           status_sequence=[{}, {"a": "FULL_TRANSFER_STARTED", "b": "FULL_TRANSFER_STARTED"},
                                            {"a": "INCRE_TRANSFER_STARTED", "b": "FULL_TRANSFER_STARTED"},
                                            {"b": "FULL_TRANSFER_FAILED"}])
    fc = FakeClock()
    result = Runner(RunOptions(wait=True, wait_interval=4), DrsRetry(client), Warnings(), clock=fc.clock, sleep=fc.sleep).run(Selection(["a", "b"]))
    jobs = by_id(result)
    assert jobs["a"]["status"] == "INCRE_TRANSFER_STARTED" and not jobs["a"]["failed"] and jobs["a"]["changed"]
    assert jobs["b"]["status"] == "FULL_TRANSFER_FAILED" and jobs["b"]["failed"] and jobs["b"]["changed"]
    assert fc.sleeps == [2.0, 4, 4]   # a first pause of 2 s (states lag the action), then doubling, capped by wait_interval
    assert result["failed"]


def test_wait_timeout_reports_jobs_still_running_with_their_last_state():
    client = FakeDrsClient({"a": "PAUSING"}, status_sequence=[{}, {"a": "FULL_TRANSFER_STARTED"}])
    fc = FakeClock()
    options = RunOptions(wait=True, wait_timeout=5, wait_interval=2)
    result = Runner(options, DrsRetry(client), Warnings(), clock=fc.clock, sleep=fc.sleep).run(Selection(["a"]))
    job = result["jobs"][0]
    assert job["failed"] and job["timed_out"] and job["status"] == "FULL_TRANSFER_STARTED"
    assert "wait_timeout" in job["error_msg"]
    assert sum(fc.sleeps) == pytest.approx(5.0)


def test_diff_shows_state_before_and_expected_after():
    client = FakeDrsClient({"a": "CONFIGURATION", "b": "INCRE_TRANSFER_STARTED"})
    result = Runner(RunOptions(check_mode=True, diff=True), DrsStart(client), Warnings()).run(Selection(["a", "b"]))
    assert result["diff"] == {"before": {"a": "CONFIGURATION", "b": "INCRE_TRANSFER_STARTED"},
                              "after": {"a": "STARTJOBING", "b": "INCRE_TRANSFER_STARTED"}}


def test_start_sends_start_time_only_where_given_and_accepts_jobs_key():
    class JobsKey(FakeDrsClient):
        def call(self, service, method, path, body=None, **kwargs):
            data, rid = super(JobsKey, self).call(service, method, path, body=body, **kwargs)
            if not path.endswith("batch-status"):
                data = {"jobs": data["results"], "count": data["count"]}
            return data, rid
    client = JobsKey({"a": "CONFIGURATION", "b": "WAITING_FOR_START"})
    result = Runner(RunOptions(), DrsStart(client, start_times={"b": "1599202771816"}), Warnings()).run(Selection(["a", "b"]))
    assert client.writes()[0][1] == {"jobs": [{"job_id": "a"}, {"job_id": "b", "start_time": "1599202771816"}]}
    assert result["summary"]["changed"] == 2


def test_run_options_default_to_the_option_specs_and_take_nothing_else():
    options = RunOptions()
    defaults = dict((name, spec["default"]) for name, spec in dict(state_spec(), **filters_spec(max_jobs=True)).items() if name != "filters")
    assert dict((name, getattr(options, name)) for name in defaults) == defaults
    assert not options.check_mode and not options.diff
    with pytest.raises(TypeError, match="no_such_option"):
        RunOptions(no_such_option=1)


def test_the_module_checks_filters_once_and_hands_the_runner_its_inputs_leaving_params_as_given(capsys):
    checked = []
    seen = {}

    def check(filters):
        checked.append(dict(filters))
        return check_filters(filters)

    def run(module):
        seen.update(params=module.params, selection=module.selection, options=module.options)
        return {"changed": False}

    args = dict(HUAWEI_TEST_CREDENTIALS, filters={"status": "PAUSING"}, wait_settle=5)
    run_main(lambda: CloudJobsModule({}, HUAWEI, filters=check, ids_option="job_ids").run(run), args, capsys, check_mode=True, diff=True)
    assert checked == [{"status": "PAUSING"}]
    assert seen["params"]["filters"] == {"status": "PAUSING"}          # as the task gave it
    assert seen["selection"].filters == {"status": ["PAUSING"]} and seen["selection"].ids is None
    options = seen["options"]
    assert (options.wait_settle, options.max_jobs, options.precheck, options.check_mode, options.diff) == (5, 1000, True, True, True)
