# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tencent_batch_retry through the real module and Runner.

Most tests replace TencentClient with a fake Tencent Batch (RetryJobs/DescribeJobs over a state table, refusing a
whole batch as Tencent does). The last ones keep the real client, signer and transport over a fake HTTP session, to
show what goes on the wire and that the rate limiter runs before every attempt, re-sends included.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading

import pytest

from requests.structures import CaseInsensitiveDict


from ansible_collections.cloudops.jobs.plugins.module_utils import _tencent
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._module import CloudJobsModule
from ansible_collections.cloudops.jobs.plugins.module_utils._retry import RateLimiter, RetryPolicy
from ansible_collections.cloudops.jobs.plugins.module_utils._transport import Transport
from ansible_collections.cloudops.jobs.plugins.modules import tencent_batch_retry
from ansible_collections.cloudops.jobs.tests.unit.plugins.module_utils.test_tencent_batch_split import request_bound
from ansible_collections.cloudops.jobs.tests.unit.plugins.runner_fakes import by_id, patch_module_args, run_main

SECRET_ID = "AKIDEXAMPLE0000000000000000000000001"
SECRET_KEY = "ExampleSecretKey000000000000000001"


def job_ids(n, prefix="job-a"):
    return ["%s%07d" % (prefix, i) for i in range(n)]


class FakeBatch:
    """A Tencent Batch behind the client interface: ``call(action, payload, idempotent)`` -> (Response, request id)."""

    def __init__(self, states, after_retry="RUNNING", progress=None, errors=None):
        self.states = dict(states)
        self.after_retry = after_retry
        self.progress = dict(progress or {})   # job -> list of states DescribeJobs shows after it was retried
        self.errors = dict(errors or {})       # call number (1-based) or action -> ApiError raised
        self.calls = []
        self.accepted = []                     # (JobIds, request id) of every RetryJobs the fake acted on

    def call(self, action, payload, idempotent=False):
        self.calls.append((action, json.loads(json.dumps(payload)), idempotent))
        rid = "rid-%d" % len(self.calls)
        err = self.errors.get(len(self.calls)) or self.errors.get(action)
        if err is not None:
            raise ApiError(err.message, code=err.code, request_id=rid, outcome_unknown=err.outcome_unknown)
        if action == "DescribeJobs":
            assert idempotent and payload["Limit"] == 100 and 1 <= len(payload["JobIds"]) <= 100
            jobs = []
            for job_id in payload["JobIds"]:
                if job_id in self.states:
                    if self.progress.get(job_id) and self.states[job_id] == self.after_retry:
                        self.states[job_id] = self.progress[job_id].pop(0)
                    jobs.append({"JobId": job_id, "JobName": job_id, "JobState": self.states[job_id]})
            return {"JobSet": jobs, "TotalCount": len(jobs), "RequestId": rid}, rid
        assert action == "RetryJobs" and not idempotent
        ids = payload["JobIds"]
        assert 1 <= len(ids) <= 100
        unknown = [j for j in ids if j not in self.states]
        if unknown:
            raise ApiError("The specified job does not exist: `%s`." % unknown[0], code="ResourceNotFound.Job", request_id=rid)
        wrong = [j for j in ids if self.states[j] != "FAILED"]
        if wrong:
            raise ApiError("Unsupported operation: the job %s is %s." % (wrong[0], self.states[wrong[0]]),
                           code="UnsupportedOperation", request_id=rid)
        for job_id in ids:
            self.states[job_id] = self.after_retry
        self.accepted.append((list(ids), rid))
        return {"RequestId": rid}, rid

    def sent(self, action="RetryJobs"):
        return [(payload["JobIds"], "rid-%d" % (i + 1)) for i, (a, payload, _i) in enumerate(self.calls) if a == action]


@pytest.fixture
def run_module(monkeypatch, capsys):
    def run(fake, check_mode=False, **args):
        made = []

        def client(self, pool_size=10):
            made.append(self.params)
            return fake

        monkeypatch.setattr(CloudJobsModule, "client", client)
        full = dict(secret_id=SECRET_ID, secret_key=SECRET_KEY, region="ap-guangzhou")
        full.update(args)
        return run_main(tencent_batch_retry.main, full, capsys, check_mode)
    return run


def warnings(result):
    return [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]


# precheck and the state tables ----------------------------------------------------------

