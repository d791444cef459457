#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: workspace_job_info
short_description: Read Huawei Cloud Workspace jobs by ID
version_added: 0.2.0
description:
  - Reads each Workspace job named in O(job_ids) with C(GET /v2/{project_id}/workspace-jobs/{job_id}), up to
    O(parallelism) requests in flight at once, and reports its state, error and sub-jobs.
  - The Workspace API has no job list, so jobs cannot be found by filter; name them by ID (for example the
    RV(cloudops.jobs.workspace_job_action#module:jobs[].new_job_id) a retry answered).
  - Read-only.
author:
  - cloudops.jobs contributors (@cloudops)
options:
  job_ids:
    description:
      - IDs of the Workspace jobs to read. Each ID is reported once, in the order given.
    type: list
    elements: str
    required: true
  parallelism:
    description:
      - How many requests are in flight at once. Must be at least 1.
    type: int
    default: 8
extends_documentation_fragment:
  - cloudops.jobs.huaweicloud
  - cloudops.jobs.connection
  - cloudops.jobs.info_module
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
notes:
  - A job the service answers HTTP 404 for is reported with RV(jobs[].status=not_found). A job whose read fails
    otherwise (after the re-sends O(max_retries) allows) is reported with RV(jobs[].status=unknown) and the service's
    error, and the task fails, naming it; the other jobs are still reported.
  - O(language) is not sent; the Workspace job API does not take C(X-Language).
seealso:
  - module: cloudops.jobs.workspace_job_action
  - name: Workspace API reference - Querying Job Details
    description: The API this module calls.
    link: https://support.huaweicloud.com/intl/en-us/api-workspace/ShowJob.html
"""

EXAMPLES = r"""
- name: Read the jobs a retry started
  cloudops.jobs.workspace_job_info:
    region: cn-north-4
    job_ids: "{{ ws_retry.jobs | selectattr('new_job_id', 'defined') | map(attribute='new_job_id') | list }}"
  register: ws

- name: Show the failed ones
  ansible.builtin.debug:
    msg: "{{ item.id }}: {{ item.job_error_code }} {{ item.fail_reason }}"
  loop: "{{ ws.jobs | selectattr('status', 'equalto', 'FAILED') | list }}"
"""

RETURN = r"""
jobs:
  description:
    - One entry per ID of O(job_ids), in that order, each once, with the fields the service answers, among them
      the ones below.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The job ID.
      type: str
      sample: 6783cecb-0e5c-4521-a3ea-825f551c1ba9
    job_type:
      description: What the job does, for example V(applyWorkspace).
      type: str
      returned: when the job was read
      sample: applyWorkspace
    status:
      description:
        - The job's state as the service gives it (seen V(SUCCESS), V(FAILED), V(RUNNING), V(WAITING), V(INIT)).
        - V(not_found) when the service does not know the job; V(unknown) when it could not be read.
      type: str
      sample: FAILED
    fail_reason:
      description: Why the job failed.
      type: str
      returned: when the service gives it
    job_error_code:
      description: The job's error code.
      type: str
      returned: when the service gives it
      sample: WKS.0101
    begin_time:
      description: When the job began.
      type: str
      returned: when the service gives it
    end_time:
      description: When the job ended.
      type: str
      returned: when the service gives it
    sub_jobs:
      description: The job's sub-jobs, as the service answers them.
      type: list
      elements: dict
      returned: when the job was read
    error_code:
      description: The error code of a read that failed.
      type: str
      returned: when the job could not be read
    error_msg:
      description: What went wrong reading the job.
      type: str
      returned: when the job could not be read
msg:
  description: Which jobs could not be read.
  returned: when a job could not be read
  type: str
"""

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import check_positive
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import STATUS_UNKNOWN, ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import HUAWEI
from ansible_collections.cloudops.jobs.plugins.module_utils._module import CloudJobsModule
from ansible_collections.cloudops.jobs.plugins.module_utils._results import STATUS_NOT_FOUND
from ansible_collections.cloudops.jobs.plugins.module_utils._workspace import each, read_job


def entry(job_id, answer):
    if isinstance(answer, ApiError):
        if answer.http_status == 404:
            return {"id": job_id, "status": STATUS_NOT_FOUND}
        job = {"id": job_id, "status": STATUS_UNKNOWN}
        job.update(answer.to_dict())
        return job
    job = dict(answer) if isinstance(answer, dict) else {}
    job["id"] = job_id
    job.setdefault("status", None)
    return job


def checks(params):
    check_positive(params, "parallelism")


def run(module):
    parallelism = module.params["parallelism"]
    ids = module.ids_once()
    client = module.client(pool_size=parallelism)
    jobs = [entry(job_id, answer) for job_id, answer in each(client, lambda j: read_job(client, j), ids, parallelism)]
    result = dict(changed=False, jobs=jobs)
    unread = [job["id"] for job in jobs if job["status"] == STATUS_UNKNOWN and "error_msg" in job]
    if unread:
        reasons = set(job["error_msg"] for job in jobs if job["id"] in unread)
        why = ": " + reasons.pop() if len(unread) == len(jobs) and len(reasons) == 1 else ""   # one cause: said once
        result.update(failed=True, msg="%d of %d jobs could not be read (%s)%s" % (len(unread), len(jobs), ", ".join(unread), why))
    return result


def main():
    CloudJobsModule(
        dict(job_ids=dict(type="list", elements="str", required=True), parallelism=dict(type="int", default=8)),
        HUAWEI, checks=checks, job_state=False, ids_option="job_ids",
    ).run(run)


if __name__ == "__main__":
    main()
