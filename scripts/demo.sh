#!/usr/bin/env bash
# The main job on a fresh machine: start the cloud emulator, run playbooks/retry_failed_jobs.yml
# against it with demo credentials, print each job's outcome; then reset the emulator to a scenario of its own and
# run playbooks/recover_all_failed.yml, which finds the failed jobs by itself (no job named); stop the emulator.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The demo's own venv (make demo: build/venv-demo from requirements/demo.txt, ansible-core only).
venv=${VENV:-$root/build/venv-demo}
case $venv in /*) ;; *) venv=$root/$venv ;; esac
export PATH="$venv/bin:$PATH"

work=$(mktemp -d "${TMPDIR:-/tmp}/cloudops-jobs-demo.XXXXXX")
emu_dir="$work/emulator"
cleanup() {
    PYTHON="$venv/bin/python" "$root/tests/emulator/emulator.sh" stop "$emu_dir" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

"$root/scripts/collection_tree.sh" "$work" >/dev/null
PYTHON="$venv/bin/python" "$root/tests/emulator/emulator.sh" start "$emu_dir" "$root/tests/emulator/scenarios/demo.json"
url=$(cat "$emu_dir/url")

# Demo credentials, as an AWX credential would inject them (the emulator knows these; no real cloud is reached).
export HUAWEICLOUD_SDK_AK=DEMOAK0000000000000001
export HUAWEICLOUD_SDK_SK=demo-secret-key-0000000000000000000001
export HUAWEICLOUD_SDK_REGION=cn-north-4
export TENCENTCLOUD_SECRET_ID=AKIDDEMO0000000000000000000000000001
export TENCENTCLOUD_SECRET_KEY=demo-tencent-secret-0000000000000001
export TENCENTCLOUD_REGION=ap-guangzhou
export ANSIBLE_COLLECTIONS_PATH="$work"
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false ANSIBLE_NOCOLOR=${ANSIBLE_NOCOLOR:-1}
# The per-job table without the role's task headers (scripts/demo_callback, not shipped with the collection);
# ANSIBLE_STDOUT_CALLBACK=default shows the whole run.
export ANSIBLE_CALLBACK_PLUGINS="$root/scripts/demo_callback" ANSIBLE_STDOUT_CALLBACK=${ANSIBLE_STDOUT_CALLBACK:-cloudops_demo}

banner() {
    printf '\n%s\n%s\n%s\n' "$(printf '=%.0s' {1..100})" "$1" "$(printf '=%.0s' {1..100})"
}

banner "Part 1 of 2: playbooks/retry_failed_jobs.yml - recover the jobs named in playbooks/vars/demo_jobs.yml"
ansible-playbook "$root/playbooks/retry_failed_jobs.yml" \
    -e "@$root/playbooks/vars/demo_jobs.yml" \
    -e "cloud_endpoint=$url" \
    -e "ansible_python_interpreter=$venv/bin/python" \
    -e job_recovery_fail_play=false "$@"

# A fresh emulator state for part 2 (tests/emulator/scenarios/demo_discovery.json): DRS jobs, Tencent Cloud Batch
# jobs and IoTDA firmware tasks in a mix of states, none of them named on the command line.
"$venv/bin/python" - "$url" "$root/tests/emulator/scenarios/demo_discovery.json" <<'PY'
import sys, urllib.request
url, scenario = sys.argv[1], sys.argv[2]
with open(scenario, "rb") as f:
    body = f.read()
req = urllib.request.Request(url + "/_emu/reset", data=body, method="POST", headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=10).read()
PY

banner "Part 2 of 2: playbooks/recover_all_failed.yml - find every failed job (no IDs given) and recover it
  DRS: every job in a failed state or PAUSING; Tencent Cloud Batch: every FAILED job;
  IoTDA: the failed subtasks of every firmwareUpgrade task in Fail or PartialSuccess; at most 200 per service"
ansible-playbook "$root/playbooks/recover_all_failed.yml" \
    -e recover_services=drs,tencent_batch,iotda \
    -e iotda_task_type=firmwareUpgrade \
    -e max_jobs=200 \
    -e "cloud_endpoint=$url" \
    -e "ansible_python_interpreter=$venv/bin/python" \
    -e job_fail_on_error=false "$@"
