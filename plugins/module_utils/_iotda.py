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
from urllib.parse import urlsplit

from ansible_collections.cloudops.jobs.plugins.module_utils import _discovery
from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError, Shape
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import path_quote
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import Discovery, JobAction, Record
from ansible_collections.cloudops.jobs.plugins.module_utils._results import Outcome

SERVICE = "iotda"
# The service name of the derived (V11-HMAC-SHA256) signature for IoTDA instances.
DERIVED_SERVICE = "iotdm"
# Standard and enterprise instances are reached at <id>.st1.iotda-app.<region>.myhuaweicloud.com.
INSTANCE_HOST_MARK = ".iotda-app."

MAX_TARGETS_PER_REQUEST = 100
PAGE_LIMIT = 50          # task_details page size: 1-50 (offset: 0-500; paging is by marker, at offset 0)

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


SUBTASK_STATUSES = SUBTASK_ACTIONABLE | SUBTASK_SETTLED | SUBTASK_FAILED | frozenset(["FailWaitRetry"])


SUBTASK_FILTER_KEYS = ("status",)   # the filters of iotda_batchtask_retry (its docs are held to this table)


def check_subtask_filters(filters):
    """``filters`` of iotda_batchtask_retry: ``status``, one subtask status or a list; the normalized dict."""
    unknown = sorted(set(filters) - set(SUBTASK_FILTER_KEYS))
    if unknown:
        raise InputError("filters has unknown key %s; accepted: status (the subtask status: %s)"
                         % (", ".join(repr(k) for k in unknown), ", ".join(sorted(SUBTASK_STATUSES))))
    status = filters.get("status")
    if status is None:
        return {}
    statuses = [status] if isinstance(status, str) else status
    if not isinstance(statuses, list) or not statuses or any(s not in SUBTASK_STATUSES for s in statuses):
        raise InputError("filters.status must be a subtask status or a list of them (%s), got %r"
                         % (", ".join(sorted(SUBTASK_STATUSES)), status))
    return {"status": list(statuses)}


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


def signing_client(module):
    """``(client, derived)``: the module's Huawei client and the derived signing its requests need, if any."""
    client = module.client()
    derived = derived_signing(module.params, client.kind)
    if module.params.get("derived_signing") and client.kind != "aksk":
        module.warn("derived_signing applies to AK/SK signing only; the requests carry a token instead")
    return client, derived


def task_path(task_id, suffix=""):
    return "/v5/iot/{project_id}/batchtasks/%s%s" % (path_quote(task_id), suffix)


def instance_headers(instance_id):
    return {"Instance-Id": instance_id} if instance_id else {}


# Discovery of batch tasks: ListBatchTasksRequest (GET /v5/iot/{project_id}/batchtasks): limit 1-50, offset 0-500,
# marker = the ID of the last entry of the previous page.
LIST_PATH = "/v5/iot/{project_id}/batchtasks"
LIST_LIMIT = 50
LIST_MAX_OFFSET = 500
FILTER_KEYS = ("task_type", "status", "app_id")
# ListBatchTasksRequest.task_type (huaweicloudsdkiotda v5): a mistyped type would silently list nothing.
TASK_TYPES = (
    "softwareUpgrade", "firmwareUpgrade", "moduleUpgrade", "createDevices", "deleteDevices", "freezeDevices",
    "unfreezeDevices", "createCommands", "createAsyncCommands", "createMessages", "updateDeviceShadows", "updateDevices",
)
_APP_ID = re.compile(r"^[A-Za-z0-9_-]{1,36}$")


def check_filters(filters, option="filters"):
    """``filters`` for the batch task list, checked before any request: ``task_type`` required, it and ``status``
    lists (one query each), without duplicates in the user's order. Raises InputError naming the key."""
    out = {}
    for key, value in _discovery.check_keys(_discovery.IOTDA, filters, FILTER_KEYS, option).items():
        if key == "task_type":
            types = _discovery.texts(option, key, value, "a batch task type or a list of them")
            for task_type in types:
                if task_type not in TASK_TYPES:
                    raise InputError("%s.task_type has %r, which is not an IoTDA batch task type; accepted: %s"
                                     % (option, task_type, ", ".join(TASK_TYPES)))
            out[key] = types
        elif key == "status":
            out[key] = _discovery.one_of(option, key, _discovery.texts(option, key, value), TASK_STATUSES,
                                         "batch task status (as IoTDA spells them)")
        else:
            out[key] = _discovery.matching(option, key, [_discovery.text(option, key, value)], _APP_ID,
                                           "a resource space ID: 1 to 36 letters, digits, '_' and '-'")[0]
    if "task_type" not in out:
        raise InputError("%s needs task_type: IoTDA lists the batch tasks of given types only (one or a list); "
                         "accepted: %s" % (option, ", ".join(TASK_TYPES)))
    return out


