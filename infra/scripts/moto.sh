#!/usr/bin/env bash
# Runs moto's server (an AWS emulator, from the test venv's `moto[server]`) on 127.0.0.1 for
# the message ports' adapter tests: SNS (Publish to a phone number; a number that is not
# E.164 is refused) and SES v2 (SendEmail from a created identity); it lists what it
# received at /moto-api/data.json.
#
#   infra/scripts/moto.sh start   # starts on a free port, prints the endpoint URL
#   infra/scripts/moto.sh stop    # stops the instance started by `start`
#
# Only the URL goes to stdout. MOTO_SERVER (default .cache/venv/bin/moto_server) is the
# executable; scripts/test.sh installs it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/.cache/moto"
PID_FILE="$CACHE/pid"
LOG_FILE="$CACHE/moto.log"
SERVER="${MOTO_SERVER:-$ROOT/.cache/venv/bin/moto_server}"

log() { echo "moto: $*" >&2; }
die() {
    log "error: $*"
    exit 1
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    [[ -x "$SERVER" ]] || die "$SERVER not found: scripts/test.sh installs moto[server]"
    mkdir -p "$CACHE"
    local port pid
    port="$(free_port)"
    "$SERVER" -H 127.0.0.1 -p "$port" >"$LOG_FILE" 2>&1 &
    pid=$!
    echo "$pid" >"$PID_FILE"
    for _ in $(seq 1 100); do
        if curl -fs "http://127.0.0.1:$port/moto-api/data.json" >/dev/null 2>&1; then
            log "ready on 127.0.0.1:$port (pid $pid)"
            echo "http://127.0.0.1:$port"
            return
        fi
        kill -0 "$pid" 2>/dev/null || die "moto_server exited (log: $LOG_FILE)"
        sleep 0.2
    done
    die "moto_server did not answer within 20 s (log: $LOG_FILE)"
}

stop() {
    [[ -f "$PID_FILE" ]] || return 0
    local pid
    pid="$(cat "$PID_FILE")"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        log "stopped (pid $pid)"
    fi
    rm -f "$PID_FILE"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*) die "usage: $0 start|stop" ;;
esac
