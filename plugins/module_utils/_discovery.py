# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Discovery: the list APIs, in one place, for the info modules, the action modules' ``filters`` and the event source.

- :func:`check_filters` checks and normalizes a ``filters`` dict before any request is sent.
- :func:`list_drs_jobs` (``POST /v3/{project_id}/jobs``), :func:`list_iotda_tasks` (``GET /v5/iot/{project_id}/batchtasks``)
  and :func:`list_tencent_jobs` (``DescribeJobs`` with ``Filters``) read every page, in the fewest requests the page
  limits allow, each job once.

Request fields follow the official SDKs' request models (huaweicloudsdkdrs v3 ``QueryJobsReq``, huaweicloudsdkiotda v5
``ListBatchTasksRequest``, tencentcloud-sdk-python-batch ``DescribeJobsRequest``); the SDKs are test-only oracles.
This module imports no service module (``_drs`` and the others import it): it owns no state table, and checks the
shape of a state value, not its membership.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError

DRS = "drs"
IOTDA = "iotda"
TENCENT_BATCH = "tencent_batch"

# DRS QueryJobsReq: per_page 0-100 (0 with cur_page 0 or 1 may mean "every job"; that is not relied on).
DRS_PATH = "/v3/{project_id}/jobs"
DRS_PER_PAGE = 100
# IoTDA ListBatchTasksRequest: limit 1-50, offset 0-500, marker = the last record ID of the previous page.
IOTDA_PATH = "/v5/iot/{project_id}/batchtasks"
IOTDA_LIMIT = 50
IOTDA_MAX_OFFSET = 500
# Tencent DescribeJobsRequest: Limit at most 100 (default 20); JobIds and Filters never together.
TENCENT_ACTION = "DescribeJobs"
TENCENT_LIMIT = 100
# A guard against a service that never stops paging: 1,000,000 records per query.
MAX_PAGES = 10000

TENCENT_TAG_PREFIX = "tag:"

FILTER_KEYS = {
    DRS: ("status", "name", "engine_type", "db_use_type", "net_type", "enterprise_project_id", "tags",
          "instance_ids", "instance_ip"),
    IOTDA: ("task_type", "status", "app_id"),
    TENCENT_BATCH: ("job-id", "job-name", "job-state", "zone", "tag-key", "tag-value", "tag:KEY"),
}

# ListBatchTasksRequest.task_type (huaweicloudsdkiotda v5): a mistyped type would silently list nothing.
IOTDA_TASK_TYPES = (
    "softwareUpgrade", "firmwareUpgrade", "moduleUpgrade", "createDevices", "deleteDevices", "freezeDevices",
    "unfreezeDevices", "createCommands", "createAsyncCommands", "createMessages", "updateDeviceShadows", "updateDevices",
)

DRS_INSTANCE_IDS_MAX = 10   # QueryJobsReq.instance_ids: at most 10