def test_precheck_table(run_module):
    states = {"job-fail0001": "FAILED", "job-fail0002": "FAILED", "job-run00001": "RUNNING", "job-done0001": "SUCCEED",
              "job-subm0001": "SUBMITTED", "job-pend0001": "PENDING", "job-rble0001": "RUNNABLE", "job-strt0001": "STARTING",
              "job-intr0001": "FAILED_INTERRUPTED"}
    fake = FakeBatch(states)
    ids = list(states) + ["job-ghost001"]
    result = run_module(fake, job_ids=ids)
    jobs = by_id(result)
    assert [j["id"] for j in result["jobs"]] == ids
    assert fake.calls[0] == ("DescribeJobs", {"JobIds": ids, "Limit": 100}, True)
    assert fake.sent() == [(["job-fail0001", "job-fail0002"], "rid-2")]
    for job_id in ("job-fail0001", "job-fail0002"):
        assert jobs[job_id]["changed"] and jobs[job_id]["status"] == "success" and jobs[job_id]["request_id"] == "rid-2"
    for job_id, state in states.items():
        if state in ("RUNNING", "SUCCEED", "SUBMITTED", "PENDING", "RUNNABLE", "STARTING"):
            assert jobs[job_id]["skipped"] and not jobs[job_id]["changed"] and jobs[job_id]["status"] == state
    assert jobs["job-intr0001"]["failed"] and jobs["job-intr0001"]["status"] == "FAILED_INTERRUPTED"
    assert "FAILED_INTERRUPTED" in jobs["job-intr0001"]["error_msg"] and "from: FAILED" in jobs["job-intr0001"]["error_msg"]
    assert jobs["job-ghost001"]["failed"] and jobs["job-ghost001"]["status"] == "not_found"
    assert result["failed"] and result["changed"]
    assert result["summary"] == {"total": 10, "changed": 2, "failed": 2, "skipped": 6}


def test_rerun_changes_nothing(run_module):
    fake = FakeBatch({"job-fail0001": "FAILED"})
    first = run_module(fake, job_ids=["job-fail0001"])
    second = run_module(fake, job_ids=["job-fail0001"])
    assert first["changed"] and not second["changed"] and not second["failed"]
    assert len(fake.sent()) == 1


def test_precheck_with_three_unknown_sends_none_of_them(run_module):
    ids = job_ids(50)
    unknown = [ids[5], ids[20], ids[44]]
    fake = FakeBatch(dict((j, "FAILED") for j in ids if j not in unknown))
    result = run_module(fake, job_ids=ids)
    jobs = by_id(result)
    assert [j for j in ids if jobs[j]["status"] == "not_found"] == unknown
    assert result["summary"] == {"total": 50, "changed": 47, "failed": 3, "skipped": 0}
    sent = fake.sent()
    assert len(sent) == 1 and not set(unknown) & set(sent[0][0])


# batches ----------------------------------------------------------------------------------

@pytest.mark.parametrize("batch_size, sizes", [(100, [100, 100, 50]), (10, [10] * 25), (1, [1] * 250), (64, [64, 64, 64, 58])])
def test_batches_in_order(run_module, batch_size, sizes):
    ids = job_ids(250)
    fake = FakeBatch(dict((j, "FAILED") for j in ids))
    result = run_module(fake, job_ids=ids, batch_size=batch_size)
    assert not result["failed"] and result["summary"]["changed"] == 250
    sent = fake.sent()
    assert [len(batch) for batch, _rid in sent] == sizes
    assert sum((batch for batch, _rid in sent), []) == ids
    # DescribeJobs: 100 ids per request.
    assert [len(b) for b, _rid in fake.sent("DescribeJobs")] == [100, 100, 50]
    jobs = by_id(result)
    for batch, rid in sent:
        assert set(jobs[j]["request_id"] for j in batch) == set([rid])


@pytest.mark.parametrize("batch_size", [0, 101, -5, 1000])
def test_batch_size_out_of_range_fails_before_any_request(run_module, batch_size):
    fake = FakeBatch({"job-fail0001": "FAILED"})
    result = run_module(fake, job_ids=["job-fail0001"], batch_size=batch_size)
    assert result["failed"] and "batch_size must be from 1 to 100" in result["msg"] and str(batch_size) in result["msg"]
    assert fake.calls == []


