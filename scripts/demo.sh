#!/usr/bin/env bash
# The main job on a fresh machine: start the cloud emulator, run playbooks/retry_failed_jobs.yml
# against it with demo credentials, print each job's outcome, stop the emulator.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$root/.venv}
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

ansible-playbook "$root/playbooks/retry_failed_jobs.yml" \
    -e "@$root/playbooks/vars/demo_jobs.yml" \
    -e "cloud_endpoint=$url" \
    -e "ansible_python_interpreter=$venv/bin/python" \
    -e job_recovery_fail_play=false "$@"
