#!/usr/bin/env bash
# Copy the checkout into DIR/ansible_collections/cloudops/jobs (ansible-test runs only from such a
# real path) and print that path. Copies what git tracks plus untracked files git does not ignore.
set -euo pipefail
dir=${1:?usage: collection_tree.sh DIR}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest="$dir/ansible_collections/cloudops/jobs"
rm -rf "$dest"
mkdir -p "$dest"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$root" && git ls-files -co --exclude-standard -z | while IFS= read -r -d '' f; do
        [ -e "$f" ] && printf '%s\0' "$f"
    done | tar --null -T - -cf -) | tar -C "$dest" -xf -
else
    (cd "$root" && tar --exclude=./.venv --exclude=./.git --exclude=./tests/output -cf - .) | tar -C "$dest" -xf -
fi
echo "$dest"