@pytest.mark.parametrize("args, text", [
    (dict(job_ids=[]), "job_ids must list at least one id"),
    (dict(job_ids=["job-a/../b"]), "job_ids contains"),
    (dict(job_ids=["job-fail0001"], secret_id=None), "secret_id missing"),
    (dict(job_ids=["job-fail0001"], secret_key=""), "secret_key missing"),
    (dict(job_ids=["job-fail0001"], rate_limit=0), "rate_limit must be greater than 0"),
    (dict(job_ids=["job-fail0001"], endpoint="batch.tencentcloudapi.com"), "endpoint must be an http"),
])
def test_bad_input_fails_before_any_request(run_module, args, text):
    fake = FakeBatch({"job-fail0001": "FAILED"})
    result = run_module(fake, **args)
    assert result["failed"] and text in result["msg"]
    assert fake.calls == []
    assert SECRET_KEY not in json.dumps(result)


def test_duplicates_are_retried_and_reported_once(run_module):
    fake = FakeBatch({"job-fail0001": "FAILED", "job-fail0002": "FAILED"})
    result = run_module(fake, job_ids=["job-fail0001", "job-fail0002", "job-fail0001"])
    assert [j["id"] for j in result["jobs"]] == ["job-fail0001", "job-fail0002"]
    assert fake.sent() == [(["job-fail0001", "job-fail0002"], "rid-2")]
    assert any("more than once" in w for w in warnings(result))


# refused batches are split --------------------------------------------------------------

def test_three_unknown_of_fifty_without_precheck(run_module):
    ids = job_ids(50)
    unknown = [ids[3], ids[26], ids[49]]
    fake = FakeBatch(dict((j, "FAILED") for j in ids if j not in unknown))
    result = run_module(fake, job_ids=ids, precheck=False)
    jobs = by_id(result)
    assert result["summary"] == {"total": 50, "changed": 47, "failed": 3, "skipped": 0}
    sent = fake.sent()
    assert len(sent) <= request_bound(50, 3) and len(fake.calls) == len(sent)
    for job_id in unknown:
        assert jobs[job_id]["error_code"] == "ResourceNotFound.Job" and jobs[job_id]["status"] == "failed"
        assert job_id in jobs[job_id]["error_msg"]
        assert ([job_id], jobs[job_id]["request_id"]) in sent     # decided by the request it stood alone in
    for job_id in ids:
        if job_id not in unknown:
            holding = [rid for batch, rid in fake.accepted if job_id in batch]
            assert len(holding) == 1, "retried exactly once"
            assert jobs[job_id]["changed"] and jobs[job_id]["request_id"] == holding[0]


def test_a_job_in_the_wrong_state_without_precheck_is_isolated(run_module):
    ids = job_ids(12)
    states = dict((j, "FAILED") for j in ids)
    states[ids[4]] = "RUNNING"
    states[ids[9]] = "FAILED_INTERRUPTED"
    fake = FakeBatch(states)
    result = run_module(fake, job_ids=ids, precheck=False, batch_size=6)
    jobs = by_id(result)
    assert jobs[ids[4]]["error_code"] == "UnsupportedOperation" and jobs[ids[9]]["error_code"] == "UnsupportedOperation"
    assert ([ids[4]], jobs[ids[4]]["request_id"]) in fake.sent()
    assert result["summary"] == {"total": 12, "changed": 10, "failed": 2, "skipped": 0}
    assert all(len(batch) <= 6 for batch, _rid in fake.sent())


# errors about the whole request ------------------------------------------------------------

def test_wrong_secret_key_without_precheck_fails_every_job_one_request_per_batch(run_module):
    ids = job_ids(150)
    fake = FakeBatch(dict((j, "FAILED") for j in ids), errors={"RetryJobs": ApiError(
        "The provided credentials could not be validated.", code="AuthFailure.SignatureFailure")})
    result = run_module(fake, job_ids=ids, precheck=False)
    assert [len(b) for b, _rid in fake.sent()] == [100, 50]
    jobs = result["jobs"]
    assert all(j["failed"] and j["error_code"] == "AuthFailure.SignatureFailure" and j["status"] == "failed" for j in jobs)
    assert set(j["request_id"] for j in jobs[:100]) == set(["rid-1"]) and set(j["request_id"] for j in jobs[100:]) == set(["rid-2"])
    assert result["failed"] and not result["changed"] and result["msg"].startswith("150 of 150 jobs failed")


