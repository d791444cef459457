# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark suite (``make bench`` -> benchmarks/run.sh -> this), against the local cloud emulator.

    python benchmarks/bench.py --url EMULATOR_URL [--only 1,3] [--uri-n 100] [--repeat 10] [--json FILE]

Each figure is a ratio of two things measured in the same run; each is printed with its target and
PASS or FALL SHORT. It is a measurement, not a test: it exits 0 whatever the verdicts, and 1 only
when a figure could not be measured at all (the run itself broke). docs/performance.md explains the
figures and holds the numbers of one run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import base64
import glob
import io
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile

import scenarios as sc

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
PLAYBOOKS = os.path.join(BENCH, "playbooks")
PYTHON = sys.executable
BIN = os.path.dirname(PYTHON)

LATENCY_MS = 50
PARALLELISM = 8          # workspace_job_action's default
TENCENT_RATE = 2.0       # requests per second: tencent_batch_retry's default, the API's limit
TENCENT_BATCH = 100      # RetryJobs' maximum and the module's default
IOTDA_PER_REQUEST = 100  # targets per IoTDA retry request (API maximum)
PLAY_TIMEOUT = 420       # seconds; no single step of a healthy run comes near


class BenchError(Exception):
    """A figure could not be measured."""


def out(line=""):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# ----------------------------------------------------------------------------- emulator
class Emulator:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + "/_emu" + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.loads(answer.read().decode("utf-8"))

    def reset(self, scenario, latency_ms=0):
        self.control("POST", "/reset", scenario)
        if latency_ms:
            self.control("POST", "/config", {"latency_ms": latency_ms})

    def stats(self):
        return self.control("GET", "/stats")

    def count(self, op):
        return self.stats().get("count", {}).get(op, 0)

    def requests(self, op):
        return self.control("GET", "/requests?op=" + op)["requests"]


def acted(entries):
    return sum(1 for e in entries if e.get("acted") and e.get("status") == 200)


# ----------------------------------------------------------------------------- ansible
class Ansible:
    """Runs ansible-playbook / ansible in an isolated home, with the collection from this checkout."""

    def __init__(self, work, url):
        self.work = work
        self.url = url
        coll = os.path.join(work, "collections", "ansible_collections", "cloudops")
        os.makedirs(coll)
        os.symlink(ROOT, os.path.join(coll, "jobs"))
        cfg = os.path.join(work, "ansible.cfg")
        with open(cfg, "w") as handle:
            handle.write("[defaults]\n")
        self.env = dict(os.environ)
        self.env.update({
            "ANSIBLE_CONFIG": cfg,
            "ANSIBLE_HOME": os.path.join(work, "ansible-home"),
            "ANSIBLE_COLLECTIONS_PATH": os.path.join(work, "collections"),
            "ANSIBLE_LOCAL_TEMP": os.path.join(work, "tmp-local"),
            "ANSIBLE_REMOTE_TEMP": os.path.join(work, "tmp-remote"),
            "ANSIBLE_PYTHON_INTERPRETER": PYTHON,
            "ANSIBLE_CALLBACK_PLUGINS": os.path.join(BENCH, "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "bench_timer",
            "ANSIBLE_LOCALHOST_WARNING": "false",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "false",
            "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
            # Demo credentials (the emulator knows them; no real cloud is reached).
            "HUAWEICLOUD_SDK_AK": sc.HUAWEI_AK,
            "HUAWEICLOUD_SDK_SK": sc.HUAWEI_SK,
            "HUAWEICLOUD_SDK_REGION": sc.REGION,
            "HUAWEICLOUD_SDK_PROJECT_ID": sc.PROJECT_ID,
            "TENCENTCLOUD_SECRET_ID": sc.TENCENT_ID,
            "TENCENTCLOUD_SECRET_KEY": sc.TENCENT_KEY,
            "TENCENTCLOUD_REGION": "ap-guangzhou",
        })
        for name in ("ANSIBLE_KEEP_REMOTE_FILES", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            self.env.pop(name, None)
        self.env["NO_PROXY"] = self.env["no_proxy"] = "127.0.0.1,localhost"
        self.runs = 0

    def playbook(self, name, extra_vars):
        """Run a playbook; return ({task name: task record}, log path). Raises BenchError when a task failed."""
        self.runs += 1
        tag = "%02d-%s" % (self.runs, os.path.splitext(name)[0])
        vars_file = os.path.join(self.work, tag + ".vars.json")
        timer = os.path.join(self.work, tag + ".timer.json")
        log = os.path.join(self.work, tag + ".log")
        variables = {"url": self.url}
        variables.update(extra_vars)
        with open(vars_file, "w") as handle:
            json.dump(variables, handle)
        env = dict(self.env, BENCH_TIMER_OUT=timer)
        with open(log, "w") as handle:
            try:
                proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local",
                                       os.path.join(PLAYBOOKS, name), "-e", "@" + vars_file],
                                      env=env, stdout=handle, stderr=subprocess.STDOUT, timeout=PLAY_TIMEOUT, cwd=self.work,
                                      check=False)
            except subprocess.TimeoutExpired as exc:
                raise BenchError("%s did not finish within %d s (log: %s)" % (name, PLAY_TIMEOUT, log)) from exc
        if proc.returncode != 0 or not os.path.exists(timer):
            raise BenchError("%s failed (exit %d); its log:\n%s" % (name, proc.returncode, tail(log)))
        with open(timer) as handle:
            tasks = json.load(handle)
        return dict((t["name"], t) for t in tasks), log

    def adhoc(self, module, args, env=None, stdout_path=None):
        """``ansible localhost -m MODULE -a ARGS``: return (wall seconds, CPU seconds of the process tree, output)."""
        cmd = [os.path.join(BIN, "ansible"), "localhost", "-m", module]
        if args:
            cmd += ["-a", args]
        run_env = dict(self.env, **(env or {}))
        path = stdout_path or os.path.join(self.work, "adhoc.out")
        wall, cpu, code = timed(cmd, path, run_env, self.work)
        with open(path) as handle:
            text = handle.read()
        if code != 0:
            raise BenchError("ansible -m %s failed (exit %d):\n%s" % (module, code, text[-3000:]))
        return wall, cpu, text


def run_waited(cmd, stdout_path, env, cwd, shown_words=4):
    """Run ``cmd`` to its end, stdout and stderr to ``stdout_path``; return (wall s, rusage, exit code).

    The rusage covers it and every descendant it waited for.
    """
    with open(stdout_path, "w") as handle:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        try:
            _pid, status, usage = wait4(proc.pid, PLAY_TIMEOUT)
        except BenchError as exc:
            proc.kill()
            proc.wait()
            raise BenchError("%s did not finish within %d s" % (" ".join(cmd[:shown_words]), PLAY_TIMEOUT)) from exc
        wall = time.perf_counter() - start
    return wall, usage, os.waitstatus_to_exitcode(status)


