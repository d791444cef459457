# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark helper (not part of the collection): records each task's wall time.

A task's time runs from ``v2_playbook_on_task_start`` (before it is queued to a worker) to its host
result (``v2_runner_on_ok``/``failed``/``skipped``/``unreachable``; for a loop, the result after the
last item). Written as JSON to the file named by ``BENCH_TIMER_OUT`` when the playbook ends:
``[{"name", "start", "end", "seconds", "status", "items"}, ...]`` in task order; ``start`` and ``end`` are
``time.monotonic()`` (CLOCK_MONOTONIC, the clock of the emulator's request log on the same machine).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: bench_timer
type: aggregate
short_description: Records each task's wall time for benchmarks/bench.py
description:
  - Writes the wall time of each task to the JSON file named by the BENCH_TIMER_OUT environment variable.
requirements:
  - enabled in callbacks_enabled
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.tasks = []
        self.current = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.current = {"name": task.get_name(), "start": time.monotonic(), "end": None, "seconds": None, "status": None,
                        "items": 0}
        self.tasks.append(self.current)

    def _end(self, status):
        if self.current is not None and self.current["seconds"] is None:
            self.current["end"] = time.monotonic()
            self.current["seconds"] = self.current["end"] - self.current["start"]
            self.current["status"] = status

    def v2_runner_item_on_ok(self, result):
        if self.current is not None:
            self.current["items"] += 1

    def v2_runner_item_on_failed(self, result):
        if self.current is not None:
            self.current["items"] += 1

    def v2_runner_on_ok(self, result, **kwargs):
        self._end("changed" if result._result.get("changed") else "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._end("failed")

    def v2_runner_on_skipped(self, result):
        self._end("skipped")

    def v2_runner_on_unreachable(self, result):
        self._end("unreachable")

    def v2_playbook_on_stats(self, stats):
        out = os.environ.get("BENCH_TIMER_OUT")
        if not out:
            return
        with open(out, "w") as handle:
            json.dump(self.tasks, handle, indent=1)
