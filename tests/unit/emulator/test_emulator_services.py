# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each service's answers and state machine: actions from allowed and refused states, timelines, IAM."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import time

import pytest

pytest.importorskip("huaweicloudsdkcore.signer.signer")
pytest.importorskip("tencentcloud.common.sign")

from emulator_testlib import (  # noqa: E402  pylint: disable=import-error
    IOT_RETRY, IOT_SHOW, PROJECT, RETRY, START, STATUS, TASK, WS_ACTION, WS_SHOW,
)

from cloudemu.server import start  # noqa: E402
from cloudemu.services.drs import RETRY as DRS_RETRY  # noqa: E402
from cloudemu.timeline import Action, ManualClock, Refused, Tracked  # noqa: E402


def _drs_status(cloud, *ids):
    results = cloud.huawei("POST", STATUS, {"jobs": list(ids)}).json()["results"]
    return [r.get("status") for r in results]


# shared machinery ----------------------------------------------------------------------------------------------------
def test_tracked_timeline():
    item = Tracked("FAILED", timeline=[(0.0, "RUNNING"), (2.0, "DONE")])
    action = Action(lambda s: s == "FAILED", "E.1", "{id} is {status}", [(0.0, "X")])
    action.apply(item, "a", 10.0)
    assert (item.status(10.0), item.status(11.9), item.status(12.0), item.status(99.0)) == ("RUNNING", "RUNNING", "DONE", "DONE")
    assert item.changed_at == 12.0 and item.acted_at == 10.0 and item.actions == 1
    with pytest.raises(Refused) as caught:
        action.apply(item, "a", 13.0)
    assert (caught.value.code, caught.value.message) == ("E.1", "a is DONE")
    forced = Tracked("FAILED", error={"code": "E.2", "msg": "no"})
    with pytest.raises(Refused) as caught:
        action.apply(forced, "b", 0.0)
    assert caught.value.code == "E.2" and forced.status(0.0) == "FAILED" and forced.actions == 0
    default = Tracked("FAILED")
    action.apply(default, "c", 0.0)
    assert default.status(0.0) == "X"


def test_manual_clock():
    clock = ManualClock(start=5.0, wall=100.0)
    clock.tick(2)
    clock.advance(3)
    clock.offset = 10
    assert (clock.now(), clock.wall()) == (10.0, 112.0)


# DRS ---------------------------------------------------------------------------------------------------------------
def test_drs_retry_allowed_refused_unknown_forced(cloud):
    jobs = ["drs-job-0001", "drs-job-0002", "drs-job-0003", "drs-job-0004", "drs-job-0005", "drs-job-0006", "nope"]
    answer = cloud.huawei("POST", RETRY, {"jobs": [{"job_id": j} for j in jobs]}, headers={"X-Language": "en-us"})
    assert answer.status_code == 200
    data = answer.json()
    assert data["count"] == 7
    assert [r["status"] for r in data["results"]] == ["success"] * 4 + ["failed"] * 3
    assert data["results"][4]["error_code"] == "DRS.10040006" and "unreachable" in data["results"][4]["error_msg"]
    assert data["results"][5]["error_code"] == "DRS.10040006" and "INCRE_TRANSFER_STARTED" in data["results"][5]["error_msg"]
    assert data["results"][6] == {"id": "nope", "status": "failed", "error_code": "DRS.10000011", "error_msg": "job not found"}
    assert cloud.log("drs.retry")[-1]["acted"] is True
    assert _drs_status(cloud, *jobs[:6]) == ["INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED",
                                             "INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_FAILED", "INCRE_TRANSFER_STARTED"]
    cloud.clock.tick(2)
    assert _drs_status(cloud, "drs-job-0002") == ["INCRE_TRANSFER_STARTED"]
    again = cloud.huawei("POST", RETRY, {"jobs": [{"job_id": "drs-job-0001"}]}).json()["results"][0]
    assert again["status"] == "failed" and again["error_code"] == "DRS.10040006"


