# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the end-to-end run must have done, read from the emulator and from ansible-rulebook's output.

    python check.py EMULATOR_URL RULEBOOK_LOG JOB_ID
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys

from urllib.request import urlopen  # pylint: disable=ansible-bad-import-from


def get(url):
    with urlopen(url, timeout=10) as answer:
        return json.loads(answer.read().decode("utf-8"))


def main(url, log_path, job_id):
    problems = []
    requests = get(url + "/_emu/requests")["requests"]
    retries = [r for r in requests if r["op"] == "drs.retry"]
    retried = [job.get("job_id") for r in retries for job in (r.get("body") or {}).get("jobs", [])]
    if retried != [job_id]:
        problems.append("expected exactly one DRS retry, of %s; the emulator logged retries of %s" % (job_id, retried))
    lists = [r for r in requests if r["op"] == "drs.list"]
    if len(lists) < 2:
        problems.append("the source listed the DRS jobs %d times; it should have been watching" % len(lists))
    writes = [r["op"] for r in requests if r["op"] not in ("drs.list", "drs.status", "drs.retry", "iam.projects")]
    if writes:
        problems.append("unexpected requests: %s" % writes)
    state = dict((j["id"], j) for j in get(url + "/_emu/state")["drs"])
    if state[job_id]["actions"] != 1:
        problems.append("%s was acted on %s times, not once" % (job_id, state[job_id]["actions"]))
    for other in ("drs-eda-0002", "drs-eda-old"):
        if state[other]["actions"]:
            problems.append("%s was acted on, but it did not fail while the rulebook watched" % other)
    with open(log_path) as handle:
        log = handle.read()
    if "%s: changed status=success" % job_id not in log:
        problems.append("the playbook's report of %s is not in ansible-rulebook's output" % job_id)
    if "eda-e2e-secret-key" in log:
        problems.append("the secret key appears in ansible-rulebook's output")
    for problem in problems:
        print("FAIL: " + problem)
    if not problems:
        print("eda e2e: %s failed while the rulebook watched, one event, one playbook run, exactly one retry (%d list "
              "passes); jobs failed before the start were left alone" % (job_id, len(lists)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
