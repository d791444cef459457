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
      - Longest pause in seconds between polls when O(wait=true); polling starts at one second and backs off up to it.
    type: int
    default: 10
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