def timed(cmd, stdout_path, env, cwd):
    """Run ``cmd`` to its end; return (wall s, user+sys CPU s, exit code) of it and every descendant it waited for.

    CPU time is far less sensitive than wall time to other work on the machine.
    """
    wall, usage, code = run_waited(cmd, stdout_path, env, cwd)
    return wall, usage.ru_utime + usage.ru_stime, code


def wait4(pid, timeout):
    deadline = time.monotonic() + timeout
    while True:
        got, status, usage = os.wait4(pid, os.WNOHANG)
        if got == pid:
            return got, status, usage
        if time.monotonic() > deadline:
            raise BenchError("timeout")
        time.sleep(0.005)


def tail(path, lines=40):
    with open(path) as handle:
        return "".join(handle.readlines()[-lines:])


def adhoc_result(text):
    """The JSON of ``localhost | CHANGED => {...}``."""
    start = text.find("=> {")
    if start < 0:
        raise BenchError("no result in the ad-hoc output:\n%s" % text[-2000:])
    return json.loads(text[start + 3:])


def phases(task, entries):
    """Split a task's wall time with the emulator's request log (same monotonic clock):
    (start-up until the first request arrived, first arrival to last answer, last answer to the task's end)."""
    if not entries or task.get("end") is None:
        return None
    first = min(e["t_start"] for e in entries)
    last = max(e["t_end"] or e["t_start"] for e in entries)
    return first - task["start"], last - first, task["end"] - last


def fmt_phases(split):
    if split is None:
        return ""
    return "start-up %.2f s + requests %.2f s + finish %.2f s" % split


def seconds(task):
    if task.get("seconds") is None or task.get("status") in ("failed", "unreachable"):
        raise BenchError("task %r did not finish well (%s)" % (task.get("name"), task.get("status")))
    return task["seconds"]


# ----------------------------------------------------------------------------- report
class Report:
    def __init__(self):
        self.rows = []   # (figure, what, measured, target, verdict)
        self.errors = []
        self.details = {}

    def check(self, figure, what, measured, target, ok):
        verdict = "PASS" if ok else "FALL SHORT"
        self.rows.append((figure, what, measured, target, verdict))
        out("  %-44s %-26s target %-14s %s" % (what + ":", measured, target, verdict))

    def error(self, figure, exc):
        self.errors.append((figure, str(exc)))
        out("  ERROR: could not measure this figure: %s" % exc)

    def summary(self):
        out()
        out("== Summary ==")
        out("| # | figure | measured | target | verdict |")
        out("|---|---|---|---|---|")
        for figure, what, measured, target, verdict in self.rows:
            out("| %s | %s | %s | %s | %s |" % (figure, what, measured, target, verdict))
        for figure, msg in self.errors:
            out("| %s | (not measured) | %s | | ERROR |" % (figure, msg.splitlines()[0] if msg else ""))
        short = sum(1 for r in self.rows if r[4] != "PASS")
        not_measured = "; %d figure(s) not measured" % len(self.errors) if self.errors else ""
        out("%d of %d targets met%s." % (len(self.rows) - short, len(self.rows), not_measured))


def fmt_s(value):
    return "%.2f s" % value


# ----------------------------------------------------------------------------- figures
def figure_fanout(emu, ans, report, uri_n):
    n = 500
    ids = sc.workspace_ids(n)
    scenario = sc.workspace(n)
    out("== 1. Fan-out: %d Workspace jobs, %d ms on every answer ==" % (n, LATENCY_MS))

    # a) the module: precheck false, so it sends exactly what the other two ways send (one POST per job).
    emu.reset(scenario, LATENCY_MS)
    tasks, _log = ans.playbook("fanout_module.yml", {"job_ids": ids, "precheck": False, "parallelism": PARALLELISM})
    module_s, ping_s = seconds(tasks["Module"]), seconds(tasks["Overhead (ping)"])
    entries = emu.requests("workspace.action")
    inflight = emu.stats().get("max_in_flight", {}).get("workspace.action")
    if acted(entries) != n:
        raise BenchError("the module acted on %d of %d jobs" % (acted(entries), n))
    split = phases(tasks["Module"], entries)
    out("  module task (workspace_job_action, parallelism %d, precheck false): %s  [%d POSTs, %d acted, max %s in flight]"
        % (PARALLELISM, fmt_s(module_s), len(entries), acted(entries), inflight))
    ideal = fmt_s(n * LATENCY_MS / 1000.0 / PARALLELISM)
    out("    = %s (ideal request span %d x %d ms / %d = %s)" % (fmt_phases(split), n, LATENCY_MS, PARALLELISM, ideal))
    out("  ping task, same playbook (one task's overhead): %s" % fmt_s(ping_s))

    # a') the module as users run it by default (precheck: one GET per job first), for information.
    emu.reset(scenario, LATENCY_MS)
    tasks, _log = ans.playbook("fanout_module.yml", {"job_ids": ids, "precheck": True, "parallelism": PARALLELISM})
    pre_s, pre_ping = seconds(tasks["Module"]), seconds(tasks["Overhead (ping)"])
    gets, posts = emu.count("workspace.show"), emu.count("workspace.action")
    pre_split = phases(tasks["Module"], emu.requests("workspace.show") + emu.requests("workspace.action"))
    pre_floor = (gets + posts) * LATENCY_MS / 1000.0 / PARALLELISM + pre_ping
    out("  (info) module with precheck (the default): %s for %d GETs + %d POSTs; floor %d x %d ms / %d + ping %s = %s (%.2fx)"
        % (fmt_s(pre_s), gets, posts, gets + posts, LATENCY_MS, PARALLELISM, fmt_s(pre_ping), fmt_s(pre_floor), pre_s / pre_floor))

    # b) ansible.builtin.uri in a loop, on the first uri_n jobs, scaled to n.
    emu.reset(scenario, LATENCY_MS)
    tasks, _log = ans.playbook("fanout_uri.yml", {"job_ids": ids[:uri_n], "project_id": sc.PROJECT_ID, "token": sc.HUAWEI_TOKEN})
    uri_s = seconds(tasks["Uri loop"])
    uri_acted = acted(emu.requests("workspace.action"))
    if uri_acted != uri_n:
        raise BenchError("the uri loop acted on %d of %d jobs" % (uri_acted, uri_n))
    uri_est = uri_s * n / uri_n
    out("  uri loop task (ansible.builtin.uri, loop, X-Auth-Token): %d jobs in %s [%d acted] -> %s for %d (scaled x%g)"
        % (uri_n, fmt_s(uri_s), uri_acted, fmt_s(uri_est), n, n / float(uri_n)))

    # c) the official SDK, a sequential Python loop (its own process: interpreter start and SDK import included).
    emu.reset(scenario, LATENCY_MS)
    ids_file = os.path.join(ans.work, "sdk_ids.json")
    with open(ids_file, "w") as handle:
        json.dump(ids, handle)
    start = time.perf_counter()
    proc = subprocess.run([PYTHON, os.path.join(BENCH, "sdk_loop.py"), emu.url, ids_file], capture_output=True, text=True,
                          timeout=PLAY_TIMEOUT, cwd=BENCH, env=ans.env, check=False)
    sdk_s = time.perf_counter() - start
    if proc.returncode != 0:
        raise BenchError("the SDK loop failed:\n%s" % proc.stderr[-3000:])
    sdk = json.loads(proc.stdout.strip().splitlines()[-1])
    sdk_acted = acted(emu.requests("workspace.action"))
    if sdk["ok"] != n or sdk_acted != n:
        raise BenchError("the SDK loop retried %d of %d jobs (emulator: %d acted): %s" % (sdk["ok"], n, sdk_acted, sdk["errors"]))
    out("  SDK loop (huaweicloudsdkworkspace %s, sequential, AK/SK): %s [SDK import %s, loop %s; %d acted]"
        % (sdk_version(), fmt_s(sdk_s), fmt_s(sdk["import_s"]), fmt_s(sdk["loop_s"]), sdk_acted))

    floor = n * LATENCY_MS / 1000.0 / PARALLELISM + ping_s
    out("  floor = %d x %d ms / %d + ping task %s = %s" % (n, LATENCY_MS, PARALLELISM, fmt_s(ping_s), fmt_s(floor)))
    report.details["fanout"] = dict(module_s=module_s, ping_s=ping_s, uri_n=uri_n, uri_s=uri_s, uri_est_s=uri_est,
                                    sdk_s=sdk_s, sdk_loop_s=sdk["loop_s"], floor_s=floor, precheck_s=pre_s,
                                    precheck_floor_s=pre_floor)
    report.check(1, "fan-out: module vs uri loop", "%.1fx faster" % (uri_est / module_s), ">= 30x", uri_est / module_s >= 30)
    report.check(1, "fan-out: module vs SDK loop", "%.1fx faster" % (sdk_s / module_s), ">= 5x", sdk_s / module_s >= 5)
    report.check(1, "fan-out: module vs floor", "%.3fx floor" % (module_s / floor), "<= 1.3x", module_s / floor <= 1.3)


