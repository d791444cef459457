# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-ins the job-runner tests share: a CloudJobsModule with params and warnings, and a clock that only moves
when slept on."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class FakeModule:
    def __init__(self, diff=False):
        self._diff = diff


class FakeCM:
    def __init__(self, check_mode=False, diff=False, **params):
        self.params = dict(precheck=True, wait=False, wait_timeout=600, wait_interval=10)
        self.params.update(params)
        self.check_mode = check_mode
        self.module = FakeModule(diff)
        self.warnings = []

    def warn(self, msg):
        self.warnings.append(msg)


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def by_id(result):
    return dict((j["id"], j) for j in result["jobs"])
