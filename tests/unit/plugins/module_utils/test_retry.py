# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RetryPolicy, parse_retry_after and RateLimiter with injected clocks, sleeps and random generators."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import random
import threading
import time

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._retry import (
    MAYBE_ACTED, OK, THROTTLED, UNAVAILABLE, RateLimiter, RetryPolicy, parse_retry_after,
)


class EdgeRng:
    """uniform() answers one end of the range, to pin the jitter bounds exactly."""

    def __init__(self, end):
        self.end = end
        self.calls = []

    def uniform(self, low, high):
        self.calls.append((low, high))
        return low if self.end == "low" else high


# --- should_retry ------------------------------------------------------------------------------

@pytest.mark.parametrize("verdict,idempotent,expected", [
    (THROTTLED, False, True),
    (THROTTLED, True, True),
    (UNAVAILABLE, False, True),
    (UNAVAILABLE, True, True),
    (MAYBE_ACTED, False, False),
    (MAYBE_ACTED, True, True),
    (OK, False, False),
    (OK, True, False),
])
def test_should_retry_table(verdict, idempotent, expected):
    policy = RetryPolicy(max_retries=3)
    for attempt in range(3):
        assert policy.should_retry(verdict, attempt, idempotent) is expected
    # never past max_retries, whatever the verdict
    assert policy.should_retry(verdict, 3, idempotent) is False
    assert policy.should_retry(verdict, 4, idempotent) is False


@pytest.mark.parametrize("verdict", [THROTTLED, UNAVAILABLE, MAYBE_ACTED])
def test_should_retry_with_zero_retries_never_retries(verdict):
    assert RetryPolicy(max_retries=0).should_retry(verdict, 0, True) is False


# --- delay ------------------------------------------------------------------------------------

@pytest.mark.parametrize("attempt,cap", [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 8.0), (12, 8.0)])
def test_delay_jitter_bounds_are_half_cap_to_cap(attempt, cap):
    low = RetryPolicy(base_delay=0.5, max_delay=8.0, rng=EdgeRng("low"))
    high = RetryPolicy(base_delay=0.5, max_delay=8.0, rng=EdgeRng("high"))
    assert low.delay(attempt) == pytest.approx(cap / 2.0)
    assert high.delay(attempt) == pytest.approx(cap)
    assert low.rng.calls == [(cap / 2.0, cap)]


def test_delay_with_seeded_rng_stays_within_bounds_and_jitters():
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0, rng=random.Random(1234))
    for attempt in range(8):
        cap = min(8.0, 0.5 * 2 ** attempt)
        samples = [policy.delay(attempt) for _i in range(200)]
        assert all(cap / 2.0 <= s <= cap for s in samples)
        # really jittered: spread over the range, not one value
        assert max(samples) - min(samples) > cap / 4.0
        assert len(set(samples)) > 150


def test_delay_is_reproducible_with_the_same_seed():
    one = RetryPolicy(rng=random.Random(7))
    two = RetryPolicy(rng=random.Random(7))
    assert [one.delay(a) for a in range(6)] == [two.delay(a) for a in range(6)]


def test_retry_after_is_honoured_when_longer_than_backoff():
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0, max_retry_after=60.0, rng=EdgeRng("high"))
    assert policy.delay(0, retry_after=5.0) == 5.0
    assert policy.delay(0, retry_after=0.0) == 0.5  # backoff wins when the service asks for less
    assert policy.delay(4, retry_after=7.0) == 8.0


def test_retry_after_is_capped_by_max_retry_after():
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0, max_retry_after=30.0, rng=random.Random(3))
    assert policy.delay(0, retry_after=3600.0) == 30.0
    assert RetryPolicy(max_retry_after=2.0, rng=EdgeRng("high"), max_delay=8.0).delay(5, retry_after=100.0) == 2.0


def test_wait_sleeps_the_delay_through_the_injected_sleep():
    slept = []
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, sleep=slept.append, rng=EdgeRng("low"))
    policy.wait(0)
    policy.wait(2)
    policy.wait(1, retry_after=9.0)
    assert slept == [0.5, 2.0, 9.0]


# --- parse_retry_after ------------------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    ("5", 5.0),
    (" 12 ", 12.0),
    ("2.5", 2.5),
    (7, 7.0),
    ("0", 0.0),
    ("-3", 0.0),
    (None, None),
    ("", None),
    ("soon", None),
    ("Mon, 99 Foo 2024", None),
])
def test_parse_retry_after_values(value, expected):
    assert parse_retry_after(value, now=1000.0) == expected


def test_parse_retry_after_http_date():
    now = 1704164645.0
    assert parse_retry_after(email.utils.formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30.0)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == pytest.approx(10.0)
    assert parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT", now=1445412470.0) == pytest.approx(10.0)
    # a date in the past means "now"
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0


def test_parse_retry_after_http_date_uses_wall_clock_by_default():
    value = email.utils.formatdate(time.time() + 120, usegmt=True)
    assert 100.0 < parse_retry_after(value) <= 120.0


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset")
def test_parse_retry_after_zoneless_http_date_is_utc_whatever_the_local_zone(monkeypatch):
    # RFC 9110 5.6.7: recipients must accept the asctime form, which is always UTC.
    monkeypatch.setenv("TZ", "XST-8")
    time.tzset()
    try:
        got = parse_retry_after("Wed Oct 21 07:28:00 2015", now=1445412470.0)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert got == pytest.approx(10.0)


# --- RateLimiter -----------------------------------------------------------------------------