def sdk_version():
    try:
        from importlib.metadata import version
        return version("huaweicloudsdkworkspace")
    except Exception:  # pylint: disable=broad-except
        return "?"


def median_of(runs):
    return statistics.median(runs)


def figure_overhead(emu, ans, report, repeat):
    out("== 2. Per-task overhead: ansible localhost -m drs_job_retry (one job) vs -m ping, medians of %d ==" % repeat)
    n = repeat + 1
    ids = sc.drs_ids(n)
    emu.reset(sc.drs(n))
    ping, drs = [], []
    # One warm-up of each (not counted), then alternate so that other load on the machine falls on both alike.
    for i in range(n):
        p_wall, p_cpu, _text = ans.adhoc("ansible.builtin.ping", "")
        d_wall, d_cpu, text = ans.adhoc("cloudops.jobs.drs_job_retry", "job_ids=%s endpoint=%s" % (ids[i], emu.url))
        result = adhoc_result(text)
        if result.get("summary", {}).get("changed") != 1:
            raise BenchError("drs_job_retry did not retry its job: %s" % result.get("msg"))
        if i:
            ping.append((p_wall, p_cpu))
            drs.append((d_wall, d_cpu))
    requests_per_run = emu.stats().get("count", {})
    per_run = (requests_per_run.get("drs.status", 0) + requests_per_run.get("drs.retry", 0)) / float(n)
    ping_m, drs_m = median_of(w for w, _c in ping), median_of(w for w, _c in drs)
    ping_c, drs_c = median_of(c for _w, c in ping), median_of(c for _w, c in drs)
    out("  ansible -m ansible.builtin.ping:         wall median %s (min %s, max %s); CPU median %s"
        % (fmt_s(ping_m), fmt_s(min(w for w, _c in ping)), fmt_s(max(w for w, _c in ping)), fmt_s(ping_c)))
    out("  ansible -m cloudops.jobs.drs_job_retry:  wall median %s (min %s, max %s); CPU median %s [%g requests a run]"
        % (fmt_s(drs_m), fmt_s(min(w for w, _c in drs)), fmt_s(max(w for w, _c in drs)), fmt_s(drs_c), per_run))
    out("  extra: wall %+.0f ms, CPU %+.0f ms (CPU ratio %.2fx: CPU time is what other load on the machine disturbs least)"
        % ((drs_m - ping_m) * 1000, (drs_c - ping_c) * 1000, drs_c / ping_c))
    module_split, packed = module_process_costs(emu, ans, repeat)
    split_ms = (module_split[0] * 1000, module_split[1] * 1000, (module_split[1] - module_split[0]) * 1000)
    out("  (info) the module process alone (its kept AnsiballZ wrapper run again), CPU median: ping %.0f ms, drs_job_retry "
        "%.0f ms (%+.0f ms; the rest of the extra is on the controller)" % split_ms)
    out("  (info) the controller parses and packs every file the module imports: drs_job_retry packs %d of the collection's "
        "files, %.0f KB (%s)" % (len(packed), sum(packed.values()) / 1024.0, ", ".join(sorted(os.path.basename(n) for n in packed))))
    imports = import_costs(repeat)
    previous = 0.0
    for name, ms in imports:
        out("  (info) CPU median, %-72s %+5.0f ms" % (name + ":", ms - previous))
        previous = ms
    report.details["overhead"] = dict(ping=ping, drs=drs, ping_median_s=ping_m, drs_median_s=drs_m, ping_cpu_s=ping_c,
                                      drs_cpu_s=drs_c, module_process_cpu_s=module_split, imports_cpu_ms=imports)
    ratio = drs_m / ping_m
    report.check(2, "per-task overhead: drs_job_retry vs ping", "%.3fx (wall)" % ratio, "<= 1.15x", ratio <= 1.15)


