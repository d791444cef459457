#!/usr/bin/env bash
# Every test, as `make test` runs it: sanity runs beside the unit and integration tests (they share nothing but
# the CPU), its output printed when it ends; then the release gates. Any failure fails the run, after all have run.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
logdir=$(mktemp -d "${TMPDIR:-/tmp}/cloudops-jobs-sanity.XXXXXX")
trap 'rm -rf "$logdir"' EXIT
failed=()

"$root/scripts/ansible_test.sh" sanity > "$logdir/sanity.log" 2>&1 &
sanity_pid=$!

"$root/scripts/ansible_test.sh" units || failed+=(units)
"$root/scripts/ansible_test.sh" integration || failed+=(integration)

wait "$sanity_pid" || failed+=(sanity)
echo "=== ansible-test sanity"
cat "$logdir/sanity.log"

"$root/scripts/gates.sh" || failed+=(gates)

if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}"
    exit 1
fi
echo "make test: sanity, units, integration and the release gates passed"
