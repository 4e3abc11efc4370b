#!/usr/bin/env bash
# lamtool lambda against the project's Runtime API stand-in (tests/servers/lambda-runtime.py,
# AWS's documented API with its headers, deadlines and error codes): a hundred
# invocations in a row with a non-JSON event among them (an error, and the next one still
# runs), batch failures by sequence number, each invocation's own trace id, the init
# error endpoint for a bad configuration, and a job still running at the deadline
# answered Runtime.Timeout before the process exits (75).
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
ev=$WORK/ev
/usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/tools/make_lambda_events.py" "$ev" "$LAMTOOL_SOURCE_DIR" 1917020901
RUNTIME_PIDS=""
trap 'for p in $RUNTIME_PIDS; do kill $p 2>/dev/null || true; done; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
# start_runtime_api ARGS...: a fresh stand-in; sets API (host:port).
start_runtime_api() {
  if [ -n "${RAPI_PID:-}" ]; then kill "$RAPI_PID" 2>/dev/null || true; wait "$RAPI_PID" 2>/dev/null || true; fi
  coproc RAPI { exec /usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/servers/lambda-runtime.py" "$@"; }
  RUNTIME_PIDS="$RUNTIME_PIDS $RAPI_PID"
  local port
  read -r port <&"${RAPI[0]}" || fail "Runtime API printed no port"
  API=127.0.0.1:$port
}
enqueue() { curl -sf -X POST --data-binary "@$1" "http://$API/__test/enqueue" >/dev/null || fail "enqueue $1"; }
results() { curl -sf "http://$API/__test/results" >"$WORK/results.json" || fail "no results"; }
res_get() { /usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$WORK/results.json" "$1"; }

# 1. A hundred invocations in a row, the 50th not JSON, every tenth a batch with a bad
#    record. The loop answers each in order and never stops.
start_runtime_api --timeout-ms 60000
for i in $(seq 1 100); do
  if [ "$i" = 50 ]; then enqueue "$ev/not-json.json"
  elif [ $((i % 10)) = 0 ]; then enqueue "$ev/predict-kinesis.json"
  else enqueue "$ev/predict-good.json"; fi
done
AWS_LAMBDA_RUNTIME_API=$API _HANDLER=predict LAMTOOL_TO=$WORK/pred.jsonl \
  run lambda --max-invocations 100 -v
expect_rc 0
results
[ "$(res_get 'len(j["invocations"])')" = 100 ] || fail "invocations: $(res_get 'len(j["invocations"])')"
[ "$(res_get '[i["outcome"] for i in j["invocations"]].count("response")')" = 99 ] || fail "responses"
[ "$(res_get 'j["invocations"][49]["outcome"], j["invocations"][49]["error_type_header"]')" = "('error', 'DataError')" ] ||
  fail "the non-JSON event: $(res_get 'j["invocations"][49]')"
[ "$(res_get 'json.loads(j["invocations"][49]["body"])["errorType"]')" = DataError ] || fail "error body"
[ "$(res_get 'j["invocations"][50]["outcome"]')" = response ] || fail "the loop stopped after the bad event"
[ "$(res_get 'j["invocations"][9]["body"]')" = '{"batchItemFailures":[{"itemIdentifier":"49568167373333333333333333333333333333333333333333330002"}]}' ] ||
  fail "batch failures: $(res_get 'j["invocations"][9]["body"]')"
[ "$(res_get 'j["invocations"][0]["body"]')" = '{"batchItemFailures":[]}' ] || fail "good batch"
[ "$(res_get 'len(set(i["trace_id"] for i in j["invocations"]))')" = 100 ] || fail "trace ids not fresh"
# Each invocation ran with its own trace id in _X_AMZN_TRACE_ID.
for k in 0 99; do
  trace=$(res_get "j['invocations'][$k]['trace_id']")
  id=$(res_get "j['invocations'][$k]['request_id']")
  expect_err_contains "invocation $id of predict, _X_AMZN_TRACE_ID=$trace"
done
[ "$(wc -l <"$WORK/pred.jsonl")" = 3 ] || fail "the last invocation's predictions"
echo "latency (ms, median of 100): $(res_get 'sorted(i["latency_ms"] for i in j["invocations"])[50]')"

# 2. Configuration refused at init: posted to /runtime/init/error, exit 78, no event taken.
start_runtime_api
enqueue "$ev/predict-good.json"
AWS_LAMBDA_RUNTIME_API=$API _HANDLER=predict run lambda
expect_rc 78
expect_one_error_line
results
[ "$(res_get 'j["init_error"]["body"]')" != None ] || fail "no init error"
[[ "$(res_get 'json.loads(j["init_error"]["body"])["errorMessage"]')" == "the predict handler has no destination"* ]] ||
  fail "init error: $(res_get 'j["init_error"]')"
[ "$(res_get 'len(j["invocations"])')" = 0 ] || fail "an event was taken after the init error"
AWS_LAMBDA_RUNTIME_API=$API _HANDLER=nope run lambda
expect_rc 78
expect_err_contains "handler 'nope'"
env -u AWS_LAMBDA_RUNTIME_API "$LAMTOOL" lambda --handler shotmap >/dev/null 2>"$WORK/noapi.err" && fail "ran without a Runtime API"
grep -q "AWS_LAMBDA_RUNTIME_API is not set" "$WORK/noapi.err" || fail "$(cat "$WORK/noapi.err")"

# 3. The deadline: a GIF of six frames cannot be made in the 20 ms the margin leaves, so
#    the invocation is answered Runtime.Timeout in time and the process exits 75; the GIF
#    is never written, not even in part.
start_runtime_api --timeout-ms 2000
enqueue "$ev/gif-direct.json"
AWS_LAMBDA_RUNTIME_API=$API _HANDLER=gif run lambda --deadline-margin 1980
expect_rc 75
expect_err_contains "the deadline is near and the job is still running"
results
[ "$(res_get 'j["invocations"][0]["outcome"], j["invocations"][0]["error_type_header"]')" = "('error', 'Runtime.Timeout')" ] ||
  fail "deadline: $(res_get 'j["invocations"]')"
[ -z "$(find "$ev" -name 'loop.gif*')" ] || fail "a GIF was left after the deadline: $(find "$ev" -name 'loop.gif*')"
echo ok
