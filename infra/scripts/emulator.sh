#!/usr/bin/env bash
# Runs one of the test venv's emulators on 127.0.0.1, on a free port:
#   moto         an AWS emulator (`moto[server]`) for the message ports' adapter tests: SNS
#                (Publish to a phone number) and SES v2 (SendEmail from a created identity);
#                it lists what it received at /moto-api/data.json.
#   localstripe  a stateful fake Stripe (PaymentIntents, test cards, signed webhook
#                deliveries), through infra/scripts/localstripe_server.py, which keeps it on
#                loopback and adds idempotency keys.
#
#   infra/scripts/emulator.sh moto start         # prints the endpoint URL
#   infra/scripts/emulator.sh localstripe stop   # stops the instance started by `start`
#
# Only the URL goes to stdout. scripts/test.sh installs both into .cache/venv.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${EMULATOR_VENV:-$ROOT/.cache/venv}"
NAME="${1:-}"
CACHE="$ROOT/.cache/$NAME"
PID_FILE="$CACHE/pid"
LOG_FILE="$CACHE/$NAME.log"

log() { echo "$NAME: $*" >&2; }
die() {
    log "error: $*"
    exit 1
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The command that serves on 127.0.0.1:$1, and a URL path that answers once it is up.
command_for() {
    case "$NAME" in
    moto) echo "$VENV/bin/moto_server -H 127.0.0.1 -p $1" ;;
    localstripe) echo "$VENV/bin/python $ROOT/infra/scripts/localstripe_server.py $1" ;;
    esac
}
ready_path() {
    case "$NAME" in
    moto) echo "/moto-api/data.json" ;;
    # Any key is accepted; an empty list answers once the app serves.
    localstripe) echo "/v1/customers?limit=1" ;;
    esac
}

start() {
    [[ -x "$VENV/bin/python" ]] || die "$VENV not found: scripts/test.sh installs the emulators"
    mkdir -p "$CACHE"
    local port pid
    port="$(free_port)"
    # shellcheck disable=SC2046 # the command is a list of words
    $(command_for "$port") >"$LOG_FILE" 2>&1 &
    pid=$!
    echo "$pid" >"$PID_FILE"
    for _ in $(seq 1 100); do
        if curl -fs -u sk_test_ready: "http://127.0.0.1:$port$(ready_path)" >/dev/null 2>&1; then
            log "ready on 127.0.0.1:$port (pid $pid)"
            echo "http://127.0.0.1:$port"
            return
        fi
        kill -0 "$pid" 2>/dev/null || die "it exited (log: $LOG_FILE)"
        sleep 0.2
    done
    die "it did not answer within 20 s (log: $LOG_FILE)"
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

case "$NAME" in
moto | localstripe) ;;
*) die "usage: $0 moto|localstripe start|stop" ;;
esac
case "${2:-}" in
start) start ;;
stop) stop ;;
*) die "usage: $0 $NAME start|stop" ;;
esac
