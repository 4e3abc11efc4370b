# shellcheck shell=bash
# Sourced by tests/cli/aws-*.sh after common.sh: the integration servers' endpoints
# and credentials (tests/servers/env.sh) for lamtool and awscli, and helpers.
# shellcheck source=/dev/null
source "$LAMTOOL_SOURCE_DIR/tests/servers/env.sh"
aws_env "$WORK"
export AWS_ENDPOINT_URL_S3="$LAMTOOL_TEST_S3_ENDPOINT"
export AWS_ENDPOINT_URL_KINESIS="$LAMTOOL_TEST_KINESIS_ENDPOINT"
unset AWS_ENDPOINT_URL LAMTOOL_NOW

# Debian's awscli (about 1-2 s a call: use few) and botocore in one process
# (tests/cli/aws_check.py) for the cheaper checks. Both are clients not ours.
s3cli() { /usr/bin/aws --endpoint-url "$LAMTOOL_TEST_S3_ENDPOINT" "$@"; }
kcli() { /usr/bin/aws --endpoint-url "$LAMTOOL_TEST_KINESIS_ENDPOINT" "$@"; }
check() { /usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/cli/aws_check.py" "$@"; }

# A name no other test of this run uses (bucket and stream names: lower case).
unique_name() { echo "lamtool-$1-$$-$RANDOM"; }

# price_event URL OUT: the fixture DynamoDB event's first record as a MODIFY of the card
# at URL, with 28 prices in March 2024: a plot-candles input for the S3 tests.
price_event() {
  /usr/bin/python3 - "$FIXTURES/events/dynamodb-event.json" "$1" "$2" <<'PY'
import copy, json, sys
r = copy.deepcopy(json.load(open(sys.argv[1]))["Records"][0])
r["eventName"] = "MODIFY"
prices = {f"2024-03-{d:02d}": {"N": str(20 + d % 5 + d / 10)} for d in range(1, 29)}
r["dynamodb"]["NewImage"] = {"URL": {"S": sys.argv[2]}, "Prices": {"M": prices}}
json.dump({"Records": [r]}, open(sys.argv[3], "w"))
PY
}

# Fault proxies of this test, stopped at exit.
FAULT_PIDS=()
trap 'for p in "${FAULT_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

# start_fault_proxy NAME ARGS...: tests/servers/fault-proxy.js with ARGS; sets FAULT_URL
# once it listens (bounded wait on its ready file).
start_fault_proxy() { start_node_proxy "$1" "$LAMTOOL_TEST_FAULT_PROXY" "${@:2}"; }
# start_node_proxy NAME SCRIPT ARGS...: the same for any of tests/servers' proxies
# (sigv4-proxy.js takes --ready-file too).
start_node_proxy() {
  local name=$1 script=$2
  shift 2
  "$LAMTOOL_TEST_NODE" "$script" --ready-file "$WORK/$name.port" "$@" \
    </dev/null >"$WORK/$name.log" 2>&1 &
  FAULT_PIDS+=($!)
  for _ in $(seq 1 100); do
    [[ -f "$WORK/$name.port" ]] && break
    kill -0 "${FAULT_PIDS[-1]}" 2>/dev/null || fail "fault proxy $name exited: $(cat "$WORK/$name.log")"
    sleep 0.1
  done
  [[ -f "$WORK/$name.port" ]] || fail "fault proxy $name did not start within 10 s"
  FAULT_URL="http://127.0.0.1:$(cat "$WORK/$name.port")"
}
# fault_admin URL PATH JSON: POST to the proxy's /__fault/PATH.
fault_admin() { curl -sS --fail -X POST -d "$3" "$1/__fault/$2" >/dev/null; }
fault_stat() {
  curl -sS --fail "$1/__fault/stats" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"
}

# No secret and no SigV4 signature (64 hex digits) in TEXT.
expect_no_secrets() {
  local text=$1
  [[ "$text" != *"$LAMTOOL_TEST_SECRET_ACCESS_KEY"* ]] || fail "secret access key in output: $text"
  [[ "$text" != *"$LAMTOOL_TEST_SESSION_SECRET_ACCESS_KEY"* ]] || fail "session secret in output: $text"
  [[ "$text" != *"$LAMTOOL_TEST_SESSION_TOKEN"* ]] || fail "session token in output: $text"
  if grep -Eq '[0-9a-f]{64}' <<<"$text"; then fail "64-hex signature in output: $text"; fi
}