def module_process_costs(emu, ans, repeat):
    """Median CPU seconds of the ping and drs_job_retry module processes alone (kept wrappers, run again)."""
    n = repeat + 1
    emu.reset(sc.drs(1))
    drs = kept_wrapper(ans, "cloudops.jobs.drs_job_retry", "job_ids=%s endpoint=%s" % (sc.drs_ids(1)[0], emu.url), "overhead-drs")
    ping = kept_wrapper(ans, "ansible.builtin.ping", "", "overhead-ping")
    ping_cpu, drs_cpu = [], []
    for _round in range(n):
        _w, cpu, code = timed([PYTHON, ping], os.path.join(ans.work, "wrapper-ping.out"), ans.env, os.path.dirname(ping))
        ping_cpu.append(cpu)
        emu.reset(sc.drs(1))   # the job is FAILED again: the run reads it and retries it, as the ad-hoc runs did
        _w, cpu, code2 = timed([PYTHON, drs], os.path.join(ans.work, "wrapper-drs.out"), ans.env, os.path.dirname(drs))
        drs_cpu.append(cpu)
        if code or code2:
            raise BenchError("a kept wrapper failed (exit %d, %d)" % (code, code2))
    return (median_of(ping_cpu[1:]), median_of(drs_cpu[1:])), packed_files(drs)


def packed_files(wrapper):
    """{path: bytes} of the collection's own files in a kept AnsiballZ wrapper's payload."""
    with open(wrapper) as handle:
        text = handle.read()
    match = re.search(r"zip_data\s*=\s*'([A-Za-z0-9+/=]+)'", text) or re.search(r'ZIPDATA = """([A-Za-z0-9+/=\s]+)"""', text)
    if match is None:
        raise BenchError("no payload found in %s" % wrapper)
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(match.group(1)))) as payload:
        return dict((i.filename, i.file_size) for i in payload.infolist()
                    if i.filename.startswith("ansible_collections/cloudops/jobs/") and i.file_size)


IMPORT_PROBES = [
    ("import ansible.module_utils.basic (every module pays it)", "import ansible.module_utils.basic"),
    ("then import the standard library's HTTP client (http.client, ssl)", "import ansible.module_utils.basic, http.client, ssl"),
    ("then import drs_job_retry's own module_utils (bytecode cached)",
     "import ansible.module_utils.basic, http.client, ssl; import ansible_collections.cloudops.jobs.plugins.modules.drs_job_retry"),
]


def import_costs(repeat):
    """Median CPU of a fresh interpreter running each probe, minus a bare interpreter's (bytecode cached)."""
    coll_root = collection_root()
    env = dict(os.environ, PYTHONPATH=coll_root)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the warm-up round writes the bytecode the measured rounds use
    probes = [("bare", "pass")] + list(IMPORT_PROBES)
    times = dict((name, []) for name, _code in probes)
    sink = os.path.join(coll_root, "probe.out")
    for _round in range(repeat + 1):
        for name, code in probes:
            _wall, cpu, status = timed([PYTHON, "-c", code], sink, env, coll_root)
            if status:
                raise BenchError("import probe %r failed" % code)
            times[name].append(cpu)
    bare = median_of(times["bare"][1:])
    return [(name, (median_of(times[name][1:]) - bare) * 1000) for name, _code in probes[1:]]


_COLL_ROOT = []


def collection_root():
    """A directory holding ansible_collections/cloudops/jobs -> this checkout (for plain imports)."""
    if not _COLL_ROOT:
        path = tempfile.mkdtemp(prefix="cloudops-bench-coll-")
        os.makedirs(os.path.join(path, "ansible_collections", "cloudops"))
        os.symlink(ROOT, os.path.join(path, "ansible_collections", "cloudops", "jobs"))
        _COLL_ROOT.append(path)
    return _COLL_ROOT[0]


def figure_throughput(emu, ans, report):
    n = 1000
    ids = sc.tencent_ids(n)
    scenario = sc.tencent(n)
    retry_min = int(math.ceil(n / float(TENCENT_BATCH)))
    out("== 3. Rate-limited throughput: %d Tencent Batch jobs, batch_size %d, rate_limit %g/s (emulator enforces 2/s per action) =="
        % (n, TENCENT_BATCH, TENCENT_RATE))
    for precheck in (True, False):
        emu.reset(scenario)
        tasks, _log = ans.playbook("throughput_tencent.yml", {"job_ids": ids, "precheck": precheck,
                                                              "batch_size": TENCENT_BATCH, "rate_limit": TENCENT_RATE})
        module_s, ping_s = seconds(tasks["Module"]), seconds(tasks["Overhead (ping)"])
        retries = emu.requests("tencent.RetryJobs")
        describes = emu.requests("tencent.DescribeJobs")
        throttled = sum(1 for e in retries + describes if e.get("error_code") == "RequestLimitExceeded")
        jobs_acted = sum(len(e["body"].get("JobIds", [])) for e in retries if e.get("acted"))
        describe_min = retry_min if precheck else 0
        sent = len(retries) + len(describes)
        floor = (retry_min + describe_min) / TENCENT_RATE + ping_s
        starts = sorted(e["t_start"] for e in retries + describes)
        span = starts[-1] - starts[0] if len(starts) > 1 else 0.0
        label = "precheck true (default)" if precheck else "precheck false"
        split = phases(tasks["Module"], retries + describes)
        out("  %s: task %s; RetryJobs %d (min ceil(%d/%d) = %d), DescribeJobs %d (precheck, min %d), throttled %d, "
            "jobs acted %d" % (label, fmt_s(module_s), len(retries), n, TENCENT_BATCH, retry_min, len(describes),
                               describe_min, throttled, jobs_acted))
        out("    = %s; first-to-last request start %s (%d requests spaced 1/%g s: >= %s)"
            % (fmt_phases(split), fmt_s(span), sent, TENCENT_RATE, fmt_s((sent - 1) / TENCENT_RATE)))
        out("    floor = %d requests / %g per s + ping task %s = %s"
            % (retry_min + describe_min, TENCENT_RATE, fmt_s(ping_s), fmt_s(floor)))
        if jobs_acted != n:
            raise BenchError("%d of %d Tencent jobs were retried" % (jobs_acted, n))
        report.details["throughput_precheck_%s" % str(precheck).lower()] = dict(
            module_s=module_s, ping_s=ping_s, retry_requests=len(retries), describe_requests=len(describes),
            throttled=throttled, floor_s=floor, span_s=span)
        tag = "precheck" if precheck else "no precheck"
        report.check(3, "tencent (%s): RetryJobs requests" % tag, "%d (min %d)" % (len(retries), retry_min), "no extra",
                     len(retries) == retry_min)
        if precheck:
            report.check(3, "tencent (precheck): DescribeJobs requests", "%d (min %d)" % (len(describes), describe_min),
                         "no extra", len(describes) == describe_min)
        report.check(3, "tencent (%s): wall vs 2/s floor" % tag, "%.3fx floor" % (module_s / floor), "<= 1.1x",
                     module_s / floor <= 1.1)


