# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The garbage-answer matrix: which APIs each module and the event source call, how to make them call each one, the
emulator's garbage bodies, and what a run must end as (failed, with a message, no traceback, no job changed)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import sys
import urllib.request

COLLECTION = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
EMULATOR = os.path.join(COLLECTION, "tests", "emulator")
if EMULATOR not in sys.path:
    sys.path.insert(0, EMULATOR)

from cloudemu.faults import GARBAGE_4XX, GARBAGE_BODIES, GARBAGE_TRANSFORMS  # noqa: E402  pylint: disable=wrong-import-position

DEMO = os.path.join(EMULATOR, "scenarios", "demo.json")
PROJECT = "0123456789abcdef0123456789abcdef"
AK, SK = "DEMOAK0000000000000001", "demo-secret-key-0000000000000000000001"
USER = dict(user_name="ops", password="demo-password-0001", domain_name="acme")
TC_ID, TC_KEY = "AKIDDEMO0000000000000000000000000001", "demo-tencent-secret-0000000000000001"
TASK = "64a1b2c3d4e5f60718293a4b"
# Reads do not lag actions and the emulator does not throttle Tencent: each case is one quick module run.
CONFIG = {"lag_s": 0, "tencent_rate_limit": 0}
MALFORMED = "MalformedResponse"

IAM_APIS = ("iam.token", "iam.projects")
# How a message names each API: its method and path (or the Tencent action, or the IAM step).
API_NAMES = {
    "drs.status": r"/v3/\{project_id\}/jobs/batch-status", "drs.retry": r"/v3/\{project_id\}/jobs/batch-retry-task",
    "drs.start": r"/v3/\{project_id\}/jobs/batch-starting", "drs.list": r"POST /v3/\{project_id\}/jobs(?![\w/-])",
    "workspace.show": r"GET /v2/\{project_id\}/workspace-jobs/", "workspace.action": r"workspace-jobs/[^ ]*/actions",
    "iotda.show": r"GET /v5/iot/\{project_id\}/batchtasks/", "iotda.retry": r"batchtasks/[^ ]*/retry",
    "iotda.list": r"GET /v5/iot/\{project_id\}/batchtasks(?![\w/-])",
    "tencent.DescribeJobs": r"DescribeJobs", "tencent.RetryJobs": r"RetryJobs",
    "iam.token": r"/v3/auth/tokens|IAM password login", "iam.projects": r"/v3/projects|IAM project lookup",
}
WRITES = frozenset(["drs.retry", "drs.start", "workspace.action", "iotda.retry", "tencent.RetryJobs"])
VARIANTS = GARBAGE_BODIES
# What a transform needs in the real answer; an answer without it is served unchanged (the case is skipped).
NEEDS = {"null_entries": "a list entry", "huge_numbers": "a number", "invalid_utf8": "a string", "wrong_types": "a field"}
assert set(NEEDS) == set(GARBAGE_TRANSFORMS)

