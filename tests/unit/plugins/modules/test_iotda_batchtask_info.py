# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""iotda_batchtask_info end to end over a fake IoTDA client: one task with its subtasks, or a filtered task list."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.modules import iotda_batchtask_info
from ansible_collections.cloudops.jobs.tests.unit.plugins.runner_fakes import huawei_module_runner

TASK = "64a1b2c3d4e5f60718293a4b"
LIST_PATH = "/v5/iot/{project_id}/batchtasks"


class FakeIotda:
    """Task list and task show, paged by marker (newest first) with a page.count that shrinks as the marker moves."""

    kind = "aksk"

    def __init__(self, tasks=(), subtasks=()):
        self.tasks = list(tasks)
        self.subtasks = list(subtasks)
        self.calls = []

    def project_id(self):
        return "0123456789abcdef0123456789abcdef"

    @staticmethod
    def _page(rows, query, key):
        limit, offset = int(query["limit"]), int(query.get("offset", 0))
        if not 1 <= limit <= 50 or not 0 <= offset <= 500:
            raise ApiError("limit or offset out of range", code="IOTDA.000007", http_status=400)
        if query.get("marker"):
            rows = [r for r in rows if r[key] < query["marker"]]
        page = rows[offset:offset + limit]
        return page, {"count": len(rows), "marker": page[-1][key] if page else None}

    def call(self, service, method, path, body=None, query=None, headers=None, idempotent=False, derived=None):
        self.calls.append(dict(path=path, query=dict(query or {}), headers=dict(headers or {}), derived=derived))
        assert (service, method, body, idempotent) == ("iotda", "GET", None, True)
        if path == LIST_PATH:
            rows = [t for t in self.tasks if t["task_type"] == query["task_type"] and query.get("status") in (None, t["status"])]
            page, meta = self._page(rows, query, "task_id")
            return {"batchtasks": page, "page": meta}, "rid"
        if not path.endswith("/" + TASK):
            raise ApiError("The task does not exist.", code="IOTDA.014111", http_status=404)
        rows = [s for s in self.subtasks if query.get("task_detail_status") in (None, s["status"])]
        page, meta = self._page(rows, query, "target")
        return {"batchtask": {"task_id": TASK, "task_name": "fw-1.2", "task_type": "firmwareUpgrade", "status": "PartialSuccess"},
                "task_details": page, "page": meta}, "rid"


def tasks(n):
    return sorted(({"task_id": "%024x" % (0x64a1b2c3d4e5f60718200000 + i), "task_name": "t%d" % i, "task_type": "firmwareUpgrade",
                    "status": ("Fail", "Success", "PartialSuccess")[i % 3], "create_time": "20261201T000000Z"} for i in range(n)),
                  key=lambda t: t["task_id"], reverse=True)


def subtasks(n):
    out = []
    for i in range(n):
        item = {"target": "dev-%05d" % (99999 - i), "status": "Fail" if i % 2 else "Success"}
        if i % 2:
            item["error"] = {"error_code": "IOTDA.0101", "error_msg": "device offline"}
        out.append(item)
    return out


@pytest.fixture
def run(monkeypatch, capsys):
    return huawei_module_runner(monkeypatch, capsys, iotda_batchtask_info.main)


@pytest.mark.parametrize("check_mode", [False, True])
def test_filters_list_every_matching_task_once(run, check_mode):
    fake = FakeIotda(tasks(250))
    result = run(fake, check_mode=check_mode, filters={"task_type": "firmwareUpgrade", "status": ["Fail", "PartialSuccess"]},
                 instance_id="inst-1")
    expected = [t for t in tasks(250) if t["status"] == "Fail"] + [t for t in tasks(250) if t["status"] == "PartialSuccess"]
    assert not result["changed"]
    assert result["tasks"] == expected
    assert all(c["headers"] == {"Instance-Id": "inst-1"} and c["derived"] is None for c in fake.calls)
    assert len(fake.calls) == 4   # 84 Fail tasks and 83 PartialSuccess ones: two pages each


def test_task_id_reads_every_subtask(run):
    fake = FakeIotda(subtasks=subtasks(120))
    result = run(fake, task_id=TASK)
    task = result["tasks"][0]
    assert (task["task_id"], task["task_type"], task["status"]) == (TASK, "firmwareUpgrade", "PartialSuccess")
    assert [s["target"] for s in task["subtasks"]] == [s["target"] for s in subtasks(120)]
    assert task["subtasks"][1] == {"target": "dev-99998", "status": "Fail", "error_code": "IOTDA.0101", "error_msg": "device offline"}
    assert len(fake.calls) == 3


def test_task_detail_status_is_sent_and_derived_signing_follows_the_endpoint(run):
    fake = FakeIotda(subtasks=subtasks(10))
    result = run(fake, task_id=TASK, task_detail_status="Fail", endpoint="https://abc123def4.st1.iotda-app.cn-north-4.myhuaweicloud.com")
    assert [s["status"] for s in result["tasks"][0]["subtasks"]] == ["Fail"] * 5
    assert fake.calls[0]["query"]["task_detail_status"] == "Fail"
    assert fake.calls[0]["derived"] == ("iotdm", "cn-north-4")


def test_unknown_task_is_not_found(run):
    result = run(FakeIotda(), task_id="ffff")
    assert result["tasks"] == [{"task_id": "ffff", "status": "not_found"}]
    assert not result.get("failed")


@pytest.mark.parametrize("args,words", [
    (dict(filters={"status": "Fail"}), ["filters needs task_type", "firmwareUpgrade"]),
    (dict(filters={"task_type": "firmwareUpgrade", "state": "Fail"}), ["unknown key 'state'", "accepted: task_type, status, app_id"]),
    (dict(filters={"task_type": "fwUpgrade"}), ["filters.task_type has 'fwUpgrade'"]),
    (dict(task_id="XYZ"), ["task_id"]),
    (dict(task_id=TASK, filters={"task_type": "firmwareUpgrade"}), ["mutually exclusive"]),
    (dict(filters={"task_type": "firmwareUpgrade"}, task_detail_status="Fail"), ["task_detail_status", "task_id"]),
    (dict(task_id=TASK, instance_id="bad id"), ["instance_id"]),
])
def test_bad_input_fails_before_any_request(run, args, words):
    fake = FakeIotda(tasks(3))
    result = run(fake, **args)
    assert result["failed"]
    for word in words:
        assert word in result["msg"]
    assert fake.calls == []
