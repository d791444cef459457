# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injected faults (status, latency, drop, malformed, html), global latency, and that slow answers block nothing."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading
import time

import pytest

pytest.importorskip("huaweicloudsdkcore.signer.signer")
pytest.importorskip("tencentcloud.common.sign")

import requests  # noqa: E402

RETRY = "/v3/{project_id}/jobs/batch-retry-task"
ACTION = "/v2/{project_id}/workspace-jobs/%s/actions"


def _fault(cloud, **rule):
    cloud.control("POST", "faults", {"faults": [rule]})


def _retry(cloud, job_id="drs-job-0001"):
    return cloud.huawei("POST", RETRY, {"jobs": [{"job_id": job_id}]})


def test_status_429_with_retry_after_is_not_acted(cloud):
    _fault(cloud, op="drs.retry", fault="status", status=429, retry_after=2)
    answer = _retry(cloud)
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "2"
    assert answer.json()["error_code"] == "APIGW.0308"
    assert answer.json()["request_id"] == answer.headers["X-Request-Id"]
    assert cloud.state("drs", "drs-job-0001")["status"] == "INCRE_TRANSFER_FAILED"
    entry = cloud.log("drs.retry")[-1]
    assert (entry["status"], entry["fault"], entry["acted"], entry["error_code"]) == (429, "status", False, "APIGW.0308")
    # times defaults to 1: the next request goes through
    assert _retry(cloud).json()["results"][0]["status"] == "success"
    assert cloud.state("drs", "drs-job-0001")["actions"] == 1


def test_status_500_acted_with_overrides(cloud):
    _fault(cloud, op="drs.retry", fault="status", status=500, act=True, error_code="DRS.00000500", error_msg="boom")
    answer = _retry(cloud)
    assert answer.status_code == 500
    assert answer.json()["error_code"] == "DRS.00000500" and answer.json()["error_msg"] == "boom"
    assert "Retry-After" not in answer.headers
    assert cloud.state("drs", "drs-job-0001")["status"] == "INCRE_TRANSFER_STARTED"
    assert cloud.log("drs.retry")[-1]["acted"] is True


def test_tencent_fault_shape(cloud):
    _fault(cloud, op="tencent.RetryJobs", fault="status", status=503)
    body = b'{"JobIds": ["job-aaaa0001"]}'
    answer = cloud.session.post(cloud.url + "/", data=body, headers=cloud.tencent_headers("RetryJobs", body))
    assert answer.status_code == 503
    assert answer.json()["Response"]["Error"]["Code"] == "InternalError"
    assert "X-Request-Id" not in answer.headers
    assert cloud.state("tencent_batch", "job-aaaa0001")["status"] == "FAILED"


def test_latency_fault_acts_and_does_not_block_others(cloud):
    _fault(cloud, op="workspace.action", fault="latency", delay_ms=400)
    result = {}

    def slow():
        started = time.monotonic()
        result["answer"] = cloud.huawei("POST", ACTION % "ws-job-0001", {"op_type": "retry"})
        result["took"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.1)
    started = time.monotonic()
    with requests.Session() as other:
        assert other.get(cloud.url + "/_emu/health").json() == {"ok": True}
    quick = cloud.huawei("POST", "/v3/{project_id}/jobs/batch-status", {"jobs": ["drs-job-0001"]})
    assert quick.status_code == 200
    assert time.monotonic() - started < 0.25
    thread.join()
    assert result["answer"].status_code == 200 and result["took"] >= 0.4
    assert cloud.state("workspace", "ws-job-0001")["actions"] == 1
    entry = cloud.log("workspace.action")[-1]
    assert entry["fault"] == "latency" and entry["acted"] is True and entry["t_end"] - entry["t_start"] >= 0.4


def test_latency_fault_not_acted_answers_gateway_timeout(cloud):
    _fault(cloud, op="drs.retry", fault="latency", delay_ms=50, act=False)
    answer = _retry(cloud)
    assert answer.status_code == 504 and answer.json()["error_code"] == "APIGW.0201"
    assert cloud.state("drs", "drs-job-0001")["actions"] == 0