def test_wrong_secret_key_with_precheck_fails_at_the_read_and_sends_no_retry(run_module):
    ids = job_ids(150)
    fake = FakeBatch(dict((j, "FAILED") for j in ids), errors={"DescribeJobs": ApiError(
        "The provided credentials could not be validated.", code="AuthFailure.SignatureFailure")})
    result = run_module(fake, job_ids=ids)
    assert [c[0] for c in fake.calls] == ["DescribeJobs"]      # the first read fails: nothing more is sent
    for job in result["jobs"]:
        assert job["failed"] and job["status"] == "failed" and job["error_code"] == "AuthFailure.SignatureFailure"
        assert job["request_id"] == "rid-1" and "could not read the job's state" in job["error_msg"]
    assert result["failed"] and not result["changed"]


def test_internal_error_leaves_its_batch_unknown_and_is_not_split(run_module):
    ids = job_ids(30)
    fake = FakeBatch(dict((j, "FAILED") for j in ids), errors={2: ApiError(
        "An internal error occurred; the request may have been acted on, so it was not re-sent", code="InternalError",
        outcome_unknown=True)})
    result = run_module(fake, job_ids=ids, batch_size=10)
    jobs = result["jobs"]
    assert [len(b) for b, _rid in fake.sent()] == [10, 10, 10]
    assert all(j["status"] == "unknown" and j["failed"] and j["error_code"] == "InternalError" for j in jobs[:10])
    assert all(j["status"] == "success" and j["changed"] for j in jobs[10:])


def test_a_read_refused_over_a_malformed_id_is_split_and_the_id_reported_not_found(run_module):
    ids = ["job-fail0001", "bad_id", "job-fail0002"]

    class Picky(FakeBatch):
        def call(self, action, payload, idempotent=False):
            if action == "DescribeJobs" and "bad_id" in payload["JobIds"]:
                self.calls.append((action, payload, idempotent))
                raise ApiError("Invalid job ID format: `bad_id`.", code="InvalidParameter.JobIdMalformed",
                               request_id="rid-%d" % len(self.calls))
            return super(Picky, self).call(action, payload, idempotent)

    fake = Picky({"job-fail0001": "FAILED", "job-fail0002": "FAILED"})
    result = run_module(fake, job_ids=ids)
    jobs = by_id(result)
    assert jobs["bad_id"]["status"] == "not_found" and jobs["bad_id"]["failed"]
    assert jobs["job-fail0001"]["changed"] and jobs["job-fail0002"]["changed"]
    assert fake.sent() == [(["job-fail0001", "job-fail0002"], "rid-4")]


# check mode, wait, diff ------------------------------------------------------------------

def test_check_mode_sends_no_retry(run_module):
    fake = FakeBatch({"job-fail0001": "FAILED", "job-run00001": "RUNNING"})
    result = run_module(fake, check_mode=True, job_ids=["job-fail0001", "job-run00001"])
    assert [c[0] for c in fake.calls] == ["DescribeJobs"]
    jobs = by_id(result)
    assert jobs["job-fail0001"]["changed"] and jobs["job-fail0001"]["status"] == "FAILED"
    assert jobs["job-run00001"]["skipped"]
    assert result["changed"] and fake.states["job-fail0001"] == "FAILED"


def test_check_mode_without_precheck_sends_nothing(run_module):
    fake = FakeBatch({"job-fail0001": "FAILED"})
    result = run_module(fake, check_mode=True, job_ids=["job-fail0001", "job-ghost001"], precheck=False)
    assert fake.calls == []
    assert [j["status"] for j in result["jobs"]] == ["not_checked", "not_checked"]
    assert result["changed"]


def test_wait_reports_the_final_state(run_module):
    fake = FakeBatch({"job-good0001": "FAILED", "job-bad00001": "FAILED"},
                     progress={"job-good0001": ["SUCCEED"], "job-bad00001": ["FAILED_INTERRUPTED"]})
    result = run_module(fake, job_ids=["job-good0001", "job-bad00001"], wait=True, wait_interval=1, wait_timeout=30)
    jobs = by_id(result)
    assert jobs["job-good0001"]["status"] == "SUCCEED" and not jobs["job-good0001"]["failed"]
    assert jobs["job-bad00001"]["status"] == "FAILED_INTERRUPTED" and jobs["job-bad00001"]["failed"]
    assert [c[0] for c in fake.calls] == ["DescribeJobs", "RetryJobs", "DescribeJobs"]
    assert fake.calls[2][1]["JobIds"] == ["job-good0001", "job-bad00001"]


