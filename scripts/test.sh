#!/usr/bin/env bash
# The one test command: formatting, lints, the SAM template checks, and every test of the
# workspace (the DynamoDB adapter's against DynamoDB Local on 127.0.0.1).
# Needs only what the machine has (Rust, Python 3, Java, Node and npm); installs the rest itself.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Python tools, pinned; installed into a venv inside the work tree, once.
readonly PY_TOOLS="cfn-lint==1.58.0 aws-sam-cli==1.170.0 moto[server]==5.2.5 localstripe==1.15.10"
readonly VENV=.cache/venv
# Node packages, pinned; installed inside the work tree, once.
readonly NODE_TOOLS="socket.io-client@4.8.1"
readonly NODE_TOOLS_DIR=.cache/node

section() { printf '\n==> %s\n' "$*"; }

# Offline SAM CLI: no telemetry, a region for the linter, no instance-metadata look-ups.
export SAM_CLI_TELEMETRY=0
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_EC2_METADATA_DISABLED=true

section "cargo fmt --all --check"
cargo fmt --all --check

section "cargo clippy (workspace, all targets, all features, warnings are errors)"
cargo clippy --workspace --all-targets --all-features -- -D warnings

section "Python tools in $VENV ($PY_TOOLS)"
if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv --clear "$VENV"
fi
if [[ "$(cat "$VENV/.installed" 2>/dev/null || true)" != "$PY_TOOLS" ]]; then
    # shellcheck disable=SC2086 # PY_TOOLS is a list of requirement specifiers
    "$VENV/bin/pip" install --quiet --disable-pip-version-check $PY_TOOLS
    printf '%s' "$PY_TOOLS" >"$VENV/.installed"
else
    echo "already installed"
fi

section "Node tools in $NODE_TOOLS_DIR ($NODE_TOOLS)"
# The official Socket.IO client, which the live-event tests drive (tests/live).
if [[ "$(cat "$NODE_TOOLS_DIR/.installed" 2>/dev/null || true)" != "$NODE_TOOLS" ]]; then
    mkdir -p "$NODE_TOOLS_DIR"
    # shellcheck disable=SC2086 # NODE_TOOLS is a list of package specifiers
    npm install --prefix "$NODE_TOOLS_DIR" --no-audit --no-fund --no-save --silent $NODE_TOOLS
    printf '%s' "$NODE_TOOLS" >"$NODE_TOOLS_DIR/.installed"
else
    echo "already installed"
fi
export TEST_NODE_PATH="$PWD/$NODE_TOOLS_DIR/node_modules"

section "cfn-lint template.yaml"
"$VENV/bin/cfn-lint" template.yaml

section "sam validate --lint --template template.yaml"
"$VENV/bin/sam" validate --lint --template template.yaml

section "cargo-nextest"
if ! cargo nextest --version >/dev/null 2>&1; then
    cargo install cargo-nextest --locked
fi
cargo nextest --version

section "DynamoDB Local, moto (SNS, SES) and localstripe on 127.0.0.1"
trap 'infra/scripts/dynamodb-local.sh stop || true; infra/scripts/emulator.sh moto stop || true; infra/scripts/emulator.sh localstripe stop || true' EXIT
TEST_DYNAMODB_ENDPOINT="$(infra/scripts/dynamodb-local.sh start)"
if [[ ! "$TEST_DYNAMODB_ENDPOINT" =~ ^http://127\.0\.0\.1:[0-9]+$ ]]; then
    echo "infra/scripts/dynamodb-local.sh start printed '$TEST_DYNAMODB_ENDPOINT', not http://127.0.0.1:PORT" >&2
    exit 1
fi
export TEST_DYNAMODB_ENDPOINT
echo "TEST_DYNAMODB_ENDPOINT=$TEST_DYNAMODB_ENDPOINT"
TEST_MOTO_ENDPOINT="$(infra/scripts/emulator.sh moto start)"
export TEST_MOTO_ENDPOINT
echo "TEST_MOTO_ENDPOINT=$TEST_MOTO_ENDPOINT"
TEST_STRIPE_ENDPOINT="$(infra/scripts/emulator.sh localstripe start)"
export TEST_STRIPE_ENDPOINT
echo "TEST_STRIPE_ENDPOINT=$TEST_STRIPE_ENDPOINT"

section "cargo nextest run (workspace, all features)"
cargo nextest run --workspace --all-features --no-fail-fast

section "OpenAPI fuzzing: schemathesis and malformed requests against the local server"
scripts/fuzz-openapi.sh
