# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""iotda_batchtask_retry end to end through the real module, client, signer and transport, over a fake IoTDA.

The fake stands in for the HTTP session: it pages task_details by offset and marker, answers retries per
target (success, IOTDA.014219, refusals, omissions) and records every request it saw.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from urllib.parse import parse_qs, urlsplit

from requests.structures import CaseInsensitiveDict

from ansible_collections.cloudops.jobs.plugins.module_utils import _iotda
from ansible_collections.cloudops.jobs.plugins.module_utils._module import CloudJobsModule
from ansible_collections.cloudops.jobs.plugins.module_utils._retry import RetryPolicy
from ansible_collections.cloudops.jobs.plugins.module_utils._transport import Transport
from ansible_collections.cloudops.jobs.plugins.modules import iotda_batchtask_retry
from ansible_collections.cloudops.jobs.tests.unit.plugins.runner_fakes import run_main

PROJECT = "0123456789abcdef0123456789abcdef"
TASK = "64a1b2c3d4e5f60718293a4b"
INSTANCE_HOST = "abc123def4.st1.iotda-app.cn-north-4.myhuaweicloud.com"
AK = "HPUAEXAMPLEAK0000001"
SK = "ExampleSecretKey0000000000000000000000001"


class FakeResponse:
    def __init__(self, status, body, request_id):
        self.status_code = status
        self.headers = CaseInsensitiveDict({"X-Request-Id": request_id, "Content-Type": "application/json"})
        self.content = json.dumps(body).encode("utf-8") if body is not None else b""


class FakeIotda:
    """A requests.Session stand-in answering IoTDA's show_batch_task and retry_batch_task."""

    def __init__(self, subtasks=(), status="PartialSuccess", refuse=None, drop=(), post_faults=None, after_retry="Success",
                 task_id=TASK):
        self.task_id = task_id
        self.status = status
        self.subtasks = [[target, state] for target, state in subtasks]
        n = len(self.subtasks)
        # Records are listed newest first: the record id (marker) falls along the list.
        self.record_ids = ["%024x" % (n - i) for i in range(n)]
        self.refuse = dict(refuse or {})
        self.drop = set(drop)
        self.post_faults = dict(post_faults or {})
        self.after_retry = after_retry
        self.calls = []
        self.headers = {}
        self.retries = 0

    # the session interface the Transport uses --------------------------------
    def mount(self, prefix, adapter):
        pass

    def close(self):
        pass

    def request(self, method, url, headers=None, data=None, timeout=None, verify=None, allow_redirects=None):
        parts = urlsplit(url)
        query = dict((k, v[0]) for k, v in parse_qs(parts.query).items())
        body = json.loads(data) if data else None
        call = dict(method=method, path=parts.path, host=parts.netloc, query=query, headers=dict(headers or {}), body=body)
        self.calls.append(call)
        rid = "rid-%d" % len(self.calls)
        base = "/v5/iot/%s/batchtasks/" % PROJECT
        if not parts.path.startswith(base):
            return FakeResponse(404, {"error_code": "APIGW.0101", "error_msg": "no such API"}, rid)
        rest = parts.path[len(base):].split("/")
        if rest[0] != self.task_id:
            return FakeResponse(404, {"error_code": "IOTDA.014111", "error_msg": "task not found"}, rid)
        if method == "GET":
            return self.show(query, rid)
        return self.retry(body, rid)

    # the two operations ------------------------------------------------------
    def show(self, query, rid):
        limit = int(query.get("limit", 10))
        offset = int(query.get("offset", 0))
        assert 1 <= limit <= 50 and 0 <= offset <= 500
        start = 0
        if "marker" in query:
            start = next((i for i, rec in enumerate(self.record_ids) if rec < query["marker"]), len(self.subtasks))
        page = self.subtasks[start + offset:start + offset + limit]
        last = start + offset + len(page) - 1
        # As IoTDA: count is the records matching the query, and with a marker that is "records below it": it shrinks.
        return FakeResponse(200, {
            "batchtask": {"task_id": self.task_id, "task_type": "firmwareUpgrade", "status": self.status},
            "task_details": [{"target": t, "status": s} for t, s in page],
            "page": {"count": len(self.subtasks) - start, "marker": self.record_ids[last] if page else None},
        }, rid)

    def retry(self, body, rid):
        index = self.retries
        self.retries += 1
        if index in self.post_faults:
            status, err = self.post_faults[index]
            return FakeResponse(status, err, rid)
        if self.status in _iotda.TASK_REFUSED:
            return FakeResponse(400, {"error_code": "IOTDA.014215", "error_msg": "task status refused"}, rid)
        states = dict(self.subtasks)
        if "targets" in body:
            targets = body["targets"]
            if len(targets) > 100:
                return FakeResponse(400, {"error_code": "IOTDA.000007", "error_msg": "too many targets"}, rid)
        else:
            targets = [t for t, s in self.subtasks if s in ("Fail", "FailWaitRetry", "Stopped")]
        items = []
        for target in targets:
            if target in self.drop:
                continue
            if target not in states:
                items.append({"target": target, "status": "failure", "error_code": "IOTDA.014219",
                              "error_msg": "Invalid input. The target is not in the task"})
            elif target in self.refuse:
                items.append({"target": target, "status": "failure", "error_code": self.refuse[target], "error_msg": "refused"})
            else:
                items.append({"target": target, "status": "success"})
                for sub in self.subtasks:
                    if sub[0] == target:
                        sub[1] = self.after_retry
        return FakeResponse(200, {"targets": items}, rid)

    # what the tests look at --------------------------------------------------
    def posts(self):
        return [c for c in self.calls if c["method"] == "POST"]

    def gets(self):
        return [c for c in self.calls if c["method"] == "GET"]


