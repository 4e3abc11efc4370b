#!/usr/bin/env bash
# Issue 13, faults on the Runtime API: `lamtool lambda` behind tests/servers/fault-proxy.js
# in front of tests/servers/lambda-runtime.py. A reset or a 500 on /next, and a reset
# before or after the Runtime API took the answer, or a 500, on /response are tried again
# (at most three attempts, as lamtool-lambda(1) says): every event is answered exactly
# once (a repeated answer the API already has is its 400 InvalidStateTransition, taken as
# done). Three failures in a row on /next or on /response: exit 75 with one line naming
# the endpoint (and the invocation whose answer was not delivered).
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"
ev=$WORK/ev
/usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/tools/make_lambda_events.py" "$ev" "$LAMTOOL_SOURCE_DIR" 1917020901
RAPI_PIDS=()
trap 'for p in "${FAULT_PIDS[@]}" "${RAPI_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
start_runtime_api() {
  coproc RAPI { exec /usr/bin/python3 "$LAMTOOL_TEST_LAMBDA_RUNTIME" "$@"; }
  RAPI_PIDS+=("$RAPI_PID")
  local port
  read -r port <&"${RAPI[0]}" || fail "Runtime API printed no port"
  API=127.0.0.1:$port
}
enqueue() { curl -sf -X POST --data-binary "@$1" "http://$API/__test/enqueue" >/dev/null || fail "enqueue $1"; }
results() { curl -sf "http://$API/__test/results"; }

# 1. Five events; the proxy's requests in order: /next, /response, /next, ... The faults
#    hit /next of the first event (reset, then 500), /response of the first (reset before
#    the API saw it), /response of the second (reset after the API took it: the retry is
#    a 400 InvalidStateTransition) and /response of the third (500).
start_runtime_api --timeout-ms 60000
for _ in 1 2 3 4 5; do enqueue "$ev/predict-good.json"; done
start_fault_proxy runtime --backend "http://$API"
proxy=$FAULT_URL
fault_admin "$proxy" next '{"faults":["reset","500","pass","reset","pass","pass","resetAfter","pass","pass","500"]}'
AWS_LAMBDA_RUNTIME_API=${proxy#http://} _HANDLER=predict LAMTOOL_TO=$WORK/pred.jsonl \
  run lambda --max-invocations 5
expect_rc 0
r=$(results)
[ "$(json_get "$r" '[i["outcome"] for i in j["invocations"]]')" == "['response', 'response', 'response', 'response', 'response']" ] \
  || fail "outcomes: $r"
[ "$(json_get "$r" 'j["next_requests"]')" == 5 ] || fail "/next reached the API other than once per event: $r"
stats=$(curl -sS "$proxy/__fault/stats")
[ "$(json_get "$stats" '(j["reset"], j["resetAfter"], j["error500"])')" == "(2, 1, 2)" ] || fail "faults: $stats"
expect_err_contains "the Runtime API /next: HTTP 500; trying again"

# 2. /next gone: three resets in a row, exit 75 naming /next.
fault_admin "$proxy" next '{"faults":["reset","reset","reset"]}'
enqueue "$ev/predict-good.json"
AWS_LAMBDA_RUNTIME_API=${proxy#http://} _HANDLER=predict LAMTOOL_TO=$WORK/pred.jsonl \
  run lambda --max-invocations 1
expect_rc 75
expect_err_contains "lamtool: error: the Runtime API does not answer /next:"
expect_err_contains "(3 attempts)"

# 3. /response refused three times with 500: exit 75 naming the invocation.
fault_admin "$proxy" next '{"faults":["pass","500","500","500"]}'
AWS_LAMBDA_RUNTIME_API=${proxy#http://} _HANDLER=predict LAMTOOL_TO=$WORK/pred.jsonl \
  run lambda --max-invocations 1
expect_rc 75
r=$(results)
id=$(json_get "$r" 'j["invocations"][-1]["request_id"]')
[ "$(json_get "$r" 'j["invocations"][-1]["outcome"]')" == pending ] || fail "answered after all: $r"
expect_err_contains "lamtool: error: invocation $id: cannot deliver the answer: HTTP 500 (3 attempts)"
echo "runtime faults: /next reset+500, /response reset, reset-after, 500 survived (5 of 5 answered once); 3 resets on /next -> 75; 3x500 on /response -> 75"
