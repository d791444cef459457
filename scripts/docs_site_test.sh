#!/usr/bin/env bash
# The documentation site test: builds the site (scripts/docs_build.sh, as `make docs` does) into a temporary
# directory, then opens its pages in headless Chromium (tests/docs_site/test_docs_site.py). Installs Debian's
# chromium package when /usr/bin/chromium is missing (needs root and the Debian mirrors).
#   scripts/docs_site_test.sh [pytest args]
# VENV: the venv running pytest and ansible-doc (default .venv); DOCS_VENV: the one building the site (.venv-docs).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$root/.venv}
export PATH="$venv/bin:$PATH"

if [ ! -x /usr/bin/chromium ]; then
    echo "installing chromium (Debian package) for the documentation site test"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "browser: $(/usr/bin/chromium --version 2>/dev/null)"

work=$(mktemp -d "${TMPDIR:-/tmp}/cloudops-jobs-docs-site.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$root/scripts/docs_build.sh" "$work/docs"
cd "$root"
DOCS_SITE_HTML="$work/docs/html" CHROMIUM=/usr/bin/chromium \
    "$venv/bin/python" -m pytest -p no:cacheprovider -q -r a "$root/tests/docs_site" "$@"