def base_args(**extra):
    args = dict(region="cn-north-4", project_id=PROJECT, access_key=AK, secret_key=SK, task_id=TASK)
    args.update(extra)
    return args


@pytest.fixture
def run_module(monkeypatch, capsys):
    def run(fake, **args):
        policy = RetryPolicy(max_retries=0, sleep=lambda seconds: None)
        monkeypatch.setattr(CloudJobsModule, "transport", lambda self, pool_size=10: Transport(session=fake, policy=policy))
        return run_main(iotda_batchtask_retry.main, args, capsys)
    return run


def warnings(result):
    """Warning texts: plain strings before ansible-core 2.19, WarningSummary dicts since."""
    out = []
    for warning in result.get("warnings", []):
        out.append(warning["event"]["msg"] if isinstance(warning, dict) else warning)
    return out


def by_id(result):
    return dict((j["id"], j) for j in result["jobs"])


def failed_subtasks(n, prefix="dev-"):
    return [("%s%03d" % (prefix, i), "Fail") for i in range(n)]


# input checks: nothing is sent -----------------------------------------------------

@pytest.mark.parametrize("task_id", ["64A1B2C3D4E5F60718293A4B", "64a1b2c3d4e5f60718293a4b0", "64a1b2c3d4e5f6071829zz4b",
                                     "../64a1", "", "64a1 b2"])
def test_malformed_task_id_fails_before_any_request(run_module, task_id):
    fake = FakeIotda(failed_subtasks(2))
    result = run_module(fake, **base_args(task_id=task_id, targets=["dev-000"]))
    assert result["failed"] and "task_id" in result["msg"] and "24" in result["msg"]
    assert fake.calls == []


def test_empty_targets_list_fails_before_any_request(run_module):
    fake = FakeIotda(failed_subtasks(2))
    result = run_module(fake, **base_args(targets=[]))
    assert result["failed"] and "targets is an empty list" in result["msg"]
    assert fake.calls == []


@pytest.mark.parametrize("target", ["dev 1", "a/b", ""])
def test_malformed_target_fails_before_any_request(run_module, target):
    fake = FakeIotda(failed_subtasks(2))
    result = run_module(fake, **base_args(targets=["dev-000", target]))
    assert result["failed"] and "targets" in result["msg"]
    assert fake.calls == []


def test_malformed_instance_id_fails_before_any_request(run_module):
    fake = FakeIotda(failed_subtasks(2))
    result = run_module(fake, **base_args(instance_id="x" * 37))
    assert result["failed"] and "instance_id" in result["msg"]
    assert fake.calls == []


