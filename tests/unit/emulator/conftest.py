# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the emulator tests: the demo scenario served in-process on a free port, with a manual clock."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os
import sys
import time

import pytest

pytest.importorskip("requests")

HERE = os.path.dirname(os.path.abspath(__file__))
for folder in (HERE, os.path.abspath(os.path.join(HERE, "..", "..", "emulator"))):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from cloudemu.scenario import load  # noqa: E402  pylint: disable=wrong-import-position
from cloudemu.server import start  # noqa: E402  pylint: disable=wrong-import-position
from cloudemu.timeline import ManualClock  # noqa: E402  pylint: disable=wrong-import-position
from emulator_testlib import DEMO, Cloud  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def demo_scenario():
    return load(DEMO)


@pytest.fixture
def clock():
    """Timelines move only on ``clock.tick(s)``; the wall clock starts at the real time (signatures are dated now)."""
    return ManualClock(start=1000.0, wall=time.time())


def _serve(scenario, clock, config):
    server = start(copy.deepcopy(scenario), clock=clock)
    server.emulator.configure(config)
    return server, Cloud(server, clock)


@pytest.fixture
def cloud(demo_scenario, clock):
    """The demo scenario with reads that do not lag (``lag_s`` 0): the state machine tests; the lag has its own tests."""
    server, client = _serve(demo_scenario, clock, {"lag_s": 0})
    yield client
    client.session.close()
    server.stop()


@pytest.fixture
def default_cloud(demo_scenario, clock):
    """The demo scenario with the default config (reads lag ``lag_s`` 1.0 s after an action)."""
    server, client = _serve(demo_scenario, clock, {})
    yield client
    client.session.close()
    server.stop()
