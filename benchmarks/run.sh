#!/usr/bin/env bash
# The benchmark suite (`make bench`): fan-out, per-task overhead, rate-limited throughput, batches, memory.
#   benchmarks/run.sh [bench.py options, e.g. --only 1,3 --uri-n 50 --repeat 10 --json FILE --keep]
# Builds its own environment in benchmarks/.venv from benchmarks/requirements.txt (exact pins; the official
# Huawei SDK included), starts its own cloud emulator (stopped on exit), and prints each figure with its target
# and PASS or FALL SHORT. A measurement, not a test: exits 0 whatever the verdicts (1 only when the run itself
# broke: no environment, no emulator, or a figure that could not be measured). See docs/performance.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
venv=$here/.venv
requirements=$here/requirements.txt
if [ -z "${PYTHON:-}" ]; then
    PYTHON=$(command -v python3.11 || command -v python3)
fi

# 1. The environment: (re)built when missing or when requirements.txt changed.
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.installed" 2>/dev/null || true)" != "$want" ]; then
    echo "building the benchmark environment in $venv (from $requirements) ..."
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv"
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check --quiet -r "$requirements" >"$venv/install.log" 2>&1; then
        echo "pip install failed; its output:" >&2
        cat "$venv/install.log" >&2
        rm -rf "$venv"
        exit 1
    fi
    echo "$want" >"$venv/.installed"
fi

# 2. Our own emulator, stopped whatever happens.
work=$(mktemp -d "${TMPDIR:-/tmp}/cloudops-jobs-bench.XXXXXX")
emu_dir=$work/emulator
# shellcheck disable=SC2317,SC2329  # called by the EXIT trap
cleanup() {
    PYTHON="$venv/bin/python" "$root/tests/emulator/emulator.sh" stop "$emu_dir" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
PYTHON="$venv/bin/python" "$root/tests/emulator/emulator.sh" start "$emu_dir" >/dev/null

# 3. The figures.
status=0
"$venv/bin/python" "$here/bench.py" --url "$(cat "$emu_dir/url")" "$@" || status=$?
exit "$status"
