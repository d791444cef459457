# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow every module shares, in one place: find or de-duplicate the jobs, read their states, act where
the action applies (or report it in check mode), wait with the settle rule, and diff.

The module layer hands the :class:`Runner` everything a run depends on, once: a :class:`RunOptions` (the task's
state options, check mode, diff), a :class:`Selection` (the ids named, or the filters already checked) and a ``warn``
callable. A service plugs in a :class:`JobAction`: its state tables and three operations that return values and keep
no state between calls: ``read(ids)`` (one :class:`Record` per job), ``act(ids)`` (one :class:`~._results.Outcome`
per job) and, optionally, ``discover(filters)`` (the jobs the action applies to).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError, filters_spec, state_spec
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError, code_in
from ansible_collections.cloudops.jobs.plugins.module_utils._results import STATUS_NOT_FOUND, JobResults, Outcome, unique_ids

NOT_CHECKED = "not_checked"
PERMISSION_CODES = ("AuthFailure.UnauthorizedOperation", "UnauthorizedOperation")
FIRST_POLL = 2.0          # seconds after acting before the first poll (states lag the action)


def is_permission_error(error):
    """A read refused for lack of permission (not for bad credentials): acting unread may still work."""
    return error.http_status == 403 or code_in(error.code, PERMISSION_CODES)


class Record:
    """One read of one job (the only thing called a record here: :meth:`~._results.JobResults.set_outcome` writes a
    job's result entry, :meth:`Runner._take_outcomes` hands a run's outcomes to it).

    ``state``: what the service answered (None when ``error`` is set); ``error``: the :class:`ApiError` of this
    job's own read; ``refusal``: why a job in an actionable state still cannot be acted on; ``end_marker``: a
    value that grows with each new outcome of the job (Tencent: its ``EndTime``), so a later read can tell a new
    failure from the old one (:func:`new_failure`).
    """

    __slots__ = ("state", "error", "refusal", "end_marker")

    def __init__(self, state=None, error=None, refusal=None, end_marker=None):
        self.state = state
        self.error = error
        self.refusal = refusal
        self.end_marker = end_marker

    def __repr__(self):
        return "Record(%r, error=%r, refusal=%r, end_marker=%r)" % (self.state, self.error, self.refusal, self.end_marker)


_OPTION_DEFAULTS = dict((name, option.get("default")) for name, option in dict(state_spec(), **filters_spec(max_jobs=True)).items()
                        if name != "filters")


class RunOptions:
    """How a run goes, read once from the task: ``precheck``, ``wait``, ``wait_timeout``, ``wait_interval``,
    ``wait_settle``, ``max_jobs`` (the options of ``_argspec.state_spec``/``filters_spec``; one left out has the
    spec's default), ``check_mode`` and ``diff``."""

    __slots__ = tuple(sorted(_OPTION_DEFAULTS)) + ("check_mode", "diff")

    def __init__(self, check_mode=False, diff=False, **options):
        unknown = sorted(set(options) - set(_OPTION_DEFAULTS))
        if unknown:
            raise TypeError("RunOptions takes no %s" % ", ".join(unknown))
        self.check_mode = check_mode
        self.diff = diff
        for name, default in _OPTION_DEFAULTS.items():
            setattr(self, name, options.get(name, default))

    @classmethod
    def from_params(cls, params, check_mode=False, diff=False):
        """The options a module's params hold (a module without ``filters`` has no ``max_jobs``)."""
        return cls(check_mode, diff, **dict((name, params[name]) for name in _OPTION_DEFAULTS if name in params))


