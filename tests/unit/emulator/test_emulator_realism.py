# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator is no kinder than the clouds: reads lag actions, Workspace retries start new jobs, IoTDA pages by
descending marker with a shrinking count, DRS status reads answer error entries, every documented DRS state loads."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

pytest.importorskip("huaweicloudsdkcore.signer.signer")
pytest.importorskip("tencentcloud.common.sign")

from emulator_testlib import (  # noqa: E402  pylint: disable=import-error
    IOT_RETRY, IOT_SHOW, RETRY, START, STATUS, TASK, WS_ACTION, WS_SHOW,
)


def _reset(cloud, config=None, **services):
    """Reset to the demo credentials with ``services`` (drs=[...], ...) as the only jobs, then ``config``."""
    scenario = dict(services, huawei=cloud.emulator.start_scenario["huawei"], tencent=cloud.emulator.start_scenario["tencent"])
    cloud.control("POST", "reset", {"scenario": scenario, "config": dict({"tencent_rate_limit": 0}, **(config or {}))})


def _drs_status(cloud, *ids):
    return [r.get("status") for r in cloud.huawei("POST", STATUS, {"jobs": list(ids)}).json()["results"]]


def _retry_drs(cloud, job_id):
    return cloud.huawei("POST", RETRY, {"jobs": [{"job_id": job_id}]}).json()["results"][0]


# the lag after acting ---------------------------------------------------------------------------------------------
def test_default_lag_drs(default_cloud):
    cloud = default_cloud
    assert cloud.control("GET", "config")["lag_s"] == 1.0
    assert _retry_drs(cloud, "drs-job-0001")["status"] == "success"
    cloud.clock.tick(0.9)
    assert _drs_status(cloud, "drs-job-0001") == ["INCRE_TRANSFER_FAILED"]
    state = cloud.state("drs", "drs-job-0001")
    assert (state["status"], state["actual_status"], state["actions"]) == ("INCRE_TRANSFER_FAILED", "INCRE_TRANSFER_STARTED", 1)
    # the service knows: a second retry is refused although reads still show the failed state
    again = _retry_drs(cloud, "drs-job-0001")
    assert again["status"] == "failed" and again["error_code"] == "DRS.10040006"
    cloud.clock.tick(0.1)
    assert _drs_status(cloud, "drs-job-0001") == ["INCRE_TRANSFER_STARTED"]


def test_lag_knob_per_job_and_timeline_from_the_action(cloud):
    _reset(cloud, {"lag_s": 5}, drs=[
        {"id": "a", "status": "INCRE_TRANSFER_FAILED", "timeline": [[0, "INCRE_TRANSFER_STARTED"], [7, "INCRE_TRANSFER_FAILED"]]},
        {"id": "b", "status": "INCRE_TRANSFER_FAILED", "lag_s": 0},
        {"id": "c", "status": "INCRE_TRANSFER_FAILED", "timeline": [[0, "INCRE_TRANSFER_STARTED"], [3, "INCRE_TRANSFER_FAILED"]]},
    ])
    for job_id in ("a", "b", "c"):
        assert _retry_drs(cloud, job_id)["status"] == "success"
    assert _drs_status(cloud, "a", "b", "c") == ["INCRE_TRANSFER_FAILED", "INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_FAILED"]
    cloud.clock.tick(4.9)
    assert _drs_status(cloud, "a", "c") == ["INCRE_TRANSFER_FAILED", "INCRE_TRANSFER_FAILED"]
    cloud.clock.tick(0.1)
    # a ran and is seen running; c failed again within the lag, so it is never seen leaving the failed state
    assert _drs_status(cloud, "a", "c") == ["INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_FAILED"]
    assert cloud.state("drs", "c")["actions"] == 1
    cloud.clock.tick(2)
    assert _drs_status(cloud, "a") == ["INCRE_TRANSFER_FAILED"]     # ran, then failed again
    assert _retry_drs(cloud, "a")["status"] == "success"            # and can be retried again


