# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The garbage-answer suite's fixtures: one emulator (demo scenario) over HTTP for the session, reset before each case;
no environment credentials or proxies; re-sends without their back-off waits. With GARBAGE_FAILURES=FILE set, FILE is
rewritten with one line per failing case and what it ended as."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils import _retry
from ansible_collections.cloudops.jobs.tests.unit.garbage.garbage_cases import DEMO  # (puts tests/emulator on sys.path)

from cloudemu.scenario import load  # noqa: E402  pylint: disable=wrong-import-position
from cloudemu.server import start  # noqa: E402  pylint: disable=wrong-import-position

ENV_NAMES = ("HUAWEICLOUD_SDK_REGION", "HW_REGION_NAME", "HUAWEICLOUD_SDK_PROJECT_ID", "HW_PROJECT_ID", "HUAWEICLOUD_SDK_AK",
             "HW_ACCESS_KEY", "HUAWEICLOUD_SDK_SK", "HW_SECRET_KEY", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "HW_SECURITY_TOKEN",
             "HUAWEICLOUD_AUTH_TOKEN", "HW_AUTH_TOKEN", "HW_USER_NAME", "HW_USER_PASSWORD", "HW_DOMAIN_NAME",
             "HUAWEICLOUD_SDK_IAM_ENDPOINT", "HW_AUTH_URL", "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY",
             "TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_REGION",
             "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy")
FAILURES_ENV = "GARBAGE_FAILURES"


@pytest.fixture(scope="session")
def emulator_url():
    server = start(load(DEMO))
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def quiet_world(monkeypatch):
    """No credential or proxy from the environment; the transport's re-sends happen, without sleeping between them."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    waits = []
    monkeypatch.setattr(_retry.RetryPolicy, "wait", lambda self, attempt, retry_after=None: waits.append(attempt))
    return waits


def pytest_sessionstart(session):
    path = os.environ.get(FAILURES_ENV)
    if path and not os.environ.get("PYTEST_XDIST_WORKER"):   # the controller starts the file, workers add to it
        with open(path, "w") as handle:
            handle.write("")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    path = os.environ.get(FAILURES_ENV)
    if not path or report.when != "call" or not report.failed:
        return
    seen = dict(item.user_properties).get("observed")
    problems = dict(item.user_properties).get("problems")
    if seen is None:
        seen = " ".join(str(report.longrepr).split())[-300:]
    line = "%s | %s | %s\n" % (item.name, problems or "test error", seen)
    with open(path, "a") as handle:
        handle.write(line)
