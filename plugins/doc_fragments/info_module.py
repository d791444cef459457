# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # The attributes and return values every read-only *_info module shares.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    support: full
    details:
      - The module only reads; it does the same in check mode.
  diff_mode:
    support: none
  platform:
    platforms: all
notes:
  - Read-only; always reports C(changed=false). Reads are re-sent on throttling under the same retry rules
    (O(max_retries)) as the action modules.
"""