def test_timelines_one_per_action(cloud):
    _reset(cloud, drs=[{"id": "j", "status": "INCRE_TRANSFER_FAILED", "timelines": [
        [[0, "INCRE_TRANSFER_STARTED"], [2, "INCRE_TRANSFER_FAILED"]], [[0, "INCRE_TRANSFER_STARTED"]]]}], config={"lag_s": 0})
    outcomes = []
    for _attempt in range(3):
        assert _retry_drs(cloud, "j")["status"] == "success"
        cloud.clock.tick(2)
        outcomes.append(_drs_status(cloud, "j")[0])
        cloud.control("POST", "jobs", {"service": "drs", "id": "j", "status": "INCRE_TRANSFER_FAILED"})
    assert outcomes == ["INCRE_TRANSFER_FAILED", "INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED"]   # the last repeats
    both = {"drs": [{"id": "x", "status": "PAUSING", "timeline": [], "timelines": [[]]}]}
    bad = cloud.session.post(cloud.url + "/_emu/reset", json=both)
    assert bad.status_code == 400 and "timelines" in bad.json()["error"]


def test_tencent_lag_keeps_the_old_end_time(cloud):
    _reset(cloud, {"lag_s": 5}, tencent_batch=[
        {"id": "job-aaaa0001", "status": "FAILED", "end_time": "2024-05-01T00:00:00Z",
         "timeline": [[0, "RUNNING"], [8, "FAILED"]]}])

    def describe():
        job = cloud.tencent("DescribeJobs", {"JobIds": ["job-aaaa0001"]})["JobSet"][0]
        single = cloud.tencent("DescribeJob", {"JobId": "job-aaaa0001"})
        assert (single["JobState"], single["EndTime"], single["CreateTime"]) == (job["JobState"], job["EndTime"], job["CreateTime"])
        return job["JobState"], job["EndTime"]

    created = cloud.tencent("DescribeJobs", {"JobIds": ["job-aaaa0001"]})["JobSet"][0]["CreateTime"]
    assert created == "2024-01-02T03:04:05Z"
    assert describe() == ("FAILED", "2024-05-01T00:00:00Z")
    assert cloud.tencent("RetryJobs", {"JobIds": ["job-aaaa0001"]}).keys() == {"RequestId"}
    cloud.clock.tick(4.5)
    assert describe() == ("FAILED", "2024-05-01T00:00:00Z")        # the old run, as before the retry
    cloud.clock.tick(0.5)
    assert describe() == ("RUNNING", None)
    cloud.clock.tick(3)
    state, end = describe()
    assert state == "FAILED" and end > "2024-05-01T00:00:00Z"      # the new run failed: a later EndTime


def test_tencent_end_time_stays_when_the_wall_clock_is_moved_later(cloud):
    """clock_offset_s moves the wall clock from then on; a job that ended keeps the EndTime it ended at."""
    _reset(cloud, {"lag_s": 0}, tencent_batch=[
        {"id": "job-aaaa0001", "status": "FAILED", "end_time": "2024-05-01T00:00:00Z", "timeline": [[0, "RUNNING"], [2, "FAILED"]]}])

    def end_time():
        return cloud.tencent("DescribeJobs", {"JobIds": ["job-aaaa0001"]})["JobSet"][0]["EndTime"]

    cloud.tencent("RetryJobs", {"JobIds": ["job-aaaa0001"]})
    cloud.clock.tick(3)
    ended = end_time()
    assert ended > "2024-05-01T00:00:00Z"
    cloud.control("POST", "config", {"clock_offset_s": 120})
    assert end_time() == ended


def test_tencent_finished_jobs_carry_end_times(cloud):
    listed = cloud.tencent("DescribeJobs", {"Limit": 100})["JobSet"]
    assert all(j["EndTime"] and j["CreateTime"] for j in listed if j["JobState"] in ("FAILED", "SUCCEED"))
    assert set(listed[0]) == {"JobId", "JobName", "JobState", "Priority", "Placement", "CreateTime", "EndTime", "TaskMetrics", "Tags"}


def test_iotda_lag_subtasks_and_task(default_cloud):
    cloud = default_cloud
    assert cloud.huawei("POST", IOT_RETRY % TASK, {}).status_code == 200
    show = cloud.huawei("GET", IOT_SHOW % TASK, query=[("limit", 50)]).json()
    assert show["batchtask"]["status"] == "Fail"
    assert sorted(d["status"] for d in show["task_details"]) == ["Fail"] * 3 + ["FailWaitRetry", "Success"]
    cloud.clock.tick(1)
    show = cloud.huawei("GET", IOT_SHOW % TASK, query=[("limit", 50)]).json()
    assert show["batchtask"]["status"] == "Processing"
    assert sorted(d["status"] for d in show["task_details"]) == ["Processing"] * 4 + ["Success"]


