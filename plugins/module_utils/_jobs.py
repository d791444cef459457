# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow every module shares, in one place: find or de-duplicate the jobs, read their states, act where
the action applies (or report it in check mode), wait with the settle rule, and diff.

A service plugs in a :class:`JobAction`: its state tables and three operations that return values and keep no
state between calls: ``read(ids)`` (one :class:`Record` per job), ``act(ids)`` (one
:class:`~._results.Outcome` per job) and, optionally, ``discover(filters)`` (the jobs the action applies to).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import DEFAULT_SETTLE, InputError
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._results import STATUS_NOT_FOUND, JobResults, Outcome, unique_ids

NOT_CHECKED = "not_checked"
PERMISSION_CODES = ("AuthFailure.UnauthorizedOperation", "UnauthorizedOperation")
FIRST_POLL = 2.0          # seconds after acting before the first poll (states lag the action)


def is_permission_error(error):
    """A read refused for lack of permission (not for bad credentials): acting unread may still work."""
    code = error.code or ""
    return error.http_status == 403 or any(code == c or code.startswith(c + ".") for c in PERMISSION_CODES)


class Record:
    """One read of one job.

    ``state``: what the service answered (None when ``error`` is set); ``error``: the :class:`ApiError` of this
    job's own read; ``refusal``: why a job in an actionable state still cannot be acted on; ``evidence``: a value
    that grows with each new outcome of the job (Tencent: its ``EndTime``), so a later read can tell a new failure
    from the old one.
    """

    __slots__ = ("state", "error", "refusal", "evidence")

    def __init__(self, state=None, error=None, refusal=None, evidence=None):
        self.state = state
        self.error = error
        self.refusal = refusal
        self.evidence = evidence

    def __repr__(self):
        return "Record(%r, error=%r, refusal=%r, evidence=%r)" % (self.state, self.error, self.refusal, self.evidence)


class Discovery:
    """What ``discover()`` found: ``records`` ({id: Record}, in the service's order) and ``searched``, a phrase
    saying what was looked for, used when nothing was found."""

    def __init__(self, records, searched):
        self.records = records
        self.searched = searched


class JobAction:
    """One action of one service. Subclasses fill in the tables and the operations."""

    noun = "job"
    id_key = "id"
    verb = "retried"
    option = "job_ids"
    discover_hint = None       # what to do when discover() fails, added to the error
    actionable = frozenset()   # states the action applies to
    settled = frozenset()      # already running or done: nothing to do
    succeeded = frozenset()    # terminal states that mean the action worked (for wait)
    failed_states = frozenset()  # terminal states that mean it did not
    expected_after = "running"   # what --diff shows as the state after acting
    hints = {}                   # state -> what to do instead, added to the precheck's refusal

    def read(self, ids):
        """{id: Record} for the ids the service knows (an absent id is not found); raise ApiError when the read fails
        as a whole."""
        raise NotImplementedError

    def act(self, ids):
        """Act on ``ids``; {id: Outcome}. A job without an outcome is reported ``unknown``."""
        raise NotImplementedError

    def discover(self, filters):
        """A :class:`Discovery` of the jobs this action applies to that ``filters`` selects (None: every such job)."""
        raise InputError("this module needs the %ss named: it cannot find them by itself" % self.noun)

    def act_every(self):
        """Act on every job the action applies to without naming them (precheck: false, nothing named): {id: Outcome}
        for the jobs the service's answer names."""
        raise InputError("with precheck: false the %ss must be named" % self.noun)

    # state tables -------------------------------------------------------------
    def is_failure(self, state):
        return state in self.failed_states

    def is_terminal(self, state):
        return state in self.succeeded or self.is_failure(state)

    def describe_actionable(self):
        return ", ".join(sorted(self.actionable))


def new_failure(state, record, before, moved, elapsed, settle):
    """Why a failed ``state`` read ``elapsed`` seconds after acting is a new outcome, not the old state not picked up
    yet (states lag the action on the real clouds); None while it may still be the old one.

    ``before``: the job's :class:`Record` read before acting (None: not read, precheck: false); ``moved``: the job
    was seen in another state since the action. A new outcome needs evidence: it moved (``"moved"``), it fails in
    another state than before (``"state"``), its evidence (an end time) is newer than before (``"evidence"``), or
    ``settle`` seconds passed (``"settle"``).
    """
    if moved:
        return "moved"
    if before is not None and state != before.state:
        return "state"
    if (before is not None and record is not None and record.evidence is not None and before.evidence is not None
            and record.evidence > before.evidence):
        return "evidence"
    return "settle" if elapsed >= settle else None