def figure_batches(emu, ans, report):
    n = 1000
    out("== 4. Batches: %d DRS jobs (drs_job_retry) and %d IoTDA targets (iotda_batchtask_retry) ==" % (n, n))
    emu.reset(sc.batches(n))
    tasks, _log = ans.playbook("batches.yml", {"drs_ids": sc.drs_ids(n), "iotda_task_id": sc.IOTDA_TASK_ID,
                                               "iotda_targets": sc.iotda_targets(n)})
    counts = emu.stats().get("count", {})
    drs_entries = emu.requests("drs.retry")
    iotda_entries = emu.requests("iotda.retry")
    drs_jobs = sum(sum(1 for r in (e.get("body") or {}).get("jobs", [])) for e in drs_entries if e.get("status") == 200)
    iotda_targets = sum(len((e.get("body") or {}).get("targets", [])) for e in iotda_entries if e.get("status") == 200)
    drs_min, iotda_min = 1, int(math.ceil(n / float(IOTDA_PER_REQUEST)))
    out("  drs_job_retry: %s; batch-retry-task requests %d carrying %d jobs (min %d; the API documents no maximum); "
        "batch-status reads %d (precheck)" % (fmt_s(seconds(tasks["DRS"])), len(drs_entries), drs_jobs, drs_min,
                                              counts.get("drs.status", 0)))
    out("  iotda_batchtask_retry: %s; retry requests %d carrying %d targets (min ceil(%d/%d) = %d); task reads %d "
        "(precheck, 50 subtasks a page)" % (fmt_s(seconds(tasks["IoTDA"])), len(iotda_entries), iotda_targets, n,
                                            IOTDA_PER_REQUEST, iotda_min, counts.get("iotda.show", 0)))
    if drs_jobs != n or iotda_targets != n:
        raise BenchError("DRS carried %d and IoTDA %d of %d" % (drs_jobs, iotda_targets, n))
    report.details["batches"] = dict(drs_requests=len(drs_entries), iotda_requests=len(iotda_entries),
                                     drs_reads=counts.get("drs.status", 0), iotda_reads=counts.get("iotda.show", 0))
    report.check(4, "batches: DRS write requests", "%d (min %d)" % (len(drs_entries), drs_min), "equal", len(drs_entries) == drs_min)
    report.check(4, "batches: IoTDA write requests", "%d (min %d)" % (len(iotda_entries), iotda_min), "equal",
                 len(iotda_entries) == iotda_min)


def peak_rss(cmd, stdout_path, env, cwd):
    """Run ``[PYTHON] + args``; return (peak RSS in MB of that process, wall seconds, exit code).

    It runs under benchmarks/rss_python.py, which starts it and reads its ``ru_maxrss``: Linux starts a child's
    ``ru_maxrss`` at the RSS of the process that spawned it, so read from this (larger) process, it would show
    this process's own RSS whenever the child stays below that (as ping's does).
    """
    log = stdout_path + ".rss.jsonl"
    if os.path.exists(log):
        os.remove(log)
    wall, _usage, code = run_waited([PYTHON, os.path.join(BENCH, "rss_python.py"), log] + list(cmd[1:]), stdout_path, env, cwd,
                                    shown_words=4)
    with open(log) as handle:
        run = json.loads(handle.readlines()[-1])
    return run["rss_kb"] / 1024.0, wall, code


def kept_wrapper(ans, module, args, name):
    """Run the module once ad hoc with ANSIBLE_KEEP_REMOTE_FILES=1; return the path of its AnsiballZ wrapper."""
    remote = os.path.join(ans.work, "keep-" + name)
    ans.adhoc(module, args, env={"ANSIBLE_KEEP_REMOTE_FILES": "1", "ANSIBLE_REMOTE_TEMP": remote},
              stdout_path=os.path.join(ans.work, "keep-%s.out" % name))
    found = glob.glob(os.path.join(remote, "*", "AnsiballZ_*.py"))
    if len(found) != 1:
        raise BenchError("expected one kept AnsiballZ wrapper under %s, found %d" % (remote, len(found)))
    return found[0]