_DRS_STATE = re.compile(r"^[A-Z][A-Z_]*$")
_IOTDA_STATUS = re.compile(r"^[A-Z][A-Za-z]*$")
_TENCENT_STATE = re.compile(r"^[A-Z][A-Z_]*$")
_IOTDA_APP_ID = re.compile(r"^[A-Za-z0-9_-]{1,36}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _accepted(service):
    return ", ".join(FILTER_KEYS[service])


def _text(option, key, value, what="a string"):
    """One non-empty string value (a number is taken as its text)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError("%s.%s must be %s, got %r" % (option, key, what, value))
    text = value if isinstance(value, str) else str(value)
    if not text.strip() or _CONTROL.search(text):
        raise InputError("%s.%s must be %s with no control characters, got %r" % (option, key, what, value))
    return text


def _texts(option, key, value, what="a string or a list of strings"):
    """One string or a list of them: a list of distinct strings, in the user's order."""
    values = value if isinstance(value, (list, tuple)) else [value]
    if not values:
        raise InputError("%s.%s is an empty list: give at least one value, or leave %s out" % (option, key, key))
    out = []
    for item in values:
        text = _text(option, key, item, what)
        if text not in out:
            out.append(text)
    return out


def _matching(option, key, values, pattern, hint):
    for value in values:
        if not pattern.match(value):
            raise InputError("%s.%s has %r, which is not %s" % (option, key, value, hint))
    return values


def _check_drs(filters, option):
    out = {}
    for key, value in filters.items():
        if key == "status":
            out[key] = _matching(option, key, _texts(option, key, value), _DRS_STATE,
                                 "a DRS job state: one state or a list of them, in upper case, for example "
                                 "INCRE_TRANSFER_FAILED or [FULL_TRANSFER_FAILED, PAUSING]")
        elif key == "tags":
            if not isinstance(value, dict) or not value:
                raise InputError("%s.tags must be a dict of tag keys to tag values, for example {env: prod}, got %r"
                                 % (option, value))
            out[key] = dict((_text(option, "tags", k, "a tag key"), _text(option, "tags", v, "a tag value (a string)"))
                            for k, v in value.items())
        elif key == "instance_ids":
            ids = _texts(option, key, value, "a database instance ID or a list of them")
            if len(ids) > DRS_INSTANCE_IDS_MAX:
                raise InputError("%s.instance_ids has %d IDs; DRS accepts at most %d" % (option, len(ids), DRS_INSTANCE_IDS_MAX))
            out[key] = ids
        else:
            out[key] = _text(option, key, value)
    return out


def _check_iotda(filters, option):
    out = {}
    for key, value in filters.items():
        if key == "task_type":
            types = _texts(option, key, value, "a batch task type or a list of them")
            for task_type in types:
                if task_type not in IOTDA_TASK_TYPES:
                    raise InputError("%s.task_type has %r, which is not an IoTDA batch task type; accepted: %s"
                                     % (option, task_type, ", ".join(IOTDA_TASK_TYPES)))
            out[key] = types
        elif key == "status":
            out[key] = _matching(option, key, _texts(option, key, value), _IOTDA_STATUS,
                                 "an IoTDA batch task status: one or a list, as IoTDA spells them, for example Fail or "
                                 "[Fail, PartialSuccess]")
        else:
            out[key] = _matching(option, key, [_text(option, key, value)], _IOTDA_APP_ID,
                                 "a resource space ID: 1 to 36 letters, digits, '_' and '-'")[0]
    if "task_type" not in out:
        raise InputError("%s needs task_type: IoTDA lists the batch tasks of given types only (one or a list); "
                         "accepted: %s" % (option, ", ".join(IOTDA_TASK_TYPES)))
    return out


def _check_tencent(filters, option):
    out = {}
    for key, value in filters.items():
        values = _texts(option, key, value)
        if key == "job-state":
            _matching(option, key, values, _TENCENT_STATE,
                      "a Tencent Cloud Batch job state: one or a list, in upper case, for example FAILED")
        out[key] = values
    return out


def _known_key(service, key):
    if key in FILTER_KEYS[service]:
        return True
    return service == TENCENT_BATCH and key.startswith(TENCENT_TAG_PREFIX) and len(key) > len(TENCENT_TAG_PREFIX)


def check_filters(service, filters, option="filters"):
    """Check ``filters`` for ``service`` (``drs``, ``iotda``, ``tencent_batch``) before any request; return them normalized.

    Raises :class:`InputError` naming the key and what is accepted. Normalized: DRS ``status`` and IoTDA ``task_type``
    and ``status`` a list (one query each), Tencent every value a list of strings (``Values``), each list without
    duplicates, in the user's order.
    """
    if service not in FILTER_KEYS:
        raise InputError("no filters for service %r; services with filters: %s" % (service, ", ".join(sorted(FILTER_KEYS))))
    if filters is None:
        filters = {}
    if not isinstance(filters, dict):
        raise InputError("%s must be a dict of %s filter keys to values (accepted: %s), got %r"
                         % (option, service, _accepted(service), filters))
    for key in filters:
        if not isinstance(key, str) or not _known_key(service, key):
            raise InputError("%s has unknown key %r; accepted: %s" % (option, key, _accepted(service)))
    if service == DRS:
        return _check_drs(filters, option)
    if service == IOTDA:
        return _check_iotda(filters, option)
    return _check_tencent(filters, option)


def _add_once(out, seen, key, item):
    if key is None or key in seen:
        return
    seen.add(key)
    out.append(item)


def _paging_stopped(what, pages, request_id):
    return ApiError("listing %s stopped after %d pages: the service kept answering full pages" % (what, pages),
                    code="PagingStopped", request_id=request_id)


# DRS --------------------------------------------------------------------------------------------------------------
def drs_query(filters, status=None, cur_page=1, per_page=DRS_PER_PAGE):
    """The QueryJobsReq body of one page: ``filters`` as :func:`check_filters` normalized them, one ``status``."""
    body = {"cur_page": cur_page, "per_page": per_page}
    for key in FILTER_KEYS[DRS]:
        if key != "status" and filters.get(key) is not None:
            body[key] = filters[key]
    if status is not None:
        body["status"] = status
    return body


def list_drs_jobs(client, filters, language="en-us", statuses=None):
    """Every DRS job ``filters`` select: a list of job dicts as the service answers them (``id``, ``name``, ``status``,
    ``create_time``, ``engine_type``, ``net_type``, ``db_use_type``, ``task_type``, ``job_direction``, ...).

    The API takes one ``status`` per query: one query per status of ``filters`` (or, when ``filters`` has none, of
    ``statuses``; ``statuses`` None means every job, whatever its state). Pages of 100, until a short page or the
    ``total_record`` count; a job that shows up twice (it changed state between queries) is kept once, where it first
    appeared. A job whose ``status`` is not the queried one (it changed state while being listed) is left out.
    """
    f = check_filters(DRS, filters)
    wanted = f.get("status")
    if wanted is None:
        wanted = [None] if statuses is None else list(statuses)
    headers = {"X-Language": language}
    out, seen = [], set()
    for status in wanted:
        got = 0
        request_id = None
        for page in range(1, MAX_PAGES + 1):
            data, request_id = client.call(DRS, "POST", DRS_PATH, body=drs_query(f, status, page), headers=headers,
                                           idempotent=True)
            jobs = data.get("jobs") or []
            got += len(jobs)
            for job in jobs:
                if not isinstance(job, dict) or not job.get("id"):
                    continue
                if status is not None and job.get("status") not in (None, status):
                    continue
                _add_once(out, seen, job["id"], dict(job))
            total = data.get("total_record")
            if len(jobs) < DRS_PER_PAGE or (isinstance(total, int) and not isinstance(total, bool) and got >= total):
                break
        else:
            raise _paging_stopped("DRS jobs", MAX_PAGES, request_id)
    return out


# IoTDA ------------------------------------------------------------------------------------------------------------
def iotda_query(filters, task_type, status=None, marker=None, offset=0, limit=IOTDA_LIMIT):
    """The query of one ListBatchTasks page."""
    query = {"task_type": task_type}
    if status is not None:
        query["status"] = status
    if filters.get("app_id") is not None:
        query["app_id"] = filters["app_id"]
    query["limit"] = limit
    if marker:
        query["marker"] = marker
    if offset:
        query["offset"] = offset
    return query


def list_iotda_tasks(client, filters, instance_id=None, derived=None):
    """Every IoTDA batch task ``filters`` select: task dicts as the service answers them (``task_id``, ``task_name``,
    ``task_type``, ``status``, ``status_desc``, ``task_progress``, ``create_time``, ...).

    One query per task type and status. IoTDA pages by ``marker`` (records below it, newest first), and ``page.count``
    counts the records matching the query, which shrinks as the marker moves: paging stops only on a short or empty
    page, never on the count. Each next page starts at the answer's ``page.marker`` with ``limit`` 50; an answer
    without a marker is paged on by ``offset`` (at most 500), and past that the listing fails rather than stop short.
    """
    f = check_filters(IOTDA, filters)
    headers = {"Instance-Id": instance_id} if instance_id else {}
    out, seen = [], set()
    for task_type in f["task_type"]:
        for status in f.get("status") or [None]:
            marker, offset, request_id = None, 0, None
            for _page in range(MAX_PAGES):
                data, request_id = client.call(IOTDA, "GET", IOTDA_PATH, query=iotda_query(f, task_type, status, marker, offset),
                                               headers=headers, idempotent=True, derived=derived)
                tasks = data.get("batchtasks") or []
                for task in tasks:
                    if not isinstance(task, dict) or not task.get("task_id"):
                        continue
                    if task.get("task_type") not in (None, task_type) or (status is not None and task.get("status") not in (None, status)):
                        continue
                    _add_once(out, seen, task["task_id"], dict(task))
                if len(tasks) < IOTDA_LIMIT:
                    break
                next_marker = (data.get("page") or {}).get("marker")
                if next_marker and next_marker != marker:
                    marker, offset = next_marker, 0
                elif offset + IOTDA_LIMIT <= IOTDA_MAX_OFFSET:
                    offset += IOTDA_LIMIT
                else:
                    raise ApiError("listing IoTDA %s batch tasks stopped after %d: the service gave no new marker to page on past "
                                   "offset %d" % (task_type, len(out), IOTDA_MAX_OFFSET), code="PagingStopped",
                                   request_id=request_id)
            else:
                raise _paging_stopped("IoTDA batch tasks", MAX_PAGES, request_id)
    return out


# Tencent Cloud Batch ------------------------------------------------------------------------------------------------
def tencent_query(filters, offset=0, limit=TENCENT_LIMIT):
    """The DescribeJobs payload of one page (``Filters``, never ``JobIds``)."""
    payload = {}
    if filters:
        payload["Filters"] = [{"Name": name, "Values": list(values)} for name, values in filters.items()]
    payload["Offset"] = offset
    payload["Limit"] = limit
    return payload


def tencent_job(item):
    """A JobView as the modules return it."""
    placement = item.get("Placement") if isinstance(item.get("Placement"), dict) else {}
    job = {"id": item.get("JobId"), "name": item.get("JobName"), "status": item.get("JobState"),
           "create_time": item.get("CreateTime"), "end_time": item.get("EndTime"), "zone": placement.get("Zone"),
           "priority": item.get("Priority")}
    tags = item.get("Tags")
    if isinstance(tags, list):
        job["tags"] = dict((t.get("Key"), t.get("Value")) for t in tags if isinstance(t, dict) and t.get("Key") is not None)
    if isinstance(item.get("TaskMetrics"), dict):
        job["task_metrics"] = item["TaskMetrics"]
    return job


def list_tencent_jobs(client, filters):
    """Every Tencent Cloud Batch job ``filters`` select: dicts with ``id``, ``name``, ``status`` (JobState),
    ``create_time``, ``end_time``, ``zone``, ``priority``, ``tags`` (a dict), ``task_metrics``.

    ``DescribeJobs`` pages of 100 by ``Offset``, until ``Offset`` reaches ``TotalCount`` or a short page; each job once.
    A job whose state is not one of ``job-state`` (it changed while being listed) is left out.
    """
    f = check_filters(TENCENT_BATCH, filters)
    states = f.get("job-state")
    out, seen = [], set()
    offset = 0
    request_id = None
    for _page in range(MAX_PAGES):
        data, request_id = client.call(TENCENT_ACTION, tencent_query(f, offset), idempotent=True)
        items = data.get("JobSet") or []
        for item in items:
            if not isinstance(item, dict) or not item.get("JobId"):
                continue
            if states and item.get("JobState") not in [None] + states:
                continue
            _add_once(out, seen, item["JobId"], tencent_job(item))
        offset += TENCENT_LIMIT
        total = data.get("TotalCount")
        if len(items) < TENCENT_LIMIT or (isinstance(total, int) and not isinstance(total, bool) and offset >= total):
            return out
    raise _paging_stopped("Tencent Cloud Batch jobs", MAX_PAGES, request_id)
