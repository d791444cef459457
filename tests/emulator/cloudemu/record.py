# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The request log (arrival order) and the per-operation counters (count, most requests in flight at once)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import threading


class RequestLog:
    """Entries are added on arrival and completed when answered; ``limit`` > 0 keeps only the newest."""

    def __init__(self, limit=0):
        self._lock = threading.Lock()
        self._seq = 0
        self._entries = collections.deque(maxlen=limit or None)

    def begin(self, entry):
        """Add ``entry`` (a dict) and give it its ``seq``; the caller completes it with :meth:`finish`."""
        with self._lock:
            self._seq += 1
            entry["seq"] = self._seq
            self._entries.append(entry)
        return entry

    def finish(self, entry, **fields):
        with self._lock:
            entry.update(fields)

    def entries(self, op=None, since=0):
        with self._lock:
            return [dict(e) for e in self._entries if e["seq"] > since and (op is None or e["op"] == op)]

    def clear(self):
        with self._lock:
            self._entries.clear()

    def set_limit(self, limit):
        with self._lock:
            self._entries = collections.deque(self._entries, maxlen=limit or None)


class Stats:
    """Per operation: requests seen, and the most that were in flight at once."""

    def __init__(self):
        self._lock = threading.Lock()
        self._count = collections.Counter()
        self._in_flight = collections.Counter()
        self._max = {}

    def begin(self, op):
        with self._lock:
            self._count[op] += 1
            self._in_flight[op] += 1
            if self._in_flight[op] > self._max.get(op, 0):
                self._max[op] = self._in_flight[op]

    def end(self, op):
        with self._lock:
            self._in_flight[op] -= 1

    def snapshot(self):
        with self._lock:
            return {"max_in_flight": dict(self._max), "count": dict(self._count)}

    def clear(self):
        """Counts and maxima start again; requests in flight stay counted as in flight."""
        with self._lock:
            self._count.clear()
            self._max = dict((op, n) for op, n in self._in_flight.items() if n > 0)