def test_diff_shows_failed_to_running(run_module):
    fake = FakeBatch({"job-fail0001": "FAILED", "job-done0001": "SUCCEED"})
    result = run_module(fake, job_ids=["job-fail0001", "job-done0001"], _ansible_diff=True)
    assert result["diff"] == {"before": {"job-fail0001": "FAILED", "job-done0001": "SUCCEED"},
                              "after": {"job-fail0001": "RUNNING", "job-done0001": "SUCCEED"}}


# through the real client, signer and transport --------------------------------------------

class FakeResponse:
    def __init__(self, body):
        self.status_code = 200
        self.headers = CaseInsensitiveDict({"Content-Type": "application/json"})
        self.content = json.dumps(body).encode("utf-8")


class VirtualClock:
    def __init__(self):
        self.now = 1000.0

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.now += max(0.0, seconds)


class FakeTencentSession:
    """A requests.Session stand-in: throttles the requests listed in ``throttle`` (1-based), accepts the rest."""

    def __init__(self, clock, throttle=(), states=None):
        self.clock = clock
        self.throttle = set(throttle)
        self.states = states
        self.calls = []
        self.headers = {}

    def mount(self, prefix, adapter):
        pass

    def close(self):
        pass

    def request(self, method, url, headers=None, data=None, timeout=None, verify=None, allow_redirects=None):
        self.calls.append(dict(method=method, url=url, headers=dict(headers), body=json.loads(data), at=self.clock.now))
        rid = "rid-%d" % len(self.calls)
        if len(self.calls) in self.throttle:
            return FakeResponse({"Response": {"Error": {"Code": "RequestLimitExceeded", "Message": "too fast"}, "RequestId": rid}})
        if headers["X-TC-Action"] == "DescribeJobs":
            jobs = [{"JobId": j, "JobState": self.states[j]} for j in json.loads(data)["JobIds"] if j in self.states]
            return FakeResponse({"Response": {"JobSet": jobs, "TotalCount": len(jobs), "RequestId": rid}})
        return FakeResponse({"Response": {"RequestId": rid}})


@pytest.fixture
def run_wire(monkeypatch, capsys):
    def run(session, clock, **args):
        policy = RetryPolicy(max_retries=args.get("max_retries", 4), sleep=clock.sleep)
        monkeypatch.setattr(CloudJobsModule, "transport", lambda self, pool_size=10: Transport(session=session, policy=policy))
        acquired = []

        class RecordingLimiter(RateLimiter):
            def __init__(self, rate):
                super(RecordingLimiter, self).__init__(rate, clock=clock.time, sleep=clock.sleep)

            def acquire(self):
                acquired.append(super(RecordingLimiter, self).acquire())
                return acquired[-1]

        monkeypatch.setattr(_tencent, "RateLimiter", RecordingLimiter)
        full = dict(secret_id=SECRET_ID, secret_key=SECRET_KEY, region="ap-guangzhou", endpoint="https://batch.tencentcloudapi.com")
        full.update(args)
        with patch_module_args(full):
            with pytest.raises(SystemExit):
                tencent_batch_retry.main()
        return json.loads(capsys.readouterr().out), acquired
    return run


def test_on_the_wire(run_wire):
    clock = VirtualClock()
    session = FakeTencentSession(clock, states={"job-abc12345": "FAILED", "job-def67890": "FAILED"})
    result, _acquired = run_wire(session, clock, job_ids=["job-abc12345", "job-def67890"], security_token="TMP-TOKEN-123456")
    assert not result["failed"] and result["changed"]
    describe, retry = session.calls
    assert describe["headers"]["X-TC-Action"] == "DescribeJobs"
    assert describe["body"] == {"JobIds": ["job-abc12345", "job-def67890"], "Limit": 100}
    assert retry["method"] == "POST" and retry["url"] == "https://batch.tencentcloudapi.com/"
    assert retry["body"] == {"JobIds": ["job-abc12345", "job-def67890"]}
    headers = retry["headers"]
    assert headers["X-TC-Action"] == "RetryJobs" and headers["X-TC-Version"] == "2017-03-12"
    assert headers["X-TC-Region"] == "ap-guangzhou" and headers["X-TC-Token"] == "TMP-TOKEN-123456"
    assert headers["Host"] == "batch.tencentcloudapi.com" and headers["X-TC-Timestamp"].isdigit()
    assert headers["Authorization"].startswith("TC3-HMAC-SHA256 Credential=%s/" % SECRET_ID)
    assert "/batch/tc3_request, SignedHeaders=content-type;host, Signature=" in headers["Authorization"]
    assert [j["request_id"] for j in result["jobs"]] == ["rid-2", "rid-2"]


