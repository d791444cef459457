#!/usr/bin/env bash
# Every test, as `make test` runs it, on the ansible-core matrix:
#   2.16 (the oldest requires_ansible claims, Python 3.11, .venv-core216): units, integration, the AWX runner test
#   2.19 (the main one, Python 3.11, .venv):                               sanity, units, integration, extra tests, gates
#   2.21 (the newest, Python 3.12, .venv-core221):                          sanity, units, integration, the AWX runner test
# Three lanes run side by side (2 cores; much of an integration run waits on the emulator and on process starts),
# balanced by what the steps took on a clean clone (2.19 integration ~1060 s, 2.16 ~700 s, 2.21 ~960 s):
#   1: units 2.19, sanity 2.19, units 2.16, integration 2.16, AWX runner 2.16, the extra tests (EXTRA_TESTS)
#   2: integration 2.19, the release gates
#   3: units 2.21, integration 2.21, AWX runner 2.21, sanity 2.21
# A line is printed as each step ends; each lane's output, every step headed with the ansible-core version it ran
# on, when the lane ends; a table of every step closes the run. Any failure fails the run, after all have run.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
main_venv=${VENV:-$root/.venv}
core216_venv=${CORE216_VENV:-$root/.venv-core216}
core221_venv=${CORE221_VENV:-$root/.venv-core221}

# Extra end-to-end tests, run on the main ansible-core (each a script that exits
# non-zero on a failure; VENV is set to the main venv). Add one line per test.
EXTRA_TESTS=(
    tests/awx_runner/run.sh       # playbooks through ansible-runner as AWX runs them (credentials, survey, set_stats)
    scripts/docs_site_test.sh     # make docs, then every page in headless Chromium
    scripts/eda_e2e.sh            # ansible-rulebook watches the emulator, a job fails, the rule retries it exactly once
)

# What the oldest and the newest ansible-core skip, as the main one runs it and what they would add is only time: the
# emulator's own tests and the malformed-answer matrix (they test the emulator and the module_utils parsers, which
# do not depend on ansible-core), and the integration targets that drive those parsers with faults. Everything that
# goes through ansible-core itself (argument specs, no_log, module_defaults, Jinja in the role and the playbooks,
# env fallbacks, TLS on the venv's Python) still runs on every version.
MAIN_ONLY_UNITS=(tests/unit/emulator tests/unit/garbage)
MAIN_ONLY_TARGETS=(garbage_answers reliability_random wait_lag)
other_core_units=()
for d in "$root"/tests/unit/*/; do
    d=tests/unit/$(basename "$d")
    case " ${MAIN_ONLY_UNITS[*]} " in *" $d "*) ;; *) other_core_units+=("$d/") ;; esac   # ansible-test wants the slash
done
other_core_excludes=()
for t in "${MAIN_ONLY_TARGETS[@]}"; do other_core_excludes+=(--exclude "$t"); done

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

# The lanes, balanced by what each step costs (integration about 5 min per version, units 1-2, sanity 1 each, the
# gates 2, the extra tests under 1).
lane_1() {  # the main version's units and sanity, then the oldest version, then the extra tests
    local t
    step lane1 2.19 units "$main_venv" "$root/scripts/ansible_test.sh" units
    step lane1 2.19 sanity "$main_venv" "$root/scripts/ansible_test.sh" sanity
    step lane1 2.16 units "$core216_venv" "$root/scripts/ansible_test.sh" units "${other_core_units[@]}"
    step lane1 2.16 integration "$core216_venv" "$root/scripts/ansible_test.sh" integration "${other_core_excludes[@]}"
    step lane1 2.16 awx_runner/run.sh "$core216_venv" "$root/tests/awx_runner/run.sh"
    for t in "${EXTRA_TESTS[@]}"; do
        step lane1 2.19 "$(basename "$(dirname "$t")")/$(basename "$t")" "$main_venv" "$root/$t"
    done
}

lane_2() {  # the main version's integration (the longest step), then the release gates
    step lane2 2.19 integration "$main_venv" "$root/scripts/ansible_test.sh" integration
    step lane2 2.19 gates "$main_venv" "$root/scripts/gates.sh"
}

lane_3() {  # the newest version
    step lane3 2.21 units "$core221_venv" "$root/scripts/ansible_test.sh" units "${other_core_units[@]}"
    step lane3 2.21 integration "$core221_venv" "$root/scripts/ansible_test.sh" integration "${other_core_excludes[@]}"
    step lane3 2.21 awx_runner/run.sh "$core221_venv" "$root/tests/awx_runner/run.sh"
    step lane3 2.21 sanity "$core221_venv" "$root/scripts/ansible_test.sh" sanity
}

# ansible-test integration makes ~/.ansible/test/id_rsa when it is missing; two lanes doing that at once on a fresh
# machine race (the second one's ssh-keygen asks whether to overwrite, with no one to answer): make it once, first.
if [ ! -f "$HOME/.ansible/test/id_rsa" ] && command -v ssh-keygen >/dev/null; then
    mkdir -p "$HOME/.ansible/test"
    ssh-keygen -m PEM -q -t rsa -N '' -f "$HOME/.ansible/test/id_rsa" </dev/null
fi

echo "make test: the ansible-core matrix in three lanes side by side (a line as each step ends, the output of a lane when it ends)"
pids=()
for lane in 1 2 3; do
    "lane_$lane" &
    pids+=($!)
done
for lane in 1 2 3; do
    wait "${pids[$((lane - 1))]}"
    cat "$logdir/lane$lane.log"
done

# The matrix: one row per ansible-core version, one column per kind of test, the extra tests in a row of their own.
cat "$logdir"/*.results > "$logdir/all"
python_table() {
    "$main_venv/bin/python" - "$logdir/all" "$1" "$2" "$3" "$(( $(date +%s) - start ))" <<'PY'
import sys
rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1]) if line.strip()]
venvs = {"2.16": sys.argv[2], "2.19": sys.argv[3], "2.21": sys.argv[4]}  # "2.16.19 (Python 3.11)"
cols = [("sanity", "sanity"), ("units", "units"), ("integration", "integration"), ("awx_runner/run.sh", "AWX runner"),
        ("gates", "release gates")]
cell = {(r[0], r[1]): "%s %ss" % (r[2], r[3]) for r in rows}
print("\n=== The ansible-core matrix (wall time %s s)" % sys.argv[5])
print("%-26s" % "ansible-core" + "".join("%-16s" % title for _, title in cols))
for label in ("2.16", "2.19", "2.21"):
    print("%-26s" % venvs[label] + "".join("%-16s" % cell.get((label, name), "-") for name, _ in cols))
extra = [r for r in rows if r[1] not in dict(cols)]
for r in extra:
    print("%-26s%s on ansible-core %s: %s %ss" % ("extra test", r[1], venvs[r[0]], r[2], r[3]))
failed = [("%s %s" % (r[0], r[1])) for r in rows if r[2] != "passed"]
print("FAILED: " + ", ".join(failed) if failed else "every step passed")
sys.exit(1 if failed else 0)
PY
}
label() { echo "$(version_of "$1") (Python $(python_of "$1"))"; }
python_table "$(label "$core216_venv")" "$(label "$main_venv")" "$(label "$core221_venv")"
