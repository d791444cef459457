# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The list APIs (DRS job list, IoTDA task list, Tencent DescribeJobs filters), called through the official SDKs
(test-only oracles: their requests, their response models), scenario generators and ``POST /_emu/jobs``."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

pytest.importorskip("huaweicloudsdkdrs.v3")
pytest.importorskip("huaweicloudsdkiotda.v5")
pytest.importorskip("tencentcloud.batch.v20170312")

from emulator_testlib import AK, PROJECT, SECRET_ID, SECRET_KEY, SK  # noqa: E402  pylint: disable=import-error

from cloudemu.scenario import ScenarioError, World  # noqa: E402

DRS_LIST = "/v3/{project_id}/jobs"
IOT_LIST = "/v5/iot/{project_id}/batchtasks"
STATUS = "/v3/{project_id}/jobs/batch-status"
FAILED_DRS = ("INCRE_TRANSFER_FAILED", "FULL_TRANSFER_FAILED", "PAUSING", "INCRE_TRANSFER_STARTED", "CONFIGURATION")


def _reset(cloud, **services):
    scenario = dict(services, huawei=cloud.emulator.start_scenario["huawei"], tencent=cloud.emulator.start_scenario["tencent"])
    cloud.control("POST", "reset", {"scenario": scenario, "config": {"lag_s": 0, "tencent_rate_limit": 0}})


def _huawei_client(cloud, client_class):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.http.http_config import HttpConfig

    config = HttpConfig.get_default_config()
    config.retry_times = 0
    return client_class.new_builder().with_http_config(config).with_credentials(BasicCredentials(AK, SK, PROJECT)) \
        .with_endpoints([cloud.url]).build()


def _drs(cloud):
    from huaweicloudsdkdrs.v3 import DrsClient
    return _huawei_client(cloud, DrsClient)


def _iotda(cloud):
    from huaweicloudsdkiotda.v5 import IoTDAClient
    return _huawei_client(cloud, IoTDAClient)


def _batch(cloud, method="POST"):
    from tencentcloud.batch.v20170312 import batch_client
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=cloud.host, reqMethod=method))
    return batch_client.BatchClient(credential.Credential(SECRET_ID, SECRET_KEY), "ap-guangzhou", profile)


def _keys_of(model_module, model_name):
    """The JSON keys of an SDK model (its attribute_map)."""
    return set(getattr(model_module, model_name).attribute_map.values())


# DRS POST /v3/{project_id}/jobs -----------------------------------------------------------------------------------
def _drs_jobs(count=250):
    cycle = {"status": list(FAILED_DRS), "engine_type": ["mysql", "postgresql"]}
    return [{"count": count, "prefix": "drs-", "name": "etl-{n}", "cycle": cycle, "tags": {"team": "data"}}]


def test_drs_list_pages_through_the_sdk(cloud):
    from huaweicloudsdkdrs.v3 import QueryJobsReq, ShowJobListRequest
    from huaweicloudsdkdrs.v3 import model as drs_model

    _reset(cloud, drs=_drs_jobs())
    client = _drs(cloud)
    seen = []
    for page in (1, 2, 3):
        answer = client.show_job_list(ShowJobListRequest(body=QueryJobsReq(cur_page=page, per_page=100, status="INCRE_TRANSFER_FAILED")))
        assert answer.total_record == 50
        seen += [(job.id, job.name, job.status) for job in answer.jobs]
    assert seen == [("drs-%03d" % n, "etl-%03d" % n, "INCRE_TRANSFER_FAILED") for n in range(1, 251, 5)]
    raw = cloud.huawei("POST", DRS_LIST, {"cur_page": 1, "per_page": 2}).json()
    assert set(raw) == _keys_of(drs_model.show_job_list_response, "ShowJobListResponse")
    assert set(raw["jobs"][0]) == _keys_of(drs_model.job_info, "JobInfo")
    assert raw["total_record"] == 250 and len(raw["jobs"]) == 2 and raw["jobs"][0]["create_time"].isdigit()
    assert cloud.log("drs.list")[-1]["body"] == {"cur_page": 1, "per_page": 2}
    assert cloud.log("drs.list")[0]["body"] == {"cur_page": 1, "per_page": 100, "status": "INCRE_TRANSFER_FAILED"}


