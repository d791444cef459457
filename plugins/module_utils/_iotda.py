# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud IoTDA: retry the failed subtasks of a batch task, with the task and subtask state tables.

State values: ShowBatchTaskResponse in huaweicloudsdkiotda (see the api notes) and the API reference
of "Re-Execute a Batch Task". A "job" here is one target (a device ID) of one batch task.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit  # type: ignore

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import path_quote
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import JobAction

SERVICE = "iotda"
# The service name of the derived (V11-HMAC-SHA256) signature for IoTDA instances.
DERIVED_SERVICE = "iotdm"
# Standard and enterprise instances are reached at <id>.st1.iotda-app.<region>.myhuaweicloud.com.
INSTANCE_HOST_MARK = ".iotda-app."

MAX_TARGETS_PER_REQUEST = 100
PAGE_LIMIT = 50          # task_details page size: 1-50
MAX_OFFSET = 500         # offset: 0-500; past it, page on with the marker
MAX_PAGES = 2000         # 100,000 subtasks: a guard against a service that never stops paging

TASK_ID_RE = re.compile(r"^[a-f0-9]{1,24}$")
INSTANCE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,35}$")

# Task status (batchtask.status): Success, Fail, Processing, PartialSuccess, Stopped, Waitting (sic),
# Initializing, Stopping. The API refuses a retry for these:
TASK_REFUSED = frozenset(["Success", "Stopped", "Stopping", "Waitting", "Initializing"])
TASK_STATUSES = TASK_REFUSED | frozenset(["Fail", "Processing", "PartialSuccess"])

# Subtask status (task_details[].status): Waitting, Processing, Success, Fail, FailWaitRetry, Stopped, Removed.
SUBTASK_ACTIONABLE = frozenset(["Fail", "FailWaitRetry", "Stopped"])   # what a retry with {} re-executes
SUBTASK_SETTLED = frozenset(["Success", "Processing", "Waitting"])      # done or under way: skipped
SUBTASK_SUCCEEDED = frozenset(["Success"])                             # terminal, ok (wait)
SUBTASK_FAILED = frozenset(["Fail", "Stopped", "Removed"])             # terminal, failed (wait)
# FailWaitRetry is not terminal: the platform retries it by itself.


def check_task_id(value):
    if not isinstance(value, str) or not TASK_ID_RE.match(value):
        raise InputError("task_id %r is not a batch task ID: at most 24 characters of a-f and 0-9 (lower case), "
                         "as IoTDA allocates them, for example 64a1b2c3d4e5f60718293a4b" % (value,))


def check_instance_id(value):
    if value is not None and not INSTANCE_ID_RE.match(value):
        raise InputError("instance_id %r is not an IoTDA instance ID: 1 to 36 letters, digits, '-' and '_' "
                         "(see the instance's Overview page in the IoTDA console)" % (value,))


def is_instance_host(endpoint):
    host = urlsplit(endpoint or "").hostname or ""
    return INSTANCE_HOST_MARK in host.lower()


def _region_in_host(endpoint):
    host = urlsplit(endpoint or "").hostname or ""
    parts = host.lower().split(".")
    if "iotda-app" in parts:
        index = parts.index("iotda-app")
        if index + 1 < len(parts):
            return parts[index + 1]
    return None


def derived_signing(params, auth_kind):
    """``(service, region)`` when requests must carry the derived V11-HMAC-SHA256 signature, else None.

    ``derived_signing`` unset means automatic: derived for an instance host (``*.iotda-app.*``).
    Only AK/SK requests are signed; a token is sent as it is.
    """
    wanted = params.get("derived_signing")
    if wanted is None:
        wanted = is_instance_host(params.get("endpoint"))
    if not wanted or auth_kind != "aksk":
        return None
    region = params.get("region")
    if not region:
        hint = _region_in_host(params.get("endpoint"))
        raise InputError("derived AK/SK signing (V11-HMAC-SHA256, used for IoTDA standard and enterprise instances) needs "
                         "region, which is part of the signature; set region (or HUAWEICLOUD_SDK_REGION)%s"
                         % ((", here probably %s as in the endpoint host" % hint) if hint else ""))
    return (DERIVED_SERVICE, region)


def chunks(items, size=MAX_TARGETS_PER_REQUEST):
    return [items[i:i + size] for i in range(0, len(items), size)]


class TaskSnapshot:
    """One read of a batch task: its status and every subtask's status, in the order the service listed them."""

    def __init__(self, task_id, status, subtasks, task_type=None, request_id=None):
        self.task_id = task_id
        self.status = status
        self.subtasks = subtasks          # list of (target, status)
        self.task_type = task_type
        self.request_id = request_id

    def states(self):
        return dict(self.subtasks)

    def actionable_targets(self):
        seen = set()
        out = []
        for target, status in self.subtasks:
            if status in SUBTASK_ACTIONABLE and target not in seen:
                seen.add(target)
                out.append(target)
        return out

    def refused(self):
        return self.status in TASK_REFUSED

    def refusal(self):
        return ("the batch task %s is %s, and IoTDA refuses a retry of a task in status %s; "
                "a retry is accepted while the task is Fail, PartialSuccess or Processing"
                % (self.task_id, self.status, ", ".join(sorted(TASK_REFUSED))))


