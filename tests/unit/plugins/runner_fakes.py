# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the job-runner and module tests share: a warnings collector for the Runner, a clock that only moves when
slept on, and running a module's main() end to end. (A Runner test builds its ``RunOptions`` and ``Selection``.)"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._module import CloudJobsModule

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19 has no patch_module_args: set the args the way it does
    import contextlib

    from ansible.module_utils import basic

    @contextlib.contextmanager
    def patch_module_args(args=None):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = json.dumps(dict(ANSIBLE_MODULE_ARGS=args or {})).encode()
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved

HUAWEI_TEST_CREDENTIALS = dict(region="cn-north-4", access_key="HPUAEXAMPLEAK0000001", secret_key="ExampleSecretKey0000000000000001")


class Warnings(list):
    """The ``warn`` a Runner takes: the warnings, in order."""

    def __call__(self, msg):
        self.append(msg)


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


def run_main(main, args, capsys, check_mode=False, diff=False):
    """Run a module's ``main()`` with ``args`` (plus Ansible's check/diff flags); return the result it printed."""
    full = dict(args)
    if check_mode:
        full["_ansible_check_mode"] = True
    if diff:
        full["_ansible_diff"] = True
    with patch_module_args(full):
        with pytest.raises(SystemExit):
            main()
    return json.loads(capsys.readouterr().out)


def huawei_module_runner(monkeypatch, capsys, main):
    """``run(fake, check_mode=False, diff=False, **args)`` runs a Huawei module's ``main()`` over the client ``fake``
    with test credentials; ``run.built`` lists the pool size of every client the module asked for."""
    built = []

    def client(self, pool_size=10):
        built.append(pool_size)
        return run.fake

    def run(fake, check_mode=False, diff=False, **args):
        run.fake = fake
        monkeypatch.setattr(CloudJobsModule, "client", client)
        return run_main(main, dict(HUAWEI_TEST_CREDENTIALS, **args), capsys, check_mode, diff)
    run.built = built
    return run