def test_drs_list_filters_and_defaults(cloud):
    _reset(cloud, drs=_drs_jobs(20) + [{"id": "other", "status": "PAUSING", "name": "billing", "db_use_type": "sync",
                                       "net_type": "vpc", "enterprise_project_id": "ep-1", "instance_ids": ["i-1"]}])

    def ids(query):
        answer = cloud.huawei("POST", DRS_LIST, query)
        assert answer.status_code == 200, answer.text
        return [j["id"] for j in answer.json()["jobs"]]

    assert ids({"per_page": 0}) == ["drs-%02d" % n for n in range(1, 21)] + ["other"]    # 0: every job
    assert ids({"cur_page": 0, "per_page": 5}) == ids({"per_page": 0})
    assert len(ids({})) == 10                                                           # per_page default 10
    assert ids({"per_page": 100, "status": "PAUSING"}) == ["drs-03", "drs-08", "drs-13", "drs-18", "other"]
    assert ids({"per_page": 100, "name": "billing"}) == ["other"]
    assert ids({"per_page": 100, "name": "etl-1"}) == ["drs-%02d" % n for n in range(10, 20)]    # a name containing it
    assert ids({"per_page": 100, "name": "drs-02,other"}) == ["drs-02", "other"]                  # or the IDs
    assert ids({"per_page": 100, "engine_type": "postgresql", "status": "INCRE_TRANSFER_FAILED"}) == ["drs-06", "drs-16"]
    assert ids({"per_page": 100, "db_use_type": "sync"}) == ids({"per_page": 100, "net_type": "vpc"}) == ["other"]
    assert ids({"per_page": 100, "enterprise_project_id": "ep-1"}) == ids({"per_page": 100, "instance_ids": ["i-1", "i-2"]})
    assert len(ids({"per_page": 100, "tags": {"team": "data"}})) == 20
    assert ids({"per_page": 100, "tags": {"team": "ops"}}) == []
    shown = cloud.huawei("POST", DRS_LIST, {"name": "other"}).json()["jobs"][0]
    assert (shown["db_use_type"], shown["net_type"], shown["engine_type"], shown["status"]) == ("sync", "vpc", "mysql", "PAUSING")


@pytest.mark.parametrize("query", [{"per_page": 101}, {"per_page": -1}, {"cur_page": -1}, {"cur_page": 2, "per_page": 0},
                                   {"per_page": "10"}, {"status": "FAILED"}, {"status": ["PAUSING"]}, {"db_use_type": "x"},
                                   {"net_type": "lan"}, {"enterprise_project_id": ""}, {"tags": ["a"]},
                                   {"instance_ids": ["i-%d" % n for n in range(11)]}, {"name": ",".join(["j"] * 101)},
                                   {"page_req": {"per_page": 1}}])
def test_drs_list_refuses_out_of_range(cloud, query):
    answer = cloud.huawei("POST", DRS_LIST, query)
    assert answer.status_code == 400 and answer.json()["error_code"] == "DRS.10000001"


def test_drs_list_refusal_through_the_sdk(cloud):
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkdrs.v3 import QueryJobsReq, ShowJobListRequest

    with pytest.raises(ClientRequestException) as caught:
        _drs(cloud).show_job_list(ShowJobListRequest(body=QueryJobsReq(cur_page=1, per_page=101)))
    assert caught.value.status_code == 400 and caught.value.error_code == "DRS.10000001" and "per_page" in caught.value.error_msg


# IoTDA GET /v5/iot/{project_id}/batchtasks ------------------------------------------------------------------------
def _tasks():
    return [{"count": 120, "prefix": "64a1", "task_type": "firmwareUpgrade", "cycle": {"status": ["Fail", "Success", "PartialSuccess"]},
             "task_name": "fw-{n}", "targets": [{"target": "d-1", "status": "Fail"}]},
            {"count": 3, "prefix": "77b2", "task_type": "softwareUpgrade", "status": "Fail", "app_id": "app-1"}]


def test_iotda_list_pages_by_descending_marker(cloud):
    from huaweicloudsdkiotda.v5 import ListBatchTasksRequest
    from huaweicloudsdkiotda.v5 import model as iot_model

    _reset(cloud, iotda=_tasks())
    client = _iotda(cloud)
    seen, counts, marker = [], [], None
    while True:
        answer = client.list_batch_tasks(ListBatchTasksRequest(task_type="firmwareUpgrade", status="Fail", limit=15, marker=marker))
        seen += [task.task_id for task in answer.batchtasks]
        counts.append(answer.page.count)
        if len(answer.batchtasks) < 15:
            break
        marker = answer.page.marker
    expected = ["64a1" + str(n).zfill(20) for n in range(120, 0, -1) if n % 3 == 1]
    assert seen == expected and counts == [40, 25, 10]
    raw = cloud.huawei("GET", IOT_LIST, query=[("task_type", "firmwareUpgrade"), ("limit", 1)]).json()
    assert set(raw) == _keys_of(iot_model.list_batch_tasks_response, "ListBatchTasksResponse")
    assert set(raw["batchtasks"][0]) <= _keys_of(iot_model.task, "Task")
    assert raw["batchtasks"][0]["task_name"] == "fw-" + "120".zfill(20) and raw["page"]["count"] == 120
    assert raw["batchtasks"][0]["task_progress"]["fail"] == 1 and raw["batchtasks"][0]["create_time"] == "20240102T030405Z"
    assert cloud.log("iotda.list")[0]["query"]["task_type"] == ["firmwareUpgrade"]


