# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The control API (log, stats, reset, config, clock, state), HTTP plumbing (proxy form, keep-alive, TLS), the CLI."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

pytest.importorskip("huaweicloudsdkcore.signer.signer")
pytest.importorskip("tencentcloud.common.sign")

import requests  # noqa: E402

from emulator_testlib import DEMO, EMULATOR_DIR, PROJECT, STATIC_TOKEN  # noqa: E402  pylint: disable=import-error

from cloudemu.server import start  # noqa: E402

STATUS = "/v3/{project_id}/jobs/batch-status"
RETRY = "/v3/{project_id}/jobs/batch-retry-task"


def test_request_log_entries(cloud):
    cloud.huawei("POST", STATUS, {"jobs": ["drs-job-0001"]}, headers={"X-Language": "en-us"})
    cloud.session.post(cloud.url + "/v3/%s/jobs/batch-retry-task?x=1&x=2" % PROJECT, data="not json",
                       headers={"X-Auth-Token": STATIC_TOKEN})
    cloud.session.get(cloud.url + "/nowhere")
    entries = cloud.log()
    assert [e["seq"] for e in entries] == [1, 2, 3]
    first, second, third = entries
    assert (first["service"], first["op"], first["method"], first["status"], first["acted"], first["fault"]) == \
        ("drs", "drs.status", "POST", 200, False, None)
    assert first["path"] == "/v3/%s/jobs/batch-status" % PROJECT and first["host"] == cloud.host
    assert first["body"] == {"jobs": ["drs-job-0001"]}
    assert first["headers"]["X-Language"] == "en-us" and first["headers"]["Authorization"].startswith("SDK-HMAC-SHA256")
    assert first["t_start"] <= first["t_end"] <= second["t_start"]
    assert second["body"] == "not json" and second["query"] == {"x": ["1", "2"]}
    assert second["status"] == 400 and second["error_code"] == "DRS.10000001"
    assert (third["service"], third["op"], third["status"], third["error_code"]) == ("unknown", "unknown", 404, "APIGW.0101")
    assert [e["seq"] for e in cloud.control("GET", "requests?since=1")["requests"]] == [2, 3]
    assert [e["seq"] for e in cloud.control("GET", "requests?op=drs.status")["requests"]] == [1]
    cloud.control("DELETE", "requests")
    assert cloud.log() == []
    cloud.control("GET", "health")
    assert cloud.log() == []     # control calls are not logged


