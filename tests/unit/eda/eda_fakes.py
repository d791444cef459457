# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the event source tests share: the source loaded as ansible-rulebook loads it (runpy), fake clouds that answer
the list calls the way the services do (pages, errors), and a driver that runs the source one list pass at a time."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import os

from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError

COLLECTION = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SOURCE = os.path.join(COLLECTION, "extensions", "eda", "plugins", "event_source", "failed_jobs.py")

PROJECT = "0123456789abcdef0123456789abcdef"
HUAWEI_ARGS = dict(region="cn-north-4", project_id=PROJECT, access_key="HPUAEXAMPLEAK0000001",
                   secret_key="ExampleSecretKey0000000000000001")
TENCENT_ARGS = dict(region="ap-guangzhou", secret_id="AKIDEXAMPLE000000000000000000000001",
                    secret_key="ExampleTencentSecret0000000000001")
EVENT_KEYS = {"service", "id", "status", "previous_status", "error_code", "error_msg", "module", "region", "project_id"}

ENV_NAMES = ("HUAWEICLOUD_SDK_REGION", "HW_REGION_NAME", "HUAWEICLOUD_SDK_PROJECT_ID", "HW_PROJECT_ID", "HUAWEICLOUD_SDK_AK",
             "HW_ACCESS_KEY", "HUAWEICLOUD_SDK_SK", "HW_SECRET_KEY", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "HW_SECURITY_TOKEN",
             "HUAWEICLOUD_AUTH_TOKEN", "HW_AUTH_TOKEN", "HW_USER_NAME", "HW_USER_PASSWORD", "HW_DOMAIN_NAME",
             "HUAWEICLOUD_SDK_IAM_ENDPOINT", "HW_AUTH_URL", "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY",
             "TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_REGION")


def load_source():
    """The plugin's globals, as ansible-rulebook gets them: ``runpy.run_path`` runs a plain file as ``<run_path>`` with
    its ``__file__`` set. (run_path itself is not called: ansible-test's collection loader claims every path.)"""
    with open(SOURCE) as handle:
        code = compile(handle.read(), SOURCE, "exec")
    namespace = {"__name__": "<run_path>", "__file__": SOURCE, "__builtins__": __builtins__}
    exec(code, namespace)  # pylint: disable=exec-used
    return namespace


class FakeCloud:
    """A client stand-in: ``call`` answers like HuaweiClient.call / TencentClient.call from ``jobs``.

    ``jobs``: id -> status (DRS, Tencent); ``tasks``: task_id -> {"status", "targets": {target: status}} (IoTDA).
    ``fail_next``: errors raised by the next calls, in order (None lets a call through); ``calls``: what was asked.
    """

    def __init__(self, service, jobs=None, tasks=None):
        self.service = service
        self.jobs = dict(jobs or {})
        self.tasks = dict(tasks or {})
        self.fail_next = []
        self.calls = []
        self.errors = {}   # target -> {"error_code", "error_msg"} shown on a failed subtask
        self.end_times = {}  # Tencent job id -> EndTime

    def project_id(self):
        return PROJECT

    def call(self, *args, **kwargs):
        self.calls.append((args, kwargs))
        if self.fail_next:
            error = self.fail_next.pop(0)
            if error is not None:
                raise error
        if self.service == "tencent_batch":
            return self._tencent(*args, **kwargs)
        return self._huawei(*args, **kwargs)

    # DRS / IoTDA (HuaweiClient.call(service, method, path, body, query, headers, idempotent, derived)) -----------------
    def _huawei(self, service, method, path, body=None, query=None, headers=None, idempotent=False, derived=None):
        assert idempotent, "the source only reads"
        if service == "drs":
            assert (method, path) == ("POST", "/v3/{project_id}/jobs")
            ids = sorted(i for i in self.jobs if body.get("status") in (None, self.jobs[i]))
            page, per_page = body["cur_page"], body["per_page"]
            chunk = ids[(page - 1) * per_page:page * per_page]
            return {"jobs": [{"id": i, "name": "n-" + i, "status": self.jobs[i]} for i in chunk],
                    "total_record": len(ids)}, "req-drs"
        assert service == "iotda" and method == "GET"
        if path == "/v5/iot/{project_id}/batchtasks":
            tasks = [{"task_id": t, "task_type": query["task_type"], "status": v["status"],
                      "task_progress": v.get("progress", {})} for t, v in sorted(self.tasks.items())]
            return {"batchtasks": tasks, "page": {"count": len(tasks)}}, "req-list"
        task_id = path.rsplit("/", 1)[1]
        task = self.tasks[task_id]
        wanted = query.get("task_detail_status")
        details = [dict({"target": t, "status": s}, **({"error": self.errors[t]} if t in self.errors else {}))
                   for t, s in sorted(task["targets"].items()) if wanted in (None, s)]
        return {"batchtask": {"task_id": task_id, "status": task["status"]}, "task_details": details,
                "page": {"count": len(details)}}, "req-show"

    # Tencent (TencentClient.call(action, payload, idempotent)) ---------------------------------------------------------
    def _tencent(self, action, payload, idempotent=False):
        assert action == "DescribeJobs" and idempotent and "JobIds" not in payload
        ids = sorted(self.jobs)
        offset, limit = payload["Offset"], payload["Limit"]
        chunk = ids[offset:offset + limit]
        return {"JobSet": [dict({"JobId": i, "JobName": "n-" + i, "JobState": self.jobs[i]},
                                **({"EndTime": self.end_times[i]} if i in self.end_times else {})) for i in chunk],
                "TotalCount": len(ids), "RequestId": "req-tc"}, "req-tc"

    def list_calls(self):
        return [c for c in self.calls if self.service != "iotda" or c[0][2] == "/v5/iot/{project_id}/batchtasks"]


class StopSource(Exception):
    """Raised by the driver's sleep when the script has run out."""


async def drive(source, config, cloud, steps):
    """Run the source's poll loop over ``steps``: each step changes ``cloud`` before one list pass.

    Returns ``(events per pass, delays slept)``: ``events[i]`` are the events of pass ``i``.
    """
    config.client = cloud
    queue = asyncio.Queue()
    per_pass = []
    delays = []
    todo = list(steps)

    def collect():
        got = []
        while not queue.empty():
            got.append(queue.get_nowait()["cloudops_job"])
        per_pass.append(got)

    async def sleep(seconds):
        delays.append(seconds)
        collect()
        if not todo:
            raise StopSource()
        todo.pop(0)(cloud)
        await asyncio.sleep(0)

    todo.pop(0)(cloud)
    try:
        await source["run"](queue, config, sleep=sleep)
    except StopSource:
        pass
    return per_pass, delays


def api_error(status=503, code="APIGW.0202", msg="Service unavailable"):
    return ApiError(msg, code=code, http_status=status, request_id="req-err")


def set_jobs(**changes):
    """A step that sets job states (``id=status``; ``None`` removes the job)."""
    def step(cloud):
        for job_id, status in changes.items():
            job_id = job_id.replace("_", "-")
            if status is None:
                cloud.jobs.pop(job_id, None)
            else:
                cloud.jobs[job_id] = status
    return step


def nothing(cloud):
    return None
