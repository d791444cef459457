# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The list APIs (each service's list_* and check_filters, on _discovery's shared rules): their requests against the
official SDKs, their paging, their filter checks.

1. Each list request, sent by the real HuaweiClient/TencentClient over a recording transport, equals what the official
   SDK sends for the same query (method, path, query or body, the headers the query sets). The SDKs are test-only
   oracles: their request is captured where it would go on the wire.
2. Paging against fake services that page as the clouds do: DRS by cur_page with total_record, IoTDA by marker with a
   count that shrinks, Tencent by Offset with TotalCount; every record once, in the fewest requests, within the bounds.
3. Filter checks (check_filters, which the callers run before any request; the list_* functions take what it
   returns): an unknown key or a bad value is refused, naming the key and the accepted ones.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import warnings
from urllib.parse import parse_qsl, urlsplit

import pytest

from requests.structures import CaseInsensitiveDict

from ansible_collections.cloudops.jobs.plugins.module_utils import _discovery, _drs, _iotda, _tencent_batch
from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import HuaweiClient
from ansible_collections.cloudops.jobs.plugins.module_utils._tencent import TencentClient
from ansible_collections.cloudops.jobs.plugins.module_utils._transport import HttpResponse

SERVICES = {"drs": _drs, "iotda": _iotda, "tencent_batch": _tencent_batch}
FILTER_KEYS = dict((name, lib.FILTER_KEYS) for name, lib in SERVICES.items())


def _checked(lib, list_fn):
    """``list_fn`` called as its callers call it: with the filters ``check_filters`` returned."""
    return lambda client, filters, *args, **kwargs: list_fn(client, lib.check_filters(filters), *args, **kwargs)


list_drs_jobs, list_iotda_tasks, list_tencent_jobs = (
    _checked(_drs, _drs.list_jobs), _checked(_iotda, _iotda.list_tasks), _checked(_tencent_batch, _tencent_batch.list_jobs))


def check_filters(service, filters, option="filters"):
    return SERVICES[service].check_filters(filters, option)


AK = "HPUAEXAMPLEAK0000001"
SK = "ExampleSecretKey0000000000000000000000001"
PROJECT = "0123456789abcdef0123456789abcdef"
SECRET_ID = "AKIDEXAMPLE0000000000000000000000001"
SECRET_KEY = "ExampleSecretKey000000000000000001"


class _Sdk:
    """The official SDKs, imported when an oracle test first needs them (the paging and filter tests need none)."""

    MODULES = {
        "credentials_mod": "huaweicloudsdkcore.auth.credentials",
        "drs_v3": "huaweicloudsdkdrs.v3",
        "iotda_v5": "huaweicloudsdkiotda.v5",
        "tc_credential": "tencentcloud.common.credential",
        "batch_client_mod": "tencentcloud.batch.v20170312.batch_client",
        "batch_models": "tencentcloud.batch.v20170312.models",
    }

    def __getattr__(self, name):
        module = pytest.importorskip(self.MODULES[name])
        setattr(self, name, module)
        return module


sdk = _Sdk()


# -- our side: the real clients over a transport that records what would go on the wire ------------------------------
class RecordingTransport:
    """Calls ``prepare()`` as the real transport does, records (method, url, headers, body), answers ``answer(sent)``."""

    def __init__(self, answer):
        self.answer = answer
        self.sent = []

    @staticmethod
    def base_headers():
        return {"User-Agent": "cloudops.jobs/test"}

    def send(self, prepare, idempotent=False, classify=None, before_send=None, text=False):
        assert idempotent, "list reads are sent as idempotent (re-sent on throttling)"
        if before_send is not None:
            before_send()
        method, url, headers, body = prepare()
        sent = {"method": method, "url": url, "headers": CaseInsensitiveDict(headers),
                "body": json.loads(body.decode("utf-8")) if body else None}
        self.sent.append(sent)
        data = self.answer(sent)
        return HttpResponse(200, CaseInsensitiveDict({"X-Request-Id": "rid-%d" % len(self.sent)}), json.dumps(data).encode("utf-8"))


