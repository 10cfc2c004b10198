#!/usr/bin/env bash
# The benchmark command: builds the release binaries, installs the Node.js peer, starts
# DynamoDB Local on 127.0.0.1, runs every benchmark and writes its report under
# bench/results/. Nothing here is a test: the figures are for reading, not asserting.
#
#   bench/run.sh                  # everything
#   bench/run.sh coldstart        # one of: coldstart, warm, render, scale, transfers, live
#   RUNS=21 bench/run.sh coldstart
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() { printf '\n==> %s\n' "$*" >&2; }
only="${1:-all}"
want() { [[ "$only" == all || "$only" == "$1" ]]; }

section "release build (the profile the Lambda functions ship with)"
# The functions on their own, as `sam build` builds them: built together with the local
# server, cargo would unify features and link the embedded store into every function.
functions=$(cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
meta = json.load(sys.stdin)
print(" ".join("-p " + p["name"] for p in meta["packages"] if "/functions/" in p["manifest_path"]))')
# Built for x86_64 as the arm64 build that ships is (an explicit --target, as cross-compiling
# has; the function crates' build.rs link their binaries non-PIE on either).
host=x86_64-unknown-linux-gnu
# shellcheck disable=SC2086 # a list of -p flags
cargo build --release --target "$host" --bins $functions -p bench-floor
cargo build --release --bins -p bench -p local-api

# The PDF peer: Debian's Chromium printing a résumé's HTML page (cold start and render).
need_chromium() {
    if ! command -v chromium >/dev/null 2>&1; then
        section "Chromium from Debian's packages (the PDF peer)"
        apt-get install -y chromium >&2 || sudo apt-get install -y chromium >&2
    fi
}

# DynamoDB Local on 127.0.0.1, started once for the benchmarks that want it, stopped at exit.
need_dynamodb() {
    if [[ -z "${endpoint:-}" ]]; then
        section "DynamoDB Local on 127.0.0.1"
        trap 'infra/scripts/dynamodb-local.sh stop || true' EXIT
        endpoint="$(infra/scripts/dynamodb-local.sh start)"
    fi
}

if want coldstart; then
    section "Node.js peer (bench/peer-node)"
    bench/peer-node/install.sh >&2
    need_chromium

    need_dynamodb

    section "cold start"
    BENCH_DYNAMODB_ENDPOINT="$endpoint" target/release/coldstart --runs "${RUNS:-11}" \
        --bins "target/$host/release"
fi
if want warm && [[ -x target/release/warm ]]; then
    section "warm latency"
    target/release/warm
fi
if want render; then
    need_chromium
    section "render time"
    target/release/render
fi
if want scale && [[ -x target/release/scale ]]; then
    section "scale"
    target/release/scale
fi
if want transfers; then
    need_dynamodb
    section "transfers per second (PaieCashFan)"
    BENCH_DYNAMODB_ENDPOINT="$endpoint" target/release/transfers
fi
if want live; then
    need_dynamodb
    section "live events: open packet and REST call to event (Kbine, PaieCashFan)"
    BENCH_DYNAMODB_ENDPOINT="$endpoint" target/release/live
fi