def test_no_token_header_without_a_token(run_wire):
    clock = VirtualClock()
    session = FakeTencentSession(clock)
    run_wire(session, clock, job_ids=["job-abc12345"], precheck=False)
    assert "X-TC-Token" not in session.calls[0]["headers"]


def test_the_rate_limiter_runs_before_every_attempt_re_sends_included(run_wire):
    clock = VirtualClock()
    ids = job_ids(60)
    # Throttle the 2nd, 3rd and 6th requests: each is re-sent after a backoff, and each re-send waits its turn too.
    session = FakeTencentSession(clock, throttle=(2, 3, 6), states=dict((j, "FAILED") for j in ids))
    result, acquired = run_wire(session, clock, job_ids=ids, batch_size=10)
    assert not result["failed"] and result["summary"]["changed"] == 60
    assert len(session.calls) == 1 + 6 + 3 and len(acquired) == len(session.calls)
    assert [c["headers"]["X-TC-Action"] for c in session.calls][:4] == ["DescribeJobs", "RetryJobs", "RetryJobs", "RetryJobs"]
    for action in ("DescribeJobs", "RetryJobs"):
        starts = [c["at"] for c in session.calls if c["headers"]["X-TC-Action"] == action]
        assert all(b - a >= 0.5 for a, b in zip(starts, starts[1:]))
        assert all(c - a > 1.0 for a, c in zip(starts, starts[2:])), "never three requests of one API within one second"


def test_each_api_has_its_own_budget_and_a_throttled_one_backs_off_alone(run_wire):
    clock = VirtualClock()
    ids = job_ids(2)
    # The precheck's DescribeJobs is throttled once: its re-send waits for its backoff and its own API's next start;
    # the RetryJobs after it does not wait for DescribeJobs' budget.
    session = FakeTencentSession(clock, throttle=(1,), states=dict((j, "FAILED") for j in ids))
    result, acquired = run_wire(session, clock, job_ids=ids)
    assert not result["failed"] and result["summary"]["changed"] == 2
    actions = [c["headers"]["X-TC-Action"] for c in session.calls]
    assert actions == ["DescribeJobs", "DescribeJobs", "RetryJobs"] and len(acquired) == 3
    first, again, retry = [c["at"] for c in session.calls]
    assert again - first >= 0.5                 # DescribeJobs: its backoff, within its own spacing
    assert retry == again                       # RetryJobs: its first request, nothing to wait for


def test_the_budget_is_per_action():
    budget = _tencent.ActionBudget(2)
    assert budget.limiter("DescribeJobs") is budget.limiter("DescribeJobs")
    assert budget.limiter("RetryJobs") is not budget.limiter("DescribeJobs")
    assert budget.actions() == ["DescribeJobs", "RetryJobs"]
    assert budget.interval == pytest.approx(0.5 + _tencent.RateLimiter.MARGIN)


def test_a_request_still_throttled_after_the_re_sends_fails_its_batch_only(run_wire):
    clock = VirtualClock()
    ids = job_ids(4)
    session = FakeTencentSession(clock, throttle=(1, 2, 3))
    result, acquired = run_wire(session, clock, job_ids=ids, batch_size=2, precheck=False, max_retries=2)
    jobs = result["jobs"]
    assert all(j["error_code"] == "RequestLimitExceeded" and j["status"] == "failed" for j in jobs[:2])
    assert all(j["changed"] for j in jobs[2:])
    assert len(session.calls) == 4 and len(acquired) == 4
    # Not split: a throttled request is about the whole request.
    assert [len(c["body"]["JobIds"]) for c in session.calls] == [2, 2, 2, 2]


# filters: listing and retrying at once ------------------------------------------------------

