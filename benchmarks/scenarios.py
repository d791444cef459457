# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Emulator scenarios for the benchmarks (docs/dev/emulator-contract.md), generated, one per figure.

    python benchmarks/scenarios.py OUTDIR     # writes OUTDIR/<name>.json, e.g. to start an emulator with one

Every scenario carries the demo credentials (the same as tests/emulator/scenarios/demo.json).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys

HUAWEI_AK = "DEMOAK0000000000000001"
HUAWEI_SK = "demo-secret-key-0000000000000000000001"
HUAWEI_TOKEN = "demo-static-token-0001"
REGION = "cn-north-4"
PROJECT_ID = "0123456789abcdef0123456789abcdef"
TENCENT_ID = "AKIDDEMO0000000000000000000000000001"
TENCENT_KEY = "demo-tencent-secret-0000000000000001"
IOTDA_TASK_ID = "64b0be0c0000000000000001"   # 24 hex characters, as IoTDA allocates them


def credentials():
    return {
        "huawei": {
            "aksk": {HUAWEI_AK: HUAWEI_SK},
            "tokens": [HUAWEI_TOKEN],
            "projects": [{"id": PROJECT_ID, "name": REGION}],
        },
        "tencent": {"credentials": {TENCENT_ID: TENCENT_KEY}},
    }


def workspace_ids(n):
    return ["ws-bench-%05d" % i for i in range(n)]


def drs_ids(n, prefix="drs-bench"):
    return ["%s-%05d" % (prefix, i) for i in range(n)]


def tencent_ids(n):
    # RetryJobs accepts only ids of the form job-[a-z0-9]{8}.
    return ["job-b%07d" % i for i in range(n)]


def iotda_targets(n):
    return ["bench-device-%05d" % i for i in range(n)]


def workspace(n=500):
    """``n`` failed registration jobs: every one can be retried once."""
    scenario = credentials()
    scenario["workspace"] = [{"id": job_id, "status": "FAILED", "job_type": "applyWorkspace",
                              "fail_reason": "The desktop pool has no capacity."} for job_id in workspace_ids(n)]
    return scenario


def drs(n):
    """``n`` DRS jobs whose incremental transfer failed: every one can be retried once."""
    scenario = credentials()
    scenario["drs"] = [{"id": job_id, "status": "INCRE_TRANSFER_FAILED"} for job_id in drs_ids(n)]
    return scenario


def tencent(n=1000):
    """``n`` FAILED Tencent Batch jobs."""
    scenario = credentials()
    scenario["tencent_batch"] = [{"id": job_id, "status": "FAILED", "name": "bench-%d" % i}
                                 for i, job_id in enumerate(tencent_ids(n))]
    return scenario


def iotda(n):
    """One failed firmware-upgrade batch task with ``n`` failed subtasks."""
    scenario = credentials()
    scenario["iotda"] = [{"task_id": IOTDA_TASK_ID, "status": "Fail", "task_type": "firmwareUpgrade",
                          "task_name": "bench-rollout",
                          "targets": [{"target": t, "status": "Fail"} for t in iotda_targets(n)]}]
    return scenario


def batches(n=1000):
    """Figure 4: ``n`` DRS jobs and an IoTDA task with ``n`` failed targets, in one scenario."""
    scenario = drs(n)
    scenario["iotda"] = iotda(n)["iotda"]
    return scenario


def overhead(n=11):
    """Figure 2: one failed DRS job per ad-hoc run."""
    return drs(n)


ALL = {
    "fanout_workspace_500": lambda: workspace(500),
    "overhead_drs": overhead,
    "throughput_tencent_1000": lambda: tencent(1000),
    "batches_drs_iotda_1000": lambda: batches(1000),
    "memory_iotda_10000": lambda: iotda(10000),
}


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: %s OUTDIR\n" % argv[0])
        return 2
    os.makedirs(argv[1], exist_ok=True)
    for name, make in sorted(ALL.items()):
        path = os.path.join(argv[1], name + ".json")
        with open(path, "w") as handle:
            json.dump(make(), handle)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