def test_iotda_lag_derived_task(cloud):
    _reset(cloud, {"lag_s": 2}, iotda=[{"task_id": "ab" * 12, "status": "Fail", "targets": [
        {"target": "d1", "status": "Fail"}, {"target": "d2", "status": "Success"}]}])
    assert cloud.huawei("POST", IOT_RETRY % ("ab" * 12), {}).status_code == 200
    assert cloud.huawei("GET", IOT_SHOW % ("ab" * 12)).json()["batchtask"]["status"] == "Fail"
    cloud.clock.tick(2)
    assert cloud.huawei("GET", IOT_SHOW % ("ab" * 12)).json()["batchtask"]["status"] == "Success"


# Workspace: a retry starts a new job --------------------------------------------------------------------------------
def test_workspace_retry_starts_a_new_job(default_cloud):
    cloud = default_cloud
    before = cloud.huawei("GET", WS_SHOW % "ws-job-0001").json()
    new_id = cloud.huawei("POST", WS_ACTION % "ws-job-0001", {"op_type": "retry"}).json()["job_id"]
    assert new_id != "ws-job-0001"
    statuses = []
    for step in (0, 1, 1, 1):
        cloud.clock.tick(step)
        statuses.append(cloud.huawei("GET", WS_SHOW % new_id).json()["status"])
        assert cloud.huawei("GET", WS_SHOW % "ws-job-0001").json() == before      # the old job stays FAILED
    assert statuses == ["INIT", "RUNNING", "SUCCESS", "SUCCESS"]
    done = cloud.huawei("GET", WS_SHOW % new_id).json()
    assert done["id"] == new_id and done["end_time"] >= done["begin_time"] and done["fail_reason"] is None
    assert cloud.state("workspace", new_id)["retry_of"] == "ws-job-0001"


def test_workspace_new_job_fails_then_its_retry_succeeds(cloud):
    _reset(cloud, {"lag_s": 0}, workspace=[{"id": "w", "status": "FAILED", "fail_reason": "no capacity", "timelines": [
        [[0, "RUNNING"], [3, "FAILED"]], [[0, "RUNNING"], [1, "SUCCESS"]]]}])
    first = cloud.huawei("POST", WS_ACTION % "w", {"op_type": "retry"}).json()["job_id"]
    cloud.clock.tick(3)
    failed = cloud.huawei("GET", WS_SHOW % first).json()
    assert (failed["status"], failed["fail_reason"]) == ("FAILED", "no capacity")
    second = cloud.huawei("POST", WS_ACTION % first, {"op_type": "retry"}).json()["job_id"]
    assert second not in (first, "w")
    cloud.clock.tick(1)
    assert cloud.huawei("GET", WS_SHOW % second).json()["status"] == "SUCCESS"
    assert [cloud.state("workspace", i)["status"] for i in ("w", first, second)] == ["FAILED", "FAILED", "SUCCESS"]
    assert cloud.state("workspace", first)["retried_as"] == [second]


# IoTDA: a task of 1,200 subtasks, paged by a descending marker -------------------------------------------------------
BIG_TASK = "0123456789abcdef01234567"


def _big_task(cloud):
    _reset(cloud, {"lag_s": 0}, iotda=[{"task_id": BIG_TASK, "status": "PartialSuccess", "task_type": "firmwareUpgrade", "targets": [
        {"count": 100, "prefix": "ok-", "status": "Success"},
        {"count": 1100, "prefix": "dev-", "status": "Fail", "subtask_error": {"error_code": "IOTDA.014xxx", "error_msg": "timeout"}},
    ]}])


def test_iotda_1200_subtasks_marker_paging(cloud):
    _big_task(cloud)
    seen, counts, marker, markers = [], [], None, []
    while True:
        query = [("limit", 50), ("task_detail_status", "Fail")] + ([("marker", marker)] if marker else [])
        data = cloud.huawei("GET", IOT_SHOW % BIG_TASK, query=query).json()
        seen += [d["target"] for d in data["task_details"]]
        counts.append(data["page"]["count"])
        if len(data["task_details"]) < 50:
            break
        marker = data["page"]["marker"]
        markers.append(marker)
    assert len(seen) == 1100 and len(set(seen)) == 1100 and seen[0] == "dev-1100" and seen[-1] == "dev-0001"
    assert counts[:3] == [1100, 1050, 1000] and counts[-1] == 0 and len(counts) == 23   # 22 full pages, then an empty one
    assert markers == sorted(markers, reverse=True)
    assert data["page"]["marker"] is None and data["task_details"] == []
    detail = cloud.huawei("GET", IOT_SHOW % BIG_TASK, query=[("limit", 1), ("task_detail_status", "Fail")]).json()["task_details"][0]
    assert detail["error"] == {"error_code": "IOTDA.014xxx", "error_msg": "timeout"}
    task = cloud.huawei("GET", IOT_SHOW % BIG_TASK).json()["batchtask"]
    assert task["task_progress"]["total"] == 1200 and task["task_progress"]["fail"] == 1100


