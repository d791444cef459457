#!/usr/bin/env bash
# The ecosystem's release gates, run on a fresh copy of the collection. Each one fails the run.
#   scripts/gates.sh [lint|docs|changelog|importer|builder|install ...]   (default: all, in that order)
# galaxy-importer runs from its own venv ($IMPORTER_VENV, default .venv-importer): its pins clash with
# ansible-lint's stack. It exits 0 on most problems, so its WARNING/ERROR lines are failures here.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$root/.venv}
importer_venv=${IMPORTER_VENV:-$root/.venv-importer}
export PATH="$venv/bin:$PATH"
gates=("$@")
[ ${#gates[@]} -gt 0 ] || gates=(lint docs changelog importer builder install)

work=$(mktemp -d "${TMPDIR:-/tmp}/cloudops-jobs-gates.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$("$root/scripts/collection_tree.sh" "$work/src")
collections_root="$work/src"
failed=()

step() { printf '\n=== gate: %s\n' "$1"; }

tarball() {
    if [ ! -f "$work/built" ]; then
        ansible-galaxy collection build --force --output-path "$work/dist" "$tree" >/dev/null
        ls "$work"/dist/cloudops-jobs-*.tar.gz > "$work/built"
    fi
    cat "$work/built"
}

gate_lint() {
    (cd "$tree" && ANSIBLE_COLLECTIONS_PATH="$collections_root" ansible-lint --profile production --offline --nocolor)
}

gate_docs() {
    (cd "$tree" && antsibull-docs lint-collection-docs --plugin-docs .)
}

gate_changelog() {
    (cd "$tree" && antsibull-changelog lint)
}

gate_importer() {
    local tb log
    tb=$(tarball)
    printf '[galaxy-importer]\nrun_ansible_test = False\ncheck_required_tags = True\nrun_ansible_lint = True\n' > "$work/importer.cfg"
    log="$work/importer.log"
    (cd "$work" && GALAXY_IMPORTER_CONFIG="$work/importer.cfg" PATH="$importer_venv/bin:$PATH" \
        "$importer_venv/bin/python" -m galaxy_importer.main "$tb") > "$log" 2>&1 || { cat "$log"; return 1; }
    grep -v '^{' "$log" | tail -n 20
    if grep -E '^(WARNING|ERROR)' "$log"; then
        echo "galaxy-importer reported the WARNING/ERROR lines above"
        return 1
    fi
}

gate_builder() {
    ansible-builder introspect --sanitize "$collections_root"
}

gate_install() {
    # The built tarball installs into an empty path and ansible-doc lists every module of plugins/modules from it.
    local tb dest listing m path missing=0
    tb=$(tarball)
    dest="$work/installed"
    # --force: a cloudops.jobs installed elsewhere (~/.ansible/collections) must not make this install a no-op.
    ansible-galaxy collection install --offline --force -p "$dest" "$tb" >/dev/null
    listing=$(ANSIBLE_COLLECTIONS_PATH="$dest" ansible-doc -t module -l cloudops.jobs)
    echo "$listing"
    for path in "$tree"/plugins/modules/*.py; do
        m=$(basename "$path" .py)
        [ "$m" != __init__ ] || continue
        grep -q "^cloudops\.jobs\.$m " <<<"$listing" || { echo "missing from ansible-doc -l: cloudops.jobs.$m"; missing=1; }
    done
    return $missing
}

for g in "${gates[@]}"; do
    step "$g"
    if "gate_$g"; then
        echo "--- $g: passed"
    else
        echo "--- $g: FAILED"
        failed+=("$g")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    printf '\nFailed gates: %s\n' "${failed[*]}"
    exit 1
fi
printf '\nAll gates passed: %s\n' "${gates[*]}"
