#!/usr/bin/env bash
# The collection's documentation site, as `make docs` builds it: antsibull-docs writes the RST of the collection
# (index, every module, the job_recovery role, the guides of docs/docsite/extra-docs.yml) and Sphinx renders it
# with the Ansible theme. The guides are Markdown (docs/*.md): each replaces its RST stub and is rendered by MyST;
# a docs/*.md page that extra-docs.yml does not list yet is added to the guides of this build.
#   scripts/docs_build.sh [DEST]      (default build/docs; the site is DEST/html, index.html at its top)
# DOCS_VENV picks the venv holding requirements/docs.txt (default .venv-docs).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=${1:-$root/build/docs}
docs_venv=${DOCS_VENV:-$root/.venv-docs}
export PATH="$docs_venv/bin:$PATH"
for tool in antsibull-docs sphinx-build ansible-doc; do
    command -v "$tool" >/dev/null || { echo "$tool not found in $docs_venv: run make docs (it installs requirements/docs.txt)" >&2; exit 1; }
done
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/cloudops-jobs-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$("$root/scripts/collection_tree.sh" "$work/collections")
export ANSIBLE_COLLECTIONS_PATH="$work/collections"

# Guides: every docs/*.md page, those extra-docs.yml lists first, in its order.
extra="$tree/docs/docsite/extra-docs.yml"
listed=$(sed -n 's/^ *- \([a-z0-9_]*\) *$/\1/p' "$extra")
unlisted=()
for md in "$tree"/docs/*.md; do
    name=$(basename "$md" .md)
    grep -qx "$name" <<<"$listed" || unlisted+=("$name")
done
for name in "${unlisted[@]}"; do
    echo "docs/$name.md is not in docs/docsite/extra-docs.yml: added to this build's guides"
    printf '      - %s\n' "$name" >> "$extra"
    printf '%s\n%s\n\ndocs/%s.md\n' "$name" "${name//?/=}" "$name" > "$tree/docs/docsite/rst/$name.rst"
done

site="$work/site"
mkdir -p "$site"
antsibull-docs sphinx-init --use-current --dest-dir "$site" cloudops.jobs >/dev/null
# No intersphinx (the build runs offline), and MyST for the Markdown guides.
cat >> "$site/conf.py" <<'EOF'

# Added by scripts/docs_build.sh
intersphinx_mapping = {}
extensions.append('myst_parser')
source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}
myst_heading_anchors = 3
suppress_warnings = ['myst.header', 'myst.xref_missing']
# The site is the collection's, not antsibull's boilerplate.
project = 'cloudops.jobs'
copyright = 'cloudops.jobs contributors'
title = 'cloudops.jobs documentation'
html_short_title = 'cloudops.jobs'
html_title = 'cloudops.jobs documentation'
EOF
chmod og-w "$site/rst"
antsibull-docs --config-file "$site/antsibull-docs.cfg" collection --fail-on-error --use-current --dest-dir "$site/rst" cloudops.jobs

# The front page opens on the collection: what it does (galaxy.yml's description), then the collection's own page
# (its modules, role and guides) in the table of contents; the index pages antsibull adds stay reachable.
description=$(python3 - "$tree/galaxy.yml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"^description: >-\n((?:  .*\n)+)", text, re.M)
print(" ".join(line.strip() for line in m.group(1).splitlines()))
PY
)
# The backquotes are RST (:doc:`...`), not shell.
# shellcheck disable=SC2016
modules_list=$(for f in "$tree"/plugins/modules/*.py; do
    m=$(basename "$f" .py)
    if [ "$m" != __init__ ]; then printf -- '- :doc:`cloudops.jobs.%s <collections/cloudops/jobs/%s_module>`\n' "$m" "$m"; fi
done)
# shellcheck disable=SC2016
guides_list=$(for md in "$tree"/docs/*.md; do
    name=$(basename "$md" .md)
    printf -- '- :doc:`%s <collections/cloudops/jobs/docsite/%s>`\n' "$(sed -n 's/^# //p' "$md" | head -n 1)" "$name"
done)
cat > "$site/rst/index.rst" <<RST
.. _docsite_root_index:

cloudops.jobs
=============

$description

The collection's page: :doc:\`collections/cloudops/jobs/index\`.

Modules
-------

$modules_list

Role
----

- :doc:\`cloudops.jobs.job_recovery <collections/cloudops/jobs/job_recovery_role>\` - one declarative list of jobs
  across services

Guides
------

$guides_list

.. toctree::
   :maxdepth: 2
   :caption: The collection

   collections/cloudops/jobs/index

.. toctree::
   :maxdepth: 1
   :caption: Indexes
   :glob:

   collections/index
   collections/index_*
   collections/environment_variables
RST

docsite="$site/rst/collections/cloudops/jobs/docsite"
for md in "$tree"/docs/*.md; do
    name=$(basename "$md" .md)
    rm -f "$docsite/$name.rst"
    # The label antsibull-docs gives an extra doc, so :ref: links to the guide still resolve.
    { printf '(ansible_collections.cloudops.jobs.docsite.%s)=\n\n' "$name"; cat "$md"; } > "$docsite/$name.md"
done

rm -rf "$dest/html" "$dest/doctrees"
# A warning fails the build, except links into docs.ansible.com's own pages (no intersphinx offline: plain text).
sphinx-build -q -b html -d "$dest/doctrees" -c "$site" "$site/rst" "$dest/html" 2>"$work/warnings" || { cat "$work/warnings"; exit 1; }
if grep -v -E "undefined label: '(common_return_values|ansible_configuration_settings)'" "$work/warnings" | grep -q .; then
    echo "Sphinx warnings (fix them, they are a broken page or link):"
    grep -v -E "undefined label: '(common_return_values|ansible_configuration_settings)'" "$work/warnings"
    exit 1
fi
echo "documentation site: $dest/html/index.html"