def test_stats_count_and_in_flight(cloud):
    cloud.control("POST", "config", {"latency_ms": 300})
    barrier = threading.Barrier(4)
    codes = []

    def call():
        barrier.wait()
        codes.append(cloud.huawei("POST", STATUS, {"jobs": ["drs-job-0001"]}).status_code)

    threads = [threading.Thread(target=call) for _i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cloud.huawei("GET", "/v2/{project_id}/workspace-jobs/ws-job-0001")
    assert codes == [200] * 4
    stats = cloud.control("GET", "stats")
    assert stats["count"] == {"drs.status": 4, "workspace.show": 1}
    assert stats["max_in_flight"] == {"drs.status": 4, "workspace.show": 1}
    cloud.control("DELETE", "stats")
    assert cloud.control("GET", "stats") == {"max_in_flight": {}, "count": {}}


def test_reset_and_state(cloud):
    cloud.huawei("POST", RETRY, {"jobs": [{"job_id": "drs-job-0001"}]})
    cloud.control("POST", "faults", {"faults": [{"op": "*", "fault": "html", "times": -1}]})
    cloud.control("POST", "config", {"latency_ms": 5})
    cloud.control("POST", "reset", {})
    assert cloud.state("drs", "drs-job-0001") == {"id": "drs-job-0001", "status": "INCRE_TRANSFER_FAILED",
                                                  "actual_status": "INCRE_TRANSFER_FAILED", "actions": 0}
    assert cloud.log() == [] and cloud.control("GET", "faults")["faults"] == []
    assert cloud.control("GET", "config")["latency_ms"] == 0
    custom = {"huawei": {"tokens": ["t"]}, "drs": [{"id": "only", "status": "PAUSING"}]}
    cloud.control("POST", "reset", custom)
    state = cloud.control("GET", "state")
    assert state["drs"] == [{"id": "only", "status": "PAUSING", "actual_status": "PAUSING", "actions": 0}]
    assert state["workspace"] == [] and state["iotda"] == [] and state["tencent_batch"] == []
    bad = cloud.session.post(cloud.url + "/_emu/reset", json={"drs": [{"id": "x"}]})
    assert bad.status_code == 400 and "status" in bad.json()["error"]
    assert cloud.control("GET", "state")["drs"][0]["id"] == "only"     # a bad scenario changes nothing


def test_config_and_clock(cloud):
    assert cloud.control("POST", "config", {"tencent_rate_limit": 5})["tencent_rate_limit"] == 5
    for bad in ({"latency": 1}, {"latency_ms": -1}, {"log_limit": "x"}):
        assert cloud.session.post(cloud.url + "/_emu/config", json=bad).status_code == 400
    cloud.huawei("POST", RETRY, {"jobs": [{"job_id": "drs-job-0002"}]})
    cloud.control("POST", "clock", {"advance_s": 2})
    assert cloud.state("drs", "drs-job-0002")["status"] == "INCRE_TRANSFER_STARTED"
    # the timeline clock moved, the signature clock did not
    assert cloud.huawei("POST", STATUS, {"jobs": []}).status_code == 200


def test_log_limit(cloud):
    cloud.control("POST", "config", {"log_limit": 2})
    for _i in range(3):
        cloud.session.get(cloud.url + "/nowhere")
    assert [e["seq"] for e in cloud.log()] == [2, 3]


def test_control_errors_and_connect(cloud):
    assert cloud.session.get(cloud.url + "/_emu/nothing").status_code == 404
    assert cloud.session.post(cloud.url + "/_emu/faults", data="[1]").status_code == 400
    conn = http.client.HTTPConnection(cloud.host, timeout=5)
    conn.request("CONNECT", "iotda.cn-north-4.myhuaweicloud.com:443")
    assert conn.getresponse().status == 501
    conn.close()


def test_proxy_form_uses_host_header(cloud):
    answer = cloud.session.get("http://drs.cn-north-4.myhuaweicloud.com/_emu/health", proxies={"http": cloud.url})
    assert answer.json() == {"ok": True}
    url = "http://workspace.cn-north-4.myhuaweicloud.com/v2/%s/workspace-jobs/ws-job-0004" % PROJECT
    shown = cloud.session.get(url, headers={"X-Auth-Token": STATIC_TOKEN}, proxies={"http": cloud.url})
    assert shown.json()["status"] == "SUCCESS"
    assert cloud.log()[-1]["host"] == "workspace.cn-north-4.myhuaweicloud.com"


def test_keep_alive(cloud):
    conn = http.client.HTTPConnection(cloud.host, timeout=5)
    conn.request("GET", "/_emu/health")
    first = conn.getresponse()
    assert first.getheader("Content-Length") and first.read() == b'{"ok":true}'
    sock = conn.sock
    conn.request("POST", "/v3/%s/jobs/batch-status" % PROJECT, body=json.dumps({"jobs": ["drs-job-0001"]}),
                 headers={"X-Auth-Token": STATIC_TOKEN})
    second = conn.getresponse()
    assert second.status == 200 and json.loads(second.read())["count"] == 1
    assert conn.sock is sock
    conn.close()


def test_loopback_only(demo_scenario):
    with pytest.raises(ValueError):
        start(demo_scenario, host="0.0.0.0")


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is needed to make a test certificate")
def test_tls(demo_scenario, tmp_path):
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    server = start(demo_scenario, tls=(cert, key))
    try:
        assert server.url.startswith("https://127.0.0.1:")
        assert requests.get(server.url + "/_emu/health", verify=cert, timeout=5).json() == {"ok": True}
    finally:
        server.stop()


def _wait_for(path, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return open(path).read()
        time.sleep(0.02)
    raise AssertionError("%s did not appear" % path)


def test_cli_url_file_and_sigterm(tmp_path):
    url_file = str(tmp_path / "url")
    proc = subprocess.Popen([sys.executable, os.path.join(EMULATOR_DIR, "run.py"), "--scenario", DEMO, "--port", "0",
                             "--url-file", url_file], stdout=subprocess.PIPE, text=True)
    try:
        url = _wait_for(url_file)
        assert proc.stdout.readline().strip() == "EMULATOR_URL=%s" % url
        assert requests.get(url + "/_emu/health", timeout=5).json() == {"ok": True}
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()


@pytest.mark.skipif(not shutil.which("bash"), reason="bash runs emulator.sh")
def test_emulator_sh_start_stop(tmp_path):
    script = os.path.join(EMULATOR_DIR, "emulator.sh")
    env = dict(os.environ, PYTHON=sys.executable)
    folder = str(tmp_path / "emu")
    subprocess.run(["bash", script, "start", folder, DEMO], check=True, env=env, capture_output=True, timeout=30)
    try:
        url = open(os.path.join(folder, "url")).read().strip()
        assert requests.get(url + "/_emu/health", timeout=5).json() == {"ok": True}
        again = subprocess.run(["bash", script, "start", folder], check=False, env=env, capture_output=True, timeout=30)
        assert again.returncode != 0
    finally:
        subprocess.run(["bash", script, "stop", folder], check=True, env=env, capture_output=True, timeout=30)
    assert not os.path.exists(os.path.join(folder, "pid"))
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url + "/_emu/health", timeout=2)
    bad = tmp_path / "bad.json"
    bad.write_text('{"drs": "no"}')
    failed = subprocess.run(["bash", script, "start", folder, str(bad)], check=False, env=env, capture_output=True, text=True, timeout=30)
    assert failed.returncode == 1 and "drs: must be a list" in failed.stderr
    assert not os.path.exists(os.path.join(folder, "pid"))
