# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""to_epoch_ms: epoch milliseconds or a zoned ISO 8601 date-time in, the epoch-ms string DRS wants out.

Expected values are fixed constants (``date -u -d 2026-11-23T18:00:00Z +%s`` is 1795456800), not recomputed
with the code under test.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError
from ansible_collections.cloudops.jobs.plugins.module_utils._timeutil import MIN_EPOCH_MS, to_epoch_ms

T0 = 1795456800000  # 2026-11-23T18:00:00Z in epoch milliseconds


# epoch milliseconds ---------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (1599202771816, "1599202771816"),
    ("1599202771816", "1599202771816"),
    (" 1599202771816 ", "1599202771816"),
    (T0, str(T0)),
    (MIN_EPOCH_MS, str(MIN_EPOCH_MS)),
    (4102444800000, "4102444800000"),   # 2100-01-01
])
def test_epoch_ms_is_passed_through_as_a_string(value, expected):
    result = to_epoch_ms(value)
    assert result == expected and isinstance(result, str)


@pytest.mark.parametrize("value", [1599202771, "1599202771", MIN_EPOCH_MS - 1, 0, "0", 1])
def test_a_number_that_looks_like_seconds_is_an_error_suggesting_milliseconds(value):
    with pytest.raises(InputError) as exc:
        to_epoch_ms(value)
    msg = str(exc.value)
    assert msg.startswith("start_time ") and "looks like seconds" in msg
    assert str(int(value) * 1000) in msg


def test_seconds_error_names_the_option_it_came_from():
    with pytest.raises(InputError) as exc:
        to_epoch_ms("1599202771", "jobs[].start_time")
    assert str(exc.value).startswith("jobs[].start_time ")


@pytest.mark.parametrize("value", [True, False])
def test_a_boolean_is_not_a_time(value):
    with pytest.raises(InputError) as exc:
        to_epoch_ms(value, "jobs[].start_time")
    assert "jobs[].start_time must be epoch milliseconds or an ISO 8601 date-time" in str(exc.value)


@pytest.mark.parametrize("value", [1599202771816.0, 1.6e12, 1599202771816.5])
def test_a_float_is_refused(value):
    with pytest.raises(InputError) as exc:
        to_epoch_ms(value)
    assert "whole number of epoch milliseconds" in str(exc.value)


# ISO 8601 with a zone ---------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2026-11-23T18:00:00Z", T0),
    ("2026-11-23T18:00:00z", T0),
    ("2026-11-23 18:00:00Z", T0),           # space for T
    ("2026-11-23T18:00:00 Z", T0),          # blank before the zone
    ("2026-11-23T18:00Z", T0),              # no seconds
    ("  2026-11-23T18:00:00Z  ", T0),
    ("2026-11-24T02:00:00+08:00", T0),
    ("2026-11-24T02:00:00+0800", T0),
    ("2026-11-24T02:00:00+08", T0),
    ("2026-11-23T12:30:00-05:30", T0),
    ("2026-11-23T18:00:00+00:00", T0),
    ("2026-11-23T18:00:00-00:00", T0),
    ("2026-11-23T18:00:00.5Z", T0 + 500),
    ("2026-11-23T18:00:00,25Z", T0 + 250),
    ("2026-11-23T18:00:00.001Z", T0 + 1),
    ("2026-11-23T18:00:00.0009Z", T0),       # below a millisecond: truncated
    ("2026-11-23T18:00:00.123456789Z", T0 + 123),
    ("2026-11-24T02:00:00.999+08:00", T0 + 999),
    ("2001-09-09T01:46:40Z", 1000000000000),
])
def test_zoned_iso_8601_becomes_epoch_ms(value, expected):
    assert to_epoch_ms(value) == str(expected)


def test_the_same_moment_in_different_zones_is_the_same_number():
    values = ["2026-11-23T18:00:00Z", "2026-11-24T03:00:00+09:00", "2026-11-23T10:00:00-08:00", "2026-11-24T02:00:00+08:00"]
    assert set(to_epoch_ms(v) for v in values) == set([str(T0)])


def test_an_iso_date_time_near_a_month_end_rolls_over_correctly():
    # 2026-03-01T07:00:00+08:00 is 2026-02-28T23:00:00Z (2026 is not a leap year).
    assert to_epoch_ms("2026-03-01T07:00:00+08:00") == to_epoch_ms("2026-02-28T23:00:00Z")
    assert int(to_epoch_ms("2028-02-29T00:00:00Z")) - int(to_epoch_ms("2028-02-28T00:00:00Z")) == 86400000


@pytest.mark.parametrize("value", ["2026-11-24T02:00:00", "2026-11-24 02:00", "2026-11-24T02:00:00.123"])
def test_a_date_time_without_a_zone_is_an_error_naming_the_option(value):
    with pytest.raises(InputError) as exc:
        to_epoch_ms(value, "jobs[].start_time")
    msg = str(exc.value)
    assert msg.startswith("jobs[].start_time ") and "has no time zone" in msg and value in msg


def test_zone_less_default_option_name_is_start_time():
    with pytest.raises(InputError) as exc:
        to_epoch_ms("2026-11-24T02:00:00")
    assert str(exc.value).startswith("start_time ") and "no time zone" in str(exc.value)


@pytest.mark.parametrize("value", [
    "", "tomorrow", "now", "2026-11-24", "2026/11/24T02:00:00Z", "24.11.2026 02:00 +08:00", "0x1F", "-1599202771816",
    "+1599202771816", "1599202771816ms", "1.599e12", "2026-11-24T02:00:00+8", "2026-11-24T02:00:00 UTC",
    "2026-11-24T02:00:00Z trailing", "26-11-24T02:00:00Z", [1599202771816], {"ms": 1599202771816}, None,
])
def test_garbage_is_an_error_naming_the_option(value):
    with pytest.raises(InputError) as exc:
        to_epoch_ms(value, "jobs[].start_time")
    assert str(exc.value).startswith("jobs[].start_time ")
    assert "neither epoch milliseconds nor an ISO 8601 date-time" in str(exc.value)


@pytest.mark.parametrize("value", [
    "2026-02-30T00:00:00Z", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
    "2026-11-00T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T18:60:00Z", "2026-11-23T18:00:60Z",
    "0000-01-01T00:00:00Z", "2026-11-23T18:00:00+24:00", "2026-11-23T18:00:00+08:60",
])
def test_an_impossible_date_time_is_an_error_not_a_crash(value):
    with pytest.raises(InputError) as exc:
        to_epoch_ms(value)
    assert "is not a valid date-time" in str(exc.value) and value in str(exc.value)


def test_a_superscript_digit_is_an_input_error_not_a_value_error():
    with pytest.raises(InputError):
        to_epoch_ms("1599202771816\u00b2")
