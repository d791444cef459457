# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The clock and the status-over-time machinery every emulated service shares.

A job (DRS job, Workspace job, IoTDA task or target, Tencent job) is a :class:`Tracked`: a status,
and, once an action succeeded on it, a timeline of ``(seconds after the action, status)`` steps that is
read off the clock when the status is asked for. No threads run timelines.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time


class Clock:
    """``now()``: monotonic seconds for timelines; ``wall()``: epoch seconds for signature date checks.

    ``offset`` (the ``clock_offset_s`` knob) moves the wall clock; ``advance(s)`` moves the timeline clock
    only (signatures dated now stay valid), so an out-of-process test can run timelines forward without waiting.
    """

    def __init__(self, monotonic=time.monotonic, wall=time.time):
        self._monotonic = monotonic
        self._wall = wall
        self._lock = threading.Lock()
        self._offsets = [(float("-inf"), 0.0)]   # (now() when set, offset): a moment keeps the offset of its time
        self.skew = 0.0

    @property
    def offset(self):
        return self._offsets[-1][1]

    @offset.setter
    def offset(self, value):
        with self._lock:
            if float(value) != self._offsets[-1][1]:
                self._offsets.append((self.now(), float(value)))

    def _offset_at(self, moment):
        for since, value in reversed(self._offsets):
            if moment >= since:
                return value
        return 0.0

    def now(self):
        return self._monotonic() + self.skew

    def wall(self):
        return self._wall() + self.offset

    def advance(self, seconds):
        with self._lock:
            self.skew += float(seconds)

    def reset(self):
        with self._lock:
            self._offsets = [(float("-inf"), 0.0)]
            self.skew = 0.0

    def wall_of(self, moment):
        """The wall time of a ``now()`` moment, with the ``offset`` that was in effect then: moving the wall clock
        later does not move the time a job ended (Tencent's EndTime), as on the real cloud."""
        return self._wall() - (self.now() - moment) + self._offset_at(moment)


class ManualClock(Clock):
    """A clock that moves only when told (tests): ``tick(seconds)`` moves the timeline and the wall clock."""

    def __init__(self, start=1000.0, wall=1704164645.0):
        self._t = float(start)
        self._w = float(wall)
        super(ManualClock, self).__init__(monotonic=lambda: self._t, wall=lambda: self._w)

    def tick(self, seconds):
        self._t += seconds
        self._w += seconds


class Refused(Exception):
    """An action a service refuses: its error code and message (and HTTP status where the API has one)."""

    def __init__(self, code, message, http_status=400):
        super(Refused, self).__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status


class Tracked:
    """A status that follows a timeline once an action began one, and that reads show late.

    ``timeline``: the scenario's steps for this item (None: the action's default); ``timelines``: one timeline
    per successive action (the last one repeats), in place of ``timeline``; ``error``: a ``{"code", "msg"}`` that
    makes every action on it fail.

    After an action with a lag (``lag_s``), reads (:meth:`status`, :meth:`changed`) keep showing the status the
    item was acted on from, and when that status began, until the lag is over. The timeline itself runs from the
    action: the service (:meth:`actual`, what decides whether another action is allowed) knows at once, and the
    first read after the lag shows wherever the timeline is by then.
    """

    __slots__ = ("_status", "_started", "_pending", "_shown", "_lag_until", "timeline", "timelines", "error",
                 "changed_at", "acted_at", "actions")

    def __init__(self, status, timeline=None, error=None, timelines=None):
        self._status = status
        self._started = None
        self._pending = []
        self._shown = None        # (status, changed_at) reads show while the lag lasts
        self._lag_until = None
        self.timeline = timeline
        self.timelines = timelines
        self.error = error
        self.changed_at = None    # now() when the current status began (None: the scenario's status)
        self.acted_at = None      # now() of the last successful action
        self.actions = 0

    def _advance(self, now):
        while self._pending and self._started + self._pending[0][0] <= now:
            at, status = self._pending.pop(0)
            self._status = status
            self.changed_at = self._started + at

    def lagging(self, now):
        """True while reads still show the status from before the last action."""
        return self._lag_until is not None and now < self._lag_until

    def actual(self, now):
        """The status as the service knows it (no lag)."""
        self._advance(now)
        return self._status

    def status(self, now):
        """The status a read shows now."""
        if self.lagging(now):
            return self._shown[0]
        return self.actual(now)

    def changed(self, now):
        """When the status a read shows began (a ``now()`` moment), or None for the scenario's status."""
        if self.lagging(now):
            return self._shown[1]
        self.actual(now)
        return self.changed_at

    def hold(self, now, lag):
        """Reads show the current status for ``lag`` more seconds (whatever the service does meanwhile)."""
        if lag <= 0:
            return
        if self.lagging(now):
            self._lag_until = max(self._lag_until, now + lag)
        else:
            self._shown = (self.status(now), self.changed(now))
            self._lag_until = now + lag

    def begin(self, now, steps, lag=0.0):
        """Start ``steps`` (``[(seconds, status), ...]``, sorted) at ``now`` (a step at 0 applies at once); reads lag ``lag`` s."""
        self.hold(now, lag)
        self._advance(now)
        self._started = now
        self._pending = list(steps)
        self.acted_at = now
        self.actions += 1
        self._advance(now)

    def set(self, now, status):
        """The status is ``status`` from ``now`` on, for the service and for reads (no lag, no timeline)."""
        self._pending = []
        self._lag_until = None
        self._shown = None
        self._status = status
        self.changed_at = now


class Action:
    """One action's rule: which statuses allow it, the refusal otherwise, and the default timeline."""

    def __init__(self, allowed, code, message, default_steps, http_status=400):
        self.allowed = allowed
        self.code = code
        self.message = message          # formatted with status=..., id=...
        self.default_steps = default_steps
        self.http_status = http_status

    def check(self, item, item_id, now):
        """Raise :class:`Refused` unless the action may run on ``item`` now."""
        if item.error:
            raise Refused(item.error["code"], item.error.get("msg") or "the action failed", self.http_status)
        status = item.actual(now)
        if not self.allowed(status):
            raise Refused(self.code, self.message.format(status=status, id=item_id), self.http_status)

    def steps(self, item):
        """The timeline an action on ``item`` begins: the item's own (for this action), else the action's default."""
        return item_steps(item, self.default_steps)

    def apply(self, item, item_id, now, steps=None, lag=0.0):
        """Check, then begin the item's timeline (``steps`` overrides it) after ``lag``; raise :class:`Refused` when refused."""
        self.check(item, item_id, now)
        item.begin(now, steps if steps is not None else self.steps(item), lag)


def item_steps(item, default=None):
    """The item's timeline for its next action: ``timelines[actions]`` (the last repeats), else ``timeline``, else ``default``."""
    if item.timelines:
        return item.timelines[min(item.actions, len(item.timelines) - 1)]
    return item.timeline if item.timeline is not None else default
