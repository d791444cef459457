#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: drs_job_info
short_description: List Huawei Cloud DRS jobs by filter, or read the states of given jobs
version_added: 0.2.0
description:
  - With O(filters), lists the Data Replication Service (DRS) jobs of the project that match them with
    C(POST /v3/{project_id}/jobs), reading every page (100 jobs per request, the most the API allows), each job once.
  - With O(job_ids), reads the state of each job with one C(POST /v3/{project_id}/jobs/batch-status) request, and the
    job's other fields from the job list queried by ID (C(name) takes up to 100 IDs, comma-separated).
  - Read-only. The jobs found can be handed to M(cloudops.jobs.drs_job_retry) or M(cloudops.jobs.drs_job_start).
author:
  - cloudops.jobs contributors (@cloudops)
options:
  job_ids:
    description:
      - IDs of the DRS jobs to read. Each ID is reported once, in the order given.
      - RV(jobs[].status) is the state C(batch-status) answers; the other fields come from the job list, queried by ID,
        for the jobs it finds there. A job C(batch-status) cannot read comes back with the service's error and no other field.
      - Mutually exclusive with O(filters); one of them is required.
    type: list
    elements: str
  filters:
    description:
      - The fields of the DRS job list query (C(QueryJobsReq)) to select jobs by, the keys below. Every key is checked
        before any request; an unknown key or a bad value fails the task naming the key and the accepted ones.
      - V(status) - a DRS job state or a list of them, for example V([FULL_TRANSFER_FAILED, INCRE_TRANSFER_FAILED, PAUSING]).
        The API takes one state per query, so one query is sent per state; left out, jobs in every state are listed.
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
      - V({}) lists every job of the project.
      - Mutually exclusive with O(job_ids).
    type: dict
extends_documentation_fragment:
  - cloudops.jobs.huaweicloud
  - cloudops.jobs.connection
  - cloudops.jobs.info_module
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
notes:
  - The DRS v3 job list API is marked deprecated in the official SDK; this module uses v3, as the action modules do.
seealso:
  - module: cloudops.jobs.drs_job_retry
  - module: cloudops.jobs.drs_job_start
  - name: DRS API reference - Querying the Task List
    description: The list API this module calls with O(filters).
    link: https://support.huaweicloud.com/intl/en-us/api-drs/drs_api_0040.html
"""

EXAMPLES = r"""
- name: Every failed or suspended DRS job of the project
  cloudops.jobs.drs_job_info:
    region: cn-north-4
    filters:
      status: [FULL_TRANSFER_FAILED, INCRE_TRANSFER_FAILED, PAUSING]
  register: broken

- name: Retry them
  cloudops.jobs.drs_job_retry:
    region: cn-north-4
    job_ids: "{{ broken.jobs | map(attribute='id') | list }}"
  when: broken.jobs | length > 0

- name: MySQL synchronization jobs tagged env=prod
  cloudops.jobs.drs_job_info:
    filters:
      engine_type: mysql
      db_use_type: sync
      tags:
        env: prod

- name: The states of two jobs
  cloudops.jobs.drs_job_info:
    job_ids:
      - 140b5236-88ad-43c8-811c-1268453jb101
      - 7b2e1c40-91aa-4a0e-8d1b-3c9a8b7c6jb102
"""

RETURN = r"""
jobs:
  description:
    - With O(filters), the jobs found, in the order the service listed them, each once, with the fields the service
      answers (C(JobInfo) of the SDK), among them the ones below.
    - With O(job_ids), one entry per ID, in that order, each once, with the same fields when the job list shows the job.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The job ID.
      type: str
      sample: 140b5236-88ad-43c8-811c-1268453jb101
    name:
      description: The job name.
      type: str
      returned: when the job list shows the job
      sample: mysql-sync-orders
    status:
      description:
        - The job's DRS state, for example V(INCRE_TRANSFER_FAILED).
        - V(not_found) for an ID of O(job_ids) the service does not know or could not read (see RV(jobs[].error_code)).
      type: str
      sample: INCRE_TRANSFER_FAILED
    create_time:
      description: When the job was created, as the service gives it.
      type: str
      returned: when the job list shows the job
    engine_type:
      description: The job's engine type.
      type: str
      returned: when the job list shows the job
      sample: mysql
    db_use_type:
      description: V(migration), V(sync) or V(cloudDataGuard).
      type: str
      returned: when the job list shows the job
    net_type:
      description: V(vpn), V(vpc) or V(eip).
      type: str
      returned: when the job list shows the job
    error_code:
      description: The service's error code for a job of O(job_ids) it could not read.
      type: str
      returned: when the service answered an error for the job
      sample: DRS.10000011
    error_msg:
      description: The service's message for a job of O(job_ids) it could not read.
      type: str
      returned: when the service answered an error for the job
"""

from ansible_collections.cloudops.jobs.plugins.module_utils._discovery import chunks
from ansible_collections.cloudops.jobs.plugins.module_utils._drs import check_filters, list_jobs, read_status
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import HUAWEI
from ansible_collections.cloudops.jobs.plugins.module_utils._module import CloudJobsModule, listed
from ansible_collections.cloudops.jobs.plugins.module_utils._results import STATUS_NOT_FOUND

# QueryJobsReq.name: "the job name or ID; several job IDs comma-separated, at most 100".
NAME_IDS_MAX = 100


def read_jobs(client, ids, language):
    """Each job's state from one batch-status request; its other fields from the job list queried by ID."""
    records = read_status(client, ids, language)
    known = [job_id for job_id in ids if job_id in records and records[job_id].state]
    fields = {}
    for chunk in chunks(known, NAME_IDS_MAX):
        wanted = set(chunk)
        for job in list_jobs(client, {"name": ",".join(chunk)}, language):
            if job.get("id") in wanted:
                fields.setdefault(job["id"], job)
    jobs = []
    for job_id in ids:
        record = records.get(job_id)
        job = dict(fields.get(job_id) or {})
        job.update(id=job_id, status=(record.state if record is not None else None) or STATUS_NOT_FOUND)
        if record is not None and record.error is not None:
            job["error_code"] = record.error.code
            job["error_msg"] = record.error.message
        jobs.append(job)
    return jobs


def run(module):
    selection = module.selection
    if selection.filters is not None:
        return listed(module, "jobs", list_jobs(module.client(), selection.filters, module.params["language"]))
    return dict(changed=False, jobs=read_jobs(module.client(), module.ids_once(), module.params["language"]))


def main():
    CloudJobsModule(
        {}, HUAWEI, job_state=False, filters=check_filters, ids_option="job_ids",
    ).run(run)


if __name__ == "__main__":
    main()
