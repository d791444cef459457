#!/usr/bin/env bash
# The ecosystem's release gates, run on a fresh copy of the collection. Each one fails the run.
#   scripts/gates.sh [lint|docs|changelog|importer|builder|install|paths ...]   (default: all, in that order)
# galaxy-importer runs from its own venv ($IMPORTER_VENV, default .venv-importer): its pins clash with
# ansible-lint's stack. It exits 0 on most problems, so its WARNING/ERROR lines are failures here.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$root/.venv}
importer_venv=${IMPORTER_VENV:-$root/.venv-importer}
export PATH="$venv/bin:$PATH"
gates=("$@")
[ ${#gates[@]} -gt 0 ] || gates=(lint docs changelog importer builder install paths)

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
    # introspect: what an execution environment gets from the collection; create: the EE and DE definitions build a
    # complete context (an additional_build_files entry that matches nothing is only a warning to ansible-builder).
    local def out rc=0
    ansible-builder introspect --sanitize "$collections_root"
    for def in execution-environment.yml extensions/eda/decision-environment.yml; do
        out=$(cd "$tree" && ansible-builder create -f "$def" --context "$work/builder/$(basename "$def" .yml)" 2>&1) || { echo "$out"; rc=1; continue; }
        echo "$out"
        if grep -Eiq 'warning|no matches' <<<"$out"; then
            echo "ansible-builder create -f $def warned (above)"
            rc=1
        fi
    done
    return $rc
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

gate_paths() {
    # Every relative link and every repository path README.md and docs/*.md name exists in the checkout, and every
    # path a file of the release tarball names (the emulator's README, playbook and role comments, the EDA and AWX
    # extensions) is in the tarball.
    local tb
    tb=$(tarball)
    tar -tzf "$tb" | sed 's|^\./||' > "$work/tarball.list"
    python3 - "$tree" "$work/tarball.list" <<'PY'
import glob, os, re, sys
tree, listing = sys.argv[1], sys.argv[2]
shipped = set(line.strip().rstrip("/") for line in open(listing) if line.strip())
shipped_dirs = set(os.path.dirname(p) for p in shipped) | shipped
TOP = "plugins|roles|playbooks|docs|tests|extensions|meta|scripts|requirements|changelogs|benchmarks"
PATH = re.compile(r"(?<![\w./-])((?:%s)/[\w.+-]+(?:/[\w.+-]+)*/?|README\.md|Makefile|galaxy\.yml|bindep\.txt|execution-environment\.yml)"
                  r"(?![\w*{<})-]|\.\w)" % TOP)
LINK = re.compile(r"\]\(([^)\s]+)\)")
problems = []

def candidates(text):
    for m in PATH.finditer(text):
        path = m.group(1).rstrip("/.")
        if path.endswith((".", ":")) or "…" in path:
            continue
        yield path

GENERATED = re.compile(r"(^|/)\.venv|^build/")  # made by make (venvs, build/)


def exists(path):
    return GENERATED.search(path) is not None or os.path.exists(os.path.join(tree, path))

for doc in ["README.md"] + sorted(glob.glob(os.path.join(tree, "docs", "*.md"))):
    doc = os.path.relpath(os.path.join(tree, doc), tree)
    text = open(os.path.join(tree, doc), encoding="utf-8").read()
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:|^#|^mailto:", target):
            continue
        path = os.path.normpath(os.path.join(os.path.dirname(doc), target.split("#")[0]))
        if not exists(path):
            problems.append("%s links to %s, which does not exist" % (doc, target))
    for path in candidates(text):
        if not exists(path):
            problems.append("%s names %s, which does not exist" % (doc, path))

names = [p for p in shipped if re.match(r"^(playbooks/|roles/|extensions/(awx|eda/rulebooks)/|tests/emulator/README\.md$|meta/|execution-environment\.yml$|bindep\.txt$)", p)
         and os.path.isfile(os.path.join(tree, p))]
for f in sorted(names):
    text = open(os.path.join(tree, f), encoding="utf-8", errors="replace").read()
    for path in candidates(text):
        # the tarball holds MANIFEST.json for galaxy.yml; a role's files name paths inside the role
        role = re.match(r"^roles/[^/]+/", f)
        if path == "galaxy.yml" or path in shipped_dirs or (role and role.group(0) + path in shipped_dirs):
            continue
        if not path.startswith("tests/output"):
            problems.append("%s (in the tarball) names %s, which the tarball does not hold" % (f, path))

for p in problems:
    print(p)
print("%d problems in %d documents and %d shipped files" % (len(problems), 1 + len(glob.glob(os.path.join(tree, "docs", "*.md"))), len(names)))
sys.exit(1 if problems else 0)
PY
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
