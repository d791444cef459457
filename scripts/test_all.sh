#!/usr/bin/env bash
# Every test, as `make test` runs it, on the ansible-core matrix:
#   2.16 (the oldest requires_ansible claims, Python 3.11, .venv-core216): units, integration
#   2.19 (the main one, Python 3.11, .venv):                               sanity, units, integration, extra tests
#   2.21 (the newest, Python 3.12, .venv-core221):                          sanity, units, integration
# then the release gates (2.19). Three lanes run side by side (2 cores: the integration targets mostly wait on the
# emulator): sanity 2.19 then 2.21; units and integration on 2.19 then 2.16; units and integration on 2.21 then the
# extra tests. Each step's output is printed as a block when its lane ends, headed with the ansible-core version it
# ran on; a table of every step closes the run. Any failure fails the run, after all have run.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
main_venv=${VENV:-$root/.venv}
core216_venv=${CORE216_VENV:-$root/.venv-core216}
core221_venv=${CORE221_VENV:-$root/.venv-core221}

# Extra end-to-end tests, run on the main ansible-core after its units and integration (each a script that exits
# non-zero on a failure; VENV is set to the main venv). Add one line per test.
EXTRA_TESTS=(
    tests/awx_runner/run.sh       # playbooks through ansible-runner as AWX runs them (credentials, survey, set_stats)
    scripts/docs_site_test.sh     # make docs, then every page in headless Chromium
)

logdir=$(mktemp -d "${TMPDIR:-/tmp}/cloudops-jobs-test-all.XXXXXX")
trap 'rm -rf "$logdir"' EXIT
start=$(date +%s)

version_of() { "$1/bin/python" -c 'from ansible.release import __version__; print(__version__)' 2>/dev/null || echo missing; }
python_of() { "$1/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo -; }

# step LANE CORE-LABEL NAME VENV COMMAND...: run one step into its own log, record "label|name|status|seconds".
step() {
    local lane=$1 label=$2 name=$3 venv=$4 t0 rc status
    shift 4
    t0=$(date +%s)
    {
        printf '\n=== ansible-core %s (Python %s): %s\n' "$(version_of "$venv")" "$(python_of "$venv")" "$name"
        VENV=$venv "$@"
    } >> "$logdir/$lane.log" 2>&1
    rc=$?
    status=passed
    [ "$rc" = 0 ] || status=FAILED
    printf '%s|%s|%s|%s\n' "$label" "$name" "$status" "$(( $(date +%s) - t0 ))" >> "$logdir/$lane.results"
    printf '[%6ss] ansible-core %-8s %-28s %s\n' "$(( $(date +%s) - start ))" "$(version_of "$venv")" "$name" "$status"
    return "$rc"
}

lane_sanity() {
    step sanity 2.19 sanity "$main_venv" "$root/scripts/ansible_test.sh" sanity
    step sanity 2.21 sanity "$core221_venv" "$root/scripts/ansible_test.sh" sanity
}

lane_core() {  # units and integration on the main version, then on the oldest
    step core 2.19 units "$main_venv" "$root/scripts/ansible_test.sh" units
    step core 2.19 integration "$main_venv" "$root/scripts/ansible_test.sh" integration
    step core 2.16 units "$core216_venv" "$root/scripts/ansible_test.sh" units
    step core 2.16 integration "$core216_venv" "$root/scripts/ansible_test.sh" integration
}

lane_newest() {  # units and integration on the newest version, then the extra tests on the main one
    local t
    step newest 2.21 units "$core221_venv" "$root/scripts/ansible_test.sh" units
    step newest 2.21 integration "$core221_venv" "$root/scripts/ansible_test.sh" integration
    for t in "${EXTRA_TESTS[@]}"; do
        step newest 2.19 "$(basename "$(dirname "$t")")/$(basename "$t")" "$main_venv" "$root/$t"
    done
}

echo "make test: the ansible-core matrix, three lanes side by side (a line as each step ends, its output when its lane ends)"
lane_sanity & sanity_pid=$!
lane_core & core_pid=$!
lane_newest & newest_pid=$!
wait "$core_pid"; cat "$logdir/core.log"
wait "$newest_pid"; cat "$logdir/newest.log"
wait "$sanity_pid"; cat "$logdir/sanity.log"

gates_t0=$(date +%s)
printf '\n=== ansible-core %s (Python %s): release gates\n' "$(version_of "$main_venv")" "$(python_of "$main_venv")"
if VENV=$main_venv "$root/scripts/gates.sh"; then gates=passed; else gates=FAILED; fi
printf '2.19|gates|%s|%s\n' "$gates" "$(( $(date +%s) - gates_t0 ))" >> "$logdir/gates.results"

# The matrix: one row per ansible-core version, one column per kind of test, the extra tests in a row of their own.
cat "$logdir"/*.results > "$logdir/all"
python_table() {
    "$main_venv/bin/python" - "$logdir/all" "$1" "$2" "$3" "$(( $(date +%s) - start ))" <<'PY'
import sys
rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1]) if line.strip()]
venvs = {"2.16": sys.argv[2], "2.19": sys.argv[3], "2.21": sys.argv[4]}  # "2.16.19 (Python 3.11)"
cols = ["sanity", "units", "integration", "gates"]
cell = {(r[0], r[1]): "%s %ss" % (r[2], r[3]) for r in rows}
print("\n=== The ansible-core matrix (wall time %s s)" % sys.argv[5])
print("%-26s" % "ansible-core" + "".join("%-16s" % c for c in cols))
for label in ("2.16", "2.19", "2.21"):
    print("%-26s" % venvs[label] + "".join("%-16s" % cell.get((label, c), "-") for c in cols))
extra = [r for r in rows if r[1] not in cols]
for r in extra:
    print("%-26s%s on ansible-core %s: %s %ss" % ("extra test", r[1], venvs[r[0]], r[2], r[3]))
failed = [("%s %s" % (r[0], r[1])) for r in rows if r[2] != "passed"]
print("FAILED: " + ", ".join(failed) if failed else "every step passed")
sys.exit(1 if failed else 0)
PY
}
label() { echo "$(version_of "$1") (Python $(python_of "$1"))"; }
python_table "$(label "$core216_venv")" "$(label "$main_venv")" "$(label "$core221_venv")"
