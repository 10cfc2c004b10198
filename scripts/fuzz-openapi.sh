#!/usr/bin/env bash
# Fuzzes every product's OpenAPI document against the local server (127.0.0.1 only):
#   1. schemathesis, pinned, on each document the server serves: examples, coverage (boundary
#      and negative values), fuzzing (positive and negative) and stateful phases, derandomized,
#      checked for 5xx, responses that break their schema, undocumented statuses and content
#      types, accepted invalid input, ignored auth;
#   2. scripts/fuzz-openapi.py: hand-made bad requests to every operation of each document
#      (malformed JSON, wrong types, bodies over 2 MiB, odd Unicode, ids and query values of the
#      wrong shape, garbage tokens), which must get a documented 4xx with the error JSON.
# Products are discovered from the server's start-up lines `<Product> OpenAPI: URL` and
# `<Product> admin login: METHOD URL BODY`, and `<Product> caller login (ROLE): METHOD URL BODY`
# for the operations the admin may not call: a new product needs no change here.
# Exits non-zero on any failure. Environment: FUZZ_MAX_EXAMPLES (default 50) test cases per
# operation and phase; FUZZ_TIME_LIMIT (default 600) seconds allowed per product; FUZZ_ONLY
# (a product's title, `CV Builder`) fuzzes that product alone, while working on it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

readonly FUZZ_TOOLS="schemathesis==4.32.5 localstripe==1.15.10"
readonly VENV=.cache/venv
readonly MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-50}"
readonly TIME_LIMIT="${FUZZ_TIME_LIMIT:-600}"
# Every check but positive_data_acceptance (documented business rules such as "plan not
# available" or "invalid status transition" refuse schema-valid input with a 400) and
# ensure_resource_availability (a 404 for a missing operator named in an update's body reads
# to it as the updated resource being gone).
readonly CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,\
response_schema_conformance,response_headers_conformance,negative_data_rejection,\
missing_required_header,unsupported_method,allow_header_conformance,ignored_auth,use_after_free"

section() { printf '\n==> %s\n' "$*"; }

# The Python helpers leave no __pycache__ in the work tree.
export PYTHONDONTWRITEBYTECODE=1

section "schemathesis in $VENV ($FUZZ_TOOLS)"
if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV"
fi
if [[ "$(cat "$VENV/.installed-fuzz" 2>/dev/null || true)" != "$FUZZ_TOOLS" ]]; then
    # shellcheck disable=SC2086 # FUZZ_TOOLS is a list of requirement specifiers
    "$VENV/bin/pip" install --quiet --disable-pip-version-check $FUZZ_TOOLS
    printf '%s' "$FUZZ_TOOLS" >"$VENV/.installed-fuzz"
else
    echo "already installed"
fi

section "cargo build --bin local-api (the test command's features: nothing rebuilt after it)"
cargo build --workspace --all-features --bin local-api

section "localstripe on 127.0.0.1 (the payment routes' Stripe)"
# The test command's, when it runs this; else one of our own, stopped with the server.
stripe_ours=""
if [[ -z "${TEST_STRIPE_ENDPOINT:-}" ]]; then
    TEST_STRIPE_ENDPOINT="$(infra/scripts/emulator.sh localstripe start)"
    stripe_ours=1
fi
echo "STRIPE_API_BASE=$TEST_STRIPE_ENDPOINT"

