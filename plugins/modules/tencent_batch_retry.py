#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: tencent_batch_retry
short_description: Retry failed Tencent Cloud Batch jobs, in batches, within the API's rate limit
version_added: 0.1.0
description:
  - Retries failed Tencent Cloud Batch jobs with C(RetryJobs) (API version 2017-03-12), at most O(batch_size) job IDs
    per request, in the order given. The service then re-runs each job's failed task instances.
  - With O(precheck=true) (the default) each job's state is read first with C(DescribeJobs) and only V(FAILED) jobs are sent;
    jobs that are queued, running or done are skipped, so re-running the task is safe.
  - Tencent answers one error for a whole request. When a request is refused because of particular jobs
    (C(ResourceNotFound.Job), C(InvalidParameter.JobIdMalformed), C(UnsupportedOperation) and their sub-codes), none of
    its jobs was acted on, so the module splits it and sends the parts again until each of those jobs stands alone.
    Every other job is still retried, exactly once, and every refused job gets its own error code. This takes a few
    more requests per refused job (a job the error message names is sent alone first, otherwise the request is
    halved), each paced by O(rate_limit).
  - An error about the request as a whole (C(AuthFailure.*), C(InternalError), C(RequestLimitExceeded) once the re-sends
    are used up, ...) is not split; every job of that request fails with it. After C(InternalError) the jobs are
    reported RV(jobs[].status=unknown), as the service may have acted; the request is not re-sent.
  - Each API is paced on its own by O(rate_limit), 2 requests per second by default, as Tencent Cloud limits each API -
    C(DescribeJobs) (lists and state reads) and C(RetryJobs) (retries, and the parts of a split batch) do not share a
    budget. A throttled request (C(RequestLimitExceeded)) was not acted on and is re-sent with backoff, up to
    O(max_retries) times; the backoff holds back that API only.
  - Reports C(changed) and C(failed) per job, each with the request ID of the request that decided it; the task fails
    when any job failed, and every job is reported exactly once.
author:
  - cloudops.jobs contributors (@cloudops)
