# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # Each module documents its own filters (their keys are the service's list-query fields), one item per key, held
    # against the service's filter table by tests/unit/plugins/docs/test_filters_documented.py.
    DOCUMENTATION = r"""
options:
  max_jobs:
    description:
      - The most jobs O(filters) may select. When the service lists more, the task fails before anything is acted on,
        saying how many were found; narrow O(filters) or raise O(max_jobs).
      - M(cloudops.jobs.tencent_batch_retry) retries while it lists, so it checks the count of the first page before
        anything is sent; if later pages bring more jobs after all, acting stops, the jobs already sent are reported,
        and the task fails, saying how many were sent.
      - Has no effect when the jobs are named.
    type: int
    default: 1000
"""