def test_iotda_list_filters(cloud):
    _reset(cloud, iotda=_tasks())

    def ids(*query):
        answer = cloud.huawei("GET", IOT_LIST, query=list(query))
        assert answer.status_code == 200, answer.text
        return [t["task_id"] for t in answer.json()["batchtasks"]]

    assert ids(("task_type", "softwareUpgrade")) == ["77b2" + str(n).zfill(20) for n in (3, 2, 1)]
    assert ids(("task_type", "softwareUpgrade"), ("app_id", "app-1"), ("status", "Fail")) == ids(("task_type", "softwareUpgrade"))
    assert ids(("task_type", "softwareUpgrade"), ("app_id", "app-2")) == []
    assert ids(("task_type", "deleteDevices")) == []
    assert len(ids(("task_type", "firmwareUpgrade"), ("limit", 50), ("offset", 100))) == 20


@pytest.mark.parametrize("query", [[], [("task_type", "upgrade")], [("task_type", "firmwareUpgrade"), ("status", "Failed")],
                                   [("task_type", "firmwareUpgrade"), ("limit", 51)], [("task_type", "firmwareUpgrade"), ("offset", 501)],
                                   [("task_type", "firmwareUpgrade"), ("marker", "nope")],
                                   [("task_type", "firmwareUpgrade"), ("app_id", "a" * 37)]])
def test_iotda_list_refuses_out_of_range(cloud, query):
    answer = cloud.huawei("GET", IOT_LIST, query=query)
    assert answer.status_code == 400 and answer.json()["error_code"] == "IOTDA.000007"


# Tencent DescribeJobs Filters -------------------------------------------------------------------------------------
def _tencent_jobs():
    return [{"count": 30, "prefix": "job-f", "name": "etl-{n}", "cycle": {"status": ["FAILED", "SUCCEED", "RUNNING"],
                                                                          "zone": ["ap-guangzhou-3", "ap-shanghai-2"]},
             "tags": {"team": "data"}},
            {"id": "job-other001", "status": "FAILED", "name": "billing", "tags": {"team": "ops", "env": "prod"}}]


def _describe(cloud, payload, method="POST"):
    from tencentcloud.batch.v20170312 import models

    request = models.DescribeJobsRequest()
    request.from_json_string(json.dumps(payload))
    return _batch(cloud, method).DescribeJobs(request)


def test_tencent_filters_through_the_sdk(cloud):
    _reset(cloud, tencent_batch=_tencent_jobs())

    def ids(filters, **extra):
        answer = _describe(cloud, dict({"Filters": [{"Name": k, "Values": v} for k, v in filters], "Limit": 100}, **extra))
        return answer.TotalCount, [job.JobId for job in answer.JobSet]

    failed = ["job-f%07d" % n for n in range(1, 31, 3)] + ["job-other001"]
    assert ids([("job-state", ["FAILED"])]) == (11, failed)
    assert ids([("job-state", ["FAILED"])], Offset=5, Limit=3) == (11, failed[5:8])
    assert ids([("job-state", ["FAILED", "RUNNING"]), ("zone", ["ap-shanghai-2"])])[0] == 10
    assert ids([("job-name", ["billing", "etl-0000002"])]) == (2, ["job-f0000002", "job-other001"])
    assert ids([("job-name", ["etl-"])]) == (0, [])
    assert ids([("job-id", ["job-f0000004"])]) == (1, ["job-f0000004"])
    assert ids([("tag-key", ["env"])]) == ids([("tag-value", ["prod"])]) == ids([("tag:team", ["ops"])]) == (1, ["job-other001"])
    assert ids([("tag:team", ["data"]), ("job-state", ["SUCCEED"])])[0] == 10
    answer = _describe(cloud, {"Filters": [{"Name": "job-id", "Values": ["job-other001"]}]})
    job = answer.JobSet[0]
    assert (job.JobName, job.JobState, job.Placement.Zone, job.CreateTime) == ("billing", "FAILED", "ap-guangzhou-3", "2024-01-02T03:04:05Z")
    assert sorted((t.Key, t.Value) for t in job.Tags) == [("env", "prod"), ("team", "ops")] and job.EndTime
    listed = _describe(cloud, {})
    assert listed.TotalCount == 31 and len(listed.JobSet) == 20      # Limit default 20


