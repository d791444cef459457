# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source with each Tencent way in that renews (CVM metadata, assume_role on given keys, the role of a
credentials file, TKE workload identity) running past several expiries of keys that live 8 s, against the emulator:
every pass moves the emulator's wall clock and the source's clock 10 s on (a fake sleep). No poll fails, no request is
refused, the failure is emitted once, and no secret given or learnt is in the events or the logs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import logging
import os
import sys

import pytest

pytest.importorskip("pytest_asyncio")
pytest.importorskip("requests")


from ansible_collections.cloudops.jobs.tests.unit.eda.eda_expiries import Clock, control, watch  # noqa: E402
from ansible_collections.cloudops.jobs.tests.unit.eda.eda_fakes import COLLECTION, ENV_NAMES  # noqa: E402

EMULATOR = os.path.join(COLLECTION, "tests", "emulator")
if EMULATOR not in sys.path:
    sys.path.insert(0, EMULATOR)

from cloudemu.server import start  # noqa: E402  pylint: disable=wrong-import-position

SECRET_ID, SECRET_KEY = "AKIDEDACRED0000000000000000000000001", "eda-tencent-cred-secret-000000000001"
ROLE_ARN = "qcs::cam::uin/100000000001:roleName/cloudops-role"
WEB_TOKEN = "eda-web-identity-token-0001"
STEP_S = 10.0    # each pass: 10 s on, past the 8 s the keys live
PASSES = 6
TKE_ENV = ("TKE_REGION", "TKE_PROVIDER_ID", "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN")

SCENARIO = {
    "tencent": {"credentials": {SECRET_ID: SECRET_KEY}, "roles": [ROLE_ARN], "oidc_providers": {"cloudops-tke": [WEB_TOKEN]}},
    "tencent_batch": [{"id": "job-ecred00%d" % i, "status": "RUNNING"} for i in range(1, 4)],
}
WAYS = {
    "metadata": dict(use_metadata=True),
    "assume_role": dict(secret_id=SECRET_ID, secret_key=SECRET_KEY, assume_role={"role_arn": ROLE_ARN, "duration": 900}),
    "file_role": dict(),
    "workload_identity": dict(),
}
RENEWED_BY = {"metadata": "cvm.credentials", "assume_role": "sts.AssumeRole", "file_role": "sts.AssumeRole",
              "workload_identity": "sts.AssumeRoleWithWebIdentity"}


@pytest.fixture
def emulator(monkeypatch):
    for name in ENV_NAMES + TKE_ENV + ("TENCENTCLOUD_CREDENTIALS_FILE", "TENCENTCLOUD_USE_METADATA",
                                       "TENCENTCLOUD_ASSUME_ROLE_ARN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "/nonexistent-home")
    server = start(json.loads(json.dumps(SCENARIO)))
    try:
        control(server.url, "POST", "/_emu/config", {"credential_lifetime_s": 8})
        yield server.url
    finally:
        server.stop()


@pytest.mark.asyncio
@pytest.mark.parametrize("way", sorted(WAYS))
async def test_the_source_runs_past_several_expiries_without_a_failed_poll_or_a_leak(
        emulator, way, tmp_path, monkeypatch, caplog):
    args = dict(service="tencent_batch", region="ap-guangzhou", endpoint=emulator, sts_endpoint=emulator,
                metadata_endpoint=emulator, interval=1)
    args.update(WAYS[way])
    if way == "workload_identity":
        token_file = tmp_path / "web_token"
        token_file.write_text(WEB_TOKEN + "\n")
        for name, value in zip(TKE_ENV, ("ap-guangzhou", "cloudops-tke", str(token_file), ROLE_ARN)):
            monkeypatch.setenv(name, value)
    if way == "file_role":
        path = tmp_path / "credentials"
        path.write_text("[default]\nsecret_id = %s\nsecret_key = %s\nrole_arn = %s\n" % (SECRET_ID, SECRET_KEY, ROLE_ARN))
        monkeypatch.setenv("TENCENTCLOUD_CREDENTIALS_FILE", str(path))

    def fail(url):
        # A job that appears failed, with its own EndTime: the emulator derives the EndTime of a status it changes from
        # its wall clock, which the fake sleeps move on (the same failure would look like a new run at every pass).
        control(url, "POST", "/_emu/jobs", {"service": "tencent_batch", "id": "job-ecred004", "status": "FAILED",
                                            "end_time": "2026-12-01T00:00:00Z"})

    def nothing(url):
        return None

    steps = [nothing, fail] + [nothing] * (PASSES - 2)
    with caplog.at_level(logging.DEBUG, logger="cloudops.jobs.failed_jobs"):
        events = await watch(emulator, args, steps, Clock(), STEP_S)
    log = control(emulator, "GET", "/_emu/requests")["requests"]
    lists = [r for r in log if r["op"] == "tencent.DescribeJobs"]
    assert len(lists) == PASSES + 1 and all(r["status"] == 200 and r["error_code"] is None for r in lists)
    assert [r for r in log if (r.get("error_code") or "").startswith("AuthFailure")] == []
    assert len([r for r in log if r["op"] == RENEWED_BY[way]]) >= PASSES      # renewed at (nearly) every pass
    assert [(e["cloudops_job"]["id"], e["cloudops_job"]["status"]) for e in events] == [("job-ecred004", "FAILED")]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    learnt = set([SECRET_KEY, WEB_TOKEN])
    for entry in log:
        for name, value in entry["headers"].items():
            if name.lower() == "x-tc-token":
                learnt.add(value)
    assert len(learnt) > 3
    shown = json.dumps(events) + caplog.text
    assert [secret for secret in learnt if secret in shown] == []
