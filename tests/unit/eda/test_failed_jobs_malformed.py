# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source and malformed answers: a poll whose list or read raises an ApiError ``MalformedResponse``, or
gives records the tracker cannot use, is logged as a malformed answer and keeps the source's previous view: no job
forgotten (however many passes it lasts), none emitted again once the answers are good; other failures as before."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import logging

import pytest

pytest.importorskip("pytest_asyncio")

from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError  # noqa: E402

from ansible_collections.cloudops.jobs.tests.unit.eda.eda_fakes import (  # noqa: E402
    ENV_NAMES, HUAWEI_ARGS, TENCENT_ARGS, FakeCloud, api_error, drive, load_source, nothing, set_jobs,
)

SOURCE = load_source()
TASK_A = "64a1b2c3d4e5f60718293a4b"
TASK_B = "64a1b2c3d4e5f60718293a4c"
LOGGER = "cloudops.jobs.failed_jobs"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


def config(service="drs", **args):
    base = dict(TENCENT_ARGS if service == "tencent_batch" else HUAWEI_ARGS, service=service, interval=10)
    base.update(args)
    return SOURCE["Config"](base)


def malformed(what="the DRS job list (POST /v3/{project_id}/jobs): jobs is missing"):
    return ApiError(what, code="MalformedResponse", request_id="req-bad")


def warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelno == logging.WARNING]


def ids(events):
    return [(e["id"], e["status"]) for e in events]


@pytest.mark.asyncio
@pytest.mark.parametrize("service, jobs", [
    ("drs", {"job-a": "INCRE_TRANSFER_FAILED", "job-b": "INCRE_TRANSFER_STARTED"}),
    ("tencent_batch", {"job-a": "FAILED", "job-b": "RUNNING"}),
])
async def test_malformed_passes_keep_every_job_and_emit_none_again(service, jobs, caplog):
    cloud = FakeCloud(service, jobs)
    failed = jobs["job-a"]

    def garbage(c):
        c.fail_next.append(malformed())

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        per_pass, delays = await drive(SOURCE, config(service, emit_existing=True), cloud,
                                       [nothing, garbage, garbage, garbage, garbage, nothing, nothing])
    # The failed job once, at the first pass; four malformed passes (more than the two missing passes that drop a job)
    # forget nothing, so the good passes after them emit nothing again.
    assert [ids(p) for p in per_pass] == [[("job-a", failed)], [], [], [], [], [], []]
    assert delays == [10, 20, 40, 80, 160, 10, 10]
    logged = warnings(caplog)
    assert len(logged) == 4
    assert all("malformed answer" in w and "is kept" in w and "MalformedResponse" in w and "jobs is missing" in w
               for w in logged)


@pytest.mark.asyncio
async def test_a_job_failing_after_malformed_passes_is_emitted_once():
    cloud = FakeCloud("drs", {"job-a": "INCRE_TRANSFER_STARTED"})

    def fail_unseen(c):
        set_jobs(job_a="INCRE_TRANSFER_FAILED")(c)
        c.fail_next.append(malformed())

    per_pass, _delays = await drive(SOURCE, config(), cloud, [nothing, fail_unseen, nothing, nothing])
    assert [ids(p) for p in per_pass] == [[], [], [("job-a", "INCRE_TRANSFER_FAILED")], []]
    assert per_pass[2][0]["previous_status"] == "INCRE_TRANSFER_STARTED"   # what it knew before the malformed pass