@pytest.mark.parametrize("payload, code", [
    ({"JobIds": ["job-f0000001"], "Filters": [{"Name": "job-state", "Values": ["FAILED"]}]},
     "InvalidParameter.InvalidParameterCombination"),
    ({"Filters": [{"Name": "job-owner", "Values": ["me"]}]}, "InvalidFilter"),
    ({"Filters": [{"Name": "job-state", "Values": ["DONE"]}]}, "InvalidParameterValue"),
    ({"Filters": [{"Name": "job-state", "Values": []}]}, "InvalidParameter"),
    ({"Filters": [{"Name": "job-state"}]}, "InvalidParameter"),
    ({"Filters": {"Name": "job-state", "Values": ["FAILED"]}}, "InvalidParameter"),
    ({"Limit": 101}, "InvalidParameterValue"),
    ({"Limit": 0}, "InvalidParameterValue"),
    ({"Offset": -1}, "InvalidParameterValue"),
])
def test_tencent_describe_jobs_refusals(cloud, payload, code):
    cloud.control("POST", "config", {"tencent_rate_limit": 0})
    error = cloud.tencent("DescribeJobs", payload)["Error"]
    assert error["Code"] == code and error["Message"]


def test_tencent_filters_in_the_get_form(cloud):
    _reset(cloud, tencent_batch=_tencent_jobs())
    payload = {"Filters": [{"Name": "job-state", "Values": ["FAILED", "RUNNING"]}, {"Name": "tag:team", "Values": ["data"]}],
               "Offset": 2, "Limit": 3}
    answer = _describe(cloud, payload, method="GET")
    assert answer.TotalCount == 20 and [j.JobId for j in answer.JobSet] == ["job-f0000004", "job-f0000006", "job-f0000007"]
    entry = cloud.log("tencent.DescribeJobs")[-1]
    assert entry["method"] == "GET" and entry["query"]["Filters.1.Name"] == ["tag:team"]


def test_tencent_combination_message_and_sdk_error(cloud):
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

    with pytest.raises(TencentCloudSDKException) as caught:
        _describe(cloud, {"JobIds": ["job-aaaa0001"], "Filters": [{"Name": "job-state", "Values": ["FAILED"]}]})
    assert caught.value.get_code() == "InvalidParameter.InvalidParameterCombination"
    assert "JobIds" in caught.value.get_message() and "Filters" in caught.value.get_message()


def test_tencent_rate_limit_applies_to_describe_jobs(cloud):
    codes = [cloud.tencent("DescribeJobs", {"Filters": [{"Name": "job-state", "Values": ["FAILED"]}]}).get("Error", {}).get("Code")
             for _n in range(3)]
    assert codes == [None, None, "RequestLimitExceeded"]
    cloud.clock.tick(1)
    assert "Error" not in cloud.tencent("DescribeJobs", {"Limit": 1})


# generators ---------------------------------------------------------------------------------------------------------
def test_generators_build_large_scenarios():
    world = World({
        "drs": [{"count": 10000, "prefix": "drs-f-", "cycle": {"status": ["INCRE_TRANSFER_FAILED", "PAUSING", "INCRE_TRANSFER_STARTED"]}}],
        "tencent_batch": [{"count": 9999, "prefix": "job-f", "status": "FAILED"}, {"count": 1, "prefix": "job-r", "status": "RUNNING"}],
        "workspace": [{"count": 3, "prefix": "ws-", "start": 0, "width": 4, "status": "FAILED", "fail_reason": "job {n} failed"}],
    })
    assert len(world.drs) == 10000 and list(world.drs)[:2] == ["drs-f-00001", "drs-f-00002"]
    assert sum(1 for j in world.drs.values() if j.status(0) == "PAUSING") == 3333
    assert len(world.tencent_batch) == 10000 and all(len(i) == 12 for i in world.tencent_batch)
    assert "job-r0000001" in world.tencent_batch
    assert [(j.id, j.info["fail_reason"]) for j in world.workspace.values()] == [
        ("ws-0000", "job 0000 failed"), ("ws-0001", "job 0001 failed"), ("ws-0002", "job 0002 failed")]


