# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei IoTDA batch tasks: ``POST .../batchtasks/{task_id}/retry`` and ``GET .../batchtasks/{task_id}``.

Both accept the derived V11-HMAC-SHA256 signature (service ``iotdm``); on an instance host
(``*.iotda-app.*``) only that signature is accepted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from cloudemu.messages import Answer
from cloudemu.services.base import BadRequest, HuaweiService, Route, body_object, id_list, int_param
from cloudemu.timeline import Action, Refused

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
    )

    def _not_found(self, req, task_id):
        return self.error(req, 404, NOT_FOUND, "The batch task %s does not exist." % task_id)

    @staticmethod
    def _target_steps(task, target):
        """A target's own timeline, else the task's target_timeline, else the task's timeline in subtask terms."""
        if target.timeline is not None:
            return target.timeline
        if task.target_timeline is not None:
            return task.target_timeline
        if task.timeline is not None:
            return [(at, TASK_TO_SUBTASK.get(status, status)) for at, status in task.timeline]
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
                    RETRY_TARGET.apply(target, name, now, self._target_steps(task, target))
                except Refused as exc:
                    results.append(_failure(name, exc.code, exc.message))
                    continue
                retried += 1
                results.append({"target": name, "status": "success"})
            if retried:
                if task.timeline is not None:
                    task.begin(now, task.timeline)
                else:
                    task.derived = True
        return Answer(200, {"targets": results}, acted=bool(retried))

    def show(self, req, params):
        task_id = params["task_id"]
        limit = int_param(req, "limit", 10, 1, 50)
        offset = int_param(req, "offset", 0, 0, 500)
        marker = req.param("marker")
        only = req.param("task_detail_status")
        try:
            start = int(marker, 16) + 1 if marker else 0
        except ValueError:
            raise BadRequest("marker %r is not a marker this API answered" % marker)
        world = self.emu.world
        with world.lock:
            task = world.iotda.get(task_id)
            if task is None:
                return self._not_found(req, task_id)
            now = self.emu.clock.now()
            status = task.status(now)
            details = [(name, target.status(now)) for name, target in task.targets.items()]
        progress = {"total": len(details)}
        for status_name, key in PROGRESS_KEYS:
            progress[key] = sum(1 for _name, s in details if s == status_name)
        if only:
            details = [d for d in details if d[1] == only]
        first = start + offset
        page = details[first:first + limit]
        info = task.info
        return Answer(200, {
            "batchtask": {
                "task_id": task_id, "task_name": info.get("task_name", task_id),
                "task_type": info.get("task_type", "firmwareUpgrade"), "status": status,
                "status_desc": STATUS_DESC.get(status, status), "task_progress": progress,
                "created_at": info.get("created_at", "20240102T030405Z"),
            },
            "task_details": [{"target": name, "status": s, "output": None, "error": None} for name, s in page],
            "page": {"count": len(details), "marker": "%024x" % (first + len(page) - 1) if page else None},
        })