@pytest.mark.asyncio
@pytest.mark.parametrize("items", [
    None, {"jobs": []}, "ok", [None], [{"id": "job-a"}, None], [{"id": 5, "status": "INCRE_TRANSFER_FAILED"}],
    [{"status": "INCRE_TRANSFER_FAILED"}], [{"id": "", "status": "INCRE_TRANSFER_FAILED"}],
    [{"id": "job-a", "status": ["INCRE_TRANSFER_FAILED"]}],
], ids=["null", "dict", "string", "null-entry", "a-null-among-good", "id-a-number", "no-id", "empty-id", "status-a-list"])
async def test_records_the_tracker_cannot_use_are_a_malformed_pass(items, monkeypatch, caplog):
    """Whatever the list gives, the source checks what it relies on (an id and a status per record) itself."""
    cloud = FakeCloud("drs", {"job-a": "INCRE_TRANSFER_FAILED"})
    watcher_cls = SOURCE["Watcher"]
    real_list = watcher_cls._list
    real = object()
    answers = [real, items]   # then the real list again

    def scripted(self):
        answer = answers.pop(0) if answers else real
        return real_list(self) if answer is real else answer

    monkeypatch.setattr(watcher_cls, "_list", scripted)
    cfg = config(emit_existing=True)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        per_pass, _delays = await drive(SOURCE, cfg, cloud, [nothing, nothing, nothing, nothing])
    assert [ids(p) for p in per_pass] == [[("job-a", "INCRE_TRANSFER_FAILED")], [], [], []]
    logged = warnings(caplog)
    assert len(logged) == 1 and "malformed answer" in logged[0] and "MalformedResponse" in logged[0]
    assert "unexpected error" not in logged[0]


def task(status, **targets):
    return {"status": status, "targets": dict((t.replace("_", "-"), s) for t, s in targets.items())}


@pytest.mark.asyncio
async def test_iotda_a_malformed_subtask_read_keeps_that_tasks_subtasks_while_the_other_task_goes_on(caplog):
    cloud = FakeCloud("iotda", tasks={TASK_A: task("Fail", dev_1="Fail"), TASK_B: task("Processing", dev_9="Processing")})

    def b_fails_a_unreadable(c):
        c.tasks[TASK_A] = task("PartialSuccess", dev_1="Fail")       # changed entry: read again, and the read is garbage
        c.tasks[TASK_B] = task("Fail", dev_9="Fail")
        c.fail_next.extend([None, malformed("the batch task (GET /v5/iot/{project_id}/batchtasks/%s): task_details is "
                                            "not a list" % TASK_A)])

    cfg = config("iotda", filters={"task_type": "firmwareUpgrade"}, emit_existing=True)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        per_pass, _delays = await drive(SOURCE, cfg, cloud, [nothing, b_fails_a_unreadable, nothing, nothing])
    assert [[(e["task_id"], e["id"]) for e in p] for p in per_pass] == [[(TASK_A, "dev-1")], [(TASK_B, "dev-9")], [], []]
    assert any("malformed answer" in w and "task_details is not a list" in w for w in warnings(caplog))


@pytest.mark.asyncio
async def test_iotda_subtask_records_without_a_target_are_malformed(monkeypatch, caplog):
    cloud = FakeCloud("iotda", tasks={TASK_A: task("Fail", dev_1="Fail")})
    real_huawei = cloud._huawei
    broken = [False]

    def garbled(*args, **kwargs):
        data, rid = real_huawei(*args, **kwargs)
        if broken[0] and "task_details" in data:
            data = dict(data, task_details=[None for _d in data["task_details"]])
        return data, rid

    monkeypatch.setattr(cloud, "_huawei", garbled)

    def garble(c):
        broken[0] = True
        c.tasks[TASK_A] = task("PartialSuccess", dev_1="Fail")     # a new entry: its subtasks are read again

    def heal(c):
        broken[0] = False

    cfg = config("iotda", filters={"task_type": "firmwareUpgrade"}, emit_existing=True)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        per_pass, _delays = await drive(SOURCE, cfg, cloud, [nothing, garble, nothing, heal, nothing])
    assert [[(e["task_id"], e["id"]) for e in p] for p in per_pass] == [[(TASK_A, "dev-1")], [], [], [], []]
    assert any("malformed answer" in w for w in warnings(caplog))


@pytest.mark.asyncio
async def test_other_failures_are_logged_as_before(caplog):
    cloud = FakeCloud("drs", {"job-a": "INCRE_TRANSFER_FAILED"})

    def outage(c):
        c.fail_next.append(api_error(503, "APIGW.0202", "Backend unavailable"))

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        per_pass, delays = await drive(SOURCE, config(emit_existing=True), cloud, [nothing, outage, nothing])
    assert [ids(p) for p in per_pass] == [[("job-a", "INCRE_TRANSFER_FAILED")], [], []]
    assert delays == [10, 20, 10]
    logged = warnings(caplog)
    assert len(logged) == 1 and "a list pass failed (1 in a row)" in logged[0] and "malformed" not in logged[0]
