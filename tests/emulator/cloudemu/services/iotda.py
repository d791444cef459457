# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei IoTDA batch tasks: ``POST .../batchtasks/{task_id}/retry``, ``GET .../batchtasks/{task_id}`` and ``GET .../batchtasks``.

Lists page as the API documents: records newest first (descending record id); ``marker`` is the last record's id
of a page, and a query with a marker asks for the records below it, so ``page.count`` (the records matching the
query) falls as a client pages. All accept the derived V11-HMAC-SHA256 signature (service ``iotdm``); on an instance host
(``*.iotda-app.*``) only that signature is accepted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from cloudemu.messages import Answer
from cloudemu.services.base import BadRequest, HuaweiService, Route, body_object, id_list, int_param
from cloudemu.timeline import Action, Refused, item_steps

DERIVED_SERVICE = "iotdm"
MAX_TARGETS = 100
TASK_REFUSED = frozenset(["Success", "Stopped", "Stopping", "Waitting", "Initializing"])
SUBTASK_RETRYABLE = frozenset(["Fail", "FailWaitRetry", "Stopped"])
# A task status a target cannot have, as a retried target shows it while it follows the task's timeline.
TASK_TO_SUBTASK = {"PartialSuccess": "Success", "Initializing": "Waitting", "Stopping": "Processing"}
PROGRESS_KEYS = (("Processing", "processing"), ("Success", "success"), ("Fail", "fail"), ("Waitting", "waitting"),
                 ("FailWaitRetry", "fail_wait_retry"), ("Stopped", "stopped"), ("Removed", "removed"))
STATUS_DESC = {
    "Success": "The task succeeded.", "Fail": "Some subtasks failed.", "Processing": "The task is being executed.",
    "PartialSuccess": "Some subtasks succeeded.", "Stopped": "The task was stopped.", "Waitting": "The task is waiting.",
    "Initializing": "The task is being initialized.", "Stopping": "The task is being stopped.",
}
TASK_STATUSES = ("Initializing", "Waitting", "Processing", "Success", "Fail", "PartialSuccess", "Stopped", "Stopping")
SUBTASK_STATUSES = ("Success", "Fail", "Processing", "FailWaitRetry", "Stopped", "Waitting", "Removed")
TASK_TYPES = ("softwareUpgrade", "firmwareUpgrade", "moduleUpgrade", "createDevices", "deleteDevices", "freezeDevices",
              "unfreezeDevices", "createCommands", "createAsyncCommands", "createMessages", "updateDeviceShadows", "updateDevices")
MARKER_RE = re.compile(r"^[0-9a-fA-F]{24}$")
APP_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,36}$")
TARGET_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
NO_MARKER = "f" * 24
CREATED = "20240102T030405Z"
NOT_FOUND = "IOTDA.014111"
NOT_IN_TASK = ("IOTDA.014219", "Invalid input. The target is not in the task")

RETRY_TASK = Action(lambda s: s not in TASK_REFUSED, "IOTDA.014215",
                    "The batch task {id} is {status}: a task in Success, Stopped, Stopping, Waitting or Initializing "
                    "cannot be retried.", None)
RETRY_TARGET = Action(lambda s: s in SUBTASK_RETRYABLE, "IOTDA.014216",
                      "The subtask of target {id} is {status}: only Fail, FailWaitRetry and Stopped subtasks are retried.",
                      [(0.0, "Success")])


def _failure(target, code, message):
    return {"target": target, "status": "failure", "error_code": code, "error_msg": message}


