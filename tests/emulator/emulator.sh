#!/usr/bin/env bash
# Start or stop the cloud API emulator in the background (docs/dev/emulator-contract.md).
#   emulator.sh start DIR [scenario]   pid in DIR/pid, URL in DIR/url, output in DIR/emulator.log
#   emulator.sh stop DIR
# Python: $PYTHON if set, else python3. TLS: set EMULATOR_TLS_CERT and EMULATOR_TLS_KEY.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=${PYTHON:-python3}

usage() {
    echo "usage: $0 start DIR [scenario] | stop DIR" >&2
    exit 2
}

# A process that exited but is not reaped yet (a zombie: its parent here may be a slow init) counts as gone.
alive() {
    kill -0 "$1" 2>/dev/null || return 1
    [ ! -r "/proc/$1/stat" ] || [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != "Z" ]
}

running() {
    [ -f "$1/pid" ] && alive "$(cat "$1/pid")"
}

start() {
    local dir=$1 scenario=${2:-$here/scenarios/demo.json}
    mkdir -p "$dir"
    if running "$dir"; then
        echo "emulator already running (pid $(cat "$dir/pid"), $(cat "$dir/url" 2>/dev/null))" >&2
        exit 1
    fi
    rm -f "$dir/url" "$dir/pid"
    local tls=()
    if [ -n "${EMULATOR_TLS_CERT:-}" ]; then
        tls=(--tls-cert "$EMULATOR_TLS_CERT" --tls-key "${EMULATOR_TLS_KEY:?EMULATOR_TLS_KEY goes with EMULATOR_TLS_CERT}")
    fi
    "$python" "$here/run.py" --scenario "$scenario" --port 0 --url-file "$dir/url" ${tls[@]+"${tls[@]}"} \
        </dev/null >"$dir/emulator.log" 2>&1 &
    echo $! >"$dir/pid"
    # Wait (at most 10 s) until the URL file exists and /_emu/health answers.
    if ! "$python" - "$dir/url" "$dir/pid" <<'PY'
import json, os, ssl, sys, time, urllib.request
url_file, pid_file = sys.argv[1], sys.argv[2]
pid = int(open(pid_file).read())


def alive():
    try:
        os.kill(pid, 0)
        with open("/proc/%d/stat" % pid) as stat:
            return stat.read().rsplit(") ", 1)[1][:1] != "Z"
    except FileNotFoundError:
        return True
    except OSError:
        return False


context = ssl.create_default_context()  # the health check only: a test certificate need not verify
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    if not alive():
        sys.exit(1)
    if os.path.exists(url_file):
        try:
            url = open(url_file).read().strip()
            with urllib.request.urlopen(url + "/_emu/health", timeout=1, context=context) as answer:
                if json.load(answer).get("ok"):
                    sys.exit(0)
        except (OSError, ValueError):
            pass
    time.sleep(0.05)
sys.exit(1)
PY
    then
        echo "emulator did not come up (it exited, or /_emu/health did not answer within 10 s); its output:" >&2
        cat "$dir/emulator.log" >&2 || true
        stop "$dir"
        exit 1
    fi
    echo "emulator running at $(cat "$dir/url") (pid $(cat "$dir/pid"))"
}

stop() {
    local dir=$1 pid
    if [ ! -f "$dir/pid" ]; then
        return 0
    fi
    pid=$(cat "$dir/pid")
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 50); do
            alive "$pid" || break
            sleep 0.1
        done
        if alive "$pid"; then
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$dir/pid" "$dir/url"
}

case "${1:-}" in
    start) [ $# -ge 2 ] || usage; start "$2" "${3:-}" ;;
    stop) [ $# -eq 2 ] || usage; stop "$2" ;;
    *) usage ;;
esac