# chunking and result mapping --------------------------------------------------------

def test_250_targets_are_sent_100_100_50_in_order_and_all_reported(run_module):
    subtasks = failed_subtasks(250)
    fake = FakeIotda(subtasks)
    targets = [t for t, _s in reversed(subtasks)]   # the user's order, not the service's
    result = run_module(fake, **base_args(targets=targets, precheck=False))
    posts = fake.posts()
    assert [len(p["body"]["targets"]) for p in posts] == [100, 100, 50]
    assert sum((p["body"]["targets"] for p in posts), []) == targets
    assert [j["id"] for j in result["jobs"]] == targets
    assert result["summary"] == {"total": 250, "changed": 250, "failed": 0, "skipped": 0}
    assert result["task_id"] == TASK and result["changed"] and not result["failed"]
    assert fake.gets() == []   # precheck: false reads nothing


def test_omitted_targets_with_precheck_lists_the_failed_subtasks_and_chunks_them(run_module):
    subtasks = failed_subtasks(240) + [("ok-%d" % i, "Success") for i in range(5)]
    subtasks += [("retry-%d" % i, "FailWaitRetry") for i in range(5)]
    fake = FakeIotda(subtasks)
    result = run_module(fake, **base_args())
    # 5 full pages, then an empty one: only a short page ends the read
    assert len(fake.gets()) == 6 and all(g["query"]["limit"] == "50" and g["query"]["offset"] == "0" for g in fake.gets())
    assert [g["query"].get("marker") for g in fake.gets()] == [None] + [fake.record_ids[50 * i - 1] for i in range(1, 6)]
    assert [len(p["body"]["targets"]) for p in fake.posts()] == [100, 100, 45]
    expected = [t for t, s in subtasks if s != "Success"]
    assert [j["id"] for j in result["jobs"]] == expected
    assert result["summary"]["changed"] == 245 and not result["failed"]


def test_partial_failure_keeps_good_targets_changed_and_carries_the_service_error(run_module):
    fake = FakeIotda(failed_subtasks(3), refuse={"dev-001": "IOTDA.014216"})
    result = run_module(fake, **base_args(targets=["dev-000", "dev-001", "not-in-task"], precheck=False))
    jobs = by_id(result)
    assert jobs["dev-000"]["changed"] and jobs["dev-000"]["status"] == "success" and jobs["dev-000"]["request_id"] == "rid-1"
    assert jobs["dev-001"]["failed"] and jobs["dev-001"]["error_code"] == "IOTDA.014216"
    assert jobs["not-in-task"]["failed"] and jobs["not-in-task"]["error_code"] == "IOTDA.014219"
    assert jobs["not-in-task"]["error_msg"] == "Invalid input. The target is not in the task"
    assert result["failed"] and result["changed"]
    assert result["msg"] == "2 of 3 targets failed: dev-001, not-in-task"


def test_target_missing_from_the_answer_is_failed_unknown(run_module):
    fake = FakeIotda(failed_subtasks(2), drop={"dev-001"})
    result = run_module(fake, **base_args(targets=["dev-000", "dev-001"]))
    jobs = by_id(result)
    assert jobs["dev-001"]["failed"] and jobs["dev-001"]["status"] == "unknown"
    assert "did not mention" in jobs["dev-001"]["error_msg"]
    assert jobs["dev-000"]["changed"] and not jobs["dev-000"]["failed"]


