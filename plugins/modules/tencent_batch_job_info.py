#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: tencent_batch_job_info
short_description: List Tencent Cloud Batch jobs by filter, or read given jobs
version_added: 0.2.0
description:
  - With O(filters), lists the Tencent Cloud Batch jobs that match them with C(DescribeJobs) (API version 2017-03-12),
    reading every page (100 jobs per request, the most the API allows) until C(TotalCount), each job once.
  - With O(job_ids), reads those jobs with C(DescribeJobs), 100 IDs per request.
  - Every request is paced by O(rate_limit), 2 per second by default, as the API allows; a throttled request is re-sent.
  - Read-only. The jobs found can be handed to M(cloudops.jobs.tencent_batch_retry).
author:
  - cloudops.jobs contributors (@cloudops)
options:
  job_ids:
    description:
      - IDs of the Batch jobs to read, for example V(job-rybewp57). Each ID is reported once, in the order given.
      - Mutually exclusive with O(filters); one of them is required.
    type: list
    elements: str
  filters:
    description:
      - C(DescribeJobs) filters, each a filter name below mapped to a value or a list of values (a list matches any of
        them; several filters must all match).
      - V(job-state) - a job state (C(JobState)) or a list of them - V(SUBMITTED), V(PENDING), V(RUNNABLE), V(STARTING),
        V(RUNNING), V(SUCCEED), V(FAILED), V(FAILED_INTERRUPTED).
      - V(job-name) - the job name.
      - V(job-id) - the job ID, for example V(job-rybewp57).
      - V(zone) - the availability zone, for example V(ap-guangzhou-2).
      - V(tag-key) - a tag key.
      - V(tag-value) - a tag value.
      - V(tag:KEY) - the jobs whose tag KEY has one of the values, for example C(tag:env).
      - An unknown filter name or a bad value fails before any request, naming the filter and the accepted ones.
      - V({}) lists every job.
      - Mutually exclusive with O(job_ids).
    type: dict
extends_documentation_fragment:
  - cloudops.jobs.tencentcloud
  - cloudops.jobs.connection
  - cloudops.jobs.info_module
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
notes:
  - An ID of O(job_ids) the service does not know (or refuses as malformed) is reported with RV(jobs[].status=not_found).
seealso:
  - module: cloudops.jobs.tencent_batch_retry
  - name: Tencent Cloud Batch API - DescribeJobs
    description: The API this module calls.
    link: https://www.tencentcloud.com/document/api/1086/35942
"""

EXAMPLES = r"""
- name: Every failed job named etl-nightly (job-name is an exact name, not a pattern)
  cloudops.jobs.tencent_batch_job_info:
    region: ap-guangzhou
    filters:
      job-state: FAILED
      job-name: etl-nightly
  register: failed

- name: Jobs tagged team=data that failed or are still running
  cloudops.jobs.tencent_batch_job_info:
    filters:
      job-state: [FAILED, RUNNING]
      tag:team: data

- name: Read two jobs
  cloudops.jobs.tencent_batch_job_info:
    job_ids: [job-rybewp57, job-97zcl3wt]
"""

RETURN = r"""
jobs:
  description:
    - With O(filters), the jobs found, in the order the service listed them, each once.
    - With O(job_ids), one entry per ID, in that order, each once.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The job ID.
      type: str
      sample: job-rybewp57
    name:
      description: The job name.
      type: str
      returned: when the job was found
    status:
      description:
        - The job state (C(JobState)), one of V(SUBMITTED), V(PENDING), V(RUNNABLE), V(STARTING), V(RUNNING), V(SUCCEED),
          V(FAILED), V(FAILED_INTERRUPTED).
        - V(not_found) for an ID of O(job_ids) the service does not know.
      type: str
      sample: FAILED
    create_time:
      description: When the job was created (ISO 8601, UTC).
      type: str
      returned: when the job was found
      sample: "2026-11-30T02:00:00Z"
    end_time:
      description: When the job ended (ISO 8601, UTC), when it has.
      type: str
      returned: when the job was found
    zone:
      description: The availability zone of the job.
      type: str
      returned: when the service gives it
      sample: ap-guangzhou-3
    priority:
      description: The job priority.
      type: int
      returned: with O(filters), when the service gives it
    tags:
      description: The job's tags, as a dict of keys to values.
      type: dict
      returned: with O(filters), when the service gives them
"""

from ansible_collections.cloudops.jobs.plugins.module_utils._module import CloudJobsModule, listed
from ansible_collections.cloudops.jobs.plugins.module_utils._tencent import TENCENT
from ansible_collections.cloudops.jobs.plugins.module_utils._results import STATUS_NOT_FOUND
from ansible_collections.cloudops.jobs.plugins.module_utils._tencent_batch import check_filters, describe_jobs, list_jobs


def run(module):
    selection = module.selection
    if selection.filters is not None:
        return listed(module, "jobs", list_jobs(module.client(), selection.filters))
    ids = module.ids_once()
    found = describe_jobs(module.client(), ids)
    jobs = []
    for job_id in ids:
        job = {"id": job_id}
        job.update(found.get(job_id) or {"status": STATUS_NOT_FOUND})
        jobs.append(job)
    return dict(changed=False, jobs=jobs)


def main():
    CloudJobsModule(
        {}, TENCENT, job_state=False, filters=check_filters, ids_option="job_ids",
    ).run(run)


if __name__ == "__main__":
    main()
