# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The end-to-end test's side of the emulator (scripts/eda_e2e.sh), one case per service:

    python e2e.py clear URL                 forget the request log
    python e2e.py passes URL SERVICE        how many list passes the event source made since
    python e2e.py fail URL SERVICE          fail the case's job now (POST /_emu/jobs)
    python e2e.py check URL LOG SERVICE     what the run must have done; exit 1 when it did not
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys
from urllib.request import Request, urlopen  # pylint: disable=ansible-bad-import-from

TASK = "64a1b2c3d4e5f60718293a4b"
OLD_TASK = "64a1b2c3d4e5f60718293a4c"
CASES = {
    "drs": {
        "list": "drs.list", "retry": "drs.retry", "job": "drs-eda-0001", "left_alone": ["drs-eda-0002", "drs-eda-old"],
        "fail": [{"service": "drs", "id": "drs-eda-0001", "status": "INCRE_TRANSFER_FAILED"}],
        "report": "drs drs-eda-0001: changed status=success",
        "reads": ("drs.list", "drs.status", "iam.projects"),
    },
    "iotda": {
        "list": "iotda.list", "retry": "iotda.retry", "job": "device-0001", "left_alone": ["device-0002", "device-0009"],
        "fail": [{"service": "iotda", "task_id": TASK, "target": "device-0001", "status": "Fail"},
                 {"service": "iotda", "task_id": TASK, "target": "device-0002", "status": "Success"},
                 {"service": "iotda", "task_id": TASK, "status": "PartialSuccess"}],
        "report": "iotda %s/device-0001: changed status=success" % TASK,
        "reads": ("iotda.list", "iotda.show", "iam.projects"),
    },
    "tencent_batch": {
        "list": "tencent.DescribeJobs", "retry": "tencent.RetryJobs", "job": "job-eda00001",
        "left_alone": ["job-eda00002", "job-eda0000f"],
        "fail": [{"service": "tencent_batch", "id": "job-eda00001", "status": "FAILED"}],
        "report": "tencent_batch job-eda00001: changed status=success",
        "reads": ("tencent.DescribeJobs",),
    },
}


def call(url, method="GET", body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urlopen(request, timeout=10) as answer:
        text = answer.read().decode("utf-8")
    return json.loads(text) if text.strip() else {}


def requests_of(url, op):
    return call("%s/_emu/requests?op=%s" % (url, op))["requests"]


def retried(entry, service):
    """The jobs an acted-on retry request named."""
    body = entry.get("body") or {}
    if service == "drs":
        return [job.get("job_id") for job in body.get("jobs", [])]
    if service == "iotda":
        return ["%s/%s" % (entry["path"].split("/")[-2], target) for target in body.get("targets", [])]
    return list(body.get("JobIds", []))


def actions(url, service):
    """job (IoTDA: task/target) -> successful actions on it, from the emulator's state."""
    state = call("%s/_emu/state?service=%s" % (url, service))[service]
    if service == "iotda":
        return dict(("%s/%s" % (t["task_id"], x["target"]), x["actions"]) for t in state for x in t["targets"])
    return dict((j["id"], j["actions"]) for j in state)


def check(url, log_path, service):
    case = CASES[service]
    job = case["job"] if service != "iotda" else "%s/%s" % (TASK, case["job"])
    problems = []
    acted = [e for e in requests_of(url, case["retry"]) if e.get("acted")]
    named = [j for e in acted for j in retried(e, service)]
    if named != [job]:
        problems.append("expected exactly one retry, of %s; the emulator acted on retries of %s" % (job, named))
    lists = requests_of(url, case["list"])
    if len(lists) < 2:
        problems.append("the source listed %d times; it should have been watching" % len(lists))
    others = [e["op"] for e in call(url + "/_emu/requests")["requests"] if e["op"] not in case["reads"] + (case["retry"],)]
    if others:
        problems.append("unexpected requests: %s" % others)
    done = actions(url, service)
    if done.get(job) != 1:
        problems.append("%s was acted on %s times, not once" % (job, done.get(job)))
    for other in case["left_alone"]:
        key = other if service != "iotda" else next(k for k in done if k.endswith("/" + other))
        if done.get(key):
            problems.append("%s was acted on, but it did not fail while the rulebook watched" % key)
    with open(log_path) as handle:
        log = handle.read()
    if case["report"] not in log:
        problems.append("the playbook's report %r is not in ansible-rulebook's output" % case["report"])
    if "eda-e2e-secret-key" in log or "eda-e2e-tencent-secret" in log:
        problems.append("a secret key appears in ansible-rulebook's output")
    for problem in problems:
        print("FAIL (%s): %s" % (service, problem))
    if not problems:
        print("eda e2e (%s): %s failed while the rulebook watched: one event, one playbook run, exactly one retry "
              "(%d list passes); the jobs already failed at the start were left alone" % (service, job, len(lists)))
    return 1 if problems else 0


def main(argv):
    command, url = argv[1], argv[2]
    if command == "clear":
        call(url + "/_emu/requests", "DELETE")
        return 0
    if command == "passes":
        print(len(requests_of(url, CASES[argv[3]]["list"])))
        return 0
    if command == "fail":
        call(url + "/_emu/jobs", "POST", {"jobs": CASES[argv[3]]["fail"]})
        return 0
    if command == "check":
        return check(url, argv[3], argv[4])
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