@pytest.mark.parametrize("entry, problem", [
    ({"count": 100001, "prefix": "j", "status": "FAILED"}, "count"),
    ({"count": 100, "prefix": "j", "width": 1, "status": "FAILED"}, "width"),
    ({"count": 2, "prefix": "j"}, "status"),
    ({"count": 2, "prefix": "j", "status": "FAILED", "cycle": {"zone": []}}, "cycle"),
    ({"count": 2, "prefix": 7, "status": "FAILED"}, "prefix"),
])
def test_generator_errors(entry, problem):
    with pytest.raises(ScenarioError) as caught:
        World({"drs": [entry]})
    assert problem in str(caught.value)
    with pytest.raises(ScenarioError) as caught:
        World({"drs": [{"count": 2, "prefix": "j", "status": "FAILED"}, {"id": "j2", "status": "FAILED"}]})
    assert "duplicate" in str(caught.value)


# POST /_emu/jobs --------------------------------------------------------------------------------------------------
def test_emu_jobs_sets_a_status_now(default_cloud):
    cloud = default_cloud
    answer = cloud.control("POST", "jobs", {"service": "drs", "id": "drs-job-0006", "status": "INCRE_TRANSFER_FAILED"})
    assert answer == {"jobs": [{"service": "drs", "id": "drs-job-0006", "added": False, "status": "INCRE_TRANSFER_FAILED"}]}
    status = cloud.huawei("POST", STATUS, {"jobs": ["drs-job-0006"]}).json()["results"]
    assert status == [{"id": "drs-job-0006", "status": "INCRE_TRANSFER_FAILED"}]       # at once: no lag
    before = cloud.tencent("DescribeJob", {"JobId": "job-aaaa0006"})["EndTime"]
    cloud.clock.tick(5)
    cloud.control("POST", "jobs", {"jobs": [{"service": "tencent_batch", "id": "job-aaaa0006", "status": "FAILED"},
                                            {"service": "iotda", "task_id": "64a1b2c3d4e5f60718293a4b", "target": "device-0005",
                                             "status": "Fail"},
                                            {"service": "iotda", "id": "64a1b2c3d4e5f60718293a4b", "target": "device-0099",
                                             "status": "Fail"}]})
    after = cloud.tencent("DescribeJob", {"JobId": "job-aaaa0006"})
    assert after["JobState"] == "FAILED" and after["EndTime"] > before
    show = cloud.huawei("GET", "/v5/iot/{project_id}/batchtasks/64a1b2c3d4e5f60718293a4b", query=[("limit", 2)]).json()
    assert [(d["target"], d["status"]) for d in show["task_details"]] == [("device-0099", "Fail"), ("device-0005", "Fail")]
    added = cloud.control("POST", "jobs", {"service": "drs", "id": "drs-new", "status": "INCRE_TRANSFER_FAILED", "name": "late"})
    assert added["jobs"][0]["added"] is True
    assert cloud.huawei("POST", DRS_LIST, {"name": "late"}).json()["jobs"][0]["id"] == "drs-new"


@pytest.mark.parametrize("body", [{"service": "rds", "id": "x", "status": "FAILED"}, {"service": "drs", "status": "FAILED"},
                                  {"service": "drs", "id": "drs-job-0001", "status": ""},
                                  {"service": "drs", "id": "drs-job-0001", "timeline": [[0, "X"]]},
                                  {"service": "drs", "id": "drs-new"}, {"jobs": []},
                                  {"service": "iotda", "id": "ffffffffffffffffffffffff", "target": "t", "status": "Fail"}])
def test_emu_jobs_refusals(cloud, body):
    answer = cloud.session.post(cloud.url + "/_emu/jobs", json=body)
    assert answer.status_code == 400 and answer.json()["error"]


def test_new_ops_are_known_to_faults_and_state_filter(cloud):
    cloud.control("POST", "faults", {"faults": [{"op": "drs.list", "fault": "status", "status": 503}, {"op": "iotda.list", "fault": "html"}]})
    assert cloud.huawei("POST", DRS_LIST, {}).status_code == 503
    assert cloud.huawei("GET", IOT_LIST, query=[("task_type", "firmwareUpgrade")]).status_code == 502
    assert [e["op"] for e in cloud.log()] == ["drs.list", "iotda.list"]
    state = cloud.control("GET", "state?service=drs")
    assert list(state) == ["drs"] and len(state["drs"]) == 8
    assert cloud.session.get(cloud.url + "/_emu/state?service=rds").status_code == 400
