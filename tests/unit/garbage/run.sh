#!/usr/bin/env bash
# The garbage-answer suite (every module and the event source against every garbage body of every API they call),
# run with pytest from a fresh copy of the collection (as ansible-test does), writing the failing cases to a file:
#   tests/unit/garbage/run.sh [FILE] [pytest args]      (FILE default /tmp/coord/garbage_failures.txt)
# One line per failing case: its id | what is wrong | what the run ended as. ansible-test units runs the same tests
# (scripts/ansible_test.sh units tests/unit/garbage/test_garbage_modules.py ...) but passes no GARBAGE_FAILURES.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
out=${1:-/tmp/coord/garbage_failures.txt}
shift || true
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
venv=${VENV:-$root/.venv}
work=$(mktemp -d "${TMPDIR:-/tmp}/cloudops-garbage.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$("$root/scripts/collection_tree.sh" "$work")
cd "$tree"
rc=0
GARBAGE_FAILURES="$out" PYTHONPATH="$work" "$venv/bin/python" -m pytest -q -p no:cacheprovider -W ignore::DeprecationWarning \
    tests/unit/garbage/test_garbage_modules.py tests/unit/garbage/test_garbage_event_source.py "$@" || rc=$?
echo "failing cases: $(wc -l < "$out") (in $out)"
exit $rc