class Runner:
    """Runs a JobAction for the jobs a user named or a filter found, honouring precheck, check mode, wait and diff."""

    def __init__(self, cm, action, clock=time.monotonic, sleep=time.sleep):
        self.cm = cm
        self.params = cm.params
        self.action = action
        self.clock = clock
        self.sleep = sleep

    # the flow -------------------------------------------------------------------
    def run(self, ids=None, option=None, filters=None):
        """``ids``: the jobs the user named. None: the jobs ``action.discover(filters)`` finds, or, with
        precheck: false and no filters, every job the action applies to (``action.act_every()``)."""
        action = self.action
        option = option or action.option
        found = None
        searched = None
        if ids is None:
            if filters is None and not self.params.get("precheck", True):
                return self._act_every()
            try:
                discovery = action.discover(filters)
            except ApiError as exc:
                return self._whole_failure(exc, "could not find the %ss to act on" % action.noun, action.discover_hint)
            found, searched = discovery.records, discovery.searched
            if filters is not None:
                self._check_max_jobs(len(found))
            ids = list(found)
        unique = unique_ids(ids, option, self.cm.warn)
        results = JobResults(unique, id_key=action.id_key)
        before = {}
        if found is not None:
            to_act = self._classify(unique, found, results, before)
        elif self.params.get("precheck", True):
            to_act = self._precheck(unique, results, before)
        else:
            to_act = list(unique)
        if self.cm.check_mode:
            for job_id in to_act:
                results.acted(job_id, before[job_id].state if job_id in before else NOT_CHECKED)
        elif to_act:
            self._act(to_act, results, before)
        result = results.result(action.noun, self.cm.check_mode)
        if found is not None and not unique:
            result["msg"] = "%s: nothing to do" % searched
            if filters:   # explicit filters that match nothing are more often a typo than good news
                self.cm.warn("%s (filters: %s); check the filter values against the service's list" % (searched, filters))
        if self.cm.module._diff:
            result["diff"] = self._diff(unique, before, to_act, results)
        return result

    def _act(self, to_act, results, before):
        acted_at = self.clock()
        try:
            outcomes = self.action.act(to_act)
        except ApiError as exc:   # the action failed as a whole: each job gets its error (unknown if it may have acted)
            outcomes = dict((job_id, Outcome.from_error(exc)) for job_id in to_act)
        self._record(to_act, outcomes, results, before, acted_at)

    def _record(self, ids, outcomes, results, before, acted_at):
        """Each job's outcome into ``results`` (none: ``unknown``), then, with ``wait``, wait for the accepted ones."""
        for job_id in ids:
            results.record(job_id, outcomes.get(job_id))
        if self.params.get("wait"):
            accepted = [j for j in ids if results.get(j)["changed"] and not results.get(j)["failed"]]
            self._wait(accepted, results, before, outcomes, acted_at)

    def _act_every(self):
        """precheck: false and nothing named: one request for every job the action applies to."""
        action = self.action
        if self.cm.check_mode:
            result = JobResults([]).result(action.noun)
            result.update(changed=True, msg="check mode: the action would be sent for every %s it applies to; with precheck: false "
                                            "nothing is read, so the %ss cannot be listed" % (action.noun, action.noun))
            return result
        acted_at = self.clock()
        try:
            outcomes = action.act_every()
        except ApiError as exc:
            return self._whole_failure(exc, "the action for every %s it applies to failed" % action.noun)
        unique = list(outcomes)
        results = JobResults(unique, id_key=action.id_key)
        self._record(unique, outcomes, results, {}, acted_at)
        result = results.result(action.noun)
        if not unique:
            result["msg"] = "the action was accepted and the service's answer named no %s" % action.noun
        if self.cm.module._diff:
            result["diff"] = self._diff(unique, {}, [j for j in unique if results.get(j)["changed"]], results, NOT_CHECKED)
        return result

    def _whole_failure(self, exc, what, hint=None):
        """Nothing is known about any job: the run fails as a whole, with the service's error."""
        result = JobResults([]).result(self.action.noun)
        result.update(failed=True, msg="%s: %s%s" % (what, exc, "; " + hint if hint else ""))
        result.update(exc.to_dict())
        return result

    def _check_max_jobs(self, count):
        limit = self.params.get("max_jobs")
        if limit is not None and count > limit:
            raise InputError("filters selected %d %ss, more than max_jobs (%d): nothing was acted on; narrow filters, or raise "
                             "max_jobs to %d or more to act on all of them" % (count, self.action.noun, limit, count))

    # precheck -------------------------------------------------------------------
    def _precheck(self, ids, results, before):
        try:
            records = self.action.read(ids)
        except ApiError as exc:
            for job_id in ids:
                self._read_failed(job_id, exc, results)
            return []
        return self._classify(ids, records, results, before)

    def _classify(self, ids, records, results, before):
        """Decide each job from its record: act, skip, or fail with why; fills ``before`` with the records acted on."""
        action = self.action
        to_act = []
        for job_id in ids:
            record = records.get(job_id)
            if record is None:
                results.failed(job_id, STATUS_NOT_FOUND, "the service does not know this %s" % action.noun)
                continue
            state = record.state
            if record.error is not None:
                # Its own read failed: only this job is held back; the others go ahead.
                self._read_failed(job_id, record.error, results)
            elif state in action.actionable and record.refusal:
                results.failed(job_id, state, record.refusal)
            elif state in action.actionable:
                before[job_id] = record
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
        # An error of a step before the read (IAM login, project lookup) names its step; else the read is the step.
        msg = exc.message if exc.step else "could not read the job's state before acting (%s)" % exc.message
        if is_permission_error(exc):
            msg += "; for an account without read permission, set precheck: false to act without reading it"
        results.failed(job_id, "failed", msg, error_code=exc.code, request_id=exc.request_id)

    # wait -------------------------------------------------------------------------
    def _wait(self, ids, results, before, outcomes, acted_at):
        """Poll until each job is final or wait_timeout passes; capped backoff up to wait_interval.

        A job the action started as another job (``Outcome.follow``) is followed there. A failed state counts only as a
        new outcome (:func:`new_failure`); until then the job is polled on.
        """
        action = self.action
        params = self.params
        timeout = params["wait_timeout"]
        settle = min(params.get("wait_settle", DEFAULT_SETTLE), timeout)
        interval = params["wait_interval"]
        follow = dict((j, outcomes[j].follow or j) for j in ids)
        pending = list(ids)
        last = {}
        moved = set()
        deadline = acted_at + timeout
        delay = min(FIRST_POLL, interval)
        last_error = None
        while pending:
            remaining = deadline - self.clock()
            if remaining <= 0:
                self._timed_out(pending, results, last, last_error)
                break
            self.sleep(min(delay, remaining))
            delay = min(delay * 2, interval)
            try:
                records = action.read([follow[j] for j in pending])
                last_error = None
            except ApiError as exc:
                records = {}
                last_error = exc
            elapsed = self.clock() - acted_at
            still = []
            for job_id in pending:
                record = records.get(follow[job_id])
                if record is not None and record.error is not None:
                    last_error = record.error
                    record = None
                if record is None or record.state is None:
                    still.append(job_id)
                    continue
                state = record.state
                last[job_id] = state
                # A job the action started anew has no old state to mistake for its outcome.
                old = before.get(job_id) if follow[job_id] == job_id else Record()
                if action.is_failure(state):
                    why = new_failure(state, record, old, job_id in moved, elapsed, settle)
                    if why is None:
                        still.append(job_id)
                    else:
                        results.update(job_id, status=state, failed=True, error_msg=self._failure_msg(state, old, why, settle))
                elif action.is_terminal(state):
                    results.update(job_id, status=state)
                else:
                    if old is None or state != old.state:
                        moved.add(job_id)
                    still.append(job_id)
            pending = still

    def _failure_msg(self, state, old, why, settle):
        noun = self.action.noun
        if why == "settle" and old is not None:
            return "the %s never left state %s within wait_settle (%ss) after it was %s" % (noun, state, settle, self.action.verb)
        if why == "settle":
            return ("the %s was still %s wait_settle (%ss) after it was %s (with precheck: false its state before was not read)"
                    % (noun, state, settle, self.action.verb))
        return "the %s ended in state %s" % (noun, state)

    def _timed_out(self, pending, results, last, last_error):
        for job_id in pending:
            state = last.get(job_id, "unknown")
            msg = "still %s when wait_timeout (%ss) ran out" % (state, self.params["wait_timeout"])
            if last_error is not None:
                msg += "; the last state read failed: %s" % last_error
            results.update(job_id, status=state, failed=True, error_msg=msg, timed_out=True)

    # diff -------------------------------------------------------------------------
    def _diff(self, ids, before, to_act, results, unread=None):
        acting = set(to_act)
        old = {}
        new = {}
        for job_id in ids:
            entry = results.get(job_id) or {}
            state = before[job_id].state if job_id in before else unread or entry.get("status")
            old[job_id] = state
            new[job_id] = self.action.expected_after if job_id in acting else state
        return {"before": old, "after": new}
