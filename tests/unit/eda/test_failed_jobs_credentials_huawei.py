# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source with each Huawei way in that renews (ECS metadata, an agency, a password login, workload identity)
running past several expiries of keys and tokens that live 8 s, against the emulator: every pass moves the emulator's
wall clock and the source's clock 10 s on (a fake sleep). No poll fails, no request is refused, the failure is
emitted once, and no secret given or learnt is in the events or the logs."""

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

PROJECT = "0123456789abcdef0123456789abcdef"
AK, SK = "EDACREDAK00000000001", "eda-cred-secret-key-0000000000000000001"
PASSWORD, ID_TOKEN = "eda-cred-password-0001", "eda-cred-id-token-0001"
STEP_S = 10.0    # each pass: 10 s on, past the 8 s the keys live
PASSES = 6

SCENARIO = {
    "huawei": {"aksk": {AK: SK}, "projects": [{"id": PROJECT, "name": "cn-north-4"}],
               "users": [{"name": "eda-user", "password": PASSWORD, "domain": "acme"}],
               "agencies": [{"name": "cloudops-agency", "domain_name": "acme"}],
               "idps": {"cloudops-idp": [ID_TOKEN]}},
    "drs": [{"id": "drs-cred-%04d" % i, "status": "INCRE_TRANSFER_STARTED"} for i in range(1, 6)],
}
WAYS = {
    "metadata": dict(use_metadata=True),
    "agency": dict(access_key=AK, secret_key=SK, assume_role={"agency_name": "cloudops-agency", "domain_name": "acme",
                                                              "duration": 900}),
    "password": dict(user_name="eda-user", password=PASSWORD, domain_name="acme"),
    "workload_identity": dict(),
}
RENEWED_BY = {"metadata": "ecs.securitykey", "agency": "iam.assume_role", "password": "iam.token",
              "workload_identity": "iam.id_token"}


@pytest.fixture
def emulator(monkeypatch):
    for name in ENV_NAMES + ("HUAWEICLOUD_SDK_IDP_ID", "HUAWEICLOUD_SDK_ID_TOKEN_FILE", "HUAWEICLOUD_USE_METADATA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "/nonexistent-home")
    server = start(json.loads(json.dumps(SCENARIO)))
    try:
        control(server.url, "POST", "/_emu/config", {"credential_lifetime_s": 8, "token_lifetime_s": 8})
        yield server.url
    finally:
        server.stop()


@pytest.mark.asyncio
@pytest.mark.parametrize("way", sorted(WAYS))
async def test_the_source_runs_past_several_expiries_without_a_failed_poll_or_a_leak(
        emulator, way, tmp_path, monkeypatch, caplog):
    if way == "workload_identity":
        token_file = tmp_path / "id_token"
        token_file.write_text(ID_TOKEN + "\n")
        monkeypatch.setenv("HUAWEICLOUD_SDK_IDP_ID", "cloudops-idp")
        monkeypatch.setenv("HUAWEICLOUD_SDK_ID_TOKEN_FILE", str(token_file))
    args = dict(service="drs", region="cn-north-4", endpoint=emulator, iam_endpoint=emulator, metadata_endpoint=emulator,
                interval=1)
    args.update(WAYS[way])

    def fail(url):
        control(url, "POST", "/_emu/jobs", {"service": "drs", "id": "drs-cred-0003", "status": "INCRE_TRANSFER_FAILED"})

    def nothing(url):
        return None

    steps = [nothing, fail] + [nothing] * (PASSES - 2)
    with caplog.at_level(logging.DEBUG, logger="cloudops.jobs.failed_jobs"):
        events = await watch(emulator, args, steps, Clock(), STEP_S)
    log = control(emulator, "GET", "/_emu/requests")["requests"]
    lists = [r for r in log if r["op"] == "drs.list"]
    assert len(lists) == PASSES + 1 and all(r["status"] == 200 for r in lists)
    assert [r for r in log if r["status"] == 401] == []
    assert len([r for r in log if r["op"] == RENEWED_BY[way]]) >= PASSES      # renewed at (nearly) every pass
    assert [(e["cloudops_job"]["id"], e["cloudops_job"]["status"]) for e in events] == [
        ("drs-cred-0003", "INCRE_TRANSFER_FAILED")]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    learnt = set([SK, PASSWORD, ID_TOKEN])
    for entry in log:
        for name, value in entry["headers"].items():
            if name.lower() in ("x-security-token", "x-auth-token", "x-metadata-token"):
                learnt.add(value)
    assert len(learnt) > 3
    shown = json.dumps(events) + caplog.text
    assert [secret for secret in learnt if secret in shown] == []
