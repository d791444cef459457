# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The batch splitter on its own: a fake "send a batch" that refuses a whole batch as Tencent does."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import itertools
import random

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError, code_in
from ansible_collections.cloudops.jobs.plugins.module_utils._tencent_batch import (
    FAILED_STATES, JOB_STATES, PER_JOB_CODES, SETTLED, BatchSplitter, named_ids,
)

NOT_FOUND = "ResourceNotFound.Job"
MALFORMED = "InvalidParameter.JobIdMalformed"
WRONG_STATE = "UnsupportedOperation"


def request_bound(n, bad):
    """The most requests a batch of ``n`` jobs of which ``bad`` are refused alone may take (docs/dev/service-notes.md):
    1 + 2*bad*ceil(log2 n). (``(n - 1).bit_length()`` is ceil(log2 n).)"""
    return 1 + 2 * bad * (max(n, 1) - 1).bit_length()


class FakeRetryJobs:
    """Refuses a batch holding any bad job, with that job's code, and acts on none of it; accepts a batch of good jobs.

    ``naming``: what the error message names. ``first``: the first bad job (as the emulator's ResourceNotFound.Job
    does); ``none``: nothing; ``wrong``: a good job of the batch (a misleading message), else nothing.
    """

    def __init__(self, bad=None, naming="first", faults=None):
        self.bad = dict(bad or {})
        self.naming = naming
        self.faults = dict(faults or {})   # call number (1-based) -> ApiError raised instead
        self.calls = []                     # (ids, request id, accepted)
        self.acted = collections.Counter()

    def __call__(self, ids):
        assert ids and len(set(ids)) == len(ids)
        rid = "rid-%d" % (len(self.calls) + 1)
        fault = self.faults.get(len(self.calls) + 1)
        if fault is not None:
            self.calls.append((list(ids), rid, False))
            raise ApiError(fault.message, code=fault.code, request_id=rid, outcome_unknown=fault.outcome_unknown)
        bad = [job_id for job_id in ids if job_id in self.bad]
        if bad:
            self.calls.append((list(ids), rid, False))
            code = self.bad[bad[0]]
            if self.naming == "first":
                msg = "The specified job does not exist: `%s`." % bad[0]
            elif self.naming == "wrong":
                good = [job_id for job_id in ids if job_id not in self.bad]
                msg = "Job %s is in the way." % good[-1] if good else "Refused."
            else:
                msg = "Some jobs of the request cannot be retried."
            raise ApiError(msg, code=code, request_id=rid)
        self.calls.append((list(ids), rid, True))
        for job_id in ids:
            self.acted[job_id] += 1
        return rid

    def alone(self, job_id):
        return [rid for ids, rid, _ok in self.calls if ids == [job_id]]


def job_ids(n):
    return ["job-%08d" % i for i in range(n)]


def check_decided(fake, ids, outcomes):
    """Every job decided once; good jobs acted on exactly once with the accepting request's id; bad jobs
    never acted on, with their own code, decided by a request in which they stood alone."""
    assert sorted(outcomes) == sorted(ids)
    accepted_in = {}
    for sent, rid, ok in fake.calls:
        if ok:
            for job_id in sent:
                accepted_in[job_id] = rid
    for job_id in ids:
        outcome = outcomes[job_id]
        if job_id in fake.bad:
            assert not outcome.ok
            assert outcome.error.code == fake.bad[job_id]
            assert fake.acted[job_id] == 0
            assert outcome.request_id in fake.alone(job_id), "a bad job is decided by the request it stood alone in"
        else:
            assert outcome.ok, (job_id, outcome)
            assert fake.acted[job_id] == 1, "a good job is retried exactly once"
            assert outcome.request_id == accepted_in[job_id]


# the state tables -----------------------------------------------------------------------

def test_state_tables_cover_every_documented_state_once():
    assert JOB_STATES == frozenset(["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEED", "FAILED",
                                    "FAILED_INTERRUPTED"])
    assert "FAILED_INTERRUPTED" not in SETTLED and "FAILED" not in SETTLED
    assert FAILED_STATES == frozenset(["FAILED", "FAILED_INTERRUPTED"])


# which errors are split ------------------------------------------------------------------

@pytest.mark.parametrize("code, split", [
    (NOT_FOUND, True), (MALFORMED, True), (WRONG_STATE, True),
    ("UnsupportedOperation.JobNotFailed", True), ("ResourceNotFound.Job.Deleted", True),
    ("ResourceNotFound", False), ("ResourceNotFound.JobQueue", False), ("UnsupportedOperationX", False),
    ("InvalidParameter", False), ("InvalidParameter.JobIdMalformedX", False),
    ("AuthFailure.SignatureFailure", False), ("InternalError", False), ("RequestLimitExceeded", False), (None, False),
])
def test_per_job_codes_and_their_sub_codes_are_split(code, split):
    assert code_in(code, PER_JOB_CODES) is split


