# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  precheck:
    description:
      - Read each job's state first and act only where the action applies, so a re-run changes nothing.
      - A job already running or done is reported with RV(jobs[].skipped=true) and RV(jobs[].changed=false); a job in a
        state the action cannot apply to fails with a message naming the states it could be acted on from; a job the
        service does not know fails with RV(jobs[].status=not_found).
      - Set to V(false) for accounts without read permission; the action is then sent for every job.
    type: bool
    default: true
  wait:
    description:
      - After acting, poll the acted-on jobs until each reaches a final state, and report it in RV(jobs[].status).
      - A job that ends failed makes the task fail.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait when O(wait=true). Jobs still running then are reported failed with their last state.
    type: int
    default: 600
  wait_interval:
    description:
      - Longest pause in seconds between polls when O(wait=true). The first poll comes two seconds after acting (or
        O(wait_interval) if shorter), then the pause doubles up to it.
    type: int
    default: 10
  wait_settle:
    description:
      - With O(wait=true), how many seconds after acting a job may still show the failed state it was acted on from
        before that counts as a new failure. Job states lag the action on the real clouds, so right after an accepted
        retry a status read can still return the old failed state.
      - Before then a job counts as failed again only on evidence of a new outcome - it was seen in another state since
        the action, it fails in another state, or the service shows a newer outcome (Tencent Cloud Batch - an C(EndTime)
        later than the one read before acting). After O(wait_settle) a job still in its old state is failed, and
        RV(jobs[].error_msg) says it never left it.
      - With O(precheck=false) the state before acting is not known, so any failed state read within O(wait_settle) is
        taken as not picked up yet.
      - Bounded by O(wait_timeout). V(0) counts a failed state at once.
    type: int
    default: 60
attributes:
  check_mode:
    support: full
    details:
      - Nothing is written. With O(precheck=true) job states are read, so check mode reports exactly the jobs a real run would act on.
  platform:
    platforms: all
  diff_mode:
    support: full
    details:
      - Shows each job's state before and the state expected after acting.
"""