def test_drop_closes_without_answer(cloud):
    _fault(cloud, op="drs.retry", fault="drop")
    with pytest.raises(requests.exceptions.ConnectionError):
        _retry(cloud)
    assert cloud.state("drs", "drs-job-0001")["status"] == "INCRE_TRANSFER_STARTED"   # act defaults to true
    entry = cloud.log("drs.retry")[-1]
    assert entry["status"] is None and entry["fault"] == "drop" and entry["acted"] is True


def test_drop_not_acted(cloud):
    _fault(cloud, op="drs.retry", fault="drop", act=False)
    with pytest.raises(requests.exceptions.ConnectionError):
        _retry(cloud)
    assert cloud.state("drs", "drs-job-0001")["actions"] == 0


def test_malformed_is_truncated_json(cloud):
    _fault(cloud, op="drs.retry", fault="malformed")
    answer = _retry(cloud)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/json")
    assert answer.headers.get("X-Request-Id")
    with pytest.raises(ValueError):
        json.loads(answer.text)
    assert answer.text.startswith('{"results"')
    assert cloud.state("drs", "drs-job-0001")["status"] == "INCRE_TRANSFER_STARTED"


def test_html_gateway_page(cloud):
    _fault(cloud, op="*", fault="html")
    answer = _retry(cloud)
    assert answer.status_code == 502
    assert answer.headers["Content-Type"].startswith("text/html") and "<html>" in answer.text
    assert cloud.state("drs", "drs-job-0001")["actions"] == 0
    assert cloud.log("drs.retry")[-1]["fault"] == "html"


def test_times_probability_and_path(cloud):
    cloud.control("POST", "faults", {"faults": [
        {"op": "workspace.show", "fault": "status", "status": 503, "probability": 0.0, "times": -1},
        {"op": "workspace.show", "fault": "status", "status": 500, "times": 2, "path_contains": "ws-job-0002"},
    ]})
    show = "/v2/{project_id}/workspace-jobs/%s"
    assert [cloud.huawei("GET", show % "ws-job-0002").status_code for _i in range(3)] == [500, 500, 200]
    assert cloud.huawei("GET", show % "ws-job-0001").status_code == 200
    remaining = [rule["remaining"] for rule in cloud.control("GET", "faults")["faults"]]
    assert remaining == [-1, 0]
    cloud.control("DELETE", "faults")
    assert cloud.control("GET", "faults")["faults"] == []


def test_seeded_probability_repeats(cloud):
    def pattern():
        cloud.control("DELETE", "faults")
        _fault(cloud, op="iotda.show", fault="status", status=503, probability=0.5, seed=7, times=-1)
        return [cloud.huawei("GET", "/v5/iot/{project_id}/batchtasks/64a1b2c3d4e5f60718293a4b").status_code for _i in range(8)]

    first = pattern()
    assert first == pattern() and 503 in first and 200 in first


@pytest.mark.parametrize("rule", [
    {"op": "drs.nope", "fault": "status"},
    {"op": "drs.retry", "fault": "explode"},
    {"op": "drs.retry", "fault": "status", "times": "x"},
    {"op": "drs.retry", "fault": "status", "probability": 2},
    {"op": "drs.retry", "fault": "status", "colour": "red"},
])
def test_bad_rules_refused(cloud, rule):
    answer = cloud.session.post(cloud.url + "/_emu/faults", json={"faults": [rule]})
    assert answer.status_code == 400 and answer.json()["error"]
    assert cloud.control("GET", "faults")["faults"] == []


def test_global_latency(cloud):
    cloud.control("POST", "config", {"latency_ms": 150})
    started = time.monotonic()
    assert _retry(cloud).status_code == 200
    assert time.monotonic() - started >= 0.15
    started = time.monotonic()
    cloud.control("GET", "health")
    assert time.monotonic() - started < 0.1      # control answers are never delayed