# How each module is made to call each API: (op, how). ``ids``: the jobs named; ``list``: the jobs found by filters.
# ``read``: the API is the precheck's read, not called with precheck false.
_DRS_LIST_OF = {"drs_job_retry": "INCRE_TRANSFER_FAILED", "drs_job_start": "CONFIGURATION", "drs_job_info": "INCRE_TRANSFER_FAILED"}
MODULES = {
    "drs_job_retry": dict(cloud="huawei", action=True, ids={"job_ids": ["drs-job-0001"]},
                          apis={"drs.status": "read", "drs.retry": "ids", "drs.list": "list"}),
    "drs_job_start": dict(cloud="huawei", action=True, ids={"job_ids": ["drs-job-0008"]},
                          apis={"drs.status": "read", "drs.start": "ids", "drs.list": "list"}),
    "drs_job_info": dict(cloud="huawei", action=False, ids={"job_ids": ["drs-job-0001"]},
                         apis={"drs.status": "ids", "drs.list": "list"}),
    "workspace_job_action": dict(cloud="huawei", action=True, ids={"job_ids": ["ws-job-0003"]},
                                 apis={"workspace.show": "read", "workspace.action": "ids"}),
    "workspace_job_info": dict(cloud="huawei", action=False, ids={"job_ids": ["ws-job-0003"]},
                               apis={"workspace.show": "ids"}),
    # No targets: with precheck the failed subtasks are read (iotda.show), without it one retry for every failed one.
    "iotda_batchtask_retry": dict(cloud="huawei", action=True, ids={"task_id": TASK},
                                  apis={"iotda.show": "read", "iotda.retry": "ids", "iotda.list": None}),
    "iotda_batchtask_info": dict(cloud="huawei", action=False, ids={"task_id": TASK},
                                 apis={"iotda.show": "ids", "iotda.list": "list"}),
    "tencent_batch_retry": dict(cloud="tencent", action=True, ids={"job_ids": ["job-aaaa0001"]},
                                apis={"tencent.DescribeJobs": "read", "tencent.DescribeJobs/list": "list",
                                      "tencent.RetryJobs": "ids"}),
    "tencent_batch_job_info": dict(cloud="tencent", action=False, ids={"job_ids": ["job-aaaa0001"]},
                                   apis={"tencent.DescribeJobs": "ids", "tencent.DescribeJobs/list": "list"}),
}
for _name, _spec in MODULES.items():
    if _spec["cloud"] == "huawei":
        _spec["apis"].update((api, "read_or_act") for api in IAM_APIS)
LIST_FILTERS = {
    "drs_job_retry": {"status": "INCRE_TRANSFER_FAILED"}, "drs_job_start": {"status": "CONFIGURATION"},
    "drs_job_info": {"status": "INCRE_TRANSFER_FAILED"}, "iotda_batchtask_info": {"task_type": "firmwareUpgrade"},
    "tencent_batch_retry": {"job-state": "FAILED"}, "tencent_batch_job_info": {"job-state": "FAILED"},
}
SKIPS = {
    ("iotda_batchtask_retry", "iotda.list"): "iotda_batchtask_retry never lists batch tasks: its filters select the "
                                             "subtasks of the one task_id, read by iotda.show",
}
# Variants that change nothing the collection reads in an API's answer.
VARIANT_SKIPS = {
    ("iam.token", "null_entries"): "the token answer's only non-empty list, token.methods, is not read (the collection "
                                   "reads the X-Subject-Token header and token.project.id)",
}


def op_of(api):
    """The emulator op of an API key (``tencent.DescribeJobs/list`` is DescribeJobs with Filters)."""
    return api.split("/", 1)[0]


def module_cases():
    """(module, api, variant, precheck, skip reason or None) for the whole matrix; precheck None for info modules."""
    out = []
    for module, spec in sorted(MODULES.items()):
        for api, how in sorted(spec["apis"].items()):
            for variant in VARIANTS:
                for precheck in ((True, False) if spec["action"] else (None,)):
                    reason = SKIPS.get((module, api)) or VARIANT_SKIPS.get((op_of(api), variant))
                    if reason is None and how == "read" and precheck is False:
                        reason = "%s with precheck: false reads no job state before acting: %s is never called" % (
                            module, op_of(api))
                    out.append((module, api, variant, precheck, reason))
    return out


def cloud_args(cloud, api, url):
    """The credentials and endpoints for a run against the emulator: for iam.token the password login without
    project_id, for iam.projects AK/SK without project_id, else AK/SK with a project id (Tencent: its keys)."""
    if cloud != "huawei":
        return dict(region="ap-guangzhou", secret_id=TC_ID, secret_key=TC_KEY, endpoint=url, rate_limit=1000)
    args = dict(region="cn-north-4", endpoint=url)
    if api == "iam.token":
        args.update(USER, iam_endpoint=url)
    elif api == "iam.projects":
        # A password login scopes its token to the region's project and takes the id from it: the project lookup
        # is made for AK/SK without project_id.
        args.update(access_key=AK, secret_key=SK, iam_endpoint=url)
    else:
        args.update(access_key=AK, secret_key=SK, project_id=PROJECT)
    return args


