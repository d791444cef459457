# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud DRS batch start: drs_job_start's start times and :class:`DrsStart`, on :mod:`._drs`'s tables and reads.

Apart from ``_drs`` so that the modules that never start a job do not pack the start-time parser.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import check_ids
from ansible_collections.cloudops.jobs.plugins.module_utils._drs import (
    ENDED_HINT, ENDED_STATES, FAILED_STATES, HEALTHY_STATES, RUNNING_STATES, STARTABLE_STATES, DrsAction,
)
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import Selection
from ansible_collections.cloudops.jobs.plugins.module_utils._timeutil import to_epoch_ms


def start_plan(jobs, start_time, warn):
    """``(selection, {id: epoch-ms string or None}, start_time)`` for drs_job_start: from ``jobs`` (a start time per
    job), the :class:`~._jobs.Selection` of its ids (option ``jobs``) and their start times; else ``selection`` None
    (the module's ``job_ids`` or ``filters``) and the one ``start_time`` (epoch-ms string, None: now). Raises
    InputError on bad input, before any request."""
    if jobs is None:
        return None, {}, to_epoch_ms(start_time) if start_time not in (None, "") else None
    ids = [job["job_id"] for job in jobs]
    check_ids(ids, "jobs[].job_id")
    start_times = {}
    for job in jobs:
        when = to_epoch_ms(job["start_time"], "jobs[].start_time") if job.get("start_time") not in (None, "") else None
        if job["job_id"] in start_times and start_times[job["job_id"]] != when:
            warn("jobs lists %s twice with different start times; the first is used" % job["job_id"])
        start_times.setdefault(job["job_id"], when)
    return Selection(ids, "jobs"), start_times, None


class DrsStart(DrsAction):
    """``POST /v3/{project_id}/jobs/batch-starting``: start configured jobs, now or at a time."""

    path = "/v3/{project_id}/jobs/batch-starting"
    verb = "started"
    actionable = STARTABLE_STATES
    settled = RUNNING_STATES
    succeeded = HEALTHY_STATES | frozenset(["WAITING_FOR_START"])
    expected_after = "STARTJOBING"
    hints = dict((state, "a failed job that ran before is retried with cloudops.jobs.drs_job_retry")
                 for state in FAILED_STATES if state != "START_JOB_FAILED")
    hints["PAUSING"] = "a suspended job is resumed with cloudops.jobs.drs_job_retry"
    hints.update((state, ENDED_HINT) for state in ENDED_STATES)

    def __init__(self, client, language="en-us", start_times=None, start_time=None):
        """``start_times``: {id: epoch-ms string or None} for jobs with their own; ``start_time``: for the others."""
        super(DrsStart, self).__init__(client, language)
        self.start_times = start_times or {}
        self.start_time = start_time

    def job_body(self, job_id):
        body = {"job_id": job_id}
        when = self.start_times.get(job_id, self.start_time)
        if when is not None:
            body["start_time"] = when
        return body