class FakeClock:
    """A monotonic clock that only moves when someone sleeps (or the test advances it); thread-safe."""

    def __init__(self, start=100.0):
        self.now = start
        self.slept = []
        self.lock = threading.Lock()

    def clock(self):
        with self.lock:
            return self.now

    def sleep(self, seconds):
        assert seconds > 0
        with self.lock:
            self.slept.append(seconds)
            self.now += seconds

    def advance(self, seconds):
        with self.lock:
            self.now += seconds


@pytest.mark.parametrize("rate", [None, 0, -1, -0.5])
def test_rate_limiter_rejects_non_positive_rates(rate):
    with pytest.raises(ValueError):
        RateLimiter(rate)


def test_rate_limiter_interval():
    assert RateLimiter(5).interval == pytest.approx(0.2 + RateLimiter.MARGIN)
    assert RateLimiter(0.5).interval == pytest.approx(2.0 + RateLimiter.MARGIN)
    assert RateLimiter.MARGIN > 0


def test_rate_limiter_spaces_starts_by_interval():
    fake = FakeClock()
    limiter = RateLimiter(10, clock=fake.clock, sleep=fake.sleep)
    starts = [limiter.acquire() for _i in range(20)]
    assert starts[0] == 100.0
    assert fake.slept[0] == pytest.approx(limiter.interval)  # the first start did not sleep; the second waited
    assert len(fake.slept) == 19
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert all(g >= limiter.interval - 1e-9 for g in gaps)
    assert fake.now == pytest.approx(starts[-1])


def test_rate_limiter_does_not_sleep_when_requests_are_already_slow():
    fake = FakeClock()
    limiter = RateLimiter(2, clock=fake.clock, sleep=fake.sleep)
    starts = []
    for _i in range(5):
        starts.append(limiter.acquire())
        fake.advance(1.0)  # each request takes longer than the interval
    assert fake.slept == []
    assert starts == [100.0, 101.0, 102.0, 103.0, 104.0]


def test_rate_limiter_sleeps_only_the_remainder():
    fake = FakeClock()
    limiter = RateLimiter(4, clock=fake.clock, sleep=fake.sleep)
    limiter.acquire()
    fake.advance(0.1)
    second = limiter.acquire()
    assert second == pytest.approx(100.0 + limiter.interval)
    assert fake.slept == [pytest.approx(limiter.interval - 0.1)]


@pytest.mark.parametrize("rate", [1, 2, 5, 10, 20])
def test_any_rate_plus_one_consecutive_starts_span_more_than_a_second(rate):
    fake = FakeClock()
    limiter = RateLimiter(rate, clock=fake.clock, sleep=fake.sleep)
    rng = random.Random(rate)
    starts = []
    for _i in range(6 * rate + 5):
        starts.append(limiter.acquire())
        fake.advance(rng.uniform(0, 0.5 / rate))  # requests take some (jittery) time
    for i in range(len(starts) - rate):
        assert starts[i + rate] - starts[i] > 1.0


def test_rate_limiter_is_thread_safe():
    fake = FakeClock()
    rate, threads, per_thread = 5, 8, 25
    limiter = RateLimiter(rate, clock=fake.clock, sleep=lambda s: (fake.slept.append(s), time.sleep(0)))
    starts = []
    starts_lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def worker():
        barrier.wait()
        for _i in range(per_thread):
            start = limiter.acquire()
            with starts_lock:
                starts.append(start)

    pool = [threading.Thread(target=worker) for _i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(10)
    assert not any(thread.is_alive() for thread in pool)
    assert len(starts) == threads * per_thread
    ordered = sorted(starts)
    assert len(set(ordered)) == len(ordered)
    assert all(b - a >= limiter.interval - 1e-9 for a, b in zip(ordered, ordered[1:]))
    assert ordered[-1] - ordered[0] == pytest.approx((threads * per_thread - 1) * limiter.interval)
    for i in range(len(ordered) - rate):
        assert ordered[i + rate] - ordered[i] > 1.0
    # the clock never moved: every start but the first was a scheduled wait
    assert len(fake.slept) == threads * per_thread - 1


@pytest.mark.parametrize("rate", [1, 2, 5])
def test_a_late_start_does_not_crowd_the_next_ones_into_a_second(rate):
    # The sleep before one start overruns by 0.3 s (a busy machine): the starts planned after it still keep any
    # rate + 1 consecutive actual starts more than a second apart.
    class LateClock(FakeClock):
        def __init__(self, late_at):
            super(LateClock, self).__init__()
            self.calls = 0
            self.late_at = late_at

        def sleep(self, seconds):
            self.calls += 1
            super(LateClock, self).sleep(seconds + (0.3 if self.calls == self.late_at else 0.0))

    fake = LateClock(late_at=2)
    limiter = RateLimiter(rate, clock=fake.clock, sleep=fake.sleep)
    actual = []
    for _i in range(4 * rate + 4):
        limiter.acquire()
        actual.append(fake.clock())
    assert max(b - a for a, b in zip(actual, actual[1:])) > limiter.interval + 0.25   # the overrun happened
    for i in range(len(actual) - rate):
        assert actual[i + rate] - actual[i] > 1.0


def test_starts_that_keep_to_plan_wait_no_longer_than_before():
    fake = FakeClock()
    limiter = RateLimiter(2, clock=fake.clock, sleep=fake.sleep)
    starts = [limiter.acquire() for _i in range(10)]
    assert starts == [pytest.approx(100.0 + i * limiter.interval) for i in range(10)]