class ListingBatch(FakeBatch):
    """FakeBatch with DescribeJobs ``Filters`` paging (``job-state`` only) over the jobs in their order, from two threads.

    A retried job leaves the FAILED list at once (harsher than the real service's lag), so a list paged forwards while
    retrying would skip jobs. ``gate``: the listing call number (1-based) that waits until a RetryJobs was accepted
    (shows that retries go while the list is read). ``on_list``: {listing call number: fn(fake)} run before answering.
    ``total``: {listing call number: TotalCount to answer instead}.
    """

    def __init__(self, states, gate=None, on_list=None, total=None, **kwargs):
        super(ListingBatch, self).__init__(states, **kwargs)
        self.lock = threading.Condition()
        self.gate = gate
        self.on_list = dict(on_list or {})
        self.total = dict(total or {})
        self.listed = []           # (Offset, RetryJobs accepted before this page was answered)

    def call(self, action, payload, idempotent=False):
        if action == "DescribeJobs" and "Filters" in payload:
            return self.list_page(payload)
        with self.lock:
            answer = super(ListingBatch, self).call(action, payload, idempotent)
            self.lock.notify_all()
            return answer

    def list_page(self, payload):
        number = len(self.listed) + 1
        if number == self.gate:
            with self.lock:
                assert self.lock.wait_for(lambda: self.accepted, timeout=30), "no RetryJobs was sent while listing"
        with self.lock:
            self.calls.append(("DescribeJobs", json.loads(json.dumps(payload)), True))
            rid = "rid-%d" % len(self.calls)
            err = self.errors.get(("list", number))
            if err is not None:
                raise ApiError(err.message, code=err.code, request_id=rid)
            if number in self.on_list:
                self.on_list[number](self)
            self.listed.append((payload["Offset"], len(self.accepted)))
            wanted = dict((f["Name"], f["Values"]) for f in payload["Filters"]).get("job-state")
            matching = [j for j, state in self.states.items() if wanted is None or state in wanted]
            page = matching[payload["Offset"]:payload["Offset"] + payload["Limit"]]
            jobs = [{"JobId": j, "JobName": j, "JobState": self.states[j]} for j in page]
            return {"JobSet": jobs, "TotalCount": self.total.get(number, len(matching)), "RequestId": rid}, rid

    def retried(self):
        return [j for batch, _rid in self.accepted for j in batch]


def failed_jobs(n, prefix="job-f"):
    return dict((j, "FAILED") for j in job_ids(n, prefix))


def test_filters_retry_while_listing_every_job_once(run_module):
    states = failed_jobs(1050)
    states.update(dict((j, "RUNNING") for j in job_ids(30, "job-r")))   # not listed: job-state FAILED
    fake = ListingBatch(states, gate=4)
    result = run_module(fake, filters={}, max_jobs=2000)
    failed = job_ids(1050, "job-f")
    assert not result["failed"] and result["summary"] == {"total": 1050, "changed": 1050, "failed": 0, "skipped": 0}
    assert [j["id"] for j in result["jobs"]] == failed          # the service's order
    assert sorted(fake.retried()) == failed                    # each retried once, none missed
    # The fewest requests: 11 pages (the first, then the last down to the second), 11 RetryJobs of up to 100.
    assert [offset for offset, _n in fake.listed] == [0, 1000, 900, 800, 700, 600, 500, 400, 300, 200, 100]
    assert [len(b) for b, _rid in fake.sent()] == [100] * 10 + [50]
    assert fake.listed[3][1] >= 1                               # a RetryJobs was accepted before the 4th page
    assert fake.sent()[-2][0] == failed[:100]                  # the first page's jobs go once every page is read
    jobs = by_id(result)
    for batch, rid in fake.sent():
        assert set(jobs[j]["request_id"] for j in batch) == set([rid])


def test_filters_with_batch_size_retry_full_batches_as_found(run_module):
    fake = ListingBatch(failed_jobs(250), gate=3)
    result = run_module(fake, filters={}, batch_size=40)
    assert result["summary"]["changed"] == 250 and sorted(fake.retried()) == job_ids(250, "job-f")
    assert [offset for offset, _n in fake.listed] == [0, 200, 100]
    assert all(len(b) <= 40 for b, _rid in fake.sent()) and len(fake.sent()) == 7   # ceil(250 / 40)


