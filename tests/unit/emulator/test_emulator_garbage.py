# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``garbage`` fault kind: each body as it arrives, whether the operation was carried out first, the rule checks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys

import pytest

pytest.importorskip("huaweicloudsdkcore.signer.signer")
pytest.importorskip("tencentcloud.common.sign")

import requests  # noqa: E402

from cloudemu.faults import GARBAGE_BODIES, FaultError, FaultRule  # noqa: E402  pylint: disable=wrong-import-position
from cloudemu.messages import Answer  # noqa: E402  pylint: disable=wrong-import-position

RETRY = "/v3/{project_id}/jobs/batch-retry-task"
STATUS = "/v3/{project_id}/jobs/batch-status"


def _garbage(cloud, op, body, **extra):
    cloud.control("POST", "faults", {"faults": [dict({"op": op, "fault": "garbage", "body": body}, **extra)]})


def _retry(cloud, job_id="drs-job-0001"):
    return cloud.huawei("POST", RETRY, {"jobs": [{"job_id": job_id}]})


def _status(cloud, *ids):
    return cloud.huawei("POST", STATUS, {"jobs": list(ids or ["drs-job-0001"])})


@pytest.mark.parametrize("body, content", [
    ("null", b"null"), ("empty_array", b"[]"), ("string", b'"ok"'), ("empty_object", b"{}"), ("empty", b""),
])
def test_fixed_json_bodies_answer_200_after_acting(cloud, body, content):
    _garbage(cloud, "drs.retry", body)
    answer = _retry(cloud)
    assert (answer.status_code, answer.content) == (200, content)
    assert answer.headers["Content-Type"].startswith("application/json") and answer.headers["X-Request-Id"]
    assert cloud.state("drs", "drs-job-0001")["actions"] == 1      # act defaults to true: the retry was carried out
    entry = cloud.log("drs.retry")[-1]
    assert (entry["status"], entry["fault"], entry["acted"]) == (200, "garbage", True)


def test_act_false_leaves_the_job_alone(cloud):
    _garbage(cloud, "drs.retry", "null", act=False)
    assert _retry(cloud).content == b"null"
    assert cloud.state("drs", "drs-job-0001")["actions"] == 0
    assert cloud.log("drs.retry")[-1]["acted"] is False


def test_html_is_a_200_page(cloud):
    _garbage(cloud, "drs.status", "html")
    answer = _status(cloud)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/html")
    assert answer.text.startswith("<!DOCTYPE html>")


def test_wrong_types_replaces_every_field_recursively_keeping_the_containers(cloud):
    real = _status(cloud, "drs-job-0001", "drs-job-0003").json()
    _garbage(cloud, "drs.status", "wrong_types")
    data = _status(cloud, "drs-job-0001", "drs-job-0003").json()

    def check(before, after, where):
        if isinstance(before, dict):
            assert isinstance(after, dict) and set(after) == set(before), where
            for key in before:
                check(before[key], after[key], where + "." + key)
        elif isinstance(before, list) and before:
            assert isinstance(after, list) and len(after) == len(before), where
            for i, item in enumerate(before):
                check(item, after[i], "%s[%d]" % (where, i))
        else:
            kinds = (bool, (int, float), str, list, dict, type(None))
            same = [k for k in kinds if isinstance(before, k) and isinstance(after, k)
                    and not (k is not bool and (isinstance(before, bool) or isinstance(after, bool)))]
            assert not same, "%s kept its type: %r -> %r" % (where, before, after)

    check(real, data, "")
    assert data["results"][0]["id"] == len("drs-job-0001")   # a string becomes a number, a number a string


def test_null_entries_replaces_every_list_entry(cloud):
    real = _status(cloud, "drs-job-0001", "drs-job-0003").json()
    _garbage(cloud, "drs.status", "null_entries")
    data = _status(cloud, "drs-job-0001", "drs-job-0003").json()
    assert data["results"] == [None, None] and data["count"] == real["count"]


def test_invalid_utf8_in_every_string_of_the_real_answer(cloud):
    _garbage(cloud, "drs.status", "invalid_utf8")
    raw = _status(cloud).content
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    data = json.loads(raw.decode("utf-8", "surrogateescape"))
    assert data["results"][0]["id"] == "d\udcff\udcfers-job-0001"


