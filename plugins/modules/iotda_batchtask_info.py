#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: iotda_batchtask_info
short_description: List Huawei Cloud IoTDA batch tasks by filter, or read one task with its subtasks
version_added: 0.2.0
description:
  - With O(filters), lists the IoTDA batch tasks that match them with C(GET /v5/iot/{project_id}/batchtasks), reading
    every page (50 tasks per request, the most the API allows), each task once.
  - With O(task_id), reads that task and every one of its subtasks with C(GET /v5/iot/{project_id}/batchtasks/{task_id}),
    50 subtasks per request, optionally only those in O(task_detail_status).
  - Read-only. The failed subtasks found can be handed to M(cloudops.jobs.iotda_batchtask_retry).
author:
  - cloudops.jobs contributors (@cloudops)
options:
  task_id:
    description:
      - ID of the batch task to read, with its subtasks. At most 24 characters, only V(a) to V(f) and digits.
      - Mutually exclusive with O(filters); one of them is required.
    type: str
  task_detail_status:
    description:
      - With O(task_id), read only the subtasks in this status (sent as C(task_detail_status)).
    type: str
    choices: [Waitting, Processing, Success, Fail, FailWaitRetry, Stopped, Removed]
  filters:
    description:
      - The fields of the batch task list query to select tasks by, the keys below. Every key is checked before any
        request; an unknown key or a bad value fails the task naming the key and the accepted ones.
      - V(task_type) - required, as the API lists one type per query; a type or a list of them, among V(softwareUpgrade),
        V(firmwareUpgrade), V(moduleUpgrade), V(createDevices), V(deleteDevices), V(freezeDevices), V(unfreezeDevices),
        V(createCommands), V(createAsyncCommands), V(createMessages), V(updateDeviceShadows), V(updateDevices).
      - V(status) - a task status or a list of them, as IoTDA spells them (V(Initializing), V(Waitting), V(Processing),
        V(Success), V(Fail), V(PartialSuccess), V(Stopped), V(Stopping)); left out, tasks in every status are listed.
      - V(app_id) - the resource space ID.
      - One query is sent per task type and status.
      - Mutually exclusive with O(task_id).
    type: dict
  instance_id:
    description:
      - ID of the IoTDA instance, sent as the C(Instance-Id) header of every request.
    type: str
  derived_signing:
    description:
      - Sign AK/SK requests with the derived signature C(V11-HMAC-SHA256), which the endpoints of IoTDA standard and
        enterprise instances require.
      - If not set, derived signing is used when the host of O(endpoint) contains C(.iotda-app.).
    type: bool
extends_documentation_fragment:
  - cloudops.jobs.huaweicloud
  - cloudops.jobs.connection
  - cloudops.jobs.info_module
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
notes:
  - A O(task_id) the service does not know is reported with RV(tasks[].status=not_found).
  - O(language) is not sent; IoTDA does not take C(X-Language).
seealso:
  - module: cloudops.jobs.iotda_batchtask_retry
  - name: IoTDA API reference - Querying the Batch Task List
    description: The list API this module calls with O(filters).
    link: https://support.huaweicloud.com/intl/en-us/api-iothub/iot_06_v5_0023.html
  - name: IoTDA API reference - Query a Batch Task
    description: The API this module calls with O(task_id).
    link: https://support.huaweicloud.com/intl/en-us/api-iothub/iot_06_v5_0017.html
"""

EXAMPLES = r"""
- name: Firmware upgrade tasks that failed or partly failed
  cloudops.jobs.iotda_batchtask_info:
    region: cn-north-4
    filters:
      task_type: firmwareUpgrade
      status: [Fail, PartialSuccess]
  register: fw

- name: The failed subtasks of one task
  cloudops.jobs.iotda_batchtask_info:
    region: cn-north-4
    task_id: 64a1b2c3d4e5f60718293a4b
    task_detail_status: Fail
  register: task

