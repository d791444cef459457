# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start times: epoch milliseconds or an ISO 8601 date-time with a zone, to the epoch-ms string DRS wants."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError

# 2001-09-09 in epoch milliseconds: anything smaller is almost surely seconds.
MIN_EPOCH_MS = 10 ** 12
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$")
_DIGITS = re.compile(r"^[0-9]+$")  # ASCII only: str.isdigit() also takes digits int() refuses
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def _zone(text):
    if text in ("Z", "z"):
        return datetime.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError("zone offset out of range")
    return datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))


def to_epoch_ms(value, option="start_time"):
    """Return the epoch-milliseconds string for ``value``; raise InputError naming ``option`` otherwise."""
    if isinstance(value, bool):
        raise InputError("%s must be epoch milliseconds or an ISO 8601 date-time with a zone, got %r" % (option, value))
    if isinstance(value, int) or (isinstance(value, str) and _DIGITS.match(value.strip())):
        millis = int(value)
        if millis < MIN_EPOCH_MS:
            raise InputError("%s %r looks like seconds, not epoch milliseconds: multiply it by 1000 (for example %d)"
                             % (option, value, millis * 1000))
        return str(millis)
    if isinstance(value, float):
        raise InputError("%s must be a whole number of epoch milliseconds, got %r" % (option, value))
    text = str(value).strip()
    match = _ISO.match(text)
    if not match:
        raise InputError("%s %r is neither epoch milliseconds nor an ISO 8601 date-time such as 2026-11-24T02:00:00+08:00"
                         % (option, value))
    if not match.group(8):
        raise InputError("%s %r has no time zone: add one (Z for UTC, or an offset such as +08:00) so the job starts "
                         "at the moment you mean" % (option, value))
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    second = int(match.group(6) or 0)
    fraction = (match.group(7) or "0")[:6].ljust(6, "0")
    try:
        when = datetime.datetime(year, month, day, hour, minute, second, int(fraction), tzinfo=_zone(match.group(8)))
    except ValueError as exc:
        raise InputError("%s %r is not a valid date-time: %s" % (option, value, exc))
    delta = when - _EPOCH
    return str((delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000)
