# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module, against garbage answers of every API it calls: the module's main() runs in this process against the
emulator over HTTP (the real clients, signing and transport), the emulator answering one API with a garbage body
(``garbage`` fault kind; a write is carried out first). Every run must end failed with a message, without a
traceback, with no job reported changed; a write that acted is reported ``unknown`` and never re-sent; after a
garbage read or list nothing is acted on."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import json

import pytest

from ansible_collections.cloudops.jobs.tests.unit.garbage.garbage_cases import (
    NEEDS, judge, log, module_args, module_cases, observed, reset, rule, served,
)
from ansible_collections.cloudops.jobs.tests.unit.plugins.runner_fakes import patch_module_args

CASES = module_cases()


def _id(case):
    module, api, variant, precheck, _reason = case
    return "%s-%s-%s%s" % (module, api.replace("/", "_"), variant, "" if precheck is None else "-precheck_%s" % str(precheck).lower())


def run_module(module, args, capsys):
    """The module's main() in this process; its printed result (``_raised`` when something escaped main())."""
    main = importlib.import_module("ansible_collections.cloudops.jobs.plugins.modules.%s" % module).main
    capsys.readouterr()
    try:
        with patch_module_args(args):
            main()
    except SystemExit:
        pass
    except BaseException as exc:  # pylint: disable=broad-except
        return {"_raised": "%s: %s" % (type(exc).__name__, str(exc)[:200])}
    out = capsys.readouterr().out
    try:
        return json.loads(out)
    except ValueError:
        return {"_raised": "no JSON result: %r" % out[:200]}


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_garbage_answer_fails_the_module_cleanly(case, emulator_url, capsys, record_property):
    module, api, variant, precheck, reason = case
    if reason:
        pytest.skip(reason)
    reset(emulator_url, [rule(api, variant)])
    result = run_module(module, module_args(module, api, precheck, emulator_url), capsys)
    entries = log(emulator_url)
    hits, unchanged = served(emulator_url, api, entries)
    if hits and unchanged == hits:
        pytest.skip("the real answer of %s has no %s to garble (%s)" % (api, NEEDS.get(variant, "part"), variant))
    problems = judge(module, api, variant, result, entries)
    if not hits:
        problems.insert(0, "no garbage served: %s was never called" % api)
    if problems:
        seen = observed(result, entries)
        record_property("problems", "; ".join(problems))
        record_property("observed", seen)
        pytest.fail("%s\n%s" % ("; ".join(problems), seen), pytrace=False)