- name: Retry those devices
  cloudops.jobs.iotda_batchtask_retry:
    region: cn-north-4
    task_id: 64a1b2c3d4e5f60718293a4b
    targets: "{{ task.tasks[0].subtasks | map(attribute='target') | list }}"
  when: task.tasks[0].subtasks | length > 0
"""

RETURN = r"""
tasks:
  description:
    - With O(filters), the tasks found, in the order the service listed them (newest first), each once, with the fields
      the service answers, among them the ones below.
    - With O(task_id), one entry, with its RV(tasks[].subtasks).
  returned: always
  type: list
  elements: dict
  contains:
    task_id:
      description: The batch task ID.
      type: str
      sample: 64a1b2c3d4e5f60718293a4b
    task_name:
      description: The task name.
      type: str
      returned: when the service gives it
    task_type:
      description: The task type, for example V(firmwareUpgrade).
      type: str
      returned: when the service gives it
    status:
      description:
        - The task status, for example V(PartialSuccess).
        - V(not_found) when the service does not know O(task_id).
      type: str
      sample: PartialSuccess
    create_time:
      description: When the task was created, as the service gives it.
      type: str
      returned: when the service gives it
    subtasks:
      description: With O(task_id), every subtask read (only those in O(task_detail_status) when it is set), in the service's order.
      type: list
      elements: dict
      returned: with O(task_id), when the task was found
      contains:
        target:
          description: The target (device ID).
          type: str
        status:
          description: The subtask status, for example V(Fail).
          type: str
        output:
          description: The subtask's output, when the service gives it.
          type: str
        error_code:
          description: The subtask's error code.
          type: str
          returned: when the service gives it
        error_msg:
          description: The subtask's error message.
          type: str
          returned: when the service gives it
"""

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import iotda_spec
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._iotda import (
    check_filters, check_instance_id, check_task_id, list_tasks, read_task, signing_client,
)
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import HUAWEI
from ansible_collections.cloudops.jobs.plugins.module_utils._module import CloudJobsModule, listed
from ansible_collections.cloudops.jobs.plugins.module_utils._results import STATUS_NOT_FOUND


def subtask(item):
    out = {"target": str(item.get("target")), "status": item.get("status")}
    if item.get("output") is not None:
        out["output"] = item["output"]
    error = item.get("error")
    if isinstance(error, dict):
        for key in ("error_code", "error_msg"):
            if error.get(key) is not None:
                out[key] = error[key]
    return out


def read_one(client, params, derived):
    try:
        snap = read_task(client, params["task_id"], params["instance_id"], derived, params["task_detail_status"])
    except ApiError as exc:
        if exc.http_status == 404:
            return {"task_id": params["task_id"], "status": STATUS_NOT_FOUND}
        raise
    task = dict(snap.task)
    task.update(task_id=snap.task_id, task_type=snap.task_type, status=snap.status,
                subtasks=[subtask(item) for item in snap.details])
    return task


def checks(params):
    check_instance_id(params["instance_id"])
    if params["filters"] is None:
        check_task_id(params["task_id"])


def run(module):
    client, derived = signing_client(module)
    filters = module.selection.filters
    if filters is not None:
        return listed(module, "tasks", list_tasks(client, filters, module.params["instance_id"], derived))
    return dict(changed=False, tasks=[read_one(client, module.params, derived)])


def main():
    CloudJobsModule(
        dict(
            task_id=dict(type="str"),
            task_detail_status=dict(type="str", choices=["Waitting", "Processing", "Success", "Fail", "FailWaitRetry", "Stopped", "Removed"]),
            **iotda_spec()
        ),
        HUAWEI, checks=checks, job_state=False, filters=check_filters,
        mutually_exclusive=[("task_id", "filters")],
        required_one_of=[("task_id", "filters")],
        required_by={"task_detail_status": "task_id"},
    ).run(run)


if __name__ == "__main__":
    main()