section "local server on 127.0.0.1 (throw-away store, rate limits raised)"
work="$(mktemp -d)"
server_pid=""
stop_server() {
    if [[ -n "$stripe_ours" ]]; then
        infra/scripts/emulator.sh localstripe stop || true
    fi
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        # SIGTERM stops it gracefully (removing its throw-away store); SIGKILL after 10 s.
        kill -TERM "$server_pid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap stop_server EXIT
STRIPE_API_BASE="$TEST_STRIPE_ENDPOINT" \
    RUST_LOG="${RUST_LOG:-warn}" \
    target/debug/local-api serve --ephemeral --host 127.0.0.1 --free-ports --no-rate-limits --harness-callers \
    >"$work/server.out" 2>"$work/server.err" &
server_pid=$!

# The banner ends with `Ready: <products>`, printed once every product's socket is bound.
for ((i = 0; i < 300; i++)); do
    if grep -q "^Ready: " "$work/server.out"; then
        break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "local-api exited:" >&2
        cat "$work/server.out" "$work/server.err" >&2
        exit 1
    fi
    sleep 0.1 # polling the banner, at most 30 s
done
if ! grep -q "^Ready: " "$work/server.out"; then
    echo "local-api printed no banner within 30 s:" >&2
    cat "$work/server.out" "$work/server.err" >&2
    exit 1
fi
cat "$work/server.out"

mapfile -t products < <(sed -n 's/^\([A-Za-z][A-Za-z0-9 ]*\) OpenAPI: \(http:\/\/127\.0\.0\.1:[0-9]*\/.*\)$/\1/p' "$work/server.out")
if ((${#products[@]} == 0)); then
    echo "the server printed no '<Product> OpenAPI: URL' line" >&2
    exit 1
fi

failed=()
for product in "${products[@]}"; do
    if [[ -n "${FUZZ_ONLY:-}" && "$product" != "$FUZZ_ONLY" ]]; then
        continue
    fi
    doc_url="$(sed -n "s/^$product OpenAPI: //p" "$work/server.out")"
    origin="$(printf '%s' "$doc_url" | sed 's/^\(http:\/\/[^/]*\).*/\1/')"
    login="$(sed -n "s/^$product admin login: //p" "$work/server.out")"
    dir="$work/$product"
    mkdir -p "$dir"
    curl --fail --silent --show-error --max-time 10 "$doc_url" -o "$dir/openapi.json"

    config="$dir/schemathesis.toml"
    login_args=()
    if [[ -n "$login" ]]; then
        "$VENV/bin/python" scripts/fuzz-openapi.py login --openapi "$dir/openapi.json" \
            --login "$login" --config-out "$config"
        login_args=(--login "$login")
    else
        echo "warning: $product prints no admin login; its protected routes get only 401s" >&2
        printf '[cache]\nenabled = false\n' >"$config"
    fi

    section "$product: schemathesis on $doc_url"
    started=$SECONDS
    # Run inside the scratch folder: Hypothesis and schemathesis keep their files there.
    if ! (cd "$dir" && SCHEMATHESIS_HOOKS="$root/scripts/fuzz-openapi-hooks.py" \
        timeout "$TIME_LIMIT" "$root/$VENV/bin/schemathesis" \
        --config-file "$config" --no-color run "$doc_url" \
        --url "$origin" \
        --phases examples,coverage,fuzzing,stateful \
        --mode all \
        --checks "$CHECKS" \
        --max-examples "$MAX_EXAMPLES" \
        --generation-deterministic \
        --workers 1 \
        --request-timeout 10 \
        --suppress-health-check all \
        --report junit --report-dir "$dir/report"); then
        failed+=("$product (schemathesis)")
    fi
    echo "schemathesis took $((SECONDS - started)) s"

    caller_args=()
    while IFS= read -r caller; do
        caller_args+=(--caller "$caller")
    done < <(sed -n "s/^$product caller login (\([a-z_]*\)): /\1=/p" "$work/server.out")

    section "$product: malformed requests"
    if ! "$VENV/bin/python" scripts/fuzz-openapi.py malformed --openapi "$dir/openapi.json" \
        --base "$origin" "${login_args[@]}" "${caller_args[@]}"; then
        failed+=("$product (malformed requests)")
    fi
done

if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "local-api died during the run:" >&2
    cat "$work/server.err" >&2
    exit 1
fi
if grep -q '"status":5[0-9][0-9]\|status=5[0-9][0-9]' "$work/server.err"; then
    echo "the server logged 5xx answers:" >&2
    grep '"status":5[0-9][0-9]\|status=5[0-9][0-9]' "$work/server.err" | head -20 >&2
    failed+=("server log")
fi
if ((${#failed[@]} > 0)); then
    printf '\nfuzzing failed: %s\n' "${failed[*]}" >&2
    exit 1
fi
echo "fuzzing passed: ${products[*]}"
