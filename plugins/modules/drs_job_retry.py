#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: drs_job_retry
short_description: Retry failed or resume suspended Huawei Cloud DRS jobs in batches
version_added: 0.1.0
description:
  - Retries failed Data Replication Service (DRS) jobs and resumes suspended (V(PAUSING)) ones with
    C(POST /v3/{project_id}/jobs/batch-retry-task), all jobs in one request.
  - With O(precheck=true) (the default) each job's state is read first with C(batch-status), and only jobs in a
    C(*_FAILED) state or V(PAUSING) are sent; running jobs are skipped, so re-running the task is safe.
  - The jobs are named in O(job_ids), or found with O(filters) through the job list (C(POST /v3/{project_id}/jobs)) -
    O(filters={}) finds every job this module can recover (the C(*_FAILED) states and V(PAUSING)).
  - Reports C(changed) and C(failed) per job; the task fails when any job failed, and every job is reported exactly once.
author:
  - cloudops.jobs contributors (@cloudops)
options:
  job_ids:
    description:
      - IDs of the DRS jobs to retry or resume. A job listed twice is acted on and reported once, with a warning.
      - Exactly one of O(job_ids) and O(filters) is required.
    type: list
    elements: str
  filters:
    description:
      - Find the jobs to act on instead of naming them, with the fields of the DRS job list query (C(QueryJobsReq)), the
        keys below.
      - V(status) - a DRS job state or a list of them. Left out, every state this module acts from (the failed states
        and V(PAUSING)), so V({}) finds every job it could recover. Jobs that it selects in other states are reported as
        with O(job_ids) (skipped when running, failed otherwise).
        The states - failed V(CREATE_FAILED), V(START_JOB_FAILED), V(FULL_TRANSFER_FAILED), V(INCRE_TRANSFER_FAILED),
        V(RELEASE_RESOURCE_FAILED), V(REBUILD_NODE_FAILED), V(CHANGE_JOB_FAILED), V(CHILD_TRANSFER_FAILED),
        V(NODE_UPGRADE_FAILED); suspended V(PAUSING); not started V(CONFIGURATION), V(WAITING_FOR_START); running or done
        V(CREATING), V(STARTJOBING), V(FULL_TRANSFER_STARTED), V(FULL_TRANSFER_COMPLETE), V(INCRE_TRANSFER_STARTED),
        V(CHILD_TRANSFER_STARTING), V(CHILD_TRANSFER_STARTED), V(CHILD_TRANSFER_COMPLETE), V(REBUILD_NODE_STARTED),
        V(CHANGE_JOB_STARTED), V(NODE_UPGRADE_START), V(NODE_UPGRADE_COMPLETE); ended V(DELETED),
        V(RELEASE_RESOURCE_STARTED), V(RELEASE_RESOURCE_COMPLETE), V(RELEASE_CHILD_TRANSFER_STARTED),
        V(RELEASE_CHILD_TRANSFER_COMPLETE).
      - V(name) - the job name or ID to match (the service's own matching).
      - V(engine_type) - a string, for example V(mysql).
      - V(db_use_type) - a string, for example V(migration), V(sync) or V(cloudDataGuard).
      - V(net_type) - a string, for example V(vpn), V(vpc) or V(eip).
      - V(enterprise_project_id) - a string.
      - V(tags) - a dict of tag keys to tag values.
      - V(instance_ids) - a database instance ID or a list of at most 10 of them.
      - V(instance_ip) - a database instance IP address, a string.
      - An unknown key or a bad value fails before any request, naming the key and the accepted ones.
      - At most O(max_jobs) jobs may be selected.
    type: dict
  sync_re_edit:
    description:
      - Sent as C(is_sync_re_edit) for each job, only when set. The API reference asks for V(true) when a task
        whose synchronization objects were edited is resumed or retried.
    type: bool
extends_documentation_fragment:
  - cloudops.jobs.huaweicloud
  - cloudops.jobs.connection
  - cloudops.jobs.job_state
  - cloudops.jobs.discovery
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
notes:
  - The DRS v3 batch APIs are marked deprecated in the official SDK in favour of v5 C(ExecuteJobAction); this module uses v3, which the
    API reference documents.
seealso:
  - module: cloudops.jobs.drs_job_start
  - name: DRS API reference - Resuming or Retrying Tasks in Batches
    description: The API this module calls.
    link: https://support.huaweicloud.com/intl/en-us/api-drs/drs_api_0113.html
"""

EXAMPLES = r"""
- name: Retry failed DRS jobs and resume suspended ones
  cloudops.jobs.drs_job_retry:
    region: cn-north-4
    access_key: "{{ hw_access_key }}"
    secret_key: "{{ hw_secret_key }}"
    job_ids:
      - 140b5236-88ad-43c8-811c-1268453jb101
      - 7b2e1c40-91aa-4a0e-8d1b-3c9a8b7c6jb102
  register: drs_retry

- name: Show what happened to each job
  ansible.builtin.debug:
    msg: "{{ item.id }}: {{ item.status }}{{ ' (' ~ item.error_code ~ ')' if item.error_code is defined else '' }}"
  loop: "{{ drs_retry.jobs }}"

- name: Retry and wait until each job is replicating again (credentials from HUAWEICLOUD_SDK_* env vars)
  cloudops.jobs.drs_job_retry:
    job_ids: "{{ failed_drs_jobs }}"
    wait: true
    wait_timeout: 900

- name: Credentials once for every Huawei Cloud module of the play
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/cloudops.jobs.huaweicloud:
      region: cn-north-4
      access_key: "{{ hw_access_key }}"
      secret_key: "{{ hw_secret_key }}"
  tasks:
    - name: Retry without reading states first (for accounts without read permission)
      cloudops.jobs.drs_job_retry:
        job_ids: [140b5236-88ad-43c8-811c-1268453jb101]
        precheck: false

# Ad-hoc, credentials from the environment:
#   HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_REGION=cn-north-4 \
#   ansible localhost -m cloudops.jobs.drs_job_retry -a 'job_ids=140b5236-88ad-43c8-811c-1268453jb101,7b2e1c40-91aa-4a0e-8d1b-3c9a8b7c6jb102'
"""

RETURN = r"""
jobs:
  description:
    - One entry per job named in O(job_ids), in that order, each exactly once (an ID given twice is one entry).
    - With O(filters), one entry per job the list found, each exactly once; none when the filters matched no job.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The job ID.
      type: str
      sample: 140b5236-88ad-43c8-811c-1268453jb101
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
        - The job's DRS state when it was skipped, when it could not be acted on, in check mode, or after O(wait=true).
        - V(unknown) when the outcome of the request could not be known (it may have been acted on; it was not re-sent).
        - V(not_found) when the service does not know the job.
      type: str
      sample: success
    error_code:
      description: The service's error code, when it gave one.
      type: str
      returned: when the job failed and the service gave a code
      sample: DRS.10040006
    error_msg:
      description: What went wrong for this job.
      type: str
      returned: when the job failed
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
  sample: "1 of 3 jobs failed: 7b2e1c40-91aa-4a0e-8d1b-3c9a8b7c6jb102"
"""

from ansible_collections.cloudops.jobs.plugins.module_utils._drs import DrsRetry, check_filters
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import Runner
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import HUAWEI
from ansible_collections.cloudops.jobs.plugins.module_utils._module import CloudJobsModule


def run(module):
    action = DrsRetry(module.client(), module.params["language"], module.params["sync_re_edit"])
    return Runner(module.options, action, module.warn).run(module.selection)


def main():
    CloudJobsModule(
        dict(sync_re_edit=dict(type="bool")), HUAWEI, filters=check_filters, ids_option="job_ids",
    ).run(run)


if __name__ == "__main__":
    main()