def test_huge_numbers_replace_every_number(cloud):
    _garbage(cloud, "drs.status", "huge_numbers")
    raw = _status(cloud).content
    assert b'"count":' + b"9" * 5000 + b"}" in raw or b'"count":' + b"9" * 5000 + b"," in raw
    assert b"9" * 5001 not in raw
    if hasattr(sys, "set_int_max_str_digits"):   # Python 3.11+: a number this long is refused by int()
        with pytest.raises(ValueError):
            json.loads(raw)


def test_deep_nesting_is_100000_deep(cloud):
    _garbage(cloud, "drs.status", "deep_nesting")
    raw = _status(cloud).content
    assert raw == b"[" * 100000 + b"]" * 100000


@pytest.mark.parametrize("body, status, content_type, start", [
    ("4xx_html", 403, "text/html", b"<html>"), ("4xx_empty", 400, "application/json", b""),
    ("4xx_text", 400, "text/plain", b"Bad Request"),
])
def test_4xx_junk_bodies_are_not_acted_by_default(cloud, body, status, content_type, start):
    _garbage(cloud, "drs.retry", body)
    answer = _retry(cloud)
    assert answer.status_code == status and answer.headers["Content-Type"].startswith(content_type)
    assert answer.content.startswith(start) and (start or answer.content == b"")
    assert cloud.state("drs", "drs-job-0001")["actions"] == 0


def test_status_override_and_times(cloud):
    _garbage(cloud, "drs.status", "4xx_text", status=404, times=2)
    assert [_status(cloud).status_code for _i in range(3)] == [404, 404, 200]


def test_iam_token_keeps_the_real_headers_and_status(cloud):
    _garbage(cloud, "iam.token", "empty_object")
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "ops", "password": "demo-password-0001", "domain": {"name": "acme"}}}}}}
    answer = cloud.session.post(cloud.url + "/v3/auth/tokens", json=body, timeout=10)
    assert answer.status_code == 201 and answer.content == b"{}" and answer.headers["X-Subject-Token"]


def test_tencent_answer_transformed_inside_its_response(cloud):
    _garbage(cloud, "tencent.DescribeJobs", "null_entries")
    response = cloud.tencent("DescribeJobs", {"JobIds": ["job-aaaa0001"]})
    assert response["JobSet"] == [None] and isinstance(response["TotalCount"], int)


def test_an_answer_without_what_the_body_changes_is_counted_unchanged(cloud):
    _garbage(cloud, "tencent.RetryJobs", "null_entries")
    response = cloud.tencent("RetryJobs", {"JobIds": ["job-aaaa0001"]})
    assert set(response) == {"RequestId"}
    assert cloud.control("GET", "faults")["faults"][0]["unchanged"] == 1


@pytest.mark.parametrize("spec, text", [
    ({"body": "nonsense"}, "garbage fault's body must be one of"),
    ({}, "garbage fault's body must be one of"),
    ({"body": "wrong_types", "act": False}, "needs act true"),
    ({"body": "null", "status": 500}, "status must be a number >= 200"),
    ({"body": "4xx_html", "status": 200}, "status must be a number >= 400"),
])
def test_bad_garbage_rules_are_refused(cloud, spec, text):
    rule = dict({"op": "drs.retry", "fault": "garbage"}, **spec)
    with pytest.raises(FaultError, match=text):
        FaultRule(rule, {"drs.retry"})
    answer = requests.post(cloud.url + "/_emu/faults", json={"faults": [rule]}, timeout=10)
    assert answer.status_code == 400 and text in answer.json()["error"]


def test_body_belongs_to_the_garbage_kind_only():
    with pytest.raises(FaultError, match="garbage fault only"):
        FaultRule({"op": "drs.retry", "fault": "status", "body": "null"}, {"drs.retry"})


def test_every_body_is_served_without_a_real_answer_when_it_needs_none():
    for body in GARBAGE_BODIES:
        rule = FaultRule({"op": "*", "fault": "garbage", "body": body}, set())
        real = Answer(200, {"a": [1, "x", None, True]}, acted=True) if rule.act else None
        answer, delay = rule.answer(None, None, real)
        assert delay == 0.0 and answer.acted is rule.act and answer.status in (200, 400, 403)