def list_query(filters, task_type, status=None, marker=None, offset=0, limit=LIST_LIMIT):
    """The query of one ListBatchTasks page."""
    optional = (("status", status), ("app_id", filters.get("app_id")), ("marker", marker or None), ("offset", offset or None))
    query = {"task_type": task_type, "limit": limit}
    query.update((name, value) for name, value in optional if value is not None)
    return query


def list_tasks(client, filters, instance_id=None, derived=None):
    """Every IoTDA batch task ``filters`` (as :func:`check_filters` returned them) select: task dicts as the service answers them (``task_id``, ``task_name``,
    ``task_type``, ``status``, ``status_desc``, ``task_progress``, ``create_time``, ...).

    One query per task type and status. IoTDA pages by ``marker`` (the entries below it, newest first), and ``page.count``
    counts the entries matching the query, which shrinks as the marker moves: paging stops only on a short or empty
    page, never on the count. Each next page starts at the answer's ``page.marker`` with ``limit`` 50; an answer
    without a marker is paged on by ``offset`` (at most 500), and past that the listing fails rather than stop short.
    """
    headers = instance_headers(instance_id)
    out, seen = [], set()
    for task_type in filters["task_type"]:
        for status in filters.get("status") or [None]:
            marker, offset, request_id = None, 0, None
            for _page in range(_discovery.MAX_PAGES):
                data, request_id = client.call(SERVICE, "GET", LIST_PATH, query=list_query(filters, task_type, status, marker, offset),
                                               headers=headers, idempotent=True, derived=derived)
                shape = Shape("IoTDA batch task list (GET /v5/iot/{project_id}/batchtasks)", request_id)
                data = shape.obj(data)
                tasks = shape.items(data, "batchtasks", "a batch task object")
                for index, task in enumerate(tasks):
                    task_id = shape.get(task, "task_id", (str,), "batchtasks[%d].task_id" % index)
                    listed = (shape.get(task, "task_type", (str,), "batchtasks[%d].task_type" % index, optional=True),
                              shape.get(task, "status", (str,), "batchtasks[%d].status" % index))
                    if listed[0] not in (None, task_type) or (status is not None and listed[1] != status):
                        continue
                    _discovery.add_once(out, seen, task_id, dict(task))
                if len(tasks) < LIST_LIMIT:
                    break
                next_marker = page_marker(shape, data)
                if next_marker and next_marker != marker:
                    marker, offset = next_marker, 0
                elif offset + LIST_LIMIT <= LIST_MAX_OFFSET:
                    offset += LIST_LIMIT
                else:
                    raise ApiError("listing IoTDA %s batch tasks stopped after %d: the service gave no new marker to page on past "
                                   "offset %d" % (task_type, len(out), LIST_MAX_OFFSET), code="PagingStopped",
                                   request_id=request_id)
            else:
                raise _discovery.paging_stopped("IoTDA batch tasks", _discovery.MAX_PAGES, request_id)
    return out


class TaskSnapshot:
    """One read of a batch task: its status and every subtask, in the order the service listed them.

    ``subtasks``: ``[(target, status)]``; ``details``: the ``task_details`` entries as the service answered them.
    """

    def __init__(self, task_id, status, details, task_type=None, task=None):
        self.task_id = task_id
        self.task = task or {}   # the batchtask object of the first page, as the service answered it
        self.status = status
        self.details = details
        self.subtasks = [(str(item["target"]), item.get("status")) for item in details]
        self.task_type = task_type

    def refusal(self):
        """Why IoTDA refuses a retry of this task (its status), or None."""
        if self.status not in TASK_REFUSED:
            return None
        return ("the batch task %s is %s, and IoTDA refuses a retry of a task in status %s; "
                "a retry is accepted while the task is Fail, PartialSuccess or Processing"
                % (self.task_id, self.status, ", ".join(sorted(TASK_REFUSED))))


