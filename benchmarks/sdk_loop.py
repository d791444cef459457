# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Figure 1's third way: a sequential loop over the official SDK's RunActionsOnWorkspaceJob (AK/SK signed).

    python sdk_loop.py ENDPOINT IDS_JSON_FILE   -> prints {"import_s", "loop_s", "ok", "errors"} as JSON

The SDK sends ``POST /v2/{project_id}/workspace-jobs/{job_id}/actions`` with ``{"op_type": "retry"}``,
the same request the module and the emulator use.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys
import time

START = time.monotonic()

from huaweicloudsdkcore.auth.credentials import BasicCredentials  # noqa: E402
from huaweicloudsdkcore.exceptions import exceptions  # noqa: E402
from huaweicloudsdkworkspace.v2 import JobActionsReq, RunActionsOnWorkspaceJobRequest, WorkspaceClient  # noqa: E402

from scenarios import HUAWEI_AK, HUAWEI_SK, PROJECT_ID  # noqa: E402


def main(endpoint, ids_file):
    imported = time.monotonic()
    with open(ids_file) as handle:
        ids = json.load(handle)
    client = (WorkspaceClient.new_builder()
              .with_credentials(BasicCredentials(HUAWEI_AK, HUAWEI_SK, PROJECT_ID))
              .with_endpoints([endpoint])
              .build())
    ok = 0
    errors = []
    for job_id in ids:
        request = RunActionsOnWorkspaceJobRequest(job_id=job_id, body=JobActionsReq(op_type="retry"))
        try:
            response = client.run_actions_on_workspace_job(request)
        except exceptions.SdkException as exc:
            errors.append("%s: %s" % (job_id, exc))
            continue
        if response.job_id:
            ok += 1
    done = time.monotonic()
    print(json.dumps({"import_s": imported - START, "loop_s": done - imported, "ok": ok, "errors": errors[:5]}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
