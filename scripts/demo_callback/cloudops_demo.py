# -*- coding: utf-8 -*-
# Copyright: (c) 2025, cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stdout callback of `make demo` (scripts/demo.sh), not part of the collection: it prints what the playbooks
show (the per-job table and the summaries their debug tasks print) and the reason of a task that failed the play,
without the task headers of the role's internal steps. Any playbook runs the same under the default callback."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: cloudops_demo
type: stdout
short_description: the per-job table of make demo, without task headers
description:
  - Prints the messages of debug tasks and the message of each task that failed the play; nothing else.
"""

from ansible.plugins.callback import CallbackBase  # noqa: E402  pylint: disable=wrong-import-position

DEBUG_ACTIONS = ("debug", "ansible.builtin.debug", "ansible.legacy.debug")


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "cloudops_demo"

    def v2_playbook_on_play_start(self, play):
        self._display.display("\n%s" % play.get_name().strip())

    def _show_debug(self, result):
        if result._task.action in DEBUG_ACTIONS and "msg" in result._result:
            self._display.display("  %s" % result._result["msg"])

    def v2_runner_on_ok(self, result):
        if "results" not in result._result:
            self._show_debug(result)

    def v2_runner_item_on_ok(self, result):
        self._show_debug(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not ignore_errors:
            self._display.display("  FAILED: %s: %s" % (result._task.get_name().strip(), result._result.get("msg", "")))

    def v2_runner_on_unreachable(self, result):
        self._display.display("  UNREACHABLE: %s" % result._result.get("msg", ""))

    def v2_playbook_on_stats(self, stats):
        for host in sorted(stats.processed.keys()):
            s = stats.summarize(host)
            self._display.display("  %s: %s" % (host, "failed" if s["failures"] or s["unreachable"] else "ok"))
