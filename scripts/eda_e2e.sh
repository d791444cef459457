#!/usr/bin/env bash
# End-to-end test of the Event-Driven Ansible content with the real ansible-rulebook, for each service (DRS, IoTDA,
# Tencent Cloud Batch):
#   the collection is built and installed into a temporary collections path; the emulator plays the clouds;
#   ansible-rulebook runs extensions/eda/rulebooks/recover_failed_jobs.yml (plus a shutdown after its playbook,
#   tests/eda_e2e/make_rulebook.py) watching that service, its source polling every second; once the source is
#   watching, the emulator fails one job; the rule runs playbooks/eda_recover_job.yml; the emulator's request log must
#   show exactly one retry, of that job, and none of the jobs already failed at the start (tests/eda_e2e/e2e.py);
#   ansible-rulebook must end by itself within EDA_E2E_TIMEOUT seconds (default 300). Last, a source without
#   credentials must stop ansible-rulebook at once, naming them.
#   EDA_E2E_SERVICES="drs iotda tencent_batch" (the default) picks the cases; EDA_E2E_SHOW_LOG=1 prints their output.
# Needs Python 3.11 and a JDK 17 (java; installed from Debian's openjdk-17-jre-headless when missing). The venv
# .venv-eda (EDA_VENV) is created from the pinned requirements/eda.txt the first time, and again when that file changes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${EDA_VENV:-$root/.venv-eda}
python=${PYTHON:-python3.11}
limit=${EDA_E2E_TIMEOUT:-300}
services=${EDA_E2E_SERVICES:-drs iotda tencent_batch}

java_major() {
    java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ] 2>/dev/null; then
    echo "eda e2e: installing a JDK 17 (openjdk-17-jre-headless)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
if [ "$(java_major)" -lt 17 ]; then
    echo "eda e2e: ansible-rulebook needs Java 17 or later; found: $(java -version 2>&1 | head -n 1)" >&2
    exit 1
fi

stamp="$venv/.installed"
if [ ! -f "$stamp" ] || [ "$root/requirements/eda.txt" -nt "$stamp" ]; then
    echo "eda e2e: creating $venv from requirements/eda.txt"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$root/requirements/eda.txt" \
            > "$venv/pip.log" 2>&1; then
        cat "$venv/pip.log" >&2
        exit 1
    fi
    touch "$stamp"
fi
export PATH="$venv/bin:$PATH"
py="$venv/bin/python"
e2e="$root/tests/eda_e2e/e2e.py"

