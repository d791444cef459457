#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: iotda_batchtask_retry
short_description: Retry the failed subtasks of a Huawei Cloud IoTDA batch task
version_added: 0.1.0
description:
  - Re-executes subtasks of an IoT Device Access (IoTDA) batch task (a firmware or software upgrade) with
    C(POST /v5/iot/{project_id}/batchtasks/{task_id}/retry), at most 100 targets per request, in the order given.
  - Each target (device ID) is one entry of RV(jobs). A request that fails as a whole fails only its own targets;
    the other requests of the run still go ahead.
  - With O(precheck=true) (the default) the task and its subtasks are read first with
    C(GET /v5/iot/{project_id}/batchtasks/{task_id}) and only targets whose subtask is V(Fail), V(FailWaitRetry) or
    V(Stopped) are sent; subtasks that are V(Success), V(Processing) or V(Waitting) are skipped, so re-running the task
    is safe. A subtask that is V(Removed) cannot be retried and fails; a target that is not in the task fails with
    RV(jobs[].status=not_found).
  - When the task itself is V(Success), V(Stopped), V(Stopping), V(Waitting) or V(Initializing), IoTDA refuses any
    retry, so with O(precheck=true) nothing is sent; targets whose subtask is V(Fail), V(FailWaitRetry) or V(Stopped)
    fail with a message naming the task status, and the others are reported as above (skipped, failed, not found).
  - Works with the basic edition (C(https://iotda.{region}.myhuaweicloud.com)) and with standard and enterprise
    instances, whose endpoint (C(https://<id>.st1.iotda-app.<region>.myhuaweicloud.com)) accepts only the derived
    AK/SK signature (see O(derived_signing)).
author:
  - cloudops.jobs contributors (@cloudops)
options:
  task_id:
    description:
      - ID of the batch task, as IoTDA allocated it when the task was created.
      - At most 24 characters, only V(a) to V(f) and digits; anything else fails before any request is sent.
    type: str
    required: true
  targets:
    description:
      - The targets (device IDs) whose subtasks to retry. A target listed twice is retried and reported once, with a warning.
      - Sent at most 100 per request, in the order given.
      - If omitted, every subtask in V(Fail), V(FailWaitRetry) or V(Stopped) is retried. With O(precheck=true) those
        subtasks are read first and sent as targets, so RV(jobs) lists each of them (none when there is nothing to
        retry). With O(precheck=false) one request with an empty body C({}) is sent, and RV(jobs) lists the targets
        the service answered for.
      - An empty list is an error; leave the option out to retry every failed subtask.
      - Mutually exclusive with O(filters).
    type: list
    elements: str
  filters:
    description:
      - Find the subtasks to retry by their status instead of naming the targets, with the key below.
      - V(status) - one subtask status or a list of them - V(Fail), V(FailWaitRetry), V(Stopped) (retried), and
        V(Success), V(Processing), V(Waitting), V(Removed), which are reported as with O(targets).
      - Leaving out O(targets) and O(filters) is the same as O(filters={}) - every subtask in V(Fail), V(FailWaitRetry) or
        V(Stopped).
      - An unknown key or a bad status fails before any request, naming the key and the accepted ones.
      - At most O(max_jobs) targets may be selected.
    type: dict
  instance_id:
    description:
      - ID of the IoTDA instance, sent as the C(Instance-Id) header of every request.
      - The API reference asks for it with professional editions and recommends it otherwise; see the instance's
        Overview page in the IoTDA console.
    type: str
  derived_signing:
    description:
      - Sign AK/SK requests with the derived signature C(V11-HMAC-SHA256) (service C(iotdm), region O(region)),
        which the endpoints of IoTDA standard and enterprise instances require, instead of C(SDK-HMAC-SHA256).
      - If not set, derived signing is used when the host of O(endpoint) contains C(.iotda-app.), and the standard
        signature otherwise.
      - Derived signing needs O(region) (it is part of the signature); without it the module fails before any request.
      - Has no effect with token authentication (O(auth_token) or IAM password login).
    type: bool
extends_documentation_fragment:
  - cloudops.jobs.huaweicloud
  - cloudops.jobs.connection
  - cloudops.jobs.job_state
  - cloudops.jobs.discovery
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
notes:
  - "State tables (from the IoTDA API reference and C(huaweicloudsdkiotda)). Task status: V(Success), V(Fail), V(Processing),
    V(PartialSuccess), V(Stopped), V(Waitting), V(Initializing), V(Stopping); a retry is refused for V(Success), V(Stopped),
    V(Stopping), V(Waitting) and V(Initializing)."
  - "Subtask status: retried from V(Fail), V(FailWaitRetry) and V(Stopped); skipped when V(Success), V(Processing) or
    V(Waitting); V(Removed) cannot be retried. With O(wait=true) a retried subtask is final at V(Success) (worked) or
    V(Fail), V(Stopped), V(Removed) (failed); V(FailWaitRetry) is not final, as the platform retries it by itself."
  - The subtasks are read 50 at a time, every page of them.
  - In check mode with O(precheck=false) and O(targets) omitted nothing is read, so no target can be listed; the
    module reports C(changed=true), as the real run sends a retry.
  - O(language) is not sent; IoTDA does not take C(X-Language).
seealso:
  - name: IoTDA API reference - Re-Execute a Batch Task
    description: The API this module calls.
    link: https://support.huaweicloud.com/intl/en-us/api-iothub/RetryBatchTask.html
  - name: IoTDA API reference - Query a Batch Task
    description: The API the precheck and O(wait) read.
    link: https://support.huaweicloud.com/intl/en-us/api-iothub/iot_06_v5_0017.html
"""

EXAMPLES = r"""
- name: Retry every failed subtask of an upgrade task (basic edition)
  cloudops.jobs.iotda_batchtask_retry:
    region: cn-north-4
    access_key: "{{ hw_access_key }}"
    secret_key: "{{ hw_secret_key }}"
    task_id: 64a1b2c3d4e5f60718293a4b
  register: upgrade_retry

- name: Show what happened to each device
  ansible.builtin.debug:
    msg: "{{ item.id }}: {{ item.status }}{{ ' (' ~ item.error_code ~ ')' if item.error_code is defined else '' }}"
  loop: "{{ upgrade_retry.jobs }}"

- name: Retry some devices on a standard instance (derived signing chosen from the endpoint) and wait for them
  cloudops.jobs.iotda_batchtask_retry:
    region: cn-north-4
    endpoint: https://abc123def4.st1.iotda-app.cn-north-4.myhuaweicloud.com
    instance_id: 11111111-2222-3333-4444-555555555555
    task_id: 64a1b2c3d4e5f60718293a4b
    targets:
      - 5f2b0d7e8c_dev-001
      - 5f2b0d7e8c_dev-002
    wait: true
    wait_timeout: 1800

- name: Retry without reading the task first (sends {} and reports the devices the service names)
  cloudops.jobs.iotda_batchtask_retry:
    task_id: 64a1b2c3d4e5f60718293a4b
    precheck: false

# Ad-hoc, credentials from the environment:
#   HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_REGION=cn-north-4 \
#   ansible localhost -m cloudops.jobs.iotda_batchtask_retry -a 'task_id=64a1b2c3d4e5f60718293a4b'
"""

RETURN = r"""
task_id:
  description: The batch task the targets belong to.
  returned: always
  type: str
  sample: 64a1b2c3d4e5f60718293a4b
jobs:
  description:
    - One entry per target, each exactly once. With O(targets) given, in that order; otherwise in the order the
      service listed the subtasks (O(precheck=true)) or answered the retry (O(precheck=false)).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The target (device ID).
      type: str
      sample: 5f2b0d7e8c_dev-001
    changed:
      description: Whether the target was retried (or would be, in check mode).
      type: bool
    failed:
      description: Whether the retry failed for this target.
      type: bool
    skipped:
      description: Whether the target was left alone because its subtask was already done or under way.
      type: bool
    status:
      description:
        - V(success) when the service accepted the retry; V(failed) when it refused it or the request failed.
        - The subtask's status when it was skipped, when it could not be retried, in check mode, or after O(wait=true).
        - V(unknown) when the outcome could not be known (the request may have been acted on and was not re-sent, or
          the service's answer did not mention the target).
        - V(not_found) when the task has no subtask for the target.
      type: str
      sample: success
    error_code:
      description: The service's error code, when it gave one.
      type: str
      returned: when the target failed and the service gave a code
      sample: IOTDA.014219
    error_msg:
      description: What went wrong for this target.
      type: str
      returned: when the target failed
      sample: Invalid input. The target is not in the task
    timed_out:
      description: Set when O(wait=true) and the subtask was still not final when O(wait_timeout) ran out (the target is failed).
      type: bool
      returned: when waiting ran out for this target
    request_id:
      description: The request ID of the request that decided this target.
      type: str
      returned: when the service gave one
summary:
  description: Counts of the targets.
  returned: always
  type: dict
  contains:
    total:
      description: Targets reported (after removing duplicates).
      type: int
    changed:
      description: Targets retried.
      type: int
    failed:
      description: Targets that failed.
      type: int
    skipped:
      description: Targets left alone.
      type: int
  sample: {total: 250, changed: 249, failed: 1, skipped: 0}
msg:
  description: How many targets failed and which, or how many were retried.
  returned: always
  type: str
  sample: "1 of 250 targets failed: 5f2b0d7e8c_dev-042"
error_code:
  description: The service's error code when the one request of O(precheck=false) without O(targets) failed as a whole.
  returned: when that request failed and the service gave a code
  type: str
  sample: APIGW.0301
request_id:
  description: The request ID of that failed request.
  returned: when that request failed and the service gave one
  type: str
"""

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError, iotda_spec
from ansible_collections.cloudops.jobs.plugins.module_utils._iotda import (
    IotdaRetry, check_instance_id, check_subtask_filters, check_task_id, signing_client,
)
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import Runner
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import HUAWEI
from ansible_collections.cloudops.jobs.plugins.module_utils._module import CloudJobsModule


def checks(params):
    check_task_id(params["task_id"])
    if params["targets"] is not None and not params["targets"]:
        raise InputError("targets is an empty list: list the device IDs to retry, or leave targets out to retry "
                         "every failed subtask of the task")
    check_instance_id(params["instance_id"])


def run(module):
    params = module.params
    client, derived = signing_client(module)
    action = IotdaRetry(client, params["task_id"], params["instance_id"], derived)
    result = Runner(module.options, action, module.warn).run(module.selection)
    result["task_id"] = params["task_id"]
    return result


def main():
    CloudJobsModule(
        dict(
            task_id=dict(type="str", required=True),
            targets=dict(type="list", elements="str"),
            **iotda_spec()
        ),
        HUAWEI, checks=checks, filters=check_subtask_filters, ids_option="targets",
        mutually_exclusive=[["targets", "filters"]],
    ).run(run)


if __name__ == "__main__":
    main()
