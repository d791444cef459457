# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Provider-neutral pacing: capped exponential backoff with jitter, and a client-side rate limiter.

Both take an injected clock and sleep so they can be tested without waiting.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import email.utils
import math
import random
import threading
import time

# What the transport does with an answer.
OK = "ok"                  # a final answer (success or an error to report)
THROTTLED = "throttled"    # refused before acting (429, RequestLimitExceeded): safe to re-send
UNAVAILABLE = "unavailable"  # refused before acting (503, connection never made): safe to re-send
MAYBE_ACTED = "maybe_acted"  # 500/502/504, read timeout, reset: re-send only a read


class RetryPolicy:
    """When and how long to wait before re-sending.

    ``max_retries`` counts re-sends, not attempts. Writes are re-sent only for
    THROTTLED and UNAVAILABLE verdicts; reads (``idempotent``) for MAYBE_ACTED too.
    """

    def __init__(self, max_retries=4, base_delay=0.5, max_delay=8.0, max_retry_after=60.0,
                 sleep=time.sleep, rng=None):
        self.max_retries = max_retries
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_retry_after = max_retry_after
        self.sleep = sleep
        self.rng = rng or random.Random()

    def should_retry(self, verdict, attempt, idempotent):
        """``attempt`` is 0 for the first send."""
        if attempt >= self.max_retries:
            return False
        if verdict in (THROTTLED, UNAVAILABLE):
            return True
        return verdict == MAYBE_ACTED and idempotent

    def delay(self, attempt, retry_after=None):
        """Seconds to wait before re-send number ``attempt + 1``: full-range jitter over a capped
        exponential, never less than what the service asked for in ``Retry-After``."""
        cap = min(self.max_delay, self.base_delay * (2 ** attempt))
        backoff = self.rng.uniform(cap / 2.0, cap)
        if retry_after is not None:
            return min(max(backoff, retry_after), self.max_retry_after)
        return backoff

    def wait(self, attempt, retry_after=None):
        self.sleep(self.delay(attempt, retry_after))


def parse_retry_after(value, now=None):
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if value is None:
        return None
    value = str(value).strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        # asctime and "-0000" dates carry no zone: HTTP dates are always UTC.
        when = when.replace(tzinfo=datetime.timezone.utc)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class RateLimiter:
    """Spaces request starts at least ``1 / rate`` seconds apart (plus a small margin), across threads, and keeps any
    ``ceil(rate)`` + 1 consecutive starts more than a second apart as they actually happened.

    A service that allows N requests a second counts them in windows that do not line up with ours, and our requests
    arrive with some jitter: the margin keeps any N+1 consecutive planned starts more than a second apart. A start
    that happens late (a sleep that overran on a busy machine) would crowd the ones planned after it into the
    service's window; so each start also waits until a second (plus the margin) after the actual start of the request
    N places before it.
    """

    MARGIN = 0.04

    def __init__(self, rate, clock=time.monotonic, sleep=time.sleep):
        if rate is None or rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate + self.MARGIN
        self.burst = max(1, int(math.ceil(rate)))
        self.window = max(1.0, 1.0 / rate) + self.MARGIN
        self.clock = clock
        self.sleep = sleep
        self._next = None
        self._recent = []   # [actual start] of the last ``burst`` requests, oldest first
        self._lock = threading.Lock()

    def acquire(self):
        with self._lock:
            now = self.clock()
            start = now if self._next is None or self._next <= now else self._next
            if len(self._recent) >= self.burst:
                start = max(start, self._recent[-self.burst][0] + self.window)
            slot = [start]
            self._recent.append(slot)
            del self._recent[:-self.burst]
            self._next = start + self.interval
        if start > now:
            self.sleep(start - now)
        actual = self.clock()
        if actual > start:
            with self._lock:
                slot[0] = actual
        return start