options:
  job_ids:
    description:
      - IDs of the Batch jobs to retry, for example V(job-rybewp57). A job listed twice is retried and reported once, with
        a warning.
      - Exactly one of O(job_ids) and O(filters) is required.
    type: list
    elements: str
  filters:
    description:
      - Find the jobs to retry instead of naming them, with C(DescribeJobs) filters - a filter name below mapped to a
        value or a list of values (a list matches any of them; several filters must all match).
      - V(job-state) - a job state (C(JobState)) or a list of them - V(SUBMITTED), V(PENDING), V(RUNNABLE), V(STARTING),
        V(RUNNING), V(SUCCEED), V(FAILED), V(FAILED_INTERRUPTED). Left out, V(FAILED), the one state C(RetryJobs) applies
        to, so V({}) finds every job this module could retry.
      - V(job-name) - the job name.
      - V(job-id) - the job ID, for example V(job-rybewp57).
      - V(zone) - the availability zone, for example V(ap-guangzhou-2).
      - V(tag-key) - a tag key.
      - V(tag-value) - a tag value.
      - V(tag:KEY) - the jobs whose tag KEY has one of the values, for example C(tag:env).
      - An unknown filter name or a bad value fails before any request, naming the filter and the accepted ones.
      - The list is read 100 jobs per C(DescribeJobs) request, and the retries start while it is still being read - a
        batch of O(batch_size) FAILED jobs is sent as soon as it is found, each API at its own O(rate_limit); the pages
        are read in an order such that no job is skipped when retried jobs leave the V(FAILED) list. In check mode the list is
        read and no retry is sent.
      - At most O(max_jobs) jobs may be selected - the first page's C(TotalCount) is checked before any retry is sent.
        If the pages read after it still bring more jobs than O(max_jobs) (jobs that failed while the list was read),
        no more retries are sent and the task fails, saying how many jobs had been sent; those jobs are reported. If a
        page cannot be read once retries were sent, the jobs found are retried and reported, and the task fails,
        saying where the list stopped.
    type: dict
  batch_size:
    description:
      - How many job IDs one C(RetryJobs) request carries, from 1 to 100 (the API's maximum). More job IDs are sent in
        several requests.
      - Any other value fails before any request is sent.
    type: int
    default: 100
extends_documentation_fragment:
  - cloudops.jobs.tencentcloud
  - cloudops.jobs.connection
  - cloudops.jobs.job_state
  - cloudops.jobs.discovery
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
notes:
  - "State table (C(JobState) of C(DescribeJobs)): retried from V(FAILED); skipped when V(SUBMITTED), V(PENDING), V(RUNNABLE),
    V(STARTING), V(RUNNING) or V(SUCCEED); a job in V(FAILED_INTERRUPTED) cannot be retried and fails, naming V(FAILED) as
    the state it could be retried from. With O(wait=true) a retried job is final at V(SUCCEED) (worked) or V(FAILED),
    V(FAILED_INTERRUPTED) (failed)."
  - With O(precheck=true) a job that C(DescribeJobs) does not list fails with RV(jobs[].status=not_found) and is not sent.
    With O(precheck=false) it is sent, and the service's C(ResourceNotFound.Job) is reported for it.
  - The states are read 100 jobs per C(DescribeJobs) request, within that API's O(rate_limit).
seealso:
  - name: Tencent Cloud Batch API - RetryJobs
    description: The API this module calls.
    link: https://www.tencentcloud.com/document/product/599/30551
  - name: Tencent Cloud Batch API - DescribeJobs
    description: The API the precheck and O(wait) read.
    link: https://www.tencentcloud.com/document/product/599/30557
"""

EXAMPLES = r"""
- name: Retry failed Batch jobs
  cloudops.jobs.tencent_batch_retry:
    secret_id: "{{ tc_secret_id }}"
    secret_key: "{{ tc_secret_key }}"
    region: ap-guangzhou
    job_ids:
      - job-rybewp57
      - job-97zcl3wt
  register: batch_retry

- name: Show what happened to each job
  ansible.builtin.debug:
    msg: "{{ item.id }}: {{ item.status }}{{ ' (' ~ item.error_code ~ ')' if item.error_code is defined else '' }}"
  loop: "{{ batch_retry.jobs }}"

- name: Retry many jobs, 20 per request, and wait until each has finished (credentials from TENCENTCLOUD_* env vars)
  cloudops.jobs.tencent_batch_retry:
    job_ids: "{{ failed_batch_jobs }}"
    batch_size: 20
    wait: true
    wait_timeout: 3600
    wait_interval: 30

- name: Credentials once for every Tencent Cloud module of the play
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/cloudops.jobs.tencentcloud:
      secret_id: "{{ tc_secret_id }}"
      secret_key: "{{ tc_secret_key }}"
      region: ap-guangzhou
  tasks:
    - name: Retry without reading states first (for accounts without DescribeJobs permission)
      cloudops.jobs.tencent_batch_retry:
        job_ids: [job-rybewp57]
        precheck: false

# Ad-hoc, credentials from the environment:
#   TENCENTCLOUD_SECRET_ID=... TENCENTCLOUD_SECRET_KEY=... TENCENTCLOUD_REGION=ap-guangzhou \
#   ansible localhost -m cloudops.jobs.tencent_batch_retry -a 'job_ids=job-rybewp57,job-97zcl3wt'
"""

RETURN = r"""
jobs:
  description: One entry per job named in O(job_ids), in that order, each exactly once (with O(filters), per job found, in the order listed).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The job ID.
      type: str
      sample: job-rybewp57
    changed:
      description: Whether the job was retried (or would be, in check mode).
      type: bool
    failed:
      description: Whether the retry failed for this job.
      type: bool
    skipped:
      description: Whether the job was left alone because it was already queued, running or done.
      type: bool
    status:
      description:
        - V(success) when the service accepted the retry; V(failed) when it refused it or the request failed.
        - The job's C(JobState) when it was skipped, when it could not be retried, in check mode, or after O(wait=true).
        - V(unknown) when the outcome could not be known (after C(InternalError) or no answer within O(timeout)); the
          request may have been acted on and was not re-sent.
        - V(not_found) when the precheck found no such job.
        - V(not_checked) in check mode with O(precheck=false).
      type: str
      sample: success
    error_code:
      description: The service's error code, when it gave one.
      type: str
      returned: when the job failed and the service gave a code
      sample: ResourceNotFound.Job
    error_msg:
      description: What went wrong for this job.
      type: str
      returned: when the job failed
      sample: "The specified job does not exist: `job-97zcl3wt`."
    timed_out:
      description: Set when O(wait=true) and the job was still not final when O(wait_timeout) ran out (the job is failed).
      type: bool
      returned: when waiting ran out for this job
    request_id:
      description: The request ID of the request that decided this job (for a refused job, the request it stood alone in).
      type: str
      returned: when the service gave one
      sample: 970e5a9f-2963-436c-8dad-4847360676f7
summary:
  description: Counts of the jobs.
  returned: always
  type: dict
  contains:
    total:
      description: Jobs named (after removing duplicates).
      type: int
    changed:
      description: Jobs retried.
      type: int
    failed:
      description: Jobs that failed.
      type: int
    skipped:
      description: Jobs left alone.
      type: int
  sample: {total: 50, changed: 47, failed: 3, skipped: 0}
msg:
  description: How many jobs failed and which, or how many were retried.
  returned: always
  type: str
  sample: "1 of 2 jobs failed: job-97zcl3wt"
"""

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import Runner
from ansible_collections.cloudops.jobs.plugins.module_utils._module import CloudJobsModule
from ansible_collections.cloudops.jobs.plugins.module_utils._tencent import TENCENT
from ansible_collections.cloudops.jobs.plugins.module_utils._tencent_batch import MAX_BATCH, TencentBatchRetry, check_filters


def checks(params):
    value = params["batch_size"]
    if value is None or not 1 <= value <= MAX_BATCH:
        raise InputError("batch_size must be from 1 to %d (RetryJobs takes at most %d job IDs per request), got %s"
                         % (MAX_BATCH, MAX_BATCH, value))


def run(module):
    options = module.options
    # With filters, the retries start while DescribeJobs is still being paged (not in check mode: nothing is sent).
    action = TencentBatchRetry(module.client(), module.params["batch_size"], max_jobs=options.max_jobs, overlap=not options.check_mode)
    result = Runner(options, action, module.warn).run(module.selection)
    if action.stopped:
        # Acting stopped early (more than max_jobs after all, or a page that could not be read): every job sent is
        # in the result, and the task fails, saying why.
        result.update(failed=True, msg="%s; %s" % (action.stopped, result["msg"]))
    return result


def main():
    CloudJobsModule(
        dict(batch_size=dict(type="int", default=MAX_BATCH)), TENCENT, checks=checks, filters=check_filters, ids_option="job_ids",
    ).run(run)


if __name__ == "__main__":
    main()