class Selection:
    """Which jobs a run is about: ``ids`` as named in the option ``option``, or ``filters`` as the service's
    ``check_filters`` returned them (checked once, before any request); neither: every job the action applies to."""

    __slots__ = ("ids", "option", "filters")

    def __init__(self, ids=None, option="job_ids", filters=None):
        self.ids = None if ids is None else list(ids)
        self.option = option
        self.filters = filters

    def __repr__(self):
        return "Selection(%r, %r, filters=%r)" % (self.ids, self.option, self.filters)


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
    another state than before (``"state"``), its end marker (``Record.end_marker``, an end time) is newer than
    before (``"end_marker"``), or ``settle`` seconds passed (``"settle"``).
    """
    if moved:
        return "moved"
    if before is not None and state != before.state:
        return "state"
    if (before is not None and record is not None and record.end_marker is not None and before.end_marker is not None
            and record.end_marker > before.end_marker):
        return "end_marker"
    return "settle" if elapsed >= settle else None


def too_many_jobs(count, noun, limit, at_least=""):
    """The InputError of filters that selected ``count`` jobs, more than ``max_jobs`` (``limit``); nothing was acted on."""
    return InputError("filters selected %s%d %ss, more than max_jobs (%d): nothing was acted on; narrow filters, or raise "
                      "max_jobs to %d or more to act on all of them" % (at_least, count, noun, limit, count))


class RunState:
    """What one run has learnt so far: ``results`` (a :class:`~._results.JobResults`, one entry per job) and ``before``,
    the records read before acting ({id: :class:`Record`}) of the jobs acted on."""

    def __init__(self, ids, id_key):
        self.results = JobResults(ids, id_key=id_key)
        self.before = {}


class Runner:
    """Runs a JobAction for the jobs a :class:`Selection` names or finds, as :class:`RunOptions` say (precheck, check
    mode, wait, diff); ``warn`` takes the warnings for the task. It reads nothing else."""

    def __init__(self, options, action, warn, clock=time.monotonic, sleep=time.sleep):
        self.options = options
        self.action = action
        self.warn = warn
        self.clock = clock
        self.sleep = sleep

    # the flow -------------------------------------------------------------------
    def run(self, selection):
        """The jobs ``selection.ids`` names; without ids, the jobs ``action.discover(selection.filters)`` finds, or,
        with precheck: false and no filters, every job the action applies to (``action.act_every()``)."""
        action = self.action
        options = self.options
        filters = selection.filters
        ids = selection.ids
        found = None
        searched = None
        if ids is None:
            if filters is None and not options.precheck:
                return self._act_every()
            try:
                discovery = action.discover(filters)
            except ApiError as exc:
                return self._whole_failure(exc, "could not find the %ss to act on" % action.noun, action.discover_hint)
            found, searched = discovery.records, discovery.searched
            if filters is not None:
                self._check_max_jobs(len(found))
            ids = list(found)
        unique = unique_ids(ids, selection.option, self.warn)
        state = RunState(unique, action.id_key)
        if found is not None:
            to_act = self._classify(unique, found, state)
        elif options.precheck:
            to_act = self._precheck(unique, state)
        else:
            to_act = list(unique)
        if options.check_mode:
            for job_id in to_act:
                state.results.acted(job_id, state.before[job_id].state if job_id in state.before else NOT_CHECKED)
        elif to_act:
            self._act(to_act, state)
        result = state.results.result(action.noun, options.check_mode)
        if found is not None and not unique:
            result["msg"] = "%s: nothing to do" % searched
            if filters:   # explicit filters that match nothing are more often a typo than good news
                self.warn("%s (filters: %s); check the filter values against the service's list" % (searched, filters))
        if options.diff:
            result["diff"] = self._diff(unique, state, to_act)
        return result

    def _act(self, to_act, state):
        acted_at = self.clock()
        try:
            outcomes = self.action.act(to_act)
        except ApiError as exc:   # the action failed as a whole: each job gets its error (unknown if it may have acted)
            outcomes = dict((job_id, Outcome.from_error(exc)) for job_id in to_act)
        self._take_outcomes(to_act, outcomes, state, acted_at)

    def _take_outcomes(self, ids, outcomes, state, acted_at):
        """Each job's outcome into the results (none: ``unknown``), then, with ``wait``, wait for the accepted ones."""
        results = state.results
        for job_id in ids:
            results.set_outcome(job_id, outcomes.get(job_id))
        if self.options.wait:
            accepted = [j for j in ids if results.get(j)["changed"] and not results.get(j)["failed"]]
            self._wait(accepted, state, outcomes, acted_at)

    def _act_every(self):
        """precheck: false and nothing named: one request for every job the action applies to."""
        action = self.action
        if self.options.check_mode:
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
        state = RunState(unique, action.id_key)
        self._take_outcomes(unique, outcomes, state, acted_at)
        result = state.results.result(action.noun)
        if not unique:
            result["msg"] = "the action was accepted and the service's answer named no %s" % action.noun
        if self.options.diff:
            result["diff"] = self._diff(unique, state, [j for j in unique if state.results.get(j)["changed"]], NOT_CHECKED)
        return result

    def _whole_failure(self, exc, what, hint=None):
        """Nothing is known about any job: the run fails as a whole, with the service's error."""
        result = JobResults([]).result(self.action.noun)
        result.update(failed=True, msg="%s: %s%s" % (what, exc, "; " + hint if hint else ""))
        result.update(exc.to_dict())
        return result

    def _check_max_jobs(self, count):
        limit = self.options.max_jobs
        if limit is not None and count > limit:
            raise too_many_jobs(count, self.action.noun, limit)

    # precheck -------------------------------------------------------------------
    def _precheck(self, ids, state):
        try:
            records = self.action.read(ids)
        except ApiError as exc:
            for job_id in ids:
                self._read_failed(job_id, exc, state.results)
            return []
        return self._classify(ids, records, state)

    def _classify(self, ids, records, state):
        """Decide each job from its record: act, skip, or fail with why; ``state.before`` gets the records acted on."""
        action = self.action
        results = state.results
        to_act = []
        for job_id in ids:
            record = records.get(job_id)
            if record is None:
                results.failed(job_id, STATUS_NOT_FOUND, "the service does not know this %s" % action.noun)
                continue
            job_state = record.state
            if record.error is not None:
                # Its own read failed: only this job is held back; the others go ahead.
                self._read_failed(job_id, record.error, results)
            elif job_state in action.actionable and record.refusal:
                results.failed(job_id, job_state, record.refusal)
            elif job_state in action.actionable:
                state.before[job_id] = record
                to_act.append(job_id)
            elif job_state in action.settled:
                results.skipped(job_id, job_state)
            else:
                msg = "a %s in state %s cannot be %s; it can be %s from: %s" % (
                    action.noun, job_state, action.verb, action.verb, action.describe_actionable())
                if job_state in action.hints:
                    msg += " (%s)" % action.hints[job_state]
                results.failed(job_id, job_state, msg)
        return to_act

    @staticmethod
    def _read_failed(job_id, exc, results):
        # An error of a step before the read (IAM login, project lookup) names its step; else the read is the step.
        msg = exc.message if exc.step else "could not read the job's state before acting (%s)" % exc.message
        if is_permission_error(exc):
            msg += "; for an account without read permission, set precheck: false to act without reading it"
        results.failed(job_id, "failed", msg, error_code=exc.code, request_id=exc.request_id)

    # wait -------------------------------------------------------------------------
    def _wait(self, ids, state, outcomes, acted_at):
        """Poll until each job is final or wait_timeout passes; capped backoff up to wait_interval.

        A job the action started as another job (``Outcome.started_as``) is polled there. A failed state counts only as
        a new outcome (:func:`new_failure`); until then the job is polled on.
        """
        action = self.action
        results = state.results
        timeout = self.options.wait_timeout
        settle = min(self.options.wait_settle, timeout)
        interval = self.options.wait_interval
        polled = dict((j, outcomes[j].started_as or j) for j in ids)   # the id whose state tells the job's outcome
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
                records = action.read([polled[j] for j in pending])
                last_error = None
            except ApiError as exc:
                records = {}
                last_error = exc
            elapsed = self.clock() - acted_at
            still = []
            for job_id in pending:
                record = records.get(polled[job_id])
                if record is not None and record.error is not None:
                    last_error = record.error
                    record = None
                if record is None or record.state is None:
                    still.append(job_id)
                    continue
                job_state = record.state
                last[job_id] = job_state
                # A job the action started anew has no old state to mistake for its outcome.
                old = state.before.get(job_id) if polled[job_id] == job_id else Record()
                if action.is_failure(job_state):
                    why = new_failure(job_state, record, old, job_id in moved, elapsed, settle)
                    if why is None:
                        still.append(job_id)
                    else:
                        results.update(job_id, status=job_state, failed=True,
                                       error_msg=self._failure_msg(job_state, old, why, settle))
                elif action.is_terminal(job_state):
                    results.update(job_id, status=job_state)
                else:
                    if old is None or job_state != old.state:
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
            msg = "still %s when wait_timeout (%ss) ran out" % (state, self.options.wait_timeout)
            if last_error is not None:
                msg += "; the last state read failed: %s" % last_error
            results.update(job_id, status=state, failed=True, error_msg=msg, timed_out=True)

    # diff -------------------------------------------------------------------------
    def _diff(self, ids, state, to_act, unread=None):
        acting = set(to_act)
        old = {}
        new = {}
        for job_id in ids:
            entry = state.results.get(job_id) or {}
            before = state.before[job_id].state if job_id in state.before else unread or entry.get("status")
            old[job_id] = before
            new[job_id] = self.action.expected_after if job_id in acting else before
        return {"before": old, "after": new}
