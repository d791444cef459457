# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source against the cloud emulator (tests/emulator), through the collection's real clients, signing and
transport: the emulator sets job states (POST /_emu/jobs) between list passes, and its request log shows what the
source sent."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import json
import logging
import os
import sys

import pytest

pytest.importorskip("pytest_asyncio")
pytest.importorskip("requests")

import requests  # noqa: E402

from ansible_collections.cloudops.jobs.tests.unit.eda.eda_fakes import COLLECTION, ENV_NAMES, EVENT_KEYS, load_source  # noqa: E402

EMULATOR = os.path.join(COLLECTION, "tests", "emulator")
if EMULATOR not in sys.path:
    sys.path.insert(0, EMULATOR)

from cloudemu.server import start  # noqa: E402  pylint: disable=wrong-import-position

SOURCE = load_source()
PROJECT = "0123456789abcdef0123456789abcdef"
AK, SK = "EDAAK000000000000001", "eda-secret-key-000000000000000000001"
TC_ID, TC_KEY = "AKIDEDA00000000000000000000000000001", "eda-tencent-secret-000000000000001"
TASK = "64a1b2c3d4e5f60718293a4b"

SCENARIO = {
    "huawei": {"aksk": {AK: SK}, "projects": [{"id": PROJECT, "name": "cn-north-4"}]},
    "tencent": {"credentials": {TC_ID: TC_KEY}},
    "drs": [{"id": "drs-job-%04d" % i, "status": "INCRE_TRANSFER_STARTED"} for i in range(1, 131)]
    + [{"id": "drs-job-old", "status": "INCRE_TRANSFER_FAILED"}],
    "iotda": [{"task_id": TASK, "status": "Processing", "task_type": "firmwareUpgrade",
               "targets": [{"target": "device-0001", "status": "Processing"}, {"target": "device-0002", "status": "Processing"}]}],
    "tencent_batch": [{"id": "job-0000000%d" % i, "status": "RUNNING"} for i in range(1, 4)],
    "workspace": [],
}