def test_named_ids_matches_whole_ids_only():
    ids = ["job-1", "job-12", "job-abc12345"]
    assert named_ids("The specified job does not exist: `job-12`.", ids) == ["job-12"]
    assert named_ids("job-1 is RUNNING", ids) == ["job-1"]
    assert named_ids("jobs job-1, job-abc12345 refused", ids) == ["job-1", "job-abc12345"]
    assert named_ids("xjob-1 job-123 job-abc123456", ids) == []
    assert named_ids(None, ids) == []


# whole-request errors are not split -----------------------------------------------------

@pytest.mark.parametrize("code, unknown", [
    ("AuthFailure.SignatureFailure", False), ("AuthFailure.SecretIdNotFound", False), ("InternalError", True),
    ("RequestLimitExceeded", False), ("InvalidParameter", False), ("ReadTimeout", True), (None, False),
])
def test_whole_request_error_fails_every_job_of_the_batch_without_splitting(code, unknown):
    ids = job_ids(40)
    fake = FakeRetryJobs(faults={1: ApiError("refused as a whole", code=code, outcome_unknown=unknown)})
    splitter = BatchSplitter(fake)
    outcomes = splitter.run(ids)
    assert len(fake.calls) == 1
    assert set(o.error.code for o in outcomes.values()) == set([code])
    assert set(o.request_id for o in outcomes.values()) == set(["rid-1"])
    assert all(o.error.outcome_unknown is unknown for o in outcomes.values())


def test_a_refused_single_job_is_decided_by_its_own_request():
    fake = FakeRetryJobs({"job-00000000": WRONG_STATE})
    outcomes = BatchSplitter(fake).run(["job-00000000"])
    assert len(fake.calls) == 1
    assert outcomes["job-00000000"].error.code == WRONG_STATE and outcomes["job-00000000"].request_id == "rid-1"


# bad jobs isolated, good jobs retried once, the request bound ----------------------------

def test_all_good_is_one_request():
    ids = job_ids(100)
    fake = FakeRetryJobs()
    outcomes = BatchSplitter(fake).run(ids)
    assert len(fake.calls) == 1
    check_decided(fake, ids, outcomes)
    assert set(o.request_id for o in outcomes.values()) == set(["rid-1"])


def test_three_unknown_of_fifty_named_by_the_message():
    ids = job_ids(50)
    bad = {ids[7]: NOT_FOUND, ids[23]: NOT_FOUND, ids[49]: NOT_FOUND}
    fake = FakeRetryJobs(bad, naming="first")
    splitter = BatchSplitter(fake)
    outcomes = splitter.run(ids)
    check_decided(fake, ids, outcomes)
    # Each named job alone, then the rest: 1 + 2 * 3 requests, far under 1 + 2 * 3 * ceil(log2 50) = 37.
    assert len(fake.calls) == 7 and not splitter.misled
    assert [c[0] for c in fake.calls[1::2]] == [[ids[7]], [ids[23]], [ids[49]]]


def test_three_unknown_of_fifty_by_bisection_alone():
    """Messages that name no job: bisection alone."""
    ids = job_ids(50)
    bad = {ids[7]: NOT_FOUND, ids[23]: MALFORMED, ids[49]: WRONG_STATE}
    fake = FakeRetryJobs(bad, naming="none")
    outcomes = BatchSplitter(fake).run(ids)
    check_decided(fake, ids, outcomes)
    assert len(fake.calls) <= request_bound(50, 3) == 37
    # Bisection: each refused part of two or more jobs was sent again as its two halves, and nothing else was sent.
    sent_parts = [c[0] for c in fake.calls]
    expected = [ids]
    for sent, _rid, ok in fake.calls:
        if not ok and len(sent) > 1:
            middle = (len(sent) + 1) // 2
            assert sent[:middle] in sent_parts and sent[middle:] in sent_parts
            expected += [sent[:middle], sent[middle:]]
    assert sorted(sent_parts) == sorted(expected)


@pytest.mark.parametrize("naming", ["first", "none", "wrong"])
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_every_set_of_bad_jobs_in_small_batches(naming, n):
    """Exhaustive over every subset of bad jobs and every kind of message."""
    ids = job_ids(n)
    codes = [NOT_FOUND, MALFORMED, WRONG_STATE, "UnsupportedOperation.Sub"]
    for size in range(n + 1):
        for chosen in itertools.combinations(ids, size):
            bad = dict((job_id, codes[i % len(codes)]) for i, job_id in enumerate(chosen))
            fake = FakeRetryJobs(bad, naming=naming)
            splitter = BatchSplitter(fake)
            outcomes = splitter.run(ids)
            check_decided(fake, ids, outcomes)
            limit = request_bound(n, size) + (1 if splitter.misled else 0)
            assert len(fake.calls) <= limit, (bad, fake.calls)
            if naming == "first" and size and n > 1:
                assert len(fake.calls) <= 1 + 2 * size