def module_args(module, api, precheck, url):
    """The task's arguments: AK/SK with a project id; for iam.token the password login without project_id, for
    iam.projects AK/SK without project_id."""
    spec = MODULES[module]
    args = cloud_args(spec["cloud"], api, url)
    args["timeout"] = 20
    if spec["apis"][api] == "list":
        args["filters"] = dict(LIST_FILTERS[module])
    else:
        args.update(json.loads(json.dumps(spec["ids"])))
    if precheck is not None:
        args["precheck"] = precheck
    return args


def rule(api, variant):
    return {"op": op_of(api), "fault": "garbage", "body": variant, "times": -1}


# the emulator's control API (stdlib only) ---------------------------------------------------------------------------
def control(url, method, path, body=None):
    data = json.dumps(body).encode("utf-8") if body is not None else None
    req = urllib.request.Request(url + "/_emu/" + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as answer:  # nosec: the local emulator
        return json.loads(answer.read().decode("utf-8"))


def reset(url, faults=()):
    control(url, "POST", "reset", {"faults": list(faults), "config": dict(CONFIG)})


def log(url):
    return control(url, "GET", "requests")["requests"]


def served(url, api, entries):
    """(garbage answers served for ``api``, how many of them the transform could not change)."""
    hits = sum(1 for e in entries if e["op"] == op_of(api) and e["fault"] == "garbage")
    rules = [r for r in control(url, "GET", "faults")["faults"] if r.get("fault") == "garbage"]
    return hits, sum(r.get("unchanged", 0) for r in rules)


def is_2xx(variant):
    return variant not in GARBAGE_4XX


# what a module run must end as --------------------------------------------------------------------------------------
def judge(module, api, variant, result, entries):
    """The problems with one module run (an empty list when it ended as it must)."""
    problems = []
    if result.get("_raised"):
        return ["the module raised %s" % result["_raised"]]
    text = json.dumps(result, default=str)
    if result.get("failed") is not True:
        problems.append("not failed")
    msg = result.get("msg")
    if not isinstance(msg, str) or not msg.strip():
        problems.append("no message")
    if "exception" in result or "Traceback" in text or (isinstance(msg, str) and msg.startswith("unexpected error")):
        problems.append("traceback / unexpected error")
    jobs = result.get("jobs") or result.get("tasks") or []
    if result.get("changed") or any(isinstance(j, dict) and j.get("changed") for j in jobs):
        problems.append("reported changed")
    op = op_of(api)
    writes = [e for e in entries if e["op"] in WRITES]
    if op in WRITES:
        sent = [e for e in writes if e["op"] == op]
        if len(sent) != 1:
            problems.append("%s sent %d times (once, never re-sent)" % (op, len(sent)))
        if is_2xx(variant) and any(e["acted"] for e in sent):
            entries_of = [j for j in jobs if isinstance(j, dict)]
            wrong = [j.get("id") or j.get("target") for j in entries_of if j.get("status") != "unknown"]
            if wrong:
                problems.append("acted write not reported unknown for %s" % ", ".join(str(w) for w in wrong))
    elif writes:
        problems.append("acted on after a garbage %s answer (%s sent)" % (op, ", ".join(sorted(set(e["op"] for e in writes)))))
    if op not in WRITES and is_2xx(variant) and not re.search(API_NAMES[op], text):
        problems.append("the message does not name the API (%s)" % API_NAMES[op].replace("\\", ""))
    return problems


def observed(result, entries):
    """One line: what the run ended as."""
    if result.get("_raised"):
        return "raised %s" % result["_raised"]
    jobs = result.get("jobs") or result.get("tasks") or []
    shown = []
    for job in jobs[:4]:
        if isinstance(job, dict):
            shown.append("%s=%s%s" % (job.get("id") or job.get("target") or job.get("task_id"), job.get("status"),
                                      "(changed)" if job.get("changed") else ""))
    ops = {}
    for entry in entries:
        ops[entry["op"]] = ops.get(entry["op"], 0) + 1
    msg = " ".join(str(result.get("msg", "")).split())
    return "failed=%s changed=%s jobs=[%s] requests=%s msg=%r%s" % (
        result.get("failed", False), result.get("changed"), ", ".join(shown),
        ",".join("%s:%d" % kv for kv in sorted(ops.items())), msg[:240], " exception" if "exception" in result else "")
