# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark helper (not part of the collection): a Python interpreter that records its run's peak RSS.

    python benchmarks/rss_python.py OUT_FILE ARGS...     # runs ``python ARGS...``, then appends a JSON line to OUT_FILE

bench.py writes a small executable that calls this and gives it to a playbook as ``ansible_python_interpreter``,
so that the module process a task starts (``python AnsiballZ_<module>.py``) is this script's child: it is started
with ``posix_spawn``, waited for with ``wait4()``, and its peak RSS (``ru_maxrss``, the same reading figure 5 takes
of a kept AnsiballZ wrapper run again) is appended to OUT_FILE as ``{"argv", "rss_kb", "wall_s", "exit", "cpu_s"}``. The
child's stdin, stdout and stderr are this process's own, so Ansible sees the module's output unchanged.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys
import time


def main():
    out, args = sys.argv[1], sys.argv[2:]
    start = time.monotonic()
    pid = os.posix_spawn(sys.executable, [sys.executable] + args, os.environ)
    _pid, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    with open(out, "a") as handle:
        handle.write(json.dumps({"argv": args, "rss_kb": usage.ru_maxrss, "wall_s": wall, "exit": code,
                                 "cpu_s": usage.ru_utime + usage.ru_stime}) + "\n")
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
