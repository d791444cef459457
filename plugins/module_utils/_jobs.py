# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow every module shares: de-duplicate, read states, act where the action applies, wait.

A service plugs in a :class:`JobAction` with its state tables and two operations: read the
states of some jobs, and act on some jobs.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._results import STATUS_NOT_FOUND, JobResults, dedupe

NOT_CHECKED = "not_checked"
PERMISSION_CODES = ("AuthFailure.UnauthorizedOperation", "UnauthorizedOperation")


def is_permission_error(error):
    """A read refused for lack of permission (not for bad credentials): acting unread may still work."""
    code = error.code or ""
    return error.http_status == 403 or any(code == c or code.startswith(c + ".") for c in PERMISSION_CODES)


class JobAction:
    """One action of one service. Subclasses fill in the tables and the two operations."""

    noun = "job"
    id_key = "id"
    verb = "retried"
    actionable = frozenset()   # states the action applies to
    settled = frozenset()      # already running or done: nothing to do
    succeeded = frozenset()    # terminal states that mean the action worked (for wait)
    failed_states = frozenset()  # terminal states that mean it did not
    expected_after = "running"   # what --diff shows as the state after acting
    hints = {}                   # state -> what to do instead, added to the precheck's refusal

    def read_states(self, ids):
        """{id: state} for the ids the service knows; raise ApiError when the read fails as a whole."""
        raise NotImplementedError

    def act(self, ids, results):
        """Act on ``ids`` and record each outcome in ``results``; a job left without one is reported unknown."""
        raise NotImplementedError

    def read_error(self, job_id):
        """The ApiError of this job's own state read, for actions that read each job separately (None: it was read)."""
        return None

    def refusal(self, job_id, state):
        """Why a job in an actionable state still cannot be acted on (None when it can)."""
        return None

    # state tables -------------------------------------------------------------
    def is_failure(self, state):
        return state in self.failed_states

    def is_terminal(self, state):
        return state in self.succeeded or self.is_failure(state)

    def describe_actionable(self):
        return ", ".join(sorted(self.actionable))


class Runner:
    """Runs a JobAction for the ids a user named, honouring precheck, check mode, wait and diff."""

    def __init__(self, cm, action, clock=time.monotonic, sleep=time.sleep):
        self.cm = cm
        self.params = cm.params
        self.action = action
        self.clock = clock
        self.sleep = sleep

    def run(self, ids, option="job_ids"):
        unique, duplicates = dedupe(ids)
        if duplicates:
            self.cm.warn("%s lists %s more than once; each is acted on and reported once" % (option, ", ".join(duplicates)))
        action = self.action
        results = JobResults(unique, id_key=action.id_key)
        before = {}
        if self.params.get("precheck", True):
            to_act = self._precheck(unique, results, before)
        else:
            to_act = list(unique)
        if self.cm.check_mode:
            for job_id in to_act:
                results.acted(job_id, before.get(job_id, NOT_CHECKED))
        elif to_act:
            action.act(to_act, results)
            results.missing_as_unknown(to_act)
            if self.params.get("wait"):
                self._wait([j for j in to_act if results.get(j)["changed"] and not results.get(j)["failed"]], results)
        result = results.result(action.noun)
        if self.cm.module._diff:
            result["diff"] = self._diff(unique, before, to_act, results)
        return result

    def _precheck(self, ids, results, before):
        action = self.action
        try:
            states = action.read_states(ids)
        except ApiError as exc:
            for job_id in ids:
                self._read_failed(job_id, exc, results)
            return []
        to_act = []
        for job_id in ids:
            state = states.get(job_id)
            read_error = action.read_error(job_id)
            if read_error is not None:
                # Its own read failed (per-job reads): only this job is held back; the others go ahead.
                self._read_failed(job_id, read_error, results)
            elif state is None:
                results.failed(job_id, STATUS_NOT_FOUND, "the service does not know this %s" % action.noun)
            elif state in action.actionable and action.refusal(job_id, state):
                results.failed(job_id, state, action.refusal(job_id, state))
            elif state in action.actionable:
                before[job_id] = state
                to_act.append(job_id)
            elif state in action.settled:
                results.skipped(job_id, state)
            else:
                msg = "a %s in state %s cannot be %s; it can be %s from: %s" % (
                    action.noun, state, action.verb, action.verb, action.describe_actionable())
                if state in action.hints:
                    msg += " (%s)" % action.hints[state]
                results.failed(job_id, state, msg)
        return to_act

    @staticmethod
    def _read_failed(job_id, exc, results):
        msg = "could not read the job's state before acting (%s)" % exc.message
        if is_permission_error(exc):
            msg += "; for an account without read permission, set precheck: false to act without reading it"
        results.failed_from(job_id, exc)
        results.update(job_id, error_msg=msg)

    def _wait(self, ids, results):
        """Poll until each job is terminal or wait_timeout passes; capped backoff up to wait_interval."""
        action = self.action
        pending = list(ids)
        last = {}
        deadline = self.clock() + self.params["wait_timeout"]
        interval = self.params["wait_interval"]
        delay = min(1.0, interval)
        last_error = None
        while pending:
            try:
                states = action.read_states(pending)
                last_error = None
            except ApiError as exc:
                states = {}
                last_error = exc
            still = []
            for job_id in pending:
                state = states.get(job_id)
                if state is not None:
                    last[job_id] = state
                if state is not None and action.is_terminal(state):
                    results.update(job_id, status=state)
                    if action.is_failure(state):
                        results.update(job_id, failed=True, error_msg="the %s ended in state %s" % (action.noun, state))
                else:
                    still.append(job_id)
            pending = still
            if not pending:
                break
            remaining = deadline - self.clock()
            if remaining <= 0:
                for job_id in pending:
                    state = last.get(job_id, "unknown")
                    msg = "still %s when wait_timeout (%ss) ran out" % (state, self.params["wait_timeout"])
                    if last_error is not None:
                        msg += "; the last state read failed: %s" % last_error
                    results.update(job_id, status=state, failed=True, error_msg=msg, timed_out=True)
                break
            self.sleep(min(delay, remaining))
            delay = min(delay * 2, interval)

    def _diff(self, ids, before, to_act, results):
        acting = set(to_act)
        old = {}
        new = {}
        for job_id in ids:
            entry = results.get(job_id) or {}
            state = before.get(job_id, entry.get("status"))
            old[job_id] = state
            new[job_id] = self.action.expected_after if job_id in acting else state
        return {"before": old, "after": new}