def test_drs_nothing_acted(cloud):
    answer = cloud.huawei("POST", RETRY, {"jobs": [{"job_id": "drs-job-0006"}]})
    assert answer.json()["results"][0]["status"] == "failed"
    assert cloud.log("drs.retry")[-1]["acted"] is False


def test_drs_start_and_start_time(cloud):
    future_ms = str(int((cloud.clock.wall() + 30) * 1000))
    answer = cloud.huawei("POST", START, {"jobs": [{"job_id": "drs-job-0007"}, {"job_id": "drs-job-0008", "start_time": future_ms},
                                                   {"job_id": "drs-job-0001"}, {"job_id": "drs-job-0006", "start_time": "soon"}]})
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["success", "success", "failed", "failed"]
    assert results[2]["error_code"] == "DRS.10040006" and results[3]["error_code"] == "DRS.10000001"
    assert _drs_status(cloud, "drs-job-0007", "drs-job-0008") == ["STARTJOBING", "WAITING_FOR_START"]
    cloud.clock.tick(1)
    assert _drs_status(cloud, "drs-job-0007", "drs-job-0008") == ["FULL_TRANSFER_STARTED", "WAITING_FOR_START"]
    cloud.clock.tick(30)
    assert _drs_status(cloud, "drs-job-0007", "drs-job-0008") == ["INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED"]


def test_drs_status_paging_and_unknown(cloud):
    ids = ["drs-job-0001", "nope", "drs-job-0003"]
    page = cloud.huawei("POST", STATUS, {"jobs": ids, "page_req": {"cur_page": 2, "per_page": 2}}).json()
    assert page == {"results": [{"id": "drs-job-0003", "status": "PAUSING"}], "count": 3}
    unknown = cloud.huawei("POST", STATUS, {"jobs": ["nope"]}).json()["results"][0]
    assert unknown == {"id": "nope", "error_code": "DRS.10000011", "error_message": "job not found"}
    bad = cloud.huawei("POST", STATUS, {"jobs": ids, "page_req": {"cur_page": 1, "per_page": 101}})
    assert bad.status_code == 400 and bad.json()["error_code"] == "DRS.10000001"
    assert cloud.huawei("POST", RETRY, {"jobs": "drs-job-0001"}).status_code == 400


# Workspace ---------------------------------------------------------------------------------------------------------
def test_workspace_retry_and_show(cloud):
    before = cloud.huawei("GET", WS_SHOW % "ws-job-0001").json()
    assert before["status"] == "FAILED" and before["job_error_code"] == "WKS.00130021"
    assert set(before) == {"id", "job_type", "begin_time", "end_time", "status", "job_error_code", "fail_reason",
                           "sub_jobs_total", "sub_jobs"}
    answer = cloud.huawei("POST", WS_ACTION % "ws-job-0001", {"op_type": "retry"})
    assert answer.status_code == 200
    new_id = answer.json()["job_id"]
    assert new_id != "ws-job-0001"
    # the retry started a new job; the retried one stays as it was
    assert cloud.huawei("GET", WS_SHOW % "ws-job-0001").json() == before
    shown = cloud.huawei("GET", WS_SHOW % new_id).json()
    assert (shown["id"], shown["status"], shown["end_time"], shown["fail_reason"]) == (new_id, "RUNNING", None, None)
    assert shown["begin_time"] != before["begin_time"]
    cloud.clock.tick(2)
    done = cloud.huawei("GET", WS_SHOW % new_id).json()
    assert done["status"] == "SUCCESS" and done["end_time"] and done["job_type"] == "applyWorkspace"
    assert cloud.huawei("GET", WS_SHOW % "ws-job-0001").json()["status"] == "FAILED"
    refused = cloud.huawei("POST", WS_ACTION % new_id, {"op_type": "retry"})
    assert refused.status_code == 400 and refused.json()["error_code"] == "WKS.00130005"
    assert cloud.state("workspace", "ws-job-0001")["retried_as"] == [new_id]
    assert cloud.state("workspace", new_id)["retry_of"] == "ws-job-0001"