@pytest.fixture
def emulator(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    server = start(json.loads(json.dumps(SCENARIO)))
    try:
        yield server.url
    finally:
        server.stop()


def control(url, method, path, body=None):
    answer = requests.request(method, url + path, json=body, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def set_job(url, **spec):
    control(url, "POST", "/_emu/jobs", spec)


def ops(url):
    return [r["op"] for r in control(url, "GET", "/_emu/requests")["requests"]]


def answered_ops(url):
    """The operations the emulator answered, less the ones it refused as over its per-API rate (2/s per Action).

    The source paces each API, but on a loaded machine a request that left on time can arrive late and crowd the
    service's window; the real cloud then answers RequestLimitExceeded too, and the client backs off and sends it
    again. Only the answered requests say how many polls were made."""
    return [r["op"] for r in control(url, "GET", "/_emu/requests")["requests"] if r.get("error_code") != "RequestLimitExceeded"]


async def watch(url, args, steps):
    """Run the source (real clients) for ``len(steps) + 1`` passes; step i changes the emulator after pass i."""
    config = SOURCE["Config"](args)
    config.connect()
    queue = asyncio.Queue()
    per_pass = []
    todo = list(steps)

    class Done(Exception):
        pass

    async def sleep(seconds):
        got = []
        while not queue.empty():
            got.append(queue.get_nowait()["cloudops_job"])
        per_pass.append(got)
        if not todo:
            raise Done()
        todo.pop(0)(url)

    try:
        await SOURCE["run"](queue, config, sleep=sleep)
    except Done:
        pass
    finally:
        config.close()
    return per_pass


def huawei(url, service, **extra):
    args = dict(service=service, region="cn-north-4", access_key=AK, secret_key=SK, endpoint=url, iam_endpoint=url, interval=1)
    args.update(extra)
    return args


@pytest.mark.asyncio
async def test_drs_through_the_emulator_one_event_per_episode_and_one_list_pass_per_interval(emulator, caplog):
    def fail(url):
        set_job(url, service="drs", id="drs-job-0007", status="INCRE_TRANSFER_FAILED")

    def recover(url):
        set_job(url, service="drs", id="drs-job-0007", status="INCRE_TRANSFER_STARTED")

    def fail_again(url):
        set_job(url, service="drs", id="drs-job-0007", status="FULL_TRANSFER_FAILED")

    def nothing(url):
        return None

    with caplog.at_level(logging.DEBUG, logger="cloudops.jobs.failed_jobs"):
        per_pass = await watch(emulator, huawei(emulator, "drs"), [fail, nothing, recover, fail_again])
    assert [[(e["id"], e["status"], e["previous_status"]) for e in p] for p in per_pass] == [
        [], [("drs-job-0007", "INCRE_TRANSFER_FAILED", "INCRE_TRANSFER_STARTED")], [], [],
        [("drs-job-0007", "FULL_TRANSFER_FAILED", "INCRE_TRANSFER_STARTED")]]
    event = per_pass[1][0]
    assert set(event) == EVENT_KEYS
    assert (event["module"], event["region"], event["project_id"]) == ("cloudops.jobs.drs_job_retry", "cn-north-4", PROJECT)
    # The project is looked up once; 131 jobs are two pages of 100 a pass, five passes; nothing else (no write).
    assert ops(emulator) == ["iam.projects"] + ["drs.list"] * 10
    assert SK not in caplog.text


@pytest.mark.asyncio
async def test_drs_emulator_throttling_and_outage_are_survived_without_a_false_event(emulator, caplog):
    def outage(url):
        set_job(url, service="drs", id="drs-job-0003", status="CREATE_FAILED")
        control(url, "POST", "/_emu/faults", {"faults": [{"op": "drs.list", "fault": "status", "status": 503, "times": -1}]})

    def back(url):
        control(url, "DELETE", "/_emu/faults")

    def nothing(url):
        return None

    args = huawei(emulator, "drs", max_retries=1)
    with caplog.at_level(logging.WARNING, logger="cloudops.jobs.failed_jobs"):
        per_pass = await watch(emulator, args, [outage, nothing, back, nothing])
    assert [[e["id"] for e in p] for p in per_pass] == [[], [], [], ["drs-job-0003"], []]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2 and all("APIGW.0202" in w or "503" in w for w in warnings)


@pytest.mark.asyncio
async def test_emit_existing_true_reports_the_job_failed_at_start_once(emulator):
    per_pass = await watch(emulator, huawei(emulator, "drs", emit_existing=True), [lambda url: None])
    assert [[e["id"] for e in p] for p in per_pass] == [["drs-job-old"], []]


@pytest.mark.asyncio
async def test_iotda_subtask_failure_through_the_emulator(emulator):
    def fail(url):
        set_job(url, service="iotda", task_id=TASK, target="device-0002", status="Fail")
        set_job(url, service="iotda", task_id=TASK, target="device-0001", status="Success")
        set_job(url, service="iotda", task_id=TASK, status="PartialSuccess")

    args = huawei(emulator, "iotda", filters={"task_type": "firmwareUpgrade"})
    per_pass = await watch(emulator, args, [fail, lambda url: None])
    assert [[(e["task_id"], e["id"], e["status"]) for e in p] for p in per_pass] == [[], [(TASK, "device-0002", "Fail")], []]
    assert set(per_pass[1][0]) == EVENT_KEYS | {"task_id"}


@pytest.mark.asyncio
async def test_tencent_through_the_emulator(emulator):
    def fail(url):
        set_job(url, service="tencent_batch", id="job-00000002", status="FAILED")

    args = dict(service="tencent_batch", secret_id=TC_ID, secret_key=TC_KEY, region="ap-guangzhou", endpoint=emulator, interval=1)
    per_pass = await watch(emulator, args, [fail, lambda url: None])
    assert [[(e["id"], e["status"], e["previous_status"]) for e in p] for p in per_pass] == [
        [], [("job-00000002", "FAILED", "RUNNING")], []]
    assert answered_ops(emulator) == ["tencent.DescribeJobs"] * 3
