# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The settle rule of ``wait``: right after an accepted action a status read can still show the state the job was acted
on from. A failed state counts only on evidence of a new outcome, or once wait_settle has passed (injected clock)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import JobAction, Record, Runner, RunOptions, Selection, new_failure
from ansible_collections.cloudops.jobs.plugins.module_utils._results import Outcome
from ansible_collections.cloudops.jobs.tests.unit.plugins.runner_fakes import FakeClock, Warnings, by_id


class ScriptedAction(JobAction):
    """Reads answer from a script: each job's list of states (or (state, end_marker)), one per read; the last repeats.

    The first read is the precheck's. ``starts`` maps a job to the id its action starts (a Workspace retry)."""

    actionable = frozenset(["FAILED"])
    settled = frozenset(["RUNNING", "SUCCEED"])
    succeeded = frozenset(["SUCCEED"])
    failed_states = frozenset(["FAILED", "BROKEN"])

    def __init__(self, script, starts=None):
        self.script = dict((k, list(v)) for k, v in script.items())
        self.starts = starts or {}
        self.reads = []

    def read(self, ids):
        self.reads.append(list(ids))
        records = {}
        for job_id in ids:
            steps = self.script.get(job_id)
            if not steps:
                continue
            step = steps.pop(0) if len(steps) > 1 else steps[0]
            state, end_marker = step if isinstance(step, tuple) else (step, None)
            records[job_id] = Record(state, end_marker=end_marker)
        return records

    def act(self, ids):
        return dict((j, Outcome.acted(started_as=self.starts.get(j), new_job_id=self.starts.get(j))) for j in ids)


def run(action, ids, **params):
    fc = FakeClock()
    params.setdefault("wait", True)
    params.setdefault("wait_interval", 2)
    result = Runner(RunOptions(**params), action, Warnings(), clock=fc.clock, sleep=fc.sleep).run(Selection(ids))
    return by_id(result), fc


def test_a_job_still_showing_its_old_failed_state_is_not_failed_until_it_moves():
    # The lag: FAILED, FAILED (not picked up yet), then RUNNING, SUCCEED.
    action = ScriptedAction({"a": ["FAILED", "FAILED", "FAILED", "RUNNING", "SUCCEED"]})
    jobs, _fc = run(action, ["a"], wait_settle=60)
    assert jobs["a"]["changed"] and not jobs["a"]["failed"] and jobs["a"]["status"] == "SUCCEED"


def test_a_job_seen_moving_then_failed_again_is_failed():
    action = ScriptedAction({"a": ["FAILED", "FAILED", "RUNNING", "FAILED"]})
    jobs, fc = run(action, ["a"], wait_settle=60)
    assert jobs["a"]["failed"] and jobs["a"]["status"] == "FAILED" and jobs["a"]["changed"]
    assert jobs["a"]["error_msg"] == "the job ended in state FAILED"
    assert fc.now < 60   # decided on the evidence, not on settle expiry


def test_a_newer_end_time_is_a_new_outcome_even_without_a_state_seen_between():
    action = ScriptedAction({"a": [("FAILED", "2026-12-01T10:00:00Z"), ("FAILED", "2026-12-01T10:00:00Z"),
                                   ("FAILED", "2026-12-01T10:05:00Z")]})
    jobs, fc = run(action, ["a"], wait_settle=60)
    assert jobs["a"]["failed"] and jobs["a"]["status"] == "FAILED"
    assert jobs["a"]["error_msg"] == "the job ended in state FAILED"
    assert fc.now < 60


def test_the_same_end_time_is_the_old_outcome_until_settle_expires():
    action = ScriptedAction({"a": [("FAILED", "2026-12-01T10:00:00Z")]})
    jobs, fc = run(action, ["a"], wait_settle=20, wait_timeout=600)
    assert jobs["a"]["failed"] and jobs["a"]["status"] == "FAILED" and not jobs["a"].get("timed_out")
    assert "never left state FAILED within wait_settle (20s)" in jobs["a"]["error_msg"]
    assert 20 <= fc.now < 30   # polled on until settle expired, then decided


