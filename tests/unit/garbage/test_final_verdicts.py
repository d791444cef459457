# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Final answers, through the real modules against the emulator over HTTP (issue 19, "Final answers are final" and
"Causes named"): a write answered 503 until the re-sends run out was not acted on, on both clouds; a proxy that
refuses our credentials (407) is asked once; failures name their step, host and fix."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import threading

import pytest

from ansible_collections.cloudops.jobs.tests.unit.garbage.garbage_cases import (
    AK, MODULES, PROJECT, SK, TC_ID, TC_KEY, USER, log, reset,
)
from ansible_collections.cloudops.jobs.tests.unit.garbage.test_garbage_modules import run_module

WRITES = {"drs_job_retry": "drs.retry", "drs_job_start": "drs.start", "workspace_job_action": "workspace.action",
          "iotda_batchtask_retry": "iotda.retry", "tencent_batch_retry": "tencent.RetryJobs"}


def args_for(module, url, **extra):
    spec = MODULES[module]
    if spec["cloud"] == "huawei":
        args = dict(region="cn-north-4", endpoint=url, access_key=AK, secret_key=SK, project_id=PROJECT)
    else:
        args = dict(region="ap-guangzhou", secret_id=TC_ID, secret_key=TC_KEY, endpoint=url, rate_limit=1000)
    args.update(spec["ids"])
    if module == "iotda_batchtask_retry":
        args["targets"] = ["device-0001", "device-0002"]   # named, so that precheck: false reports them
    args.update(timeout=10, **extra)
    return args


@pytest.mark.parametrize("module", sorted(WRITES))
def test_a_write_answered_503_until_the_resends_run_out_was_not_acted_on(module, emulator_url, capsys):
    op = WRITES[module]
    reset(emulator_url, [{"op": op, "fault": "status", "status": 503, "times": -1}])
    result = run_module(module, args_for(module, emulator_url, precheck=False, max_retries=2), capsys)
    writes = [e for e in log(emulator_url) if e["op"] == op]
    jobs = result.get("jobs") or []
    assert result.get("failed") is True and not result.get("changed") and jobs, result
    # every job failed, none unknown: the service refused each attempt before acting
    assert [j["status"] for j in jobs] == ["failed"] * len(jobs), jobs
    assert all("not acted on" in j["error_msg"] and j.get("http_status", 503) == 503 for j in jobs), jobs
    assert not any(e.get("acted") for e in writes)
    per_request = 1 if module != "workspace_job_action" else len(jobs)   # Workspace: one request per job
    assert len(writes) == 3 * per_request, [e["op"] for e in writes]      # the first send and max_retries re-sends


class RefusingProxy:
    """A proxy that answers every request (a plain-HTTP one or a CONNECT) with 407, counting them."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.requests = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                if data:
                    self.requests.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
                    conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n"
                                 b"Content-Length: 0\r\nConnection: close\r\n\r\n")

    def close(self):
        self.sock.close()


@pytest.fixture
def proxy():
    server = RefusingProxy()
    yield server
    server.close()


@pytest.mark.parametrize("scheme", ["https", "http"])
@pytest.mark.parametrize("module", ["drs_job_retry", "tencent_batch_retry"])
def test_a_proxy_that_refuses_the_credentials_is_asked_once(module, scheme, proxy, monkeypatch, capsys):
    """Five CONNECTs with a wrong password can lock a directory-backed account: a 407 is final."""
    monkeypatch.setenv("%s_proxy" % scheme, "http://ops:wrong-pass-0001@127.0.0.1:%d" % proxy.port)
    endpoint = "%s://endpoint.example.invalid" % scheme
    result = run_module(module, args_for(module, endpoint, max_retries=4), capsys)
    assert len(proxy.requests) == 1, proxy.requests
    assert proxy.requests[0].startswith("CONNECT " if scheme == "https" else "POST http://endpoint.example.invalid")
    assert result.get("failed") is True and not result.get("changed"), result
    text = str(result)
    assert "407" in text and "USER:PASSWORD@HOST:PORT" in text and "wrong-pass-0001" not in text
    assert "Traceback" not in text


def test_a_password_login_that_cannot_reach_iam_names_the_step_the_host_and_the_fix(emulator_url, capsys):
    reset(emulator_url)
    args = dict(region="cn-north-4", endpoint=emulator_url, iam_endpoint="https://iam.example.invalid", job_ids=["a", "b"],
                max_retries=0, **USER)
    result = run_module("drs_job_retry", args, capsys)
    assert result["failed"] and [j["id"] for j in result["jobs"]] == ["a", "b"]
    # every job failed for the same reason: the task message says it once, naming the step, the host and the fix
    assert result["msg"].startswith("2 of 2 jobs failed (a, b): IAM password login failed: iam.example.invalid: could not "
                                    "connect"), result["msg"]
    assert "check iam_endpoint (https://iam.example.invalid)" in result["msg"]
    assert "could not read the job's state" not in result["msg"]


def test_a_login_made_on_the_way_to_a_call_keeps_its_own_hint(emulator_url, capsys):
    """With project_id given, the password login happens inside the first service call: the call must not add the
    service endpoint's hint to the login's error."""
    reset(emulator_url)
    args = dict(region="cn-north-4", endpoint=emulator_url, iam_endpoint="https://iam.example.invalid", job_ids=["a"],
                project_id=PROJECT, max_retries=0, **USER)
    msg = run_module("drs_job_retry", args, capsys)["jobs"][0]["error_msg"]
    assert msg.startswith("IAM password login failed: iam.example.invalid: could not connect"), msg
    assert msg.endswith("check iam_endpoint (https://iam.example.invalid)"), msg


def test_a_wrong_password_names_the_login_and_the_options_to_check(emulator_url, capsys):
    reset(emulator_url)
    args = dict(region="cn-north-4", endpoint=emulator_url, iam_endpoint=emulator_url, job_ids=["a"],
                **dict(USER, password="not-the-password-0001"))
    result = run_module("drs_job_retry", args, capsys)
    msg = result["jobs"][0]["error_msg"]
    assert result["failed"] and msg.startswith("IAM password login at 127.0.0.1:"), msg
    assert "check user_name, password and domain_name" in msg and "not-the-password-0001" not in str(result)
    assert [e["op"] for e in log(emulator_url)] == ["iam.token"]   # nothing else was sent


@pytest.mark.parametrize("filters, module, named", [
    ({"status": "INCRE_TRANSFER_FAILD"}, "drs_job_retry", "INCRE_TRANSFER_FAILED"),
    ({"job-state": "FAILD"}, "tencent_batch_retry", "FAILED"),
])
def test_a_misspelt_filter_state_is_refused_before_any_request(filters, module, named, emulator_url, capsys):
    reset(emulator_url)
    args = args_for(module, emulator_url, filters=filters)
    args.pop("job_ids", None)
    result = run_module(module, args, capsys)
    assert result["failed"] and "did you mean %s?" % named in result["msg"], result["msg"]
    assert log(emulator_url) == []