def test_filters_act_on_what_the_precheck_acts_on(run_module):
    states = failed_jobs(120)
    states.update({"job-run00001": "RUNNING", "job-intr0001": "FAILED_INTERRUPTED"})
    fake = ListingBatch(states)
    result = run_module(fake, filters={"job-state": ["FAILED", "RUNNING", "FAILED_INTERRUPTED"]})
    jobs = by_id(result)
    assert jobs["job-run00001"]["skipped"] and jobs["job-intr0001"]["failed"] and "from: FAILED" in jobs["job-intr0001"]["error_msg"]
    assert sorted(fake.retried()) == job_ids(120, "job-f")
    assert result["summary"] == {"total": 122, "changed": 120, "failed": 1, "skipped": 1}


def test_filters_over_max_jobs_fail_on_the_first_page_before_any_retry(run_module):
    fake = ListingBatch(failed_jobs(301))
    result = run_module(fake, filters={}, max_jobs=300)
    assert result["failed"] and "filters selected 301 jobs, more than max_jobs (300): nothing was acted on" in result["msg"]
    assert [c[0] for c in fake.calls] == ["DescribeJobs"] and fake.sent() == []


def test_more_than_max_jobs_after_all_stops_acting_and_reports_what_was_sent(run_module):
    def arrive(fake):
        # 60 jobs fail while the list is read, in the middle of the order.
        jobs = list(fake.states.items())
        fake.states = dict(jobs[:100] + [(j, "FAILED") for j in job_ids(60, "job-n")] + jobs[100:])

    fake = ListingBatch(failed_jobs(250), on_list={2: arrive})
    result = run_module(fake, filters={}, max_jobs=250, batch_size=50)
    assert result["failed"]
    assert "more than max_jobs (250): acting stopped after 100 jobs had been sent" in result["msg"]
    reported = [j["id"] for j in result["jobs"]]
    assert len(reported) == len(set(reported)) == 100 and sorted(reported) == sorted(fake.retried())
    assert all(j["changed"] and j["status"] == "success" for j in result["jobs"])
    assert [offset for offset, _n in fake.listed] == [0, 200, 100] and len(fake.sent()) == 2


def test_more_than_max_jobs_found_before_any_retry_fails_with_nothing_sent(run_module):
    fake = ListingBatch(failed_jobs(280), total={1: 150})     # a count that lags the list
    result = run_module(fake, filters={}, max_jobs=150)
    assert result["failed"] and "filters selected at least 200 jobs, more than max_jobs (150): nothing was acted on" in result["msg"]
    assert fake.sent() == [] and not result.get("jobs")


def test_a_page_that_fails_after_retries_began_reports_every_job_found(run_module):
    fake = ListingBatch(failed_jobs(500), gate=3, errors={("list", 3): ApiError("backend busy", code="InternalError")})
    result = run_module(fake, filters={})
    assert result["failed"] and "listing the jobs stopped at offset 300 of 500" in result["msg"] and "backend busy" in result["msg"]
    found = job_ids(100, "job-f") + job_ids(500, "job-f")[400:]
    assert sorted(j["id"] for j in result["jobs"]) == sorted(found) == sorted(fake.retried())
    assert all(j["changed"] for j in result["jobs"])


def test_a_first_page_that_fails_fails_the_run_with_nothing_sent(run_module):
    fake = ListingBatch(failed_jobs(10), errors={("list", 1): ApiError("denied", code="AuthFailure.UnauthorizedOperation")})
    result = run_module(fake, filters={})
    assert result["failed"] and "could not find the jobs to act on" in result["msg"] and fake.sent() == []


def test_filters_in_check_mode_list_and_send_no_retry(run_module):
    fake = ListingBatch(failed_jobs(250))
    result = run_module(fake, check_mode=True, filters={})
    assert fake.sent() == [] and result["changed"] and result["summary"]["changed"] == 250
    assert [offset for offset, _n in fake.listed] == [0, 100, 200]          # listed as the info module lists
    assert set(j["status"] for j in result["jobs"]) == set(["FAILED"])


def test_filters_and_wait(run_module):
    states = failed_jobs(150)
    fake = ListingBatch(states, progress=dict((j, ["SUCCEED"]) for j in states))
    result = run_module(fake, filters={}, wait=True, wait_interval=1, wait_timeout=60)
    assert not result["failed"] and set(j["status"] for j in result["jobs"]) == set(["SUCCEED"])
    assert sorted(fake.retried()) == sorted(states)