def read_task(client, task_id, instance_id=None, derived=None, task_detail_status=None, page_limit=PAGE_LIMIT):
    """Read a batch task and all its subtasks (``GET /v5/iot/{project_id}/batchtasks/{task_id}``).

    Subtasks are paged by ``marker``, ``page_limit`` (1-50) at a time at offset 0. ``page.count`` is not used to stop:
    it counts the entries matching the query, and with a marker the query is "entries below the marker", so it
    shrinks as the pages go. Paging stops on a short or empty page, or when no new marker is given.
    """
    details = []
    status = task_type = first_request_id = first_task = None
    marker = None
    for _page in range(_discovery.MAX_PAGES):
        query = {"limit": page_limit, "offset": 0}
        if marker:
            query["marker"] = marker
        if task_detail_status:
            query["task_detail_status"] = task_detail_status
        data, request_id = client.call(SERVICE, "GET", task_path(task_id), query=query, headers=instance_headers(instance_id),
                                       idempotent=True, derived=derived)
        shape = Shape("IoTDA batch task (GET /v5/iot/{project_id}/batchtasks/{task_id})", request_id)
        data = shape.obj(data)
        task = shape.get(data, "batchtask", (dict,))
        if first_request_id is None:
            first_request_id = request_id
            first_task = task
            status = shape.get(task, "status", (str,), "batchtask.status")
            task_type = shape.get(task, "task_type", (str,), "batchtask.task_type", optional=True)
        page_details = shape.items(data, "task_details", "a subtask object")
        for index, item in enumerate(page_details):
            shape.get(item, "target", (str,), "task_details[%d].target" % index)
            shape.get(item, "status", (str,), "task_details[%d].status" % index)
        details.extend(page_details)
        next_marker = page_marker(shape, data)
        if len(page_details) < page_limit or not next_marker or next_marker == marker:
            break
        marker = next_marker
    else:
        raise _discovery.paging_stopped("the subtasks of batch task %s" % task_id, _discovery.MAX_PAGES, first_request_id)
    return TaskSnapshot(task_id, status, details, task_type, first_task)


def page_marker(shape, data):
    """The ``page.marker`` of a list answer (Page: ``count``, ``marker``), or None."""
    page = shape.get(data, "page", (dict,), optional=True) or {}
    return shape.get(page, "marker", (str,), "page.marker", optional=True) if page.get("marker") != "" else None


def _outcomes(data, request_id):
    """{target: Outcome} for each target a retry answer (RetryBatchTaskResponse: ``targets``, each a BatchTargetResult
    with ``target``, ``status``, ``error_code``, ``error_msg``) names, in its order."""
    shape = Shape("IoTDA batch task retry (POST /v5/iot/{project_id}/batchtasks/{task_id}/retry)", request_id, write=True)
    outcomes = {}
    for index, item in enumerate(shape.items(shape.obj(data), "targets", "a target result object")):
        target = shape.get(item, "target", (str,), "targets[%d].target" % index)
        status = shape.get(item, "status", (str,), "targets[%d].status" % index)
        if target in outcomes:
            continue
        if status.lower() == "success":
            outcomes[target] = Outcome.acted("success", request_id=request_id)
        else:
            outcomes[target] = Outcome.refused("failed", item.get("error_msg") or "the service refused to retry this target",
                                               error_code=item.get("error_code"), request_id=request_id)
    return outcomes


class IotdaRetry(JobAction):
    """``POST /v5/iot/{project_id}/batchtasks/{task_id}/retry``, at most 100 targets per request."""

    noun = "target"
    verb = "retried"
    discover_hint = "list them in targets, or set precheck: false to retry every failed subtask unread"
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

    def _read(self, task_detail_status=None):
        return read_task(self.client, self.task_id, self.instance_id, self.derived, task_detail_status, self.page_limit)

    @staticmethod
    def _records(snap, wanted=None):
        """{target: Record} of a task read; a target in a refused task carries the task's refusal."""
        refusal = snap.refusal()
        records = {}
        for target, status in snap.subtasks:
            if target not in records and (wanted is None or status in wanted):
                records[target] = Record(status, refusal=refusal)
        return records

    def read(self, ids):
        return self._records(self._read())

    def discover(self, filters):
        """The subtasks to retry: those in ``filters["status"]`` (a list), else every one in Fail, FailWaitRetry or Stopped."""
        statuses = (filters or {}).get("status") or sorted(SUBTASK_ACTIONABLE)
        snap = self._read(statuses[0] if len(statuses) == 1 else None)
        return Discovery(self._records(snap, frozenset(statuses)),
                         "batch task %s (%s) has no subtask in %s" % (self.task_id, snap.status, ", ".join(statuses)))

    def _send(self, body):
        return self.client.call(SERVICE, "POST", task_path(self.task_id, "/retry"), body=body,
                                headers=instance_headers(self.instance_id), derived=self.derived)

    def act(self, ids):
        """One request per 100 targets, in order; a request that fails as a whole fails only its own targets."""
        outcomes = {}
        for chunk in _discovery.chunks(list(ids), MAX_TARGETS_PER_REQUEST):
            try:
                answered = _outcomes(*self._send({"targets": chunk}))
            except ApiError as exc:
                outcomes.update((target, Outcome.from_error(exc)) for target in chunk)
                continue
            outcomes.update((target, answered[target]) for target in chunk if target in answered)
        return outcomes

    def act_every(self):
        """``{}``: IoTDA retries every subtask in Fail, FailWaitRetry or Stopped; the outcomes of the targets it names."""
        return _outcomes(*self._send({}))