@pytest.mark.parametrize("status, body, expected", [
    (500, {"error_code": "IOTDA.000001", "error_msg": "internal"}, "unknown"),
    (401, {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information"}, "failed"),
])
def test_a_request_failing_as_a_whole_fails_its_targets_only(run_module, status, body, expected):
    fake = FakeIotda(failed_subtasks(250), post_faults={1: (status, body)})
    result = run_module(fake, **base_args(precheck=False, targets=[t for t, _s in failed_subtasks(250)]))
    assert len(fake.posts()) == 3   # the third request still goes ahead
    jobs = result["jobs"]
    assert all(j["changed"] and not j["failed"] for j in jobs[:100] + jobs[200:])
    assert all(j["failed"] and j["status"] == expected and j["error_code"] == body["error_code"] for j in jobs[100:200])
    assert result["summary"] == {"total": 250, "changed": 150, "failed": 100, "skipped": 0}


def test_duplicates_are_sent_once_and_reported_once_with_a_warning(run_module):
    fake = FakeIotda(failed_subtasks(2))
    result = run_module(fake, **base_args(targets=["dev-000", "dev-001", "dev-000"]))
    assert fake.posts()[0]["body"] == {"targets": ["dev-000", "dev-001"]}
    assert [j["id"] for j in result["jobs"]] == ["dev-000", "dev-001"]
    assert any("dev-000" in w and "more than once" in w for w in warnings(result))


# precheck and state ------------------------------------------------------------------

def test_precheck_sends_only_actionable_targets(run_module):
    fake = FakeIotda([("a", "Fail"), ("b", "FailWaitRetry"), ("c", "Stopped"), ("d", "Success"), ("e", "Processing"),
                      ("f", "Waitting"), ("g", "Removed")])
    result = run_module(fake, **base_args(targets=["a", "b", "c", "d", "e", "f", "g", "h"]))
    jobs = by_id(result)
    assert fake.posts()[0]["body"] == {"targets": ["a", "b", "c"]}
    assert [j for j in "abc" if jobs[j]["changed"]] == ["a", "b", "c"]
    assert all(jobs[j]["skipped"] and jobs[j]["status"] == s for j, s in (("d", "Success"), ("e", "Processing"), ("f", "Waitting")))
    assert jobs["g"]["failed"] and jobs["g"]["status"] == "Removed"
    assert jobs["h"]["failed"] and jobs["h"]["status"] == "not_found"
    assert len(fake.gets()) == 1   # the task is read once


def test_second_run_changes_nothing(run_module):
    fake = FakeIotda(failed_subtasks(3))
    first = run_module(fake, **base_args())
    assert first["changed"] and first["summary"]["changed"] == 3
    fake.status = "Success"
    second = run_module(fake, **base_args())
    assert not second["changed"] and not second["failed"] and second["jobs"] == []
    assert "has no subtask in Fail, FailWaitRetry, Stopped: nothing to do" in second["msg"]
    assert len(fake.posts()) == 1


@pytest.mark.parametrize("status", sorted(_iotda.TASK_REFUSED))
def test_task_in_a_refused_status_sends_nothing_and_names_the_status(run_module, status):
    fake = FakeIotda([("a", "Stopped"), ("b", "Success")], status=status)
    result = run_module(fake, **base_args(targets=["a", "b", "zz"]))
    jobs = by_id(result)
    assert fake.posts() == []
    assert jobs["a"]["failed"] and status in jobs["a"]["error_msg"] and "refuses a retry" in jobs["a"]["error_msg"]
    assert jobs["b"]["skipped"]
    assert jobs["zz"]["status"] == "not_found"


def test_unreadable_task_fails_each_named_target_with_the_error(run_module):
    fake = FakeIotda(failed_subtasks(2), task_id="ffffffffffffffffffffffff")
    result = run_module(fake, **base_args(targets=["dev-000", "dev-001"]))
    assert fake.posts() == [] and len(fake.gets()) == 1
    # An unknown task is not a permission problem: acting unread would not help, so no precheck: false hint.
    assert all(j["failed"] and j["error_code"] == "IOTDA.014111" and "could not read" in j["error_msg"]
               and "precheck: false" not in j["error_msg"] for j in result["jobs"])


def test_unreadable_task_without_targets_fails_the_run(run_module):
    fake = FakeIotda(failed_subtasks(2), task_id="ffffffffffffffffffffffff")
    result = run_module(fake, **base_args())
    assert result["failed"] and result["jobs"] == [] and result["error_code"] == "IOTDA.014111"
    assert fake.posts() == []


def test_check_mode_sends_no_write_and_reports_what_would_be_retried(run_module):
    fake = FakeIotda([("a", "Fail"), ("b", "Success")])
    result = run_module(fake, _ansible_check_mode=True, **base_args(targets=["a", "b"]))
    jobs = by_id(result)
    assert fake.posts() == []
    assert jobs["a"]["changed"] and jobs["a"]["status"] == "Fail"
    assert jobs["b"]["skipped"]


def test_check_mode_without_precheck_sends_nothing_at_all(run_module):
    fake = FakeIotda(failed_subtasks(2))
    result = run_module(fake, _ansible_check_mode=True, **base_args(targets=["dev-000"], precheck=False))
    assert fake.calls == [] and result["jobs"][0]["changed"] and result["jobs"][0]["status"] == "not_checked"
    result = run_module(fake, _ansible_check_mode=True, **base_args(precheck=False))
    assert fake.calls == [] and result["changed"] and result["jobs"] == []


def test_no_precheck_no_targets_sends_empty_body_and_reports_the_answered_targets(run_module):
    fake = FakeIotda([("a", "Fail"), ("b", "Success"), ("c", "Stopped")], refuse={"c": "IOTDA.014216"})
    result = run_module(fake, **base_args(precheck=False))
    assert [p["body"] for p in fake.posts()] == [{}]
    assert fake.gets() == []
    assert [j["id"] for j in result["jobs"]] == ["a", "c"]
    assert by_id(result)["a"]["changed"] and by_id(result)["c"]["error_code"] == "IOTDA.014216"
    assert result["task_id"] == TASK


def test_no_precheck_no_targets_request_failure_fails_the_run(run_module):
    fake = FakeIotda(failed_subtasks(2), post_faults={0: (401, {"error_code": "APIGW.0301", "error_msg": "bad signature"})})
    result = run_module(fake, **base_args(precheck=False))
    assert result["failed"] and result["error_code"] == "APIGW.0301" and result["jobs"] == []
    assert result["summary"]["total"] == 0


def test_wait_reports_final_subtask_states(run_module):
    fake = FakeIotda([("a", "Fail"), ("b", "Fail")], after_retry="Success")
    fake.refuse = {}
    result = run_module(fake, **base_args(targets=["a", "b"], wait=True))
    jobs = by_id(result)
    assert jobs["a"]["status"] == "Success" and jobs["b"]["status"] == "Success" and not result["failed"]
    assert [c["method"] for c in fake.calls] == ["GET", "POST", "GET"]


def test_wait_fails_a_subtask_that_never_leaves_fail_once_wait_settle_passed(run_module):
    # The subtask shows Fail right after the retry and never moves: after wait_settle it is failed, saying so.
    fake = FakeIotda([("a", "Fail")], after_retry="Fail")
    result = run_module(fake, **base_args(targets=["a"], wait=True, wait_settle=3, wait_interval=1))
    job = result["jobs"][0]
    assert job["failed"] and job["changed"] and job["status"] == "Fail"
    assert job["error_msg"] == "the target never left state Fail within wait_settle (3s) after it was retried"


# paging -----------------------------------------------------------------------------

def test_subtasks_are_paged_by_marker_to_the_end_although_count_shrinks(run_module):
    # 1,200 subtasks, 1,100 failed: page.count falls with every page; only the short last page ends the read.
    subtasks = [("dev-%04d" % i, "Fail" if i % 12 else "Success") for i in range(1200)]
    fake = FakeIotda(subtasks)
    result = run_module(fake, **base_args())
    gets = fake.gets()
    assert len(gets) == 25   # 24 full pages of 50, then an empty one (1,200 is a multiple of 50)
    assert all(g["query"]["offset"] == "0" and 1 <= int(g["query"]["limit"]) <= 50 for g in gets)
    assert [g["query"].get("marker") for g in gets[1:]] == [fake.record_ids[50 * i - 1] for i in range(1, 25)]
    failed = [t for t, s in subtasks if s == "Fail"]
    assert len(failed) == 1100 and [j["id"] for j in result["jobs"]] == failed
    assert result["summary"]["changed"] == 1100 and [len(p["body"]["targets"]) for p in fake.posts()] == [100] * 11


def test_max_jobs_bounds_what_filters_select_before_any_retry(run_module):
    fake = FakeIotda(failed_subtasks(30))
    result = run_module(fake, **base_args(filters={"status": "Fail"}, max_jobs=20))
    assert result["failed"] and "filters selected 30 targets, more than max_jobs (20)" in result["msg"]
    assert fake.posts() == []


# Instance-Id and signing -------------------------------------------------------------

def test_instance_id_is_sent_on_every_request(run_module):
    fake = FakeIotda(failed_subtasks(1))
    run_module(fake, **base_args(instance_id="11111111-2222-3333-4444-555555555555"))
    assert len(fake.calls) == 2
    assert all(c["headers"]["Instance-Id"] == "11111111-2222-3333-4444-555555555555" for c in fake.calls)
    assert all("instance-id" in c["headers"]["Authorization"] for c in fake.calls)


@pytest.mark.parametrize("endpoint, derived, algorithm", [
    ("https://" + INSTANCE_HOST, None, "V11-HMAC-SHA256 Credential=%s/" % AK),
    ("https://" + INSTANCE_HOST, False, "SDK-HMAC-SHA256 Access=%s," % AK),
    (None, None, "SDK-HMAC-SHA256 Access=%s," % AK),
    ("https://iotda.cn-north-4.myhuaweicloud.com", True, "V11-HMAC-SHA256 Credential=%s/" % AK),
])
def test_derived_signing_is_chosen_from_the_endpoint_unless_set(run_module, endpoint, derived, algorithm):
    fake = FakeIotda(failed_subtasks(1))
    args = base_args()
    if endpoint:
        args["endpoint"] = endpoint
    if derived is not None:
        args["derived_signing"] = derived
    run_module(fake, **args)
    assert len(fake.calls) == 2
    for call in fake.calls:
        auth = call["headers"]["Authorization"]
        assert auth.startswith(algorithm)
        if algorithm.startswith("V11"):
            assert "/cn-north-4/iotdm, SignedHeaders=" in auth
    assert fake.calls[0]["host"] == (urlsplit(endpoint).netloc if endpoint else "iotda.cn-north-4.myhuaweicloud.com")


def test_derived_signature_matches_the_shared_signer(run_module):
    from ansible_collections.cloudops.jobs.plugins.module_utils._huawei_auth import sign_derived
    fake = FakeIotda(failed_subtasks(1))
    run_module(fake, **base_args(endpoint="https://" + INSTANCE_HOST, targets=["dev-000"], precheck=False))
    call = fake.calls[0]
    sent = dict(call["headers"])
    authorization = sent.pop("Authorization")
    url = "https://%s%s" % (call["host"], call["path"])
    body = json.dumps(call["body"], separators=(", ", ": ")).encode("utf-8")
    again = sign_derived("POST", url, sent, body, AK, SK, "iotdm", "cn-north-4")
    assert again["Authorization"] == authorization


def test_token_auth_is_unaffected_by_derived_signing(run_module):
    fake = FakeIotda(failed_subtasks(1))
    args = dict(project_id=PROJECT, auth_token="static-token-1", task_id=TASK, endpoint="https://" + INSTANCE_HOST,
                derived_signing=True)
    result = run_module(fake, **args)
    assert not result["failed"]
    assert all(c["headers"]["X-Auth-Token"] == "static-token-1" and "Authorization" not in c["headers"] for c in fake.calls)
    assert any("derived_signing" in w for w in warnings(result))


def test_derived_signing_without_region_fails_before_any_request(run_module):
    fake = FakeIotda(failed_subtasks(1))
    args = dict(project_id=PROJECT, access_key=AK, secret_key=SK, task_id=TASK, endpoint="https://" + INSTANCE_HOST)
    result = run_module(fake, **args)
    assert result["failed"] and "region" in result["msg"] and "cn-north-4" in result["msg"]
    assert fake.calls == []


# the pieces ---------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint, expected", [
    ("https://abc123def4.st1.iotda-app.cn-north-4.myhuaweicloud.com", True),
    ("http://ABC123DEF4.st1.IOTDA-APP.cn-north-4.myhuaweicloud.com:8443/", True),
    ("https://iotda.cn-north-4.myhuaweicloud.com", False),
    ("https://iotda-app.example.com", False),
    (None, False),
])
def test_instance_host_detection(endpoint, expected):
    assert _iotda.is_instance_host(endpoint) is expected