def figure_memory(emu, ans, report):
    n = 10000
    out("== 5. Memory: peak RSS of the module process at %d jobs ==" % n)
    emu.reset(sc.iotda(n))
    args = "task_id=%s endpoint=%s" % (sc.IOTDA_TASK_ID, emu.url)
    wrapper = kept_wrapper(ans, "cloudops.jobs.iotda_batchtask_retry", args, "iotda")
    ping_wrapper = kept_wrapper(ans, "ansible.builtin.ping", "", "ping")
    # The kept wrapper carries the same arguments; run it again, alone, on a fresh scenario.
    emu.reset(sc.iotda(n))
    result_path = os.path.join(ans.work, "memory-iotda.json")
    rss, wall, code = peak_rss([PYTHON, wrapper], result_path, ans.env, os.path.dirname(wrapper))
    with open(result_path) as handle:
        text = handle.read()
    try:
        result = json.loads(text[text.find("{"):])
    except ValueError as exc:
        raise BenchError("the module printed no JSON (exit %d): %s" % (code, text[-2000:])) from exc
    summary = result.get("summary", {})
    if summary.get("changed") != n:
        raise BenchError("the module retried %s of %d targets: %s" % (summary.get("changed"), n, result.get("msg")))
    ping_rss, _w, _c = peak_rss([PYTHON, ping_wrapper], os.path.join(ans.work, "memory-ping.json"), ans.env,
                                os.path.dirname(ping_wrapper))
    counts = emu.stats().get("count", {})
    figures = (n, rss, fmt_s(wall), counts.get("iotda.show", 0), counts.get("iotda.retry", 0), len(text) // 1024)
    out("  iotda_batchtask_retry, task with %d failed subtasks, targets discovered by the precheck: peak RSS %.1f MB, "
        "%s, %d page reads + %d retry requests, result %d KB of JSON" % figures)
    out("  (info) ansible.builtin.ping's module process, same way: peak RSS %.1f MB (the interpreter and ansible's module runtime)"
        % ping_rss)
    out("  (info) job_ids/targets given explicitly are capped at 5000 per run (MAX_IDS), so 10,000 is reached with "
        "targets discovered by the precheck")
    report.details["memory"] = dict(rss_mb=rss, ping_rss_mb=ping_rss, wall_s=wall)
    report.check(5, "memory: peak RSS at 10,000 jobs", "%.1f MB" % rss, "< 80 MB", rss < 80)


# Figure 6 -------------------------------------------------------------------------------------------------------
DISCOVERY_SCENARIO = os.path.join(ROOT, "tests", "emulator", "scenarios", "bench-discovery.json")
DISCOVERY_N = 10000
MAX_JOBS = 10000        # max_jobs in the tasks: the default (1000) would refuse 10,000 jobs
DRS_PER_PAGE = 100      # QueryJobsReq.per_page: 0..100 (0, "every job", is undocumented in the SDK and not counted on)
TENCENT_LIMIT = 100     # DescribeJobs Limit: at most 100
RSS_TARGET_MB = 80
# What drs_job_retry acts from (the contract: filters {} = every job in a *_FAILED state or PAUSING): the
# *_FAILED states among the 29 of the SDK's QueryJobsReq.status, and PAUSING. One query per state.
DRS_RETRY_STATES = ("CHANGE_JOB_FAILED", "CHILD_TRANSFER_FAILED", "CREATE_FAILED", "FULL_TRANSFER_FAILED",
                    "INCRE_TRANSFER_FAILED", "NODE_UPGRADE_FAILED", "PAUSING", "REBUILD_NODE_FAILED",
                    "RELEASE_RESOURCE_FAILED", "START_JOB_FAILED")
TENCENT_RETRY_STATES = ("FAILED",)   # RetryJobs applies to FAILED jobs only


def scenario_states(entries):
    """{status: number of jobs} of a scenario job list, generator entries expanded (docs/dev/emulator-contract.md)."""
    counts = {}
    for entry in entries:
        if "count" in entry:
            cycle = (entry.get("cycle") or {}).get("status")
            for i in range(entry["count"]):
                status = cycle[i % len(cycle)] if cycle else entry["status"]
                counts[status] = counts.get(status, 0) + 1
        else:
            counts[entry["status"]] = counts.get(entry["status"], 0) + 1
    return counts


def min_pages(n, per_page):
    """The fewest list requests that read ``n`` matching jobs ``per_page`` at a time: ceil(n / per_page), and at
    least 1 (a query matching nothing is one empty page). When n is a multiple of per_page, no empty page follows:
    the answer's count (DRS total_record, Tencent TotalCount) says the last full page was the last."""
    return max(1, int(math.ceil(n / float(per_page))))


def rss_interpreter(work):
    """An executable that runs PYTHON under benchmarks/rss_python.py; returns (its path, the file it appends to)."""
    path = os.path.join(work, "python-rss")
    log = os.path.join(work, "rss.jsonl")
    with open(path, "w") as handle:
        handle.write("#!/bin/sh\nexec '%s' '%s' '%s' \"$@\"\n" % (PYTHON, os.path.join(BENCH, "rss_python.py"), log))
    os.chmod(path, 0o755)
    return path, log


def module_rss(log, module):
    """Peak RSS in MB of the process that ran ``AnsiballZ_<module>.py``, from rss_python's log (the last such run)."""
    found = []
    if os.path.exists(log):
        with open(log) as handle:
            for line in handle:
                run = json.loads(line)
                if any(os.path.basename(arg) == "AnsiballZ_%s.py" % module for arg in run["argv"]):
                    found.append(run)
    if not found:
        raise BenchError("no module process of %s was recorded in %s" % (module, log))
    return found[-1]["rss_kb"] / 1024.0, found[-1]["exit"]


def resent(entries):
    refused = sum(1 for e in entries if e.get("error_code") == "RequestLimitExceeded")
    return ", %d refused and re-sent" % refused if refused else ""


def pacing_notes(*ops):
    """How close the emulator's 2-per-second window came to refusing: per action, the tightest span of 3 consecutive
    request starts (refused under 1 s; the module plans 2 x (1/rate + 40 ms) = 1.08 s), and each refused request
    with the spacing before it (the request log's arrival times, which include any delay between the module's
    rate limiter and the emulator)."""
    notes = []
    for entries in ops:
        entries = sorted(entries, key=lambda e: e["t_start"])
        if len(entries) < 3:
            continue
        op = entries[0]["op"]
        tight = min(entries[i + 2]["t_start"] - entries[i]["t_start"] for i in range(len(entries) - 2))
        notes.append("%s: tightest 3 consecutive starts %.3f s (refused under 1 s)" % (op, tight))
        for i, entry in enumerate(entries):
            if entry.get("error_code") == "RequestLimitExceeded" and i >= 2:
                gaps = [entries[j + 1]["t_start"] - entries[j]["t_start"] for j in range(max(0, i - 3), i)]
                span = entry["t_start"] - entries[i - 2]["t_start"]
                notes.append("%s request %d of %d refused (RequestLimitExceeded) and re-sent: %.3f s after the request two before it; "
                             "the gaps before it %s s" % (op, i + 1, len(entries), span, ", ".join("%.3f" % g for g in gaps)))
    return notes


def figure_discovery(emu, ans, report):
    with open(DISCOVERY_SCENARIO) as handle:
        scenario = json.load(handle)
    drs_states = scenario_states(scenario.get("drs", []))
    tencent_states = scenario_states(scenario.get("tencent_batch", []))
    drs_n = sum(drs_states.get(s, 0) for s in DRS_RETRY_STATES)
    tencent_n = sum(tencent_states.get(s, 0) for s in TENCENT_RETRY_STATES)
    out("== 6. Discovery: retry every failed job by filter (filters: {}, max_jobs %d, wait false), scenario %s ==" % (
        MAX_JOBS, os.path.relpath(DISCOVERY_SCENARIO, ROOT)))
    out("  scenario: DRS %s; Tencent %s" % (
        ", ".join("%s %d" % kv for kv in sorted(drs_states.items())), ", ".join("%s %d" % kv for kv in sorted(tencent_states.items()))))
    if drs_n != DISCOVERY_N or tencent_n != DISCOVERY_N:
        raise BenchError("the scenario has %d DRS and %d Tencent jobs to retry, not %d" % (drs_n, tencent_n, DISCOVERY_N))
    rss_python, rss_log = rss_interpreter(ans.work)
    details = report.details.setdefault("discovery", {})

    # a) DRS: one list query per state the action applies to, pages of 100; then one batch-retry-task request.
    emu.reset(scenario)
    summary_file = os.path.join(ans.work, "discovery-drs.json")
    tasks, _log = ans.playbook("discovery_drs.yml", {"rss_python": rss_python, "max_jobs": MAX_JOBS, "summary_file": summary_file})
    module_s, ping_s = seconds(tasks["Module"]), seconds(tasks["Overhead (ping)"])
    lists = emu.requests("drs.list")
    retries = emu.requests("drs.retry")
    with open(summary_file) as handle:
        result = json.load(handle)
    carried = sum(len((e.get("body") or {}).get("jobs", [])) for e in retries if e.get("status") == 200)
    if result["summary"].get("changed") != drs_n or carried != drs_n:
        raise BenchError("drs_job_retry retried %s of %d jobs (%d carried): %s"
                         % (result["summary"].get("changed"), drs_n, carried, result["msg"]))
    per_state = {}
    for entry in lists:
        state = (entry.get("body") or {}).get("status")
        per_state[state] = per_state.get(state, 0) + 1
    drs_min = sum(min_pages(drs_states.get(s, 0), DRS_PER_PAGE) for s in DRS_RETRY_STATES)
    terms = " + ".join("%d" % min_pages(drs_states.get(s, 0), DRS_PER_PAGE) for s in DRS_RETRY_STATES)
    rss, code = module_rss(rss_log, "drs_job_retry")
    out("  drs_job_retry: task %s (ping task %s); %d jobs retried in %d batch-retry-task request(s); %s"
        % (fmt_s(module_s), fmt_s(ping_s), carried, len(retries), fmt_phases(phases(tasks["Module"], lists + retries))))
    out("    list requests %d: %s" % (len(lists), ", ".join("%s %d" % (s, n) for s, n in sorted(per_state.items(), key=str))))
    out("    minimum: sum over the %d states queried of max(1, ceil(n_state / %d)) = %s = %d"
        % (len(DRS_RETRY_STATES), DRS_PER_PAGE, terms, drs_min))
    out("    module process peak RSS %.1f MB (exit %d)" % (rss, code))
    unexpected = sorted(set(per_state) - set(DRS_RETRY_STATES), key=str)
    if unexpected:
        out("    NOTE: queried states outside those the action applies to: %s" % ", ".join(map(str, unexpected)))
    details["drs"] = dict(module_s=module_s, ping_s=ping_s, list_requests=len(lists), list_min=drs_min,
                          per_state=per_state, retry_requests=len(retries), rss_mb=rss)
    report.check(6, "discovery DRS: list requests", "%d (min %d)" % (len(lists), drs_min), "equal", len(lists) == drs_min)
    report.check(6, "discovery DRS: peak RSS, 10,000 jobs", "%.1f MB" % rss, "< %d MB" % RSS_TARGET_MB, rss < RSS_TARGET_MB)

    # b) Tencent: DescribeJobs pages of 100 (Filters job-state FAILED) and RetryJobs of 100 at once, each API at its own
    #    2 requests/s: a batch goes as soon as its page is read.
    emu.reset(scenario)
    summary_file = os.path.join(ans.work, "discovery-tencent.json")
    tasks, _log = ans.playbook("discovery_tencent.yml", {"rss_python": rss_python, "max_jobs": MAX_JOBS, "summary_file": summary_file,
                                                         "batch_size": TENCENT_BATCH, "rate_limit": TENCENT_RATE})
    module_s, ping_s = seconds(tasks["Module"]), seconds(tasks["Overhead (ping)"])
    lists = emu.requests("tencent.DescribeJobs")
    retries = emu.requests("tencent.RetryJobs")
    with open(summary_file) as handle:
        result = json.load(handle)
    carried = sum(len((e.get("body") or {}).get("JobIds", [])) for e in retries if e.get("acted"))
    throttled = sum(1 for e in lists + retries if e.get("error_code") == "RequestLimitExceeded")
    if result["summary"].get("changed") != tencent_n or carried != tencent_n:
        raise BenchError("tencent_batch_retry retried %s of %d jobs (%d carried): %s"
                         % (result["summary"].get("changed"), tencent_n, carried, result["msg"]))
    list_min = sum(min_pages(tencent_states.get(s, 0), TENCENT_LIMIT) for s in TENCENT_RETRY_STATES)
    retry_min = min_pages(tencent_n, TENCENT_BATCH)
    floor = max(list_min, retry_min) / TENCENT_RATE
    overlap = overlap_s(lists, retries)
    rss, code = module_rss(rss_log, "tencent_batch_retry")
    out("  tencent_batch_retry: task %s (ping task %s); DescribeJobs %d (min ceil(%d/%d) = %d), RetryJobs %d (min ceil(%d/%d) = %d), "
        "throttled %d, jobs retried %d" % (fmt_s(module_s), fmt_s(ping_s), len(lists), tencent_n, TENCENT_LIMIT, list_min,
                                           len(retries), tencent_n, TENCENT_BATCH, retry_min, throttled, carried))
    out("    = %s; %s" % (fmt_phases(phases(tasks["Module"], lists + retries)), spans(lists, retries)))
    out("    DescribeJobs and RetryJobs overlapped for %s; per-API floor = max(%d list, %d retry requests) / %g per s = %s "
        "(one budget for both would be (%d + %d) / %g = %s); (info) with the ping task added: %s, %.3fx"
        % (fmt_s(overlap), list_min, retry_min, TENCENT_RATE, fmt_s(floor), list_min, retry_min, TENCENT_RATE,
           fmt_s((list_min + retry_min) / TENCENT_RATE), fmt_s(floor + ping_s), module_s / (floor + ping_s)))
    for line in pacing_notes(lists, retries):
        out("    " + line)
    out("    module process peak RSS %.1f MB (exit %d)" % (rss, code))
    ping_rss = None
    try:
        ping_rss, _code = module_rss(rss_log, "ping")
        out("  (info) ansible.builtin.ping's module process, same way: peak RSS %.1f MB" % ping_rss)
    except BenchError:
        pass
    details["tencent"] = dict(module_s=module_s, ping_s=ping_s, list_requests=len(lists), list_min=list_min,
                              retry_requests=len(retries), retry_min=retry_min, throttled=throttled, floor_s=floor,
                              overlap_s=overlap, rss_mb=rss, ping_rss_mb=ping_rss)
    report.check(6, "discovery Tencent: DescribeJobs requests", "%d (min %d%s)" % (len(lists), list_min, resent(lists)), "equal",
                 len(lists) == list_min)
    report.check(6, "discovery Tencent: RetryJobs requests", "%d (min %d%s)" % (len(retries), retry_min, resent(retries)), "equal",
                 len(retries) == retry_min)
    report.check(6, "discovery Tencent: throttled answers", "%d" % throttled, "0", throttled == 0)
    report.check(6, "discovery Tencent: wall vs per-API 2/s floor", "%.3fx (%s)" % (module_s / floor, fmt_s(module_s)), "<= 1.15x",
                 module_s / floor <= 1.15)
    report.check(6, "discovery Tencent: peak RSS, 10,000 jobs", "%.1f MB" % rss, "< %d MB" % RSS_TARGET_MB, rss < RSS_TARGET_MB)


def overlap_s(first, second):
    """Seconds during which requests of both lists were being started (from the later first start to the earlier last)."""
    if not first or not second:
        return 0.0
    a = sorted(e["t_start"] for e in first)
    b = sorted(e["t_start"] for e in second)
    return max(0.0, min(a[-1], b[-1]) - max(a[0], b[0]))


def spans(*ops):
    """Per action: first-to-last request start against exact spacing at the rate."""
    parts = []
    for entries in ops:
        if not entries:
            continue
        starts = sorted(e["t_start"] for e in entries)
        parts.append("%s: %d requests, first-to-last start %s (spaced 1/%g s: >= %s)" % (
            entries[0]["op"], len(starts), fmt_s(starts[-1] - starts[0]), TENCENT_RATE, fmt_s((len(starts) - 1) / TENCENT_RATE)))
    return "; ".join(parts)


# Figure 7 -------------------------------------------------------------------------------------------------------
WAIT_N = 500


def figure_wait(emu, ans, report):
    n = WAIT_N
    out("== 7. Waiting does not slow the writes: %d FAILED Tencent Batch jobs by filters: {}, wait: true, batch_size %d, "
        "rate_limit %g/s per API ==" % (n, TENCENT_BATCH, TENCENT_RATE))
    emu.reset(sc.tencent(n))
    summary_file = os.path.join(ans.work, "wait-tencent.json")
    tasks, _log = ans.playbook("wait_tencent.yml", {"summary_file": summary_file, "batch_size": TENCENT_BATCH,
                                                    "rate_limit": TENCENT_RATE})
    module_s, ping_s = seconds(tasks["Module"]), seconds(tasks["Overhead (ping)"])
    describes = emu.requests("tencent.DescribeJobs")
    retries = emu.requests("tencent.RetryJobs")
    with open(summary_file) as handle:
        result = json.load(handle)
    carried = sum(len((e.get("body") or {}).get("JobIds", [])) for e in retries if e.get("acted"))
    throttled = sum(1 for e in describes + retries if e.get("error_code") == "RequestLimitExceeded")
    statuses = {}
    for status in result["statuses"]:
        statuses[status] = statuses.get(status, 0) + 1
    if carried != n or statuses != {"SUCCEED": n}:
        raise BenchError("tencent_batch_retry retried %d of %d jobs, final states %s: %s" % (carried, n, statuses, result["msg"]))
    pages = [e for e in describes if "Filters" in (e.get("body") or {})]
    polls = [e for e in describes if "JobIds" in (e.get("body") or {})]
    retry_min = min_pages(n, TENCENT_BATCH)
    starts = sorted(e["t_start"] for e in retries)
    write_span = starts[-1] - starts[0]
    write_floor = (retry_min - 1) / TENCENT_RATE
    during = sum(1 for e in describes if starts[0] <= e["t_start"] <= starts[-1])
    gap = max(b - a for a, b in zip(starts, starts[1:])) if len(starts) > 1 else 0.0
    out("  task %s (ping task %s): DescribeJobs %d (%d list pages, %d polls of up to 100 ids), RetryJobs %d (min %d), throttled %d; "
        "all %d jobs SUCCEED" % (fmt_s(module_s), fmt_s(ping_s), len(describes), len(pages), len(polls), len(retries), retry_min,
                                 throttled, n))
    out("    = %s; %s" % (fmt_phases(phases(tasks["Module"], describes + retries)), spans(describes, retries)))
    out("    writes: first-to-last RetryJobs start %s against (%d - 1) / %g = %s; widest gap between two writes %s; %d DescribeJobs "
        "started among the writes; the first poll %s after the last write"
        % (fmt_s(write_span), retry_min, TENCENT_RATE, fmt_s(write_floor), fmt_s(gap), during,
           fmt_s(min(e["t_start"] for e in polls) - starts[-1]) if polls else "-"))
    for line in pacing_notes(describes, retries):
        out("    " + line)
    report.details["wait"] = dict(module_s=module_s, ping_s=ping_s, describe_requests=len(describes), list_pages=len(pages),
                                  polls=len(polls), retry_requests=len(retries), retry_min=retry_min, throttled=throttled,
                                  write_span_s=write_span, write_floor_s=write_floor, widest_gap_s=gap)
    report.check(7, "wait Tencent: RetryJobs requests", "%d (min %d)" % (len(retries), retry_min), "equal", len(retries) == retry_min)
    report.check(7, "wait Tencent: throttled answers", "%d" % throttled, "0", throttled == 0)
    report.check(7, "wait Tencent: writes' span vs their own 2/s floor", "%.3fx (%s)" % (write_span / write_floor, fmt_s(write_span)),
                 "<= 1.15x", write_span <= 1.15 * write_floor)


FIGURES = {1: "fanout", 2: "overhead", 3: "throughput", 4: "batches", 5: "memory", 6: "discovery", 7: "wait"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the emulator's URL")
    parser.add_argument("--only", default="1,2,3,4,5,6,7", help="figures to run, e.g. 1,3")
    parser.add_argument("--uri-n", type=int, default=100, help="jobs the uri loop retries (scaled to 500)")
    parser.add_argument("--repeat", type=int, default=10, help="runs of each command for figure 2's medians")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, kept wrappers)")
    opts = parser.parse_args()
    wanted = [int(x) for x in opts.only.split(",") if x.strip()]

    emu = Emulator(opts.url)
    work = tempfile.mkdtemp(prefix="cloudops-bench-")
    ans = Ansible(work, emu.url)
    report = Report()
    started = time.perf_counter()
    out("cloudops.jobs benchmarks: %s, ansible-core %s, %d CPUs, load average %s at start" % (
        sys.version.split()[0], ansible_version(), os.cpu_count() or 0, " ".join("%.2f" % x for x in os.getloadavg())))
    out("emulator %s; work directory %s" % (emu.url, work))
    load = os.getloadavg()[0]
    if load > 0.5 * (os.cpu_count() or 1):
        out("NOTE: the machine is busy (load %.2f on %d CPUs): wall times of CPU-bound steps (task start-up) read high, "
            "while waits on the emulator's latency do not; figure 2 also gives CPU time, which load disturbs least."
            % (load, os.cpu_count() or 1))
    out()
    try:
        for number in wanted:
            try:
                if number == 1:
                    figure_fanout(emu, ans, report, opts.uri_n)
                elif number == 2:
                    figure_overhead(emu, ans, report, opts.repeat)
                elif number == 3:
                    figure_throughput(emu, ans, report)
                elif number == 4:
                    figure_batches(emu, ans, report)
                elif number == 5:
                    figure_memory(emu, ans, report)
                elif number == 6:
                    figure_discovery(emu, ans, report)
                elif number == 7:
                    figure_wait(emu, ans, report)
            except (BenchError, subprocess.SubprocessError, OSError, ValueError, KeyError) as exc:
                report.error(number, exc)
            out()
    finally:
        if not opts.keep:
            shutil.rmtree(work, ignore_errors=True)
            for path in _COLL_ROOT:
                shutil.rmtree(path, ignore_errors=True)
    report.summary()
    out("whole run: %.0f s; load average %s at the end" % (time.perf_counter() - started,
                                                           " ".join("%.2f" % x for x in os.getloadavg())))
    if opts.json:
        with open(opts.json, "w") as handle:
            json.dump({"rows": report.rows, "errors": report.errors, "details": report.details}, handle, indent=1)
    return 1 if report.errors else 0


def ansible_version():
    try:
        from ansible.release import __version__
        return __version__
    except ImportError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