def test_workspace_alias_mode(cloud):
    """workspace_new_job false: the retried job runs itself and the answered id shows the same run."""
    cloud.control("POST", "config", {"workspace_new_job": False})
    new_id = cloud.huawei("POST", WS_ACTION % "ws-job-0001", {"op_type": "retry"}).json()["job_id"]
    for job_id in ("ws-job-0001", new_id):
        shown = cloud.huawei("GET", WS_SHOW % job_id).json()
        assert (shown["id"], shown["status"], shown["end_time"], shown["fail_reason"]) == (job_id, "RUNNING", None, None)
    cloud.clock.tick(2)
    assert cloud.huawei("GET", WS_SHOW % "ws-job-0001").json()["status"] == "SUCCESS"
    refused = cloud.huawei("POST", WS_ACTION % "ws-job-0001", {"op_type": "retry"})
    assert refused.status_code == 400 and refused.json()["error_code"] == "WKS.00130005"
    assert cloud.state("workspace", "ws-job-0001")["retried_as"] == [new_id]


def test_workspace_errors(cloud):
    for job_id in ("nope", "ws%20x"):
        missing = cloud.huawei("POST", WS_ACTION % job_id, {"op_type": "retry"})
        assert missing.status_code == 404 and missing.json()["error_code"] == "WKS.00130004"
    assert cloud.huawei("GET", WS_SHOW % "nope").status_code == 404
    done = cloud.huawei("POST", WS_ACTION % "ws-job-0004", {"op_type": "retry"})
    assert done.status_code == 400 and done.json()["error_code"] == "WKS.00130005"
    bad = cloud.huawei("POST", WS_ACTION % "ws-job-0002", {"op_type": "delete"})
    assert bad.status_code == 400
    new_id = cloud.huawei("POST", WS_ACTION % "ws-job-0002", {"op_type": "retry"}).json()["job_id"]
    assert cloud.huawei("GET", WS_SHOW % new_id).json()["status"] == "SUCCESS"   # default timeline


# IoTDA -------------------------------------------------------------------------------------------------------------
def test_iotda_retry_all_failed(cloud):
    answer = cloud.huawei("POST", IOT_RETRY % TASK, {})
    assert answer.status_code == 200
    assert answer.json()["targets"] == [{"target": "device-000%d" % i, "status": "success"} for i in (1, 2, 3, 4)]
    show = cloud.huawei("GET", IOT_SHOW % TASK, query=[("limit", 50)]).json()
    assert show["batchtask"]["status"] == "Processing"
    # newest record first: the scenario's last target leads
    assert [(d["target"], d["status"]) for d in show["task_details"]] == \
        [("device-0005", "Success")] + [("device-000%d" % i, "Processing") for i in (4, 3, 2, 1)]
    cloud.clock.tick(2)
    show = cloud.huawei("GET", IOT_SHOW % TASK, query=[("limit", 50)]).json()
    assert show["batchtask"]["status"] == "Success" and show["batchtask"]["task_progress"]["success"] == 5
    refused = cloud.huawei("POST", IOT_RETRY % TASK, {})
    assert refused.status_code == 400 and refused.json()["error_code"] == "IOTDA.014215"


def test_iotda_retry_targets(cloud):
    answer = cloud.huawei("POST", IOT_RETRY % TASK, {"targets": ["device-0002", "device-0005", "ghost"]}).json()["targets"]
    assert answer[0] == {"target": "device-0002", "status": "success"}
    assert answer[1]["status"] == "failure" and answer[1]["error_code"] == "IOTDA.014216"
    assert answer[2] == {"target": "ghost", "status": "failure", "error_code": "IOTDA.014219",
                         "error_msg": "Invalid input. The target is not in the task"}
    too_many = cloud.huawei("POST", IOT_RETRY % TASK, {"targets": ["d%d" % i for i in range(101)]})
    assert too_many.status_code == 400 and too_many.json()["error_code"] == "IOTDA.000007"
    missing = cloud.huawei("POST", IOT_RETRY % "0123456789abcdef01234567", {})
    assert missing.status_code == 404 and missing.json()["error_code"] == "IOTDA.014111"