class IotdaRetry(JobAction):
    """``POST /v5/iot/{project_id}/batchtasks/{task_id}/retry``, at most 100 targets per request."""

    noun = "target"
    verb = "retried"
    actionable = SUBTASK_ACTIONABLE
    settled = SUBTASK_SETTLED
    succeeded = SUBTASK_SUCCEEDED
    failed_states = SUBTASK_FAILED
    expected_after = "Waitting"

    def __init__(self, client, task_id, instance_id=None, derived=None, page_limit=PAGE_LIMIT):
        self.client = client
        self.task_id = task_id
        self.instance_id = instance_id
        self.derived = derived
        self.page_limit = page_limit
        self._snapshot = None
        self.task_refusal = None   # set when the task's own status makes IoTDA refuse any retry
        self.sent_requests = []   # (number of targets or None for {}, request id) per retry request

    def _headers(self):
        return {"Instance-Id": self.instance_id} if self.instance_id else {}

    def _path(self, suffix=""):
        return "/v5/iot/{project_id}/batchtasks/%s%s" % (path_quote(self.task_id), suffix)

    # reading ------------------------------------------------------------------
    def read_task(self):
        """Read the task and all its subtasks: pages of ``limit`` by ``offset`` up to 500, then by ``marker``."""
        subtasks = []
        status = task_type = first_request_id = None
        offset = 0
        marker = None
        total = None
        for _page in range(MAX_PAGES):
            query = {"limit": self.page_limit, "offset": offset}
            if marker:
                query["marker"] = marker
            data, request_id = self.client.call(SERVICE, "GET", self._path(), query=query, headers=self._headers(),
                                                idempotent=True, derived=self.derived)
            task = data.get("batchtask") or {}
            if first_request_id is None:
                first_request_id = request_id
                status = task.get("status")
                task_type = task.get("task_type")
            details = data.get("task_details") or []
            for item in details:
                if isinstance(item, dict) and item.get("target"):
                    subtasks.append((str(item["target"]), item.get("status")))
            page = data.get("page") or {}
            if isinstance(page.get("count"), int):
                total = page["count"]
            if len(details) < self.page_limit or (total is not None and len(subtasks) >= total):
                break
            if offset + self.page_limit <= MAX_OFFSET:
                offset += self.page_limit
                continue
            next_marker = page.get("marker")
            if not next_marker or next_marker == marker:
                raise ApiError("reading the subtasks of batch task %s stopped after %d: the service gave no marker to page on "
                               "past offset %d" % (self.task_id, len(subtasks), MAX_OFFSET), code="PagingStopped",
                               request_id=request_id)
            marker = next_marker
            offset = 0
        if status is None:
            raise ApiError("the service's answer about batch task %s has no batchtask.status" % self.task_id,
                           code="MalformedResponse", request_id=first_request_id)
        return TaskSnapshot(self.task_id, status, subtasks, task_type, first_request_id)

    def snapshot(self):
        """Read the task now; the next :meth:`read_states` (the Runner's precheck) answers from this read, or
        raises its error again, so the task is read once."""
        try:
            self._snapshot = self.read_task()
        except ApiError as exc:
            self._snapshot = exc
            raise
        self.task_refusal = self._snapshot.refusal() if self._snapshot.refused() else None
        return self._snapshot

    def refusal(self, job_id, state):
        """A subtask IoTDA would retry still is not, when the task itself is in a refused status."""
        return self.task_refusal

    def read_states(self, ids):
        snap, self._snapshot = self._snapshot, None
        if isinstance(snap, ApiError):
            raise snap
        if snap is None:
            snap = self.read_task()
        return snap.states()

    # acting -------------------------------------------------------------------
    def _send(self, body):
        return self.client.call(SERVICE, "POST", self._path("/retry"), body=body, headers=self._headers(),
                                derived=self.derived)

    def _record(self, items, results, request_id):
        """Record each answered target; return the answered targets in the service's order."""
        answered = []
        for item in items or []:
            if not isinstance(item, dict) or item.get("target") is None:
                continue
            target = str(item["target"])
            answered.append(target)
            if str(item.get("status", "")).lower() == "success":
                results.acted(target, "success", request_id=request_id)
            else:
                results.failed(target, "failed", item.get("error_msg") or "the service refused to retry this target",
                               error_code=item.get("error_code"), request_id=request_id)
        return answered

    def act(self, ids, results):
        """One request per 100 targets, in order; a request that fails as a whole fails only its own targets."""
        for chunk in chunks(list(ids)):
            try:
                data, request_id = self._send({"targets": chunk})
            except ApiError as exc:
                self.sent_requests.append((len(chunk), exc.request_id))
                for target in chunk:
                    results.failed_from(target, exc)
                continue
            self.sent_requests.append((len(chunk), request_id))
            self._record(data.get("targets"), results, request_id)
            results.missing_as_unknown(chunk, "the service's answer (request id %s) did not mention this target" % request_id)

    def act_all(self):
        """``{}``: retry every subtask in Fail, FailWaitRetry or Stopped; returns (data, request_id) or raises ApiError."""
        data, request_id = self._send({})
        self.sent_requests.append((None, request_id))
        return data, request_id

    def record_all(self, data, request_id, results):
        return self._record(data.get("targets"), results, request_id)