def test_iotda_offset_from_the_marker(cloud):
    _big_task(cloud)
    first = cloud.huawei("GET", IOT_SHOW % BIG_TASK, query=[("limit", 50)]).json()
    skipped = cloud.huawei("GET", IOT_SHOW % BIG_TASK, query=[("limit", 50), ("offset", 500), ("marker", first["page"]["marker"])]).json()
    # newest first: 50 seen, 500 skipped after the marker -> records 551..600 counted from the newest
    assert skipped["task_details"][0]["target"] == "dev-%04d" % (1100 - 550)
    assert skipped["page"]["count"] == 1150
    one = cloud.huawei("GET", IOT_SHOW % BIG_TASK, query=[("target", "ok-007")]).json()
    assert [d["target"] for d in one["task_details"]] == ["ok-007"] and one["page"]["count"] == 1


@pytest.mark.parametrize("query", [[("limit", 0)], [("limit", 51)], [("offset", -1)], [("offset", 501)], [("limit", "x")],
                                   [("marker", "zz")], [("marker", "f" * 23)], [("task_detail_status", "Failed")],
                                   [("target", "bad target")]])
def test_iotda_show_bounds(cloud, query):
    answer = cloud.huawei("GET", IOT_SHOW % TASK, query=query)
    assert answer.status_code == 400
    body = answer.json()
    assert body["error_code"] == "IOTDA.000007" and body["error_msg"] and body["request_id"]
    assert not any(e["acted"] for e in cloud.log())


# DRS: status error entries and the states the tables missed ---------------------------------------------------------
def test_drs_status_error_entry(cloud):
    unreadable = {"code": "DRS.10030003", "message": "The job's status cannot be read now."}
    _reset(cloud, {"lag_s": 0}, drs=[{"id": "ok", "status": "INCRE_TRANSFER_STARTED"},
                                     {"id": "bad", "status": "INCRE_TRANSFER_FAILED", "status_error": unreadable}])
    results = cloud.huawei("POST", STATUS, {"jobs": ["ok", "bad", "ghost"]}).json()["results"]
    assert results == [{"id": "ok", "status": "INCRE_TRANSFER_STARTED"},
                       {"id": "bad", "error_code": "DRS.10030003", "error_message": "The job's status cannot be read now."},
                       {"id": "ghost", "error_code": "DRS.10000011", "error_message": "job not found"}]
    # the job itself is there: it can be listed and acted on
    assert _retry_drs(cloud, "bad")["status"] == "success"
    cloud.control("POST", "jobs", {"service": "drs", "id": "bad", "status_error": None})
    cloud.control("POST", "jobs", {"service": "drs", "id": "ok", "status_error": {"code": "DRS.10030004", "msg": "busy"}})
    assert cloud.huawei("POST", STATUS, {"jobs": ["ok", "bad"]}).json()["results"] == [
        {"id": "ok", "error_code": "DRS.10030004", "error_message": "busy"}, {"id": "bad", "status": "INCRE_TRANSFER_STARTED"}]
    bad = cloud.session.post(cloud.url + "/_emu/reset", json={"drs": [{"id": "x", "status": "CREATING", "status_error": "oops"}]})
    assert bad.status_code == 400 and "status_error" in bad.json()["error"]


NEW_STATES = ["CREATING", "RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_COMPLETE", "RELEASE_CHILD_TRANSFER_STARTED",
              "RELEASE_CHILD_TRANSFER_COMPLETE"]


def test_drs_states_the_tables_missed(cloud):
    _reset(cloud, drs=[{"id": state.lower(), "status": state} for state in NEW_STATES])
    ids = [state.lower() for state in NEW_STATES]
    assert _drs_status(cloud, *ids) == NEW_STATES
    for job_id in ids:
        assert _retry_drs(cloud, job_id)["error_code"] == "DRS.10040006"
        assert cloud.huawei("POST", START, {"jobs": [{"job_id": job_id}]}).json()["results"][0]["error_code"] == "DRS.10040006"
    for state in NEW_STATES:
        listed = cloud.huawei("POST", "/v3/{project_id}/jobs", {"status": state}).json()
        assert [(j["id"], j["status"]) for j in listed["jobs"]] == [(state.lower(), state)]