work=$(mktemp -d "${TMPDIR:-/tmp}/cloudops-eda-e2e.XXXXXX")
rulebook_pid=
cleanup() {
    if [ -n "$rulebook_pid" ] && kill -0 "$rulebook_pid" 2>/dev/null; then
        kill "$rulebook_pid" 2>/dev/null || true
        wait "$rulebook_pid" 2>/dev/null || true
    fi
    PYTHON="$py" "$root/tests/emulator/emulator.sh" stop "$work/emulator" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# The collection as users get it: built from the checkout's files, installed with ansible-galaxy.
tree=$("$root/scripts/collection_tree.sh" "$work/src")
(cd "$tree" && ansible-galaxy collection build --output-path "$work/dist" >/dev/null)
ANSIBLE_COLLECTIONS_PATH="$work/collections" \
    ansible-galaxy collection install --offline -p "$work/collections" "$work"/dist/cloudops-jobs-*.tar.gz >/dev/null
export ANSIBLE_COLLECTIONS_PATH="$work/collections"
installed="$work/collections/ansible_collections/cloudops/jobs"

PYTHON="$py" "$root/tests/emulator/emulator.sh" start "$work/emulator" "$root/tests/eda_e2e/scenario.json" >/dev/null
url=$(cat "$work/emulator/url")

"$py" "$root/tests/eda_e2e/make_rulebook.py" "$installed/extensions/eda/rulebooks/recover_failed_jobs.yml" "$work/rulebook.yml"
cat > "$work/inventory.yml" <<INVENTORY
all:
  hosts:
    localhost:
      ansible_connection: local
      ansible_python_interpreter: "$py"
INVENTORY

# The credentials and regions as the modules read them from the environment (the sources and the playbook);
# none of the caller's own.
unset HUAWEICLOUD_SDK_PROJECT_ID HW_PROJECT_ID HW_ACCESS_KEY HW_SECRET_KEY HUAWEICLOUD_SDK_SECURITY_TOKEN HW_SECURITY_TOKEN \
    HUAWEICLOUD_AUTH_TOKEN HW_AUTH_TOKEN HW_USER_NAME HW_USER_PASSWORD HW_DOMAIN_NAME HUAWEICLOUD_SDK_IAM_ENDPOINT HW_AUTH_URL \
    HW_REGION_NAME TENCENTCLOUD_SECURITY_TOKEN TENCENTCLOUD_SESSION_TOKEN
export HUAWEICLOUD_SDK_AK=EDAE2EAK000000000001
export HUAWEICLOUD_SDK_SK=eda-e2e-secret-key-00000000000000000001
export HUAWEICLOUD_SDK_REGION=cn-north-4
export TENCENTCLOUD_SECRET_ID=AKIDEDAE2E00000000000000000000000001
export TENCENTCLOUD_SECRET_KEY=eda-e2e-tencent-secret-0000000001
export TENCENTCLOUD_REGION=ap-guangzhou
export ANSIBLE_LOCAL_TEMP="$work/tmp" ANSIBLE_HOME="$work/ansible-home"

run_case() {
    local service=$1 log="$work/$1.log" started rc elapsed
    printf 'cloudops_watch: [%s]\ncloudops_interval: 1\ncloud_endpoint: "%s"\n' "$service" "$url" > "$work/$service.vars.yml"
    "$py" "$e2e" clear "$url"
    started=$(date +%s)
    (cd "$work" && exec timeout --signal=TERM "$limit" ansible-rulebook -i inventory.yml --rulebook rulebook.yml \
        --vars "$service.vars.yml" --print-events) > "$log" 2>&1 &
    rulebook_pid=$!
    # Wait until the source has made two list passes (it is watching), then fail the job.
    while [ "$("$py" "$e2e" passes "$url" "$service")" -lt 2 ]; do
        if ! kill -0 "$rulebook_pid" 2>/dev/null || [ $(( $(date +%s) - started )) -ge "$limit" ]; then
            echo "eda e2e ($service): ansible-rulebook did not start watching:" >&2
            cat "$log" >&2
            exit 1
        fi
        sleep 1
    done
    "$py" "$e2e" fail "$url" "$service"
    rc=0
    wait "$rulebook_pid" || rc=$?
    rulebook_pid=
    elapsed=$(( $(date +%s) - started ))
    if [ "$rc" -ne 0 ]; then
        echo "eda e2e ($service): ansible-rulebook exited $rc after ${elapsed}s (124: still running after ${limit}s)" >&2
        cat "$log" >&2
        exit 1
    fi
    if ! "$py" "$e2e" check "$url" "$log" "$service"; then
        cat "$log" >&2
        exit 1
    fi
    echo "eda e2e ($service): ansible-rulebook ended by itself after ${elapsed}s"
    if [ -n "${EDA_E2E_SHOW_LOG:-}" ]; then
        cat "$log"
    fi
}

for service in $services; do
    run_case "$service"
done

# Bad arguments stop the source, and ansible-rulebook, at once: the shipped rulebook by its name, watching Tencent
# Cloud Batch without Tencent credentials.
echo "cloudops_watch: [tencent_batch]" > "$work/bad_vars.yml"
rc=0
(cd "$work" && exec env -u TENCENTCLOUD_SECRET_ID -u TENCENTCLOUD_SECRET_KEY timeout "$limit" ansible-rulebook -i inventory.yml \
    --rulebook cloudops.jobs.recover_failed_jobs --vars bad_vars.yml) > "$work/bad.log" 2>&1 || rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -eq 124 ] || ! grep -q "cloudops.jobs.failed_jobs: no credentials: tried .*set secret_id and secret_key" "$work/bad.log"; then
    echo "eda e2e: a source without credentials should have stopped ansible-rulebook at once, naming them (rc $rc)" >&2
    cat "$work/bad.log" >&2
    exit 1
fi
echo "eda e2e: a source without credentials stopped ansible-rulebook at once (rc $rc), naming the sources tried and secret_id and secret_key"