def huawei_client(answer, service):
    transport = RecordingTransport(answer)
    params = dict(region="cn-north-4", project_id=PROJECT, access_key=AK, secret_key=SK,
                  endpoint="https://%s.cn-north-4.myhuaweicloud.com" % service)
    return HuaweiClient(params, transport), transport


def tencent_client(answer):
    transport = RecordingTransport(answer)
    params = dict(secret_id=SECRET_ID, secret_key=SECRET_KEY, region="ap-guangzhou", endpoint="https://batch.tencentcloudapi.com",
                  rate_limit=1000.0)
    return TencentClient(params, transport), transport


def ours(sent):
    parts = urlsplit(sent["url"])
    return {"method": sent["method"], "path": parts.path, "query": sorted(parse_qsl(parts.query, keep_blank_values=True)),
            "body": sent["body"]}


# -- the SDKs' side: the request each SDK builds, captured where it would be sent --------------------------------------
class _Captured(Exception):
    pass


def sdk_huawei(client_class, endpoint, method_name, request):
    """The SdkRequest the Huawei SDK would send for ``request`` (signed, as it leaves the SDK)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # the DRS v3 calls are marked deprecated
        client = (client_class.new_builder().with_credentials(sdk.credentials_mod.BasicCredentials(AK, SK, PROJECT))
                  .with_endpoints([endpoint]).build())
        captured = []

        def capture(sdk_request):
            captured.append(sdk_request)
            raise _Captured()

        client._do_http_request_sync = capture
        with pytest.raises(_Captured):
            getattr(client, method_name)(request)
    req = captured[0]
    body = req.body
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    return {"method": req.method, "path": req.resource_path,
            "query": sorted((k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in req.query_params),
            "body": json.loads(body) if body else None}, CaseInsensitiveDict(req.header_params)


def sdk_tencent(request):
    """(action, JSON body) the Tencent SDK would POST for a DescribeJobsRequest."""
    client = sdk.batch_client_mod.BatchClient(sdk.tc_credential.Credential(SECRET_ID, SECRET_KEY), "ap-guangzhou")
    captured = []

    def send_request(req):
        captured.append(req)
        raise _Captured()

    client.request.send_request = send_request
    with pytest.raises(Exception):
        client.DescribeJobs(request)
    req = captured[0]
    headers = CaseInsensitiveDict(req.header)
    return headers["X-TC-Action"], req.method, json.loads(req.data)


# -- DRS -------------------------------------------------------------------------------------------------------------
def drs_pages(jobs):
    """A DRS that pages ``jobs`` by cur_page/per_page, filtering by status, answering total_record."""
    def answer(sent):
        body = sent["body"]
        matching = [j for j in jobs if body.get("status") in (None, j["status"])]
        per_page, page = body["per_page"], body["cur_page"]
        assert 1 <= per_page <= 100 and page >= 1
        return {"total_record": len(matching), "jobs": matching[(page - 1) * per_page:page * per_page]}
    return answer


DRS_FILTERS = [
    {},
    {"status": "INCRE_TRANSFER_FAILED"},
    {"status": ["FULL_TRANSFER_FAILED", "PAUSING"], "name": "orders", "engine_type": "mysql", "db_use_type": "sync",
     "net_type": "eip", "enterprise_project_id": "0", "tags": {"env": "prod", "team": "data"}, "instance_ids": ["i-1", "i-2"],
     "instance_ip": "192.0.2.10"},
]


@pytest.mark.parametrize("filters", DRS_FILTERS)
def test_drs_list_requests_equal_the_sdk(filters):
    jobs = [{"id": "job-%03d" % i, "name": "n%d" % i, "status": ("INCRE_TRANSFER_FAILED", "FULL_TRANSFER_FAILED", "PAUSING")[i % 3]}
            for i in range(450)]
    client, transport = huawei_client(drs_pages(jobs), "drs")
    found = list_drs_jobs(client, filters, language="zh-cn")
    statuses = filters.get("status")
    statuses = [statuses] if isinstance(statuses, str) else statuses or [None]
    expected_ids = [j["id"] for s in statuses for j in jobs if s in (None, j["status"])]
    assert [j["id"] for j in found] == expected_ids
    assert transport.sent, "at least one request"
    pages = {}
    for sent in transport.sent:
        body = sent["body"]
        pages.setdefault(body.get("status"), 0)
        pages[body.get("status")] += 1
        fields = dict((k, v) for k, v in filters.items() if k != "status")
        request = sdk.drs_v3.ShowJobListRequest(x_language="zh-cn", body=sdk.drs_v3.QueryJobsReq(
            cur_page=pages[body.get("status")], per_page=100, status=body.get("status"), **fields))
        theirs, sdk_headers = sdk_huawei(sdk.drs_v3.DrsClient, "https://drs.cn-north-4.myhuaweicloud.com", "show_job_list", request)
        assert ours(sent) == theirs
        assert sent["headers"]["X-Language"] == sdk_headers["X-Language"] == "zh-cn"
        assert sent["headers"]["Content-Type"] == sdk_headers["Content-Type"]
    # the fewest requests: ceil(matching / 100) per status
    for status, count in pages.items():
        matching = len([j for j in jobs if status in (None, j["status"])])
        assert count == (matching + 99) // 100


def test_drs_statuses_one_query_each_and_none_means_every_job():
    jobs = [{"id": "j%d" % i, "status": s} for i, s in enumerate(["INCRE_TRANSFER_FAILED", "PAUSING", "INCRE_TRANSFER_STARTED"])]
    client, transport = huawei_client(drs_pages(jobs), "drs")
    found = list_drs_jobs(client, {}, statuses=["PAUSING", "INCRE_TRANSFER_FAILED"])
    assert [j["id"] for j in found] == ["j1", "j0"]
    assert [s["body"].get("status") for s in transport.sent] == ["PAUSING", "INCRE_TRANSFER_FAILED"]
    client, transport = huawei_client(drs_pages(jobs), "drs")
    assert [j["id"] for j in list_drs_jobs(client, {})] == ["j0", "j1", "j2"]
    assert "status" not in transport.sent[0]["body"]
    # a status in filters wins over statuses
    client, transport = huawei_client(drs_pages(jobs), "drs")
    assert [j["id"] for j in list_drs_jobs(client, {"status": "INCRE_TRANSFER_STARTED"}, statuses=["PAUSING"])] == ["j2"]
    assert len(transport.sent) == 1


# -- IoTDA -----------------------------------------------------------------------------------------------------------
class IotdaList:
    """A ListBatchTasks that pages as IoTDA does: newest first, ``marker`` = records below it, ``page.count`` the records
    matching the query (so it shrinks once a marker is given), ``limit`` 1-50 and ``offset`` 0-500 or HTTP 400."""

    def __init__(self, tasks, give_marker=True, count=None):
        self.tasks = sorted(tasks, key=lambda t: t["record"], reverse=True)
        self.give_marker = give_marker
        self.count = count
        self.queries = []

    def answer(self, query):
        self.queries.append(dict(query))
        limit, offset = int(query.get("limit", 10)), int(query.get("offset", 0))
        if not 1 <= limit <= 50 or not 0 <= offset <= 500:
            raise ApiError("limit or offset out of range", code="IOTDA.000007", http_status=400)
        rows = [t for t in self.tasks if t["task_type"] == query["task_type"] and query.get("status") in (None, t["status"])
                and query.get("app_id") in (None, t.get("app_id"))]
        if query.get("marker"):
            rows = [t for t in rows if t["record"] < query["marker"]]
        page = rows[offset:offset + limit]
        answer = {"batchtasks": [dict((k, v) for k, v in t.items() if k != "record") for t in page],
                  "page": {"count": len(rows) if self.count is None else self.count}}
        if self.give_marker and page:
            answer["page"]["marker"] = page[-1]["record"]
        return answer


def iotda_tasks(n, task_type="firmwareUpgrade", status="Fail"):
    return [{"record": "r%06d" % i, "task_id": "%024x" % (0x64a1b2c3d4e5f60718290000 + i), "task_name": "t%d" % i,
             "task_type": task_type, "status": status, "create_time": "20261201T000000Z"} for i in range(n)]


def iotda_answer(service):
    def answer(sent):
        return service.answer(dict(parse_qsl(urlsplit(sent["url"]).query)))
    return answer


@pytest.mark.parametrize("filters,instance_id", [
    ({"task_type": "firmwareUpgrade"}, None),
    ({"task_type": "firmwareUpgrade", "status": "Fail", "app_id": "space_1"}, "11111111-2222-3333-4444-555555555555"),
])
def test_iotda_list_requests_equal_the_sdk(filters, instance_id):
    tasks = iotda_tasks(120)
    for t in tasks:
        t["app_id"] = "space_1"
    service = IotdaList(tasks)
    client, transport = huawei_client(iotda_answer(service), "iotda")
    found = list_iotda_tasks(client, filters, instance_id=instance_id)
    assert len(found) == 120 and len(transport.sent) == 3
    for index, sent in enumerate(transport.sent):
        # page n starts below the last record of page n - 1
        marker = service.tasks[50 * index - 1]["record"] if index else None
        request = sdk.iotda_v5.ListBatchTasksRequest(instance_id=instance_id, task_type=filters["task_type"], status=filters.get("status"),
                                                     app_id=filters.get("app_id"), limit=50, marker=marker)
        theirs, sdk_headers = sdk_huawei(sdk.iotda_v5.IoTDAClient, "https://iotda.cn-north-4.myhuaweicloud.com", "list_batch_tasks", request)
        assert ours(sent) == theirs
        assert sent["headers"].get("Instance-Id") == sdk_headers.get("Instance-Id")


def test_iotda_pages_past_a_shrinking_count_to_the_short_page():
    """1,234 tasks: count shrinks as the marker moves (and lies outright in the second case); all are read, once."""
    for count in (None, 50):
        service = IotdaList(iotda_tasks(1234), count=count)
        found = list_iotda_tasks(FakeHuawei(service), {"task_type": "firmwareUpgrade"})
        assert [t["task_id"] for t in found] == [t["task_id"] for t in service.tasks]
        assert len(service.queries) == 25          # 24 full pages and one short one
        assert all(1 <= int(q["limit"]) <= 50 and 0 <= int(q.get("offset", 0)) <= 500 for q in service.queries)


def test_iotda_exact_multiple_ends_on_the_empty_page():
    service = IotdaList(iotda_tasks(100))
    assert len(list_iotda_tasks(FakeHuawei(service), {"task_type": "firmwareUpgrade"})) == 100
    assert len(service.queries) == 3


def test_iotda_without_markers_pages_by_offset_then_refuses_to_stop_short():
    service = IotdaList(iotda_tasks(300), give_marker=False)
    assert len(list_iotda_tasks(FakeHuawei(service), {"task_type": "firmwareUpgrade"})) == 300
    assert [int(q.get("offset", 0)) for q in service.queries] == [0, 50, 100, 150, 200, 250, 300]
    service = IotdaList(iotda_tasks(700), give_marker=False)
    with pytest.raises(ApiError) as err:
        list_iotda_tasks(FakeHuawei(service), {"task_type": "firmwareUpgrade"})
    assert err.value.code == "PagingStopped"
    assert max(int(q.get("offset", 0)) for q in service.queries) == 500


def test_iotda_types_and_statuses_one_query_each_and_derived_passed_on():
    tasks = iotda_tasks(3) + iotda_tasks(2, task_type="softwareUpgrade", status="PartialSuccess")
    for i, t in enumerate(tasks):
        t["record"] = "r%06d" % i
        t["task_id"] = "%024x" % i
    service = IotdaList(tasks)
    fake = FakeHuawei(service)
    found = list_iotda_tasks(fake, {"task_type": ["firmwareUpgrade", "softwareUpgrade"], "status": ["Fail", "PartialSuccess"]},
                             instance_id="inst-1", derived=("iotdm", "cn-north-4"))
    assert sorted(t["task_id"] for t in found) == sorted(t["task_id"] for t in tasks)
    assert [(q["task_type"], q["status"]) for q in service.queries] == [
        ("firmwareUpgrade", "Fail"), ("firmwareUpgrade", "PartialSuccess"), ("softwareUpgrade", "Fail"), ("softwareUpgrade", "PartialSuccess")]
    assert all(c["derived"] == ("iotdm", "cn-north-4") and c["headers"] == {"Instance-Id": "inst-1"} and c["idempotent"]
               for c in fake.calls)


class FakeHuawei:
    """The HuaweiClient interface over a fake IoTDA list."""

    def __init__(self, service):
        self.service = service
        self.calls = []

    def call(self, service, method, path, body=None, query=None, headers=None, idempotent=False, derived=None):
        self.calls.append(dict(service=service, method=method, path=path, query=query, headers=headers, idempotent=idempotent,
                               derived=derived))
        assert (service, method, path) == ("iotda", "GET", "/v5/iot/{project_id}/batchtasks")
        return self.service.answer(dict((k, str(v)) for k, v in query.items())), "rid"


# -- Tencent ---------------------------------------------------------------------------------------------------------
def tencent_jobs(n, state="FAILED"):
    return [{"JobId": "job-%08d" % i, "JobName": "etl-%d" % i, "JobState": state, "Priority": 1,
             "Placement": {"Zone": "ap-guangzhou-3"}, "CreateTime": "2026-12-01T00:00:00Z", "EndTime": None,
             "Tags": [{"Key": "team", "Value": "data"}]} for i in range(n)]


def tencent_answer(jobs, calls):
    def answer(sent):
        payload = sent["body"]
        calls.append(payload)
        assert sent["headers"]["X-TC-Action"] == "DescribeJobs"
        assert "JobIds" not in payload, "DescribeJobs takes JobIds or Filters, never both"
        assert 1 <= payload["Limit"] <= 100 and payload["Offset"] >= 0
        rows = jobs
        for f in payload.get("Filters") or []:
            if f["Name"] == "job-state":
                rows = [j for j in rows if j["JobState"] in f["Values"]]
        return {"Response": {"JobSet": rows[payload["Offset"]:payload["Offset"] + payload["Limit"]], "TotalCount": len(rows),
                             "RequestId": "rid"}}
    return answer


@pytest.mark.parametrize("filters", [{}, {"job-state": "FAILED", "job-name": ["etl-1", "etl-2"], "zone": "ap-guangzhou-3",
                                          "tag-key": "team", "tag-value": "data", "tag:team": "data", "job-id": "job-00000001"}])
def test_tencent_list_requests_equal_the_sdk(filters):
    calls = []
    client, transport = tencent_client(tencent_answer(tencent_jobs(250), calls))
    found = list_tencent_jobs(client, filters)
    assert len(found) == 250 and len(transport.sent) == 3
    for page, sent in enumerate(transport.sent):
        request = sdk.batch_models.DescribeJobsRequest()
        if filters:
            request.Filters = []
            for name, values in filters.items():
                f = sdk.batch_models.Filter()
                f.Name = name
                f.Values = values if isinstance(values, list) else [values]
                request.Filters.append(f)
        request.Offset = page * 100
        request.Limit = 100
        action, method, body = sdk_tencent(request)
        assert sent["method"] == method == "POST"
        assert sent["headers"]["X-TC-Action"] == action == "DescribeJobs"
        assert sent["body"] == body


def test_tencent_stops_at_total_count_and_on_a_short_page():
    for n, requests in ((200, 2), (250, 3), (0, 1), (99, 1)):
        calls = []
        client, _transport = tencent_client(tencent_answer(tencent_jobs(n), calls))
        found = list_tencent_jobs(client, {"job-state": "FAILED"})
        assert [j["id"] for j in found] == ["job-%08d" % i for i in range(n)]
        assert [c["Offset"] for c in calls] == [100 * i for i in range(requests)]


def test_tencent_job_fields():
    calls = []
    client, _transport = tencent_client(tencent_answer(tencent_jobs(1), calls))
    assert list_tencent_jobs(client, {}) == [{
        "id": "job-00000000", "name": "etl-0", "status": "FAILED", "create_time": "2026-12-01T00:00:00Z", "end_time": None,
        "zone": "ap-guangzhou-3", "priority": 1, "tags": {"team": "data"}}]


def test_tencent_job_seen_twice_across_pages_is_listed_once():
    """Offset paging while jobs change: a job pushed onto the next page shows up twice; it is listed once."""
    jobs = tencent_jobs(150)
    pages = [jobs[0:100], jobs[99:150]]

    class Fake:
        def __init__(self):
            self.calls = 0

        def call(self, action, payload, idempotent=False):
            self.calls += 1
            page = pages[payload["Offset"] // 100]
            return {"JobSet": page, "TotalCount": 150}, "rid"

    found = list_tencent_jobs(Fake(), {})
    assert [j["id"] for j in found] == [j["JobId"] for j in jobs]


def test_drs_job_seen_under_two_statuses_is_listed_once_and_stale_status_dropped():
    answers = {"PAUSING": [{"id": "a", "status": "PAUSING"}, {"id": "b", "status": "INCRE_TRANSFER_STARTED"}],
               "INCRE_TRANSFER_FAILED": [{"id": "a", "status": "INCRE_TRANSFER_FAILED"}, {"id": "c", "status": "INCRE_TRANSFER_FAILED"}]}

    class Fake:
        def call(self, service, method, path, body=None, query=None, headers=None, idempotent=False, derived=None):
            jobs = answers[body["status"]]
            return {"jobs": jobs, "total_record": len(jobs)}, "rid"

    found = list_drs_jobs(Fake(), {"status": ["PAUSING", "INCRE_TRANSFER_FAILED"]})
    assert [(j["id"], j["status"]) for j in found] == [("a", "PAUSING"), ("c", "INCRE_TRANSFER_FAILED")]


def test_drs_short_page_without_count_stops():
    class Fake:
        calls = 0

        def call(self, service, method, path, body=None, query=None, headers=None, idempotent=False, derived=None):
            Fake.calls += 1
            return {"jobs": [{"id": "p%d-%d" % (body["cur_page"], i), "status": "PAUSING"} for i in range(100 if body["cur_page"] < 3 else 7)]}, "r"

    assert len(list_drs_jobs(Fake(), {})) == 207
    assert Fake.calls == 3


# -- filter checks ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("service,filters,words", [
    ("drs", {"stat": "PAUSING"}, ["filters has unknown key 'stat'", "accepted: status, name, engine_type"]),
    ("drs", {"status": "failed"}, ["filters.status", "'failed'", "INCRE_TRANSFER_FAILED"]),
    ("drs", {"status": []}, ["filters.status is an empty list"]),
    ("drs", {"status": ["PAUSING", 3]}, ["filters.status has '3'", "DRS job state"]),
    ("drs", {"tags": ["env"]}, ["filters.tags must be a dict"]),
    ("drs", {"name": ""}, ["filters.name must be a string"]),
    ("drs", {"instance_ids": ["i-%d" % i for i in range(11)]}, ["instance_ids has 11", "at most 10"]),
    ("iotda", {}, ["filters needs task_type", "firmwareUpgrade"]),
    ("iotda", {"task_type": "firmware"}, ["filters.task_type has 'firmware'", "accepted: softwareUpgrade, firmwareUpgrade"]),
    ("iotda", {"task_type": "firmwareUpgrade", "status": "fail"}, ["filters.status has 'fail'"]),
    ("iotda", {"task_type": "firmwareUpgrade", "app_id": "a/b"}, ["filters.app_id has 'a/b'"]),
    ("iotda", {"task_type": "firmwareUpgrade", "limit": 5}, ["unknown key 'limit'", "accepted: task_type, status, app_id"]),
    ("tencent_batch", {"JobState": "FAILED"}, ["unknown key 'JobState'", "accepted: job-id, job-name, job-state, zone, tag-key, tag-value, tag:KEY"]),
    ("tencent_batch", {"tag:": "x"}, ["unknown key 'tag:'"]),
    ("tencent_batch", {"job-state": "failed"}, ["filters.job-state has 'failed'", "FAILED"]),
    ("tencent_batch", {"job-name": {"a": 1}}, ["filters.job-name must be a string or a list of strings"]),
    ("drs", "status=PAUSING", ["filters must be a dict", "accepted: status"]),
])
def test_bad_filters_name_the_key_and_the_accepted_ones(service, filters, words):
    with pytest.raises(InputError) as err:
        check_filters(service, filters)
    for word in words:
        assert word in str(err.value)


def test_option_name_is_used_in_messages():
    with pytest.raises(InputError, match=r"^jobs\[0\]\.filters has unknown key"):
        check_filters("drs", {"x": 1}, option="jobs[0].filters")


def test_filters_are_normalized():
    assert check_filters("drs", None) == {}
    assert check_filters("drs", {"status": "PAUSING", "name": 2024, "tags": {"env": "prod"}}) == {
        "status": ["PAUSING"], "name": "2024", "tags": {"env": "prod"}}
    assert check_filters("drs", {"status": ["PAUSING", "PAUSING", "CREATE_FAILED"]}) == {"status": ["PAUSING", "CREATE_FAILED"]}
    assert check_filters("iotda", {"task_type": "firmwareUpgrade", "status": "Fail", "app_id": "s1"}) == {
        "task_type": ["firmwareUpgrade"], "status": ["Fail"], "app_id": "s1"}
    assert check_filters("tencent_batch", {"job-state": "FAILED", "tag:team": ["data", "ml"]}) == {
        "job-state": ["FAILED"], "tag:team": ["data", "ml"]}
    normalized = check_filters("drs", {"status": "PAUSING", "instance_ids": "i-1"})
    assert check_filters("drs", normalized) == normalized   # checking twice changes nothing


def test_filter_keys_are_the_sdk_request_fields():
    """DRS and IoTDA keys are attribute names of the SDK request models; Tencent's are the DescribeJobs filter names."""
    assert set(FILTER_KEYS["drs"]) <= set(sdk.drs_v3.QueryJobsReq.openapi_types)
    assert set(FILTER_KEYS["iotda"]) <= set(sdk.iotda_v5.ListBatchTasksRequest.openapi_types)
    doc = sdk.batch_models.DescribeJobsRequest.Filters.__doc__
    for name in FILTER_KEYS["tencent_batch"]:
        assert (name if name != "tag:KEY" else "tag:tag-key") in doc
    assert _tencent_batch.LIST_LIMIT == 100 and "100" in sdk.batch_models.DescribeJobsRequest.Limit.__doc__
    assert _iotda.LIST_LIMIT == 50 and "1-50" in sdk.iotda_v5.ListBatchTasksRequest.__init__.__doc__
    assert _drs.PER_PAGE == 100 and "0-100" in sdk.drs_v3.QueryJobsReq.__init__.__doc__


def test_chunks_keep_order_and_size():
    items = ["t%d" % i for i in range(250)]
    parts = _discovery.chunks(items, 100)
    assert [len(p) for p in parts] == [100, 100, 50] and sum(parts, []) == items
    assert _discovery.chunks([], 100) == []
