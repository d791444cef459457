# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Discovery's shared rules: the checks of filter keys and values, the paging rules and guard, and batching.

Each service file owns its list API and its filters, so that a module packs only its own service's code:
``_drs.check_filters``/``_drs.list_jobs`` (``POST /v3/{project_id}/jobs``), ``_iotda.check_filters``/``_iotda.list_tasks``
(``GET /v5/iot/{project_id}/batchtasks``) and ``_tencent_batch.check_filters``/``_tencent_batch.list_jobs``
(``DescribeJobs`` with ``Filters``). Each reads every page, in the fewest requests the page limits allow, each job once;
the request fields are those of the official SDKs' request models (the SDKs are test-only oracles).
This module imports no service module: it owns no state table, and checks the shape of a value, not its membership.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError

DRS = "drs"
IOTDA = "iotda"
TENCENT_BATCH = "tencent_batch"

# A guard against a service that never stops paging: at most this many pages per query (every list and IoTDA's
# subtasks of a batch task).
MAX_PAGES = 10000

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_keys(service, filters, keys, option="filters", prefix=None):
    """``filters`` (None is ``{}``) as a dict whose every key is one of ``keys`` (or starts with ``prefix``), else InputError."""
    if filters is None:
        return {}
    if not isinstance(filters, dict):
        raise InputError("%s must be a dict of %s filter keys to values (accepted: %s), got %r"
                         % (option, service, ", ".join(keys), filters))
    for key in filters:
        known = isinstance(key, str) and (key in keys or (prefix is not None and key.startswith(prefix) and len(key) > len(prefix)))
        if not known:
            raise InputError("%s has unknown key %r; accepted: %s" % (option, key, ", ".join(keys)))
    return filters


def text(option, key, value, what="a string"):
    """One non-empty string value (a number is taken as its text)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError("%s.%s must be %s, got %r" % (option, key, what, value))
    out = value if isinstance(value, str) else str(value)
    if not out.strip() or _CONTROL.search(out):
        raise InputError("%s.%s must be %s with no control characters, got %r" % (option, key, what, value))
    return out


def texts(option, key, value, what="a string or a list of strings"):
    """One string or a list of them: a list of distinct strings, in the user's order."""
    values = value if isinstance(value, (list, tuple)) else [value]
    if not values:
        raise InputError("%s.%s is an empty list: give at least one value, or leave %s out" % (option, key, key))
    out = []
    for item in values:
        one = text(option, key, item, what)
        if one not in out:
            out.append(one)
    return out


def matching(option, key, values, pattern, hint):
    for value in values:
        if not pattern.match(value):
            raise InputError("%s.%s has %r, which is not %s" % (option, key, value, hint))
    return values


def one_of(option, key, values, accepted, what):
    """``values``, each one of ``accepted`` (the values the list API documents), else InputError naming the value, the
    closest accepted one and all of them: a misspelt state would list nothing, silently."""
    for value in values:
        if value not in accepted:
            from difflib import get_close_matches   # only on the error path
            close = get_close_matches(value, sorted(accepted), 1)
            raise InputError("%s.%s has %r, which is not a %s%s; accepted: %s" % (
                option, key, value, what, " (did you mean %s?)" % close[0] if close else "", ", ".join(sorted(accepted))))
    return values


def add_once(out, seen, key, item):
    if key is None or key in seen:
        return
    seen.add(key)
    out.append(item)


def paging_stopped(what, pages, request_id):
    return ApiError("listing %s stopped after %d pages: the service kept answering full pages" % (what, pages),
                    code="PagingStopped", request_id=request_id)


def more_pages(full, listed, total):
    """Whether a list paged by a count goes on after a page: the page was ``full`` and the ``listed`` entries (the
    pages so far) are short of the answer's ``total`` (None: the answer has no count). Not for a count that can
    shrink as the pages go (IoTDA's marker paging stops on a short page only)."""
    return full and (total is None or listed < total)


def chunks(items, size):
    """``items`` in lists of at most ``size``, in order (one request each)."""
    return [items[i:i + size] for i in range(0, len(items), size)]
