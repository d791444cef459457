#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: drs_job_start
short_description: Start Huawei Cloud DRS jobs in batches, now or at a given time
version_added: 0.1.0
description:
  - Starts configured Data Replication Service (DRS) jobs with C(POST /v3/{project_id}/jobs/batch-starting), all jobs in
    one request, each now or at its own start time.
  - With O(precheck=true) (the default) each job's state is read first with C(batch-status). Jobs in V(CONFIGURATION),
    V(WAITING_FOR_START) or V(START_JOB_FAILED) are started; running jobs (V(STARTJOBING), V(FULL_TRANSFER_STARTED),
    V(INCRE_TRANSFER_STARTED) and the like) are skipped; a job in any other state (for example a failed job that ran
    before, which M(cloudops.jobs.drs_job_retry) retries) fails with a message naming the states it could be started from.
  - With O(wait=true) the module waits until each started job is transferring (V(FULL_TRANSFER_STARTED) settles into
    V(INCRE_TRANSFER_STARTED) or V(FULL_TRANSFER_COMPLETE)), is waiting for its start time (V(WAITING_FOR_START)), or failed.
  - Reports C(changed) and C(failed) per job; the task fails when any job failed, and every job is reported exactly once.
author:
  - cloudops.jobs contributors (@cloudops)
options:
  job_ids:
    description:
      - IDs of the DRS jobs to start, all at O(start_time). Mutually exclusive with O(jobs) and O(filters).
    type: list
    elements: str
  filters:
    description:
      - Find the jobs to start instead of naming them, with the fields of the DRS job list query (C(QueryJobsReq)), the
        keys below. They start at O(start_time).
      - V(status) - a DRS job state or a list of them. Left out, every state a job can be started from (V(CONFIGURATION),
        V(WAITING_FOR_START), V(START_JOB_FAILED)), so V({}) finds every job this module could start.
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
  start_time:
    description:
      - When the jobs of O(job_ids) start - epoch milliseconds (for example V(1599202771816)) or an ISO 8601 date-time
        with a zone (for example V(2026-11-24T02:00:00+08:00) or V(2026-11-23T18:00:00Z)).
      - Sent as the epoch-milliseconds string the API expects. Omitted means now.
      - A date-time without a zone, or a number that looks like seconds, is an error before any request is sent.
    type: raw
  jobs:
    description:
      - Jobs with their own start times. Mutually exclusive with O(job_ids) and O(start_time).
    type: list
    elements: dict
    suboptions:
      job_id:
        description: ID of the DRS job.
        type: str
        required: true
      start_time:
        description: When this job starts, as O(start_time). Omitted means now.
        type: raw
extends_documentation_fragment:
  - cloudops.jobs.huaweicloud
  - cloudops.jobs.connection
  - cloudops.jobs.job_state
  - cloudops.jobs.discovery
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
notes:
  - O(language) is sent as C(X-Language), which this API marks mandatory.
seealso:
  - module: cloudops.jobs.drs_job_retry
  - name: DRS API reference - Starting Tasks in Batches
    description: The API this module calls.
    link: https://support.huaweicloud.com/intl/en-us/api-drs/drs_api_0051.html
"""

EXAMPLES = r"""
- name: Start two configured DRS jobs now
  cloudops.jobs.drs_job_start:
    region: cn-north-4
    access_key: "{{ hw_access_key }}"
    secret_key: "{{ hw_secret_key }}"
    job_ids:
      - 9a470239-2308-4bb5-a6bc-1040402fjb21
      - dbb8127c-b093-4b94-b764-7161e151jb2s

- name: Start them tonight at 02:00 Beijing time
  cloudops.jobs.drs_job_start:
    job_ids: [9a470239-2308-4bb5-a6bc-1040402fjb21, dbb8127c-b093-4b94-b764-7161e151jb2s]
    start_time: "2026-11-24T02:00:00+08:00"

- name: Each job at its own time, and wait until both are transferring or scheduled
  cloudops.jobs.drs_job_start:
    jobs:
      - job_id: 9a470239-2308-4bb5-a6bc-1040402fjb21
      - job_id: dbb8127c-b093-4b94-b764-7161e151jb2s
        start_time: 1599202771816
    wait: true

- name: Credentials once for every Huawei Cloud module of the play
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/cloudops.jobs.huaweicloud:
      region: cn-north-4
      access_key: "{{ hw_access_key }}"
      secret_key: "{{ hw_secret_key }}"
  tasks:
    - name: Start a job
      cloudops.jobs.drs_job_start:
        job_ids: [9a470239-2308-4bb5-a6bc-1040402fjb21]

# Ad-hoc, credentials from HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_REGION:
#   ansible localhost -m cloudops.jobs.drs_job_start -a 'job_ids=9a470239-2308-4bb5-a6bc-1040402fjb21 start_time=2026-11-24T02:00:00+08:00'
"""

RETURN = r"""
jobs:
  description:
    - One entry per job named in O(job_ids) or O(jobs), in that order, each exactly once (an ID given twice is one entry).
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
      description: Whether starting this job failed.
      type: bool
    skipped:
      description: Whether the job was left alone because it was already running or done.
      type: bool
    status:
      description:
        - V(success) when the service accepted the start; V(failed) when it refused it.
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


from ansible_collections.cloudops.jobs.plugins.module_utils._drs import check_filters
from ansible_collections.cloudops.jobs.plugins.module_utils._drs_start import DrsStart, start_plan
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import Runner
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import HUAWEI
from ansible_collections.cloudops.jobs.plugins.module_utils._module import CloudJobsModule


def run(module):
    params = module.params
    selection, start_times, start_time = start_plan(params["jobs"], params["start_time"], module.warn)
    action = DrsStart(module.client(), params["language"], start_times, start_time)
    return Runner(module.options, action, module.warn).run(selection or module.selection)


def main():
    CloudJobsModule(
        dict(
            job_ids=dict(type="list", elements="str"),
            start_time=dict(type="raw"),
            jobs=dict(type="list", elements="dict", options=dict(
                job_id=dict(type="str", required=True),
                start_time=dict(type="raw"),
            )),
        ),
        HUAWEI, filters=check_filters, ids_option="job_ids",
        mutually_exclusive=[["jobs", "job_ids", "filters"], ["jobs", "start_time"]],
        required_one_of=[["jobs", "job_ids", "filters"]],
    ).run(run)


if __name__ == "__main__":
    main()
