#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: workspace_job_action
short_description: Retry failed Huawei Cloud Workspace jobs, many at once
version_added: 0.1.0
description:
  - Retries failed Workspace jobs with C(POST /v2/{project_id}/workspace-jobs/{job_id}/actions) and the body C({"op_type":"retry"}),
    one request per job, up to O(parallelism) in flight at once over one pooled connection set. Results keep the order of O(job_ids).
  - Only registration and deregistration jobs (job type C(applyWorkspace) or C(cancelWorkspace)) can be retried.
  - With O(precheck=true) (the default) each job is read first (C(GET /v2/{project_id}/workspace-jobs/{job_id}), concurrently).
    V(FAILED) and V(FAIL) jobs are retried; V(SUCCESS), V(COMPLETE), V(RUNNING), V(WAITING) and V(INIT) jobs are skipped;
    a failed job of another type fails with the reason; a job the service does not know fails with RV(jobs[].status=not_found).
    The service does not document its status values; any other value is neither retried nor skipped, and O(wait=true)
    treats it as not final.
  - A retry starts a new job - the answer's C(job_id), reported as RV(jobs[].new_job_id); the retried job itself can stay
    V(FAILED). With O(wait=true) the module follows the new job until it is V(SUCCESS)/V(COMPLETE) or V(FAILED)/V(FAIL),
    and reports its state in RV(jobs[].status); RV(jobs[].id) stays the ID you named.
  - Reports C(changed) and C(failed) per job, with the ID of the job the retry started in RV(jobs[].new_job_id).
  - Workspace has no job list API, so the jobs must be named (M(cloudops.jobs.workspace_job_info) reads them).
  - Because the retried job can stay V(FAILED) and the service links it to nothing, a second run over the same O(job_ids)
    retries it again. Re-run over the RV(jobs[].new_job_id) values instead - jobs that are done or under way are skipped.
author:
  - cloudops.jobs contributors (@cloudops)
options:
  job_ids:
    description:
      - IDs of the Workspace jobs to act on. A job listed twice is acted on and reported once, with a warning.
    type: list
    elements: str
    required: true
  op_type:
    description:
      - The action. The API offers V(retry) only.
    type: str
    choices: [retry]
    default: retry
  parallelism:
    description:
      - How many requests are in flight at once. Must be at least 1.
    type: int
    default: 8
extends_documentation_fragment:
  - cloudops.jobs.huaweicloud
  - cloudops.jobs.connection
  - cloudops.jobs.job_state
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
seealso:
  - name: Workspace API reference - Retrying a Task
    description: The API this module calls.
    link: https://support.huaweicloud.com/intl/en-us/api-workspace/RunActionsOnWorkspaceJob.html
"""

EXAMPLES = r"""
- name: Retry failed Workspace desktop registration jobs
  cloudops.jobs.workspace_job_action:
    region: cn-north-4
    access_key: "{{ hw_access_key }}"
    secret_key: "{{ hw_secret_key }}"
    job_ids:
      - 6783cecb-0e5c-4521-a3ea-825f551c1ba9
      - 6783cecb-0e5c-4521-a3ea-825f551c1bb0
  register: ws

- name: The jobs the retries started
  ansible.builtin.debug:
    msg: "{{ ws.jobs | selectattr('new_job_id', 'defined') | map(attribute='new_job_id') | list }}"

- name: Hundreds of jobs, 16 at a time, waiting for the outcome
  cloudops.jobs.workspace_job_action:
    job_ids: "{{ failed_workspace_jobs }}"
    parallelism: 16
    wait: true
    wait_timeout: 1800

- name: Credentials once for every Huawei Cloud module of the play
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/cloudops.jobs.huaweicloud:
      region: cn-north-4
      auth_token: "{{ hw_token }}"
  tasks:
    - name: Retry one job
      cloudops.jobs.workspace_job_action:
        job_ids: [6783cecb-0e5c-4521-a3ea-825f551c1ba9]

# Ad-hoc, credentials from HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_REGION:
#   ansible localhost -m cloudops.jobs.workspace_job_action -a 'job_ids=6783cecb-0e5c-4521-a3ea-825f551c1ba9 parallelism=4'
"""

RETURN = r"""
jobs:
  description:
    - One entry per job named in O(job_ids), in that order, each exactly once (an ID given twice is one entry).
    - Workspace has no job list API, so this module takes no C(filters); the jobs are always named.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The job ID.
      type: str
      sample: 6783cecb-0e5c-4521-a3ea-825f551c1ba9
    changed:
      description: Whether the job was acted on (or would be, in check mode).
      type: bool
    failed:
      description: Whether the action failed for this job.
      type: bool
    skipped:
      description: Whether the job was left alone because it was already running or done.
      type: bool
    status:
      description:
        - V(success) when the service accepted the retry; V(failed) when it refused it.
        - The job's Workspace state when it was skipped, when it could not be acted on, or in check mode.
        - After O(wait=true), the state of the job the retry started (RV(jobs[].new_job_id)).
        - V(unknown) when the outcome of the request could not be known (it may have been acted on; it was not re-sent).
        - V(not_found) when the service does not know the job.
      type: str
      sample: success
    error_code:
      description: The service's error code, when it gave one.
      type: str
      returned: when the job failed and the service gave a code
      sample: WKS.00130004
    error_msg:
      description: What went wrong for this job.
      type: str
      returned: when the job failed
    new_job_id:
      description: The ID of the job the retry started, as the service answered it (O(wait=true) follows it).
      type: str
      returned: when the job was retried
      sample: 0e2dae94-23ff-449a-bb9c-1b808cf2106d
    timed_out:
      description: Set when O(wait=true) and the job was still not final when O(wait_timeout) ran out (the job is failed).
      type: bool
      returned: when waiting ran out for this job
    request_id:
      description: The request ID of the request that decided this job.
      type: str
      returned: when the service gave one
summary:
  description: Counts of the jobs.
  returned: always
  type: dict
  contains:
    total:
      description: Jobs named (after removing duplicates).
      type: int
    changed:
      description: Jobs acted on.
      type: int
    failed:
      description: Jobs that failed.
      type: int
    skipped:
      description: Jobs left alone.
      type: int
  sample: {total: 3, changed: 2, failed: 1, skipped: 0}
msg:
  description: How many jobs failed and which, or how many were acted on.
  returned: always
  type: str
  sample: "1 of 3 jobs failed: 6783cecb-0e5c-4521-a3ea-825f551c1bb0"
"""


from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import check_positive
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import Runner
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import HUAWEI
from ansible_collections.cloudops.jobs.plugins.module_utils._module import CloudJobsModule
from ansible_collections.cloudops.jobs.plugins.module_utils._workspace import WorkspaceRetry


def checks(params):
    check_positive(params, "parallelism")


def run(module):
    parallelism = module.params["parallelism"]
    action = WorkspaceRetry(module.client(pool_size=parallelism), module.params["op_type"], parallelism)
    return Runner(module.options, action, module.warn).run(module.selection)


def main():
    CloudJobsModule(
        dict(
            job_ids=dict(type="list", elements="str", required=True),
            op_type=dict(type="str", choices=["retry"], default="retry"),
            parallelism=dict(type="int", default=8),
        ),
        HUAWEI, checks=checks, ids_option="job_ids",
    ).run(run)


if __name__ == "__main__":
    main()
