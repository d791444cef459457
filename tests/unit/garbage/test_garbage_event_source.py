# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source against garbage answers of every API it calls, through its real clients and transport over HTTP
to the emulator. A list/read API: one good pass (the failed jobs emitted, ``emit_existing``), three passes answered
with garbage, a good pass: each garbage pass is logged (a malformed answer for the 2xx bodies), nothing is emitted,
no job is forgotten and none is emitted again. IAM: three garbage passes from the start, then a good one that emits."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import logging

import pytest

pytest.importorskip("pytest_asyncio")

from ansible_collections.cloudops.jobs.tests.unit.eda.eda_fakes import load_source  # noqa: E402
from ansible_collections.cloudops.jobs.tests.unit.garbage.garbage_cases import (  # noqa: E402
    IAM_APIS, NEEDS, TASK, VARIANTS, VARIANT_SKIPS, cloud_args, control, is_2xx, log, op_of, reset,
    rule,
)

SOURCE = load_source()
LOGGER = "cloudops.jobs.failed_jobs"
GARBAGE_PASSES = 3
APIS = {"drs": ("drs.list",) + IAM_APIS, "iotda": ("iotda.list", "iotda.show") + IAM_APIS,
        "tencent_batch": ("tencent.DescribeJobs",)}
CASES = [(service, api, variant) for service in sorted(APIS) for api in APIS[service] for variant in VARIANTS]


def source_args(service, api, url):
    args = cloud_args("tencent" if service == "tencent_batch" else "huawei", api, url)
    if service == "iotda":
        args["filters"] = {"task_type": "firmwareUpgrade"}
    args.update(service=service, interval=1, emit_existing=True, timeout=20)
    return args


class Done(Exception):
    pass


async def watch(url, service, api, variant, caplog):
    """Run the source pass by pass; returns (events per pass, tracker keys after each pass, log lines per pass)."""
    config = SOURCE["Config"](source_args(service, api, url))
    config.connect()
    watcher = SOURCE["Watcher"](config)
    queue = asyncio.Queue()
    iam = api in IAM_APIS
    passes = GARBAGE_PASSES + (1 if iam else 2)
    garbage = set(range(0 if iam else 1, GARBAGE_PASSES + (0 if iam else 1)))
    events, known, lines, unchanged = [], [], [], []
    if 0 in garbage:
        control(url, "POST", "faults", {"faults": [rule(api, variant)]})

    async def sleep(_seconds):
        got = []
        while not queue.empty():
            got.append(queue.get_nowait()["cloudops_job"])
        events.append(got)
        known.append(set(watcher.tracker.jobs))
        lines.append([r for r in caplog.records if r.name == LOGGER][sum(len(x) for x in lines):])
        done = len(events)
        if done >= passes:
            raise Done()
        if done in garbage and done - 1 not in garbage:
            control(url, "POST", "faults", {"faults": [rule(api, variant)]})
            if api == "iotda.show":
                # The source reads a task's subtasks again only when its list entry changed: a subtask that was not
                # failed moves (task_progress changes), so the next pass reads the task, and gets garbage.
                control(url, "POST", "jobs", {"service": "iotda", "id": TASK, "target": "device-0005",
                                              "status": "Processing"})
        elif done not in garbage and done - 1 in garbage:
            unchanged.append(sum(r.get("unchanged", 0) for r in control(url, "GET", "faults")["faults"]))
            control(url, "DELETE", "faults")

    try:
        await SOURCE["run"](queue, config, watcher=watcher, sleep=sleep)
    except Done:
        pass
    finally:
        config.close()
    return events, known, lines, garbage, sum(unchanged)


def judge(api, variant, events, known, lines, garbage):
    problems = []
    good = [i for i in range(len(events)) if i not in garbage]
    first_good = good[0]
    if not events[first_good] and api not in IAM_APIS:
        return ["setup: the first good pass emitted no failed job"]
    for i in sorted(garbage):
        if events[i]:
            problems.append("pass %d (garbage) emitted %s" % (i + 1, [e["id"] for e in events[i]]))
        text = [r.getMessage() for r in lines[i]]
        warned = [t for t, r in zip(text, lines[i]) if r.levelno >= logging.WARNING]
        if not warned:
            problems.append("pass %d (garbage) logged no warning" % (i + 1))
        elif is_2xx(variant) and not any("malformed answer" in t for t in warned):
            problems.append("pass %d not logged as a malformed answer: %s" % (i + 1, warned[0][:200]))
        if any("unexpected error" in t or "Traceback" in t for t in text):
            problems.append("pass %d: unexpected error / traceback logged: %s" % (
                i + 1, next(t for t in text if "unexpected error" in t or "Traceback" in t)[:200]))
    if api in IAM_APIS:
        if not events[good[-1]]:
            problems.append("the good pass after the IAM garbage emitted nothing")
    else:
        for i in good[1:]:
            if events[i]:
                problems.append("pass %d (good, after garbage) emitted again %s" % (i + 1, [e["id"] for e in events[i]]))
        forgotten = known[first_good] - known[-1]
        if forgotten:
            problems.append("forgot %d jobs: %s" % (len(forgotten), sorted(forgotten)[:3]))
    return problems


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES, ids=["%s-%s-%s" % c for c in CASES])
async def test_garbage_answer_is_logged_and_the_view_kept(case, emulator_url, caplog, record_property):
    service, api, variant = case
    reason = VARIANT_SKIPS.get((op_of(api), variant))
    if reason:
        pytest.skip(reason)
    reset(emulator_url)
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        events, known, lines, garbage, unchanged = await watch(emulator_url, service, api, variant, caplog)
    entries = log(emulator_url)
    hits = sum(1 for e in entries if e["op"] == op_of(api) and e["fault"] == "garbage")
    if hits and unchanged == hits:
        pytest.skip("the real answer of %s has no %s to garble (%s)" % (api, NEEDS.get(variant, "part"), variant))
    problems = judge(api, variant, events, known, lines, garbage) if hits else ["no garbage served: %s never called" % api]
    if problems:
        seen = "events per pass=%s; log=%s" % ([len(e) for e in events], " | ".join(
            r.getMessage()[:160] for i in sorted(garbage) for r in lines[i][:1]))
        record_property("problems", "; ".join(problems))
        record_property("observed", seen)
        pytest.fail("%s\n%s" % ("; ".join(problems), seen), pytrace=False)