@pytest.mark.parametrize("naming", ["first", "none", "wrong"])
@pytest.mark.parametrize("n", [7, 13, 50, 64, 99, 100])
@pytest.mark.parametrize("b", [1, 2, 3, 7, 20])
def test_request_count_bound_on_random_batches(naming, n, b):
    rng = random.Random(n * 1000 + b)
    ids = job_ids(n)
    for _trial in range(20):
        chosen = rng.sample(ids, min(b, n))
        bad = dict((job_id, rng.choice([NOT_FOUND, MALFORMED, WRONG_STATE])) for job_id in chosen)
        fake = FakeRetryJobs(bad, naming=naming)
        splitter = BatchSplitter(fake)
        outcomes = splitter.run(ids)
        check_decided(fake, ids, outcomes)
        bound = request_bound(n, len(bad))
        if naming == "wrong":
            # A misleading message costs at most one request more, once: then messages are not used.
            assert splitter.misled or len(bad) == n
            assert len(fake.calls) <= bound + 1
        else:
            assert len(fake.calls) <= bound
        if naming == "first":
            assert len(fake.calls) <= 1 + 2 * len(bad)


def test_a_misleading_message_turns_hints_off_and_bisection_finishes_the_job():
    ids = job_ids(50)
    bad = {ids[10]: NOT_FOUND, ids[30]: NOT_FOUND}
    fake = FakeRetryJobs(bad, naming="wrong")
    splitter = BatchSplitter(fake)
    outcomes = splitter.run(ids)
    check_decided(fake, ids, outcomes)
    assert splitter.misled
    # The named good job was sent alone once (and retried then); no other good job was sent alone for a hint.
    assert fake.calls[1][0] == [ids[49]] and fake.calls[1][2] is True
    # The rest was not re-sent whole: it is known to hold a refused job.
    assert ids[:49] not in [c[0] for c in fake.calls]
    assert len(fake.calls) <= request_bound(50, 2) + 1


# errors while splitting -------------------------------------------------------------------

def test_a_part_throttled_after_the_re_sends_fails_only_its_own_jobs():
    ids = job_ids(8)
    bad = {ids[6]: NOT_FOUND}
    # Call 1: the batch is refused over ids[6]; the message names nothing, so halves: call 2 = ids[:4] is throttled.
    throttled = ApiError("Your current request times exceed the frequency limit", code="RequestLimitExceeded")
    fake = FakeRetryJobs(bad, naming="none", faults={2: throttled})
    outcomes = BatchSplitter(fake).run(ids)
    assert [c[0] for c in fake.calls][:2] == [ids, ids[:4]]
    for job_id in ids[:4]:
        assert outcomes[job_id].error.code == "RequestLimitExceeded" and outcomes[job_id].request_id == "rid-2"
        assert fake.acted[job_id] == 0
    assert outcomes[ids[6]].error.code == NOT_FOUND and outcomes[ids[6]].request_id in fake.alone(ids[6])
    for job_id in (ids[4], ids[5], ids[7]):
        assert outcomes[job_id].ok and fake.acted[job_id] == 1


def test_named_job_whose_own_request_fails_as_a_whole_is_unknown_and_the_rest_goes_on():
    ids = job_ids(10)
    bad = {ids[3]: NOT_FOUND}
    internal = ApiError("An internal error occurred", code="InternalError", outcome_unknown=True)
    fake = FakeRetryJobs(bad, naming="first", faults={2: internal})
    splitter = BatchSplitter(fake)
    outcomes = splitter.run(ids)
    assert fake.calls[1][0] == [ids[3]]
    assert outcomes[ids[3]].error.code == "InternalError" and outcomes[ids[3]].error.outcome_unknown
    assert not splitter.misled
    assert fake.calls[2][0] == [j for j in ids if j != ids[3]] and fake.calls[2][2]
    assert all(outcomes[j].ok and fake.acted[j] == 1 for j in ids if j != ids[3])


def test_a_service_that_changes_its_mind_still_decides_every_job_once():
    """Refused over a job, then that job is fine: every part sent is accepted, no job is acted on twice."""
    ids = job_ids(9)
    fake = FakeRetryJobs(naming="none", faults={1: ApiError("The job is not FAILED", code=WRONG_STATE)})
    outcomes = BatchSplitter(fake).run(ids)
    assert all(o.ok for o in outcomes.values())
    assert all(fake.acted[j] == 1 for j in ids)
    assert len(fake.calls) == 3


def test_the_splitter_keeps_one_memory_of_misleading_messages_across_batches():
    ids = job_ids(20)
    fake = FakeRetryJobs({ids[3]: NOT_FOUND, ids[15]: NOT_FOUND}, naming="wrong")
    splitter = BatchSplitter(fake)
    first = splitter.run(ids[:10])
    assert splitter.misled
    calls_before = len(fake.calls)
    second = splitter.run(ids[10:])
    check_decided(fake, ids, dict(first, **second))
    # The second batch is refused naming ids[19] (a good job): it is not sent alone on the message's word, the batch is halved.
    later = [c[0] for c in fake.calls[calls_before:]]
    assert later[0] == ids[10:] and later[1] == ids[10:15]