def test_iotda_derived_task_status_and_paging(cloud):
    targets = [{"target": "dev-%03d" % i, "status": "Fail" if i % 2 else "Success"} for i in range(120)]
    cloud.control("POST", "reset", {"scenario": {"huawei": cloud.emulator.start_scenario["huawei"],
                                                 "iotda": [{"task_id": "aa", "status": "PartialSuccess", "targets": targets}]},
                                    "config": {"lag_s": 0}})
    assert cloud.huawei("POST", IOT_RETRY % "aa", {"targets": ["dev-001"]}).json()["targets"][0]["status"] == "success"
    assert cloud.huawei("GET", IOT_SHOW % "aa").json()["batchtask"]["status"] == "PartialSuccess"
    seen, counts, marker = [], [], None
    while True:
        query = [("limit", 50), ("task_detail_status", "Fail")] + ([("marker", marker)] if marker else [])
        data = cloud.huawei("GET", IOT_SHOW % "aa", query=query).json()
        seen += [d["target"] for d in data["task_details"]]
        counts.append(data["page"]["count"])
        if len(data["task_details"]) < 50:
            break
        marker = data["page"]["marker"]
    assert seen == ["dev-%03d" % i for i in range(119, 2, -2)]
    assert counts == [59, 9]
    assert cloud.huawei("GET", IOT_SHOW % "aa", query=[("limit", 51)]).status_code == 400
    assert cloud.huawei("POST", IOT_RETRY % "aa", {}).status_code == 200
    assert cloud.huawei("GET", IOT_SHOW % "aa").json()["batchtask"]["status"] == "Success"


# Tencent -----------------------------------------------------------------------------------------------------------
def test_tencent_retry_whole_batch_refused(cloud):
    cloud.control("POST", "config", {"tencent_rate_limit": 0})
    cases = [
        (["job-aaaa0001", "job-aaaa0006"], "UnsupportedOperation", "job-aaaa0006"),
        (["job-aaaa0001", "job-zzzz9999", "job-zzzz8888"], "ResourceNotFound.Job", "job-zzzz9999"),
        (["job-aaaa0001", "JOB-1"], "InvalidParameter.JobIdMalformed", "JOB-1"),
        (["job-aaaa%04d" % i for i in range(101)], "InvalidParameter", "100"),
    ]
    for ids, code, named in cases:
        error = cloud.tencent("RetryJobs", {"JobIds": ids})["Error"]
        assert error["Code"] == code and named in error["Message"]
    assert cloud.tencent("RetryJobs", {})["Error"]["Code"] == "MissingParameter"
    assert cloud.state("tencent_batch", "job-aaaa0001")["actions"] == 0
    assert not any(e["acted"] for e in cloud.log("tencent.RetryJobs"))


def test_tencent_retry_and_describe(cloud):
    cloud.control("POST", "config", {"tencent_rate_limit": 0})
    ids = ["job-aaaa0001", "job-aaaa0002", "job-aaaa0002"]
    answer = cloud.tencent("RetryJobs", {"JobIds": ids})
    assert list(answer) == ["RequestId"] and len(answer["RequestId"]) == 32
    assert cloud.log("tencent.RetryJobs")[-1]["acted"] is True
    listed = cloud.tencent("DescribeJobs", {"JobIds": ["job-aaaa0001", "job-aaaa0002", "job-nope0000"], "Limit": 100})
    assert listed["TotalCount"] == 2
    assert [(j["JobId"], j["JobState"]) for j in listed["JobSet"]] == [("job-aaaa0001", "SUCCEED"), ("job-aaaa0002", "RUNNING")]
    cloud.clock.tick(2)
    job = cloud.tencent("DescribeJob", {"JobId": "job-aaaa0002"})
    assert job["JobState"] == "SUCCEED" and job["EndTime"] and job["TaskSet"] == [] and job["StateReason"] == ""
    assert cloud.tencent("DescribeJob", {"JobId": "job-aaaa0003"})["StateReason"]
    assert cloud.tencent("DescribeJob", {"JobId": "job-nope0000"})["Error"]["Code"] == "ResourceNotFound.Job"
    assert cloud.tencent("DescribeJobs", {})["TotalCount"] == 6
    assert cloud.tencent("StopJob", {"JobId": "job-aaaa0003"})["Error"]["Code"] == "InvalidAction"
    assert cloud.state("tencent_batch", "job-aaaa0002")["actions"] == 1