class Iotda(HuaweiService):
    name = "iotda"
    invalid_code = "IOTDA.000007"
    routes = (
        Route("POST", "/v5/iot/{project_id}/batchtasks/{task_id}/retry", "iotda.retry", "retry", derived=DERIVED_SERVICE),
        Route("GET", "/v5/iot/{project_id}/batchtasks/{task_id}", "iotda.show", "show", derived=DERIVED_SERVICE),
        Route("GET", "/v5/iot/{project_id}/batchtasks", "iotda.list", "list_tasks", derived=DERIVED_SERVICE),
    )

    def _not_found(self, req, task_id):
        return self.error(req, 404, NOT_FOUND, "The batch task %s does not exist." % task_id)

    @staticmethod
    def _target_steps(task, target):
        """A target's own timeline, else the task's target_timeline, else the task's timeline in subtask terms."""
        own = item_steps(target)
        if own is not None:
            return own
        if task.target_timeline is not None:
            return task.target_timeline
        steps = item_steps(task)
        if steps is not None:
            return [(at, TASK_TO_SUBTASK.get(status, status)) for at, status in steps]
        return None

    def retry(self, req, params):
        task_id = params["task_id"]
        wanted = body_object(req).get("targets")
        if wanted is not None:
            id_list(wanted, "targets")
            if len(wanted) > MAX_TARGETS:
                raise BadRequest("Invalid input. targets has at most %d items, got %d" % (MAX_TARGETS, len(wanted)))
        world = self.emu.world
        results = []
        with world.lock:
            task = world.iotda.get(task_id)
            if task is None:
                return self._not_found(req, task_id)
            now = self.emu.clock.now()
            try:
                RETRY_TASK.check(task, task_id, now)
            except Refused as exc:
                return self.error(req, exc.http_status, exc.code, exc.message)
            if wanted is None:
                wanted = [name for name, target in task.targets.items() if target.status(now) in SUBTASK_RETRYABLE]
            retried = 0
            for name in wanted:
                target = task.targets.get(name)
                if target is None:
                    results.append(_failure(name, *NOT_IN_TASK))
                    continue
                try:
                    RETRY_TARGET.apply(target, name, now, self._target_steps(task, target), self.emu.lag(target))
                except Refused as exc:
                    results.append(_failure(name, exc.code, exc.message))
                    continue
                retried += 1
                results.append({"target": name, "status": "success"})
            if retried:
                steps = item_steps(task)
                if steps is not None:
                    task.begin(now, steps, self.emu.lag(task))
                else:
                    task.hold(now, self.emu.lag(task))
                    task.derived = True
                    task.acted_at = now
                    task.actions += 1
        return Answer(200, {"targets": results}, acted=bool(retried))

    # reads -------------------------------------------------------------------------------------------------------------
    @staticmethod
    def _page_query(req):
        """(limit, offset, marker) of a paged read: limit 1-50 (default 10), offset 0-500, marker 24 hex digits."""
        limit = int_param(req, "limit", 10, 1, 50)
        offset = int_param(req, "offset", 0, 0, 500)
        marker = req.param("marker")
        if marker in (None, ""):
            marker = NO_MARKER
        elif not MARKER_RE.match(marker):
            raise BadRequest("Invalid input. marker must be a 24-digit hexadecimal record ID, got %r" % marker)
        return limit, offset, marker.lower()

    @staticmethod
    def _choice(req, name, choices, required=False):
        value = req.param(name)
        if value in (None, ""):
            if required:
                raise BadRequest("Invalid input. %s is required (one of %s)" % (name, ", ".join(choices)))
            return None
        if value not in choices:
            raise BadRequest("Invalid input. %s must be one of %s, got %r" % (name, ", ".join(choices), value))
        return value

    @staticmethod
    def _page(records, limit, offset, marker):
        """The page of ``(record_id, item)`` records below ``marker``, newest first, and its ``page`` object."""
        below = sorted((r for r in records if r[0] < marker), key=lambda r: r[0], reverse=True)
        page = below[offset:offset + limit]
        return [item for _record, item in page], {"count": len(below), "marker": page[-1][0] if page else None}

    @staticmethod
    def _task_view(task, status, details):
        progress = {"total": len(details)}
        for status_name, key in PROGRESS_KEYS:
            progress[key] = sum(1 for s in details if s == status_name)
        info = task.info
        return {
            "task_id": task.id, "task_name": info.get("task_name", task.id), "task_type": info.get("task_type", "firmwareUpgrade"),
            "task_mode": info.get("task_mode"), "need_confirm": info.get("need_confirm", False), "task_ext_info": None,
            "targets_filter": None, "document": info.get("document"), "task_policy": None,
            "status": status, "status_desc": info.get("status_desc", STATUS_DESC.get(status, status)), "task_progress": progress,
            "create_time": info.get("create_time", info.get("created_at", CREATED)),
        }

    @staticmethod
    def _detail(target, status):
        error = target.info.get("subtask_error") if status in ("Fail", "FailWaitRetry") else None
        return {"target": target.id, "status": status, "output": target.info.get("output"), "error": error}

    def show(self, req, params):
        task_id = params["task_id"]
        limit, offset, marker = self._page_query(req)
        only = self._choice(req, "task_detail_status", SUBTASK_STATUSES)
        target_name = req.param("target")
        if target_name not in (None, "") and not TARGET_RE.match(target_name):
            raise BadRequest("Invalid input. target must be 1-128 letters, digits, _ or -, got %r" % target_name)
        world = self.emu.world
        with world.lock:
            task = world.iotda.get(task_id)
            if task is None:
                return self._not_found(req, task_id)
            now = self.emu.clock.now()
            status = task.status(now)
            details = [(target, target.status(now)) for target in task.targets.values()]
        view = self._task_view(task, status, [s for _target, s in details])
        records = [(target.record, self._detail(target, s)) for target, s in details
                   if (only is None or s == only) and (not target_name or target.id == target_name)]
        shown, page = self._page(records, limit, offset, marker)
        return Answer(200, {"batchtask": view, "task_details": shown, "page": page})

    def list_tasks(self, req, params):
        limit, offset, marker = self._page_query(req)
        task_type = self._choice(req, "task_type", TASK_TYPES, required=True)
        only = self._choice(req, "status", TASK_STATUSES)
        app_id = req.param("app_id")
        if app_id not in (None, "") and not APP_ID_RE.match(app_id):
            raise BadRequest("Invalid input. app_id must be 1-36 letters, digits, _ or -, got %r" % app_id)
        world = self.emu.world
        records = []
        with world.lock:
            now = self.emu.clock.now()
            for task in world.iotda.values():
                if task.info.get("task_type", "firmwareUpgrade") != task_type or (app_id and task.info.get("app_id") != app_id):
                    continue
                status = task.status(now)
                if only is None or status == only:
                    records.append((task.record, (task, status, [t.status(now) for t in task.targets.values()])))
        records = [(record, self._task_view(*item)) for record, item in records]
        shown, page = self._page(records, limit, offset, marker)
        return Answer(200, {"batchtasks": shown, "page": page})
