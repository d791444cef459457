#!/usr/bin/env bash
# make emulator / make emulator-stop: the local cloud emulator (tests/emulator) on its own, in the background, with the
# demo scenario (tests/emulator/scenarios/demo.json), and the shell lines that point playbooks at it:
#   eval "$(make -s emulator)"      # or copy the export lines it prints
#   scripts/emulator.sh start|stop [DIR] [SCENARIO]   (DIR default build/emulator)
# The credentials are the scenario's demo ones: no real cloud is reached.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VENV:-$root/build/venv-demo}
case $venv in /*) ;; *) venv=$root/$venv ;; esac
python=$venv/bin/python
[ -x "$python" ] || python=$(command -v python3)
command=${1:?usage: emulator.sh start|stop [DIR] [SCENARIO]}
dir=${2:-$root/build/emulator}
scenario=${3:-$root/tests/emulator/scenarios/demo.json}

case "$command" in
    start)
        if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
            echo "# the emulator is already running (pid $(cat "$dir/pid")); make emulator-stop stops it"
        else
            PYTHON=$python "$root/tests/emulator/emulator.sh" start "$dir" "$scenario" >/dev/null
        fi
        url=$(cat "$dir/url")
        cat <<EOT
# The cloud emulator runs at $url (pid $(cat "$dir/pid"), scenario $(basename "$scenario")); stop it: make emulator-stop
# Point playbooks at it: run these lines in your shell (eval "\$(make -s emulator)" does), then for example
#   ansible-playbook cloudops.jobs.retry_failed_jobs -e @playbooks/vars/demo_jobs.yml -e cloud_endpoint=\$CLOUD_ENDPOINT
export CLOUD_ENDPOINT=$url
export HUAWEICLOUD_SDK_AK=DEMOAK0000000000000001
export HUAWEICLOUD_SDK_SK=demo-secret-key-0000000000000000000001
export HUAWEICLOUD_SDK_REGION=cn-north-4
export HUAWEICLOUD_SDK_IAM_ENDPOINT=$url
export TENCENTCLOUD_SECRET_ID=AKIDDEMO0000000000000000000000000001
export TENCENTCLOUD_SECRET_KEY=demo-tencent-secret-0000000000000001
export TENCENTCLOUD_REGION=ap-guangzhou
EOT
        ;;
    stop)
        if [ -f "$dir/pid" ]; then
            PYTHON=$python "$root/tests/emulator/emulator.sh" stop "$dir" >/dev/null 2>&1 || true
            rm -f "$dir/pid" "$dir/url"
            echo "# the emulator is stopped"
        else
            echo "# no emulator is running from $dir"
        fi
        ;;
    *)
        echo "usage: $0 start|stop [DIR] [SCENARIO]" >&2
        exit 2
        ;;
esac
