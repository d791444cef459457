# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check the reliability invariants of one randomized run against the emulator's request log and state.

    python check_invariants.py EMULATOR_URL < run.json

``run.json``: ``{"asked": {module: [ids in the order given]}, "results": {module: [module result, ...]}}`` (a module run
in several chunks has one result per chunk, in order). Prints ``{"violations": [...], "stats": {module: {...}}}``.

The truth is the emulator's: its log says which write attempts carried which job, what each was answered and whether
it acted; its state says how many times each job was acted on. Per job:

1. reported exactly once (the results list the ids asked, each once, in order);
2. acted on at most once (state ``actions`` and the log's acting attempts);
3. a write re-sent only after an attempt the service provably refused without acting (429, 503, Tencent
   ``RequestLimitExceeded`` or a per-job refusal it splits on): every attempt but the last is one of those;
4. acted on => reported changed, or failed with status ``unknown``; never failed with a definite status or skipped;
5. reported changed => acted on;
6. reported ``unknown`` => a write carried it and its last attempt was not a refusal;
7. reported failed with a definite status after a write => the last attempt was answered, not lost (no dropped
   connection, no answer past the timeout, no malformed body, no 5xx but 503), so "not acted" is known;
8. never written => failed with a definite status (the state read failed; every job of the scenario is actionable);
and per result: ``failed``/``changed`` follow the jobs, the summary counts them, the message says them, no traceback.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys

from urllib.request import urlopen

WRITE_OPS = {
    "drs_job_retry": "drs.retry",
    "drs_job_start": "drs.start",
    "workspace_job_action": "workspace.action",
    "iotda_batchtask_retry": "iotda.retry",
    "tencent_batch_retry": "tencent.RetryJobs",
}
OPS = {
    "drs_job_retry": ("drs.status", "drs.retry"),
    "drs_job_start": ("drs.status", "drs.start"),
    "workspace_job_action": ("workspace.show", "workspace.action"),
    "iotda_batchtask_retry": ("iotda.show", "iotda.retry"),
    "tencent_batch_retry": ("tencent.DescribeJobs", "tencent.RetryJobs"),
}
NOUNS = {"iotda_batchtask_retry": "target"}
TENCENT_REFUSALS = ("RequestLimitExceeded", "ResourceNotFound.Job", "InvalidParameter.JobIdMalformed", "UnsupportedOperation")
MAX_SHOWN = 25


def get(url):
    handle = urlopen(url, timeout=60)
    try:
        return json.loads(handle.read().decode("utf-8"))
    finally:
        handle.close()


def write_ids(entry):
    """The job ids a write attempt carried."""
    body = entry.get("body") if isinstance(entry.get("body"), dict) else {}
    op = entry["op"]
    if op in ("drs.retry", "drs.start"):
        return [j.get("job_id") for j in body.get("jobs") or [] if isinstance(j, dict)]
    if op == "workspace.action":
        return [entry["path"].split("/")[4]]
    if op == "iotda.retry":
        return list(body.get("targets") or [])
    return list(body.get("JobIds") or [])


def refused(entry):
    """True when the answer proves the service did not act and says so (so re-sending is safe)."""
    if entry.get("acted"):
        return False
    if entry.get("status") in (429, 503):
        return True
    code = entry.get("error_code") or ""
    return entry.get("service") == "tencent_batch" and entry.get("status") == 200 and \
        any(code == c or code.startswith(c + ".") for c in TENCENT_REFUSALS)


def lost(entry):
    """True when the client could not know what happened: no answer, an answer past the timeout, an unreadable one, a 5xx."""
    status = entry.get("status")
    if entry.get("fault") in ("drop", "malformed", "html") or status is None:
        return True
    if entry.get("fault") == "latency" and entry.get("delay_past_timeout"):
        return True
    if entry.get("service") == "tencent_batch" and entry.get("error_code") == "InternalError":
        return True
    return status >= 500 and status != 503


def actions(state):
    """(service key, job id) -> how many times the emulator acted on it."""
    out = {}
    for job in state.get("drs", []):
        out[("drs", job["id"])] = job["actions"]
    for job in state.get("workspace", []):
        out[("workspace", job["id"])] = job["actions"]
    for task in state.get("iotda", []):
        for target in task["targets"]:
            out[("iotda", target["target"])] = target["actions"]
    for job in state.get("tencent_batch", []):
        out[("tencent_batch", job["id"])] = job["actions"]
    return out


SERVICE = {"drs_job_retry": "drs", "drs_job_start": "drs", "workspace_job_action": "workspace",
           "iotda_batchtask_retry": "iotda", "tencent_batch_retry": "tencent_batch"}


def check_result(module, result, problems):
    jobs = result.get("jobs") or []
    failed = [j["id"] for j in jobs if j.get("failed")]
    changed = [j["id"] for j in jobs if j.get("changed")]
    skipped = [j["id"] for j in jobs if j.get("skipped")]
    noun = NOUNS.get(module, "job")
    if bool(result.get("failed")) != bool(failed):
        problems.append("%s: the task's failed is %s with %d failed jobs" % (module, result.get("failed"), len(failed)))
    if bool(result.get("changed")) != bool(changed):
        problems.append("%s: the task's changed is %s with %d changed jobs" % (module, result.get("changed"), len(changed)))
    summary = {"total": len(jobs), "changed": len(changed), "failed": len(failed), "skipped": len(skipped)}
    if result.get("summary") != summary:
        problems.append("%s: summary %s, the jobs say %s" % (module, result.get("summary"), summary))
    nouns = noun if len(jobs) == 1 else noun + "s"
    if failed:
        shown = ", ".join(failed[:20]) + (" and %d more" % (len(failed) - 20) if len(failed) > 20 else "")
        reasons = set(j.get("error_msg") for j in jobs if j["failed"])
        if len(failed) == len(jobs) and len(reasons) == 1 and None not in reasons:   # one cause for all: said once
            msg = "%d of %d %s failed (%s): %s" % (len(failed), len(jobs), nouns, shown, reasons.pop())
        else:
            msg = "%d of %d %s failed: %s" % (len(failed), len(jobs), nouns, shown)
    else:
        msg = "%d of %d %s acted on, %d skipped" % (len(changed), len(jobs), nouns, len(skipped))
    if result.get("msg") != msg:
        problems.append("%s: msg %r, expected %r" % (module, result.get("msg"), msg))
    if "Traceback" in json.dumps(result):
        problems.append("%s: a traceback in the result" % module)


def check_module(module, asked, results, log, acted_count, timeout):
    problems = []
    reported = []
    for result in results:
        check_result(module, result, problems)
        reported.extend(result.get("jobs") or [])
    ids = [j.get("id") for j in reported]
    if ids != asked:
        problems.append("%s: reported %d jobs (%d distinct), asked %d; first difference at %s" % (
            module, len(ids), len(set(ids)), len(asked), next((i for i, (a, b) in enumerate(zip(ids, asked)) if a != b), None)))
    by_id = dict((j.get("id"), j) for j in reported)

    read_op, write_op = OPS[module]
    attempts = dict((job_id, []) for job_id in asked)
    for entry in log:
        if entry["op"] == write_op:
            entry["delay_past_timeout"] = entry["t_end"] - entry["t_start"] >= timeout
            for job_id in write_ids(entry):
                if job_id in attempts:
                    attempts[job_id].append(entry)
                else:
                    problems.append("%s: a write carried %s, which was not asked for" % (module, job_id))

    stats = {"jobs": len(asked), "changed": 0, "unknown": 0, "failed": 0, "acted": 0, "not_written": 0,
             "writes": sum(1 for e in log if e["op"] == write_op), "reads": sum(1 for e in log if e["op"] == read_op),
             "resent_writes": 0, "faults": {}}
    for entry in log:
        if entry["op"] in (read_op, write_op) and entry.get("fault"):
            kind = entry["fault"] if entry["fault"] != "status" else "status %s" % entry["status"]
            stats["faults"][kind] = stats["faults"].get(kind, 0) + 1
    service = SERVICE[module]
    for job_id in asked:
        job = by_id.get(job_id) or {}
        tries = attempts[job_id]
        acted = acted_count.get((service, job_id), 0)
        logged_acts = sum(1 for e in tries if e.get("acted"))
        status = job.get("status")
        is_changed = bool(job.get("changed")) and not job.get("failed")
        is_unknown = bool(job.get("failed")) and status == "unknown"
        is_failed = bool(job.get("failed")) and status != "unknown"
        stats["changed"] += is_changed
        stats["unknown"] += is_unknown
        stats["failed"] += is_failed
        stats["acted"] += acted > 0
        stats["not_written"] += not tries
        stats["resent_writes"] += max(0, len(tries) - 1)
        where = "%s %s (reported %s%s, %d write attempts %s, acted %d)" % (
            module, job_id, status, " changed" if is_changed else "", len(tries),
            [(e.get("status"), e.get("fault"), e.get("acted")) for e in tries], acted)
        if acted > 1 or logged_acts > 1:
            problems.append("acted on more than once: " + where)
        for entry in tries[:-1]:
            if not refused(entry):
                problems.append("re-sent after an attempt that was not refused: " + where)
                break
        if acted and not (is_changed or is_unknown):
            problems.append("acted on but reported neither changed nor unknown: " + where)
        if is_changed and not acted:
            problems.append("reported changed but never acted on: " + where)
        if is_unknown and (not tries or refused(tries[-1])):
            problems.append("reported unknown without a write that may have acted: " + where)
        if is_failed and tries and lost(tries[-1]):
            problems.append("reported failed (not unknown) after an answer that was lost: " + where)
        if not tries and not is_failed:
            problems.append("never written but not reported failed: " + where)
    return problems, stats


def main():
    url = sys.argv[1].rstrip("/")
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    run = json.load(sys.stdin)
    log = get(url + "/_emu/requests")["requests"]
    acted_count = actions(get(url + "/_emu/state"))
    out = {"violations": [], "stats": {}}
    unanswered = [e["seq"] for e in log if e.get("t_end") is None]
    if unanswered:
        out["violations"].append("requests still unanswered: %s" % unanswered[:MAX_SHOWN])
    for module in sorted(run["asked"]):
        problems, stats = check_module(module, run["asked"][module], run["results"].get(module) or [], log, acted_count, timeout)
        out["violations"].extend(problems)
        out["stats"][module] = stats
    out["violation_count"] = len(out["violations"])
    out["violations"] = out["violations"][:MAX_SHOWN]
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