def test_another_failed_state_than_before_is_a_new_outcome():
    action = ScriptedAction({"a": ["FAILED", "BROKEN"]})
    jobs, fc = run(action, ["a"], wait_settle=60)
    assert jobs["a"]["failed"] and jobs["a"]["status"] == "BROKEN" and fc.now < 60


def test_settle_is_bounded_by_wait_timeout():
    action = ScriptedAction({"a": ["FAILED"]})
    jobs, fc = run(action, ["a"], wait_settle=600, wait_timeout=10)
    assert jobs["a"]["failed"] and jobs["a"]["status"] == "FAILED"
    assert "never left state FAILED within wait_settle (10s)" in jobs["a"]["error_msg"]
    assert fc.now <= 10


def test_without_precheck_a_failed_read_within_settle_is_not_picked_up_yet():
    # Nothing was read before acting: FAILED within settle is waited on; here the job then succeeds.
    action = ScriptedAction({"a": ["FAILED", "FAILED", "SUCCEED"]})
    jobs, _fc = run(action, ["a"], precheck=False, wait_settle=60)
    assert jobs["a"]["changed"] and jobs["a"]["status"] == "SUCCEED" and not jobs["a"]["failed"]
    assert action.reads == [["a"], ["a"], ["a"]]   # every read is a poll: no precheck


def test_without_precheck_a_job_still_failed_after_settle_is_failed():
    action = ScriptedAction({"a": ["FAILED"]})
    jobs, fc = run(action, ["a"], precheck=False, wait_settle=15)
    assert jobs["a"]["failed"] and jobs["a"]["status"] == "FAILED" and fc.now >= 15
    assert "still FAILED wait_settle (15s) after it was retried" in jobs["a"]["error_msg"]


def test_wait_follows_the_job_the_action_started_and_its_failure_counts_at_once():
    # The retried job stays FAILED; the new job it started runs and fails: that failure is its own outcome.
    action = ScriptedAction({"old": ["FAILED"], "new": ["RUNNING", "FAILED"], "old2": ["FAILED"], "new2": ["SUCCEED"]},
                            starts={"old": "new", "old2": "new2"})
    jobs, fc = run(action, ["old", "old2"], wait_settle=60)
    assert jobs["old"]["failed"] and jobs["old"]["status"] == "FAILED" and jobs["old"]["new_job_id"] == "new"
    assert jobs["old2"]["changed"] and not jobs["old2"]["failed"] and jobs["old2"]["status"] == "SUCCEED"
    assert action.reads[1] == ["new", "new2"] and fc.now < 60


def test_the_first_poll_waits_a_moment_after_acting():
    action = ScriptedAction({"a": ["FAILED", "SUCCEED"]})
    _jobs, fc = run(action, ["a"], wait_interval=10)
    assert fc.sleeps[0] == 2.0


def test_new_failure_rule_table():
    before = Record("FAILED", end_marker="t1")
    assert not new_failure("FAILED", Record("FAILED", end_marker="t1"), before, False, 5, 60)   # still the old state
    assert new_failure("FAILED", Record("FAILED", end_marker="t1"), before, True, 5, 60)        # seen moving
    assert new_failure("FAILED", Record("FAILED", end_marker="t2"), before, False, 5, 60)       # newer end time
    assert new_failure("FAILED", Record("FAILED", end_marker="t1"), before, False, 60, 60)      # settle expired
    assert new_failure("BROKEN", Record("BROKEN"), before, False, 5, 60)                       # another failed state
    assert not new_failure("FAILED", Record("FAILED"), None, False, 5, 60)                     # precheck: false, within settle
    assert new_failure("FAILED", Record("FAILED"), None, False, 61, 60) == "settle"
    assert new_failure("FAILED", Record("FAILED", end_marker="t2"), before, False, 5, 60) == "end_marker"
