#!/usr/bin/env bash
# make install: build the collection tarball from this checkout and install it with ansible-galaxy.
#   scripts/install.sh [COLLECTIONS_PATH]
# The tarball goes to build/dist (what a release ships, galaxy.yml's build_ignore applied); without COLLECTIONS_PATH it
# is installed where ansible-galaxy installs collections by default (~/.ansible/collections). --force replaces an
# installed cloudops.jobs of the same version.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$root/build/venv-demo}
case $venv in /*) ;; *) venv=$root/$venv ;; esac
export PATH="$venv/bin:$PATH"
dest=${1:-}

mkdir -p "$root/build/dist"
rm -f "$root"/build/dist/cloudops-jobs-*.tar.gz
ansible-galaxy collection build --force --output-path "$root/build/dist" "$root" >/dev/null
tarball=$(ls "$root"/build/dist/cloudops-jobs-*.tar.gz)
echo "built $tarball"
ansible-galaxy collection install --offline --force ${dest:+-p "$dest"} "$tarball"
