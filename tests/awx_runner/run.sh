#!/usr/bin/env bash
# The AWX engine end to end (tests/awx_runner/test_awx_runner.py): playbooks through ansible-runner with the
# environment AWX's credential injectors give, a survey's extra vars, async tasks, set_stats artifacts, and no
# secret anywhere. The test starts the cloud emulator itself. VENV picks the venv (default .venv: ansible-runner
# is pinned in requirements/dev.txt).
#   tests/awx_runner/run.sh [pytest args]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
venv=${VENV:-$root/.venv}
export PATH="$venv/bin:$PATH"
cd "$root"
exec "$venv/bin/python" -m pytest -p no:cacheprovider -q -r a "$root/tests/awx_runner" "$@"