# IAM ---------------------------------------------------------------------------------------------------------------
def _login(cloud, password="demo-password-0001", scope=None):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "ops", "password": password, "domain": {"name": "acme"}}}},
        "scope": scope or {"project": {"name": "cn-north-4"}}}}
    return cloud.session.post(cloud.url + "/v3/auth/tokens", json=body)


def test_iam_token_and_projects(cloud):
    answer = _login(cloud)
    assert answer.status_code == 201
    token = answer.headers["X-Subject-Token"]
    body = answer.json()["token"]
    assert body["project"]["id"] == PROJECT and body["expires_at"].endswith("Z")
    assert _login(cloud, scope={"project": {"id": PROJECT}}).status_code == 201
    headers = {"X-Auth-Token": token}
    projects = cloud.session.get(cloud.url + "/v3/projects", params={"name": "cn-north-4"}, headers=headers).json()["projects"]
    assert [(p["id"], p["name"], p["enabled"]) for p in projects] == [(PROJECT, "cn-north-4", True)]
    assert projects[0]["domain_id"]
    none = cloud.session.get(cloud.url + "/v3/projects", params={"name": "eu-west-0"}, headers=headers).json()
    assert none["projects"] == []
    status = cloud.session.post(cloud.url + STATUS.replace("{project_id}", PROJECT), json={"jobs": ["drs-job-0001"]},
                                headers=headers)
    assert status.status_code == 200
    signed = cloud.huawei("GET", "/v3/projects", query=[("name", "cn-north-4")])
    assert signed.status_code == 200 and signed.json()["projects"][0]["id"] == PROJECT
    assert cloud.session.get(cloud.url + "/v3/projects").status_code == 401


def test_iam_refusals_and_expiry(cloud):
    wrong = _login(cloud, password="nope")
    assert wrong.status_code == 401
    assert wrong.json() == {"error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}}
    assert _login(cloud, scope={"project": {"name": "mars-1"}}).status_code == 401
    token = _login(cloud).headers["X-Subject-Token"]
    cloud.clock.tick(24 * 3600 + 1)
    expired = cloud.session.post(cloud.url + STATUS.replace("{project_id}", PROJECT), json={"jobs": []},
                                 headers={"X-Auth-Token": token})
    assert expired.status_code == 401 and "expired" in expired.json()["error_msg"]


def test_timeline_with_real_delays(demo_scenario):
    """The default clock: a timeline step a fraction of a second ahead is reached by waiting."""
    scenario = copy.deepcopy(demo_scenario)
    scenario["drs"] = [{"id": "j", "status": "PAUSING", "timeline": [[0, "STARTJOBING"], [0.2, "INCRE_TRANSFER_STARTED"]]}]
    server = start(scenario)
    try:
        world = server.emulator.world
        with world.lock:
            DRS_RETRY.apply(world.drs["j"], "j", server.emulator.clock.now())
        assert server.emulator.state()["drs"][0]["status"] == "STARTJOBING"
        time.sleep(0.25)
        assert server.emulator.state()["drs"][0]["status"] == "INCRE_TRANSFER_STARTED"
    finally:
        server.stop()
