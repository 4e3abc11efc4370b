#!/usr/bin/env bash
# Checks the Lambda Runtime API stand-in (lambda-runtime.py) with the curl tool and with
# bootstrap-echo.sh, a custom-runtime loop in bash + curl: 100 invocations in a row, a
# non-JSON event between good ones, the /next headers, AWS's errors (unknown id, second
# answer, 6 MB limit), a late answer, init errors, --repeat, --exit-when-done and a log
# without bodies. Needs LAMTOOL_SOURCE_DIR. Prints the latency of the 100 invocations.
set -euo pipefail

here="$LAMTOOL_SOURCE_DIR/tests/servers"
server="$here/lambda-runtime.py"
bootstrap="$here/bootstrap-echo.sh"
work=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
py() { /usr/bin/python3 -c "$@"; }

# start NAME ARGS...: a server; sets URL (http://127.0.0.1:PORT) and API (127.0.0.1:PORT).
start() {
  local name=$1 port
  shift
  mkfifo "$work/$name.port"
  /usr/bin/python3 "$server" "$@" >"$work/$name.port" 2>"$work/$name.err" &
  pids+=($!)
  read -r port < "$work/$name.port" || fail "$name: no port: $(cat "$work/$name.err")"
  [[ "$port" =~ ^[0-9]+$ ]] || fail "$name: not a port: $port"
  URL="http://127.0.0.1:$port"
  API="127.0.0.1:$port"
}
# run_bootstrap API [HANDLER]: bootstrap-echo.sh in the background against API.
run_bootstrap() {
  AWS_LAMBDA_RUNTIME_API=$1 _HANDLER=${2:-echo} TMPDIR=$work "$bootstrap" >>"$work/bootstrap.log" 2>&1 &
  pids+=($!)
  BOOTSTRAP_PID=$!
}
# wait_for QUERY: /__test/wait?QUERY into $work/results.json; fails on 504.
wait_for() {
  local code
  code=$(curl -s -o "$work/results.json" -w '%{http_code}' "$URL/__test/wait?$1")
  [[ "$code" == 200 ]] || fail "wait $1: $code $(head -c 600 "$work/results.json")"
}
# check PYTHON: asserts on the results (`r`) in $work/results.json; prints what failed.
check() {
  py "import json,sys
r = json.load(open(sys.argv[1]))
inv = r['invocations']
assert $1, 'results: ' + json.dumps(r)[:2000]" "$work/results.json" || fail "check: $1"
}
status() { curl -s -o "$work/body" -w '%{http_code}' "$@"; }

# 1. A hundred events in a row through the bootstrap, each answered with its exact text.
py 'import json
parts = ["{\"n\": %d, \"text\": \"caf\u00e9 %d\", \"f\": 1.50e2, \"nested\": {\"a\": [1, 2, null]}}" % (i, i)
         for i in range(100)]
open("'"$work"'/events100.json", "w", encoding="utf-8").write("[\n  " + ",\n  ".join(parts) + "\n]\n")'
start s100 --events "$work/events100.json" --timeout-ms 60000 --log "$work/s100.log" \
  --function-arn arn:aws:lambda:us-east-1:123456789012:function:echo-test
t0=$(date +%s%N)
run_bootstrap "$API"
wait_for "count=100&timeout=120"
t1=$(date +%s%N)
check "len(inv) == 100 and all(i['outcome'] == 'response' for i in inv)"
check "[i['event_index'] for i in inv] == list(range(100))"
check "all(i['body'] == '{\"echo\": {\"n\": %d, \"text\": \"caf\u00e9 %d\", \"f\": 1.50e2, \"nested\": {\"a\": [1, 2, null]}}}' % (k, k) for k, i in enumerate(inv))"
check "len(set(i['request_id'] for i in inv)) == 100 and len(set(i['trace_id'] for i in inv)) == 100"
check "all(__import__('re').fullmatch(r'Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1', i['trace_id']) for i in inv)"
check "all(i['deadline_ms'] > r['first_next_ms'] for i in inv) and r['init_error'] is None"
check "r['next_requests'] >= 100 and r['first_next_ms'] > 0"
latency=$(py 'import json,statistics,sys
inv = json.load(open(sys.argv[1]))["invocations"]
l = sorted(i["latency_ms"] for i in inv)
print("median %.1f ms, p90 %.1f ms, max %.1f ms" % (statistics.median(l), l[89], l[-1]))' "$work/results.json")
echo "100 echo invocations through bootstrap-echo.sh: $(( (t1 - t0) / 1000000 )) ms in all; handed out to answered: $latency"
# The log has one line per request and never a body.
grep -q '^GET /2018-06-01/runtime/invocation/next 200$' "$work/s100.log" || fail "no /next in the log"
[[ $(grep -c '/response 202$' "$work/s100.log") -eq 100 ]] || fail "log lacks 100 responses"
! grep -q 'nested' "$work/s100.log" || fail "a body in the log"
kill "$BOOTSTRAP_PID"

# 2. The protocol by hand: headers, AWS's errors, the 6 MB limit, a late answer.
start proto --timeout-ms 30000 --function-arn arn:aws:lambda:eu-west-1:123456789012:function:f
printf '%s' '{"k": "v"}' > "$work/e1"
[[ $(status -X POST --data-binary @"$work/e1" "$URL/__test/enqueue") == 200 ]] || fail "enqueue"
before=$(date +%s%3N)
curl -s -D "$work/h" -o "$work/event" "$URL/2018-06-01/runtime/invocation/next"
cmp -s "$work/event" "$work/e1" || fail "event body not the enqueued bytes"
header() { grep -i "^$1:" "$work/h" | cut -d' ' -f2- | tr -d '\r'; }
grep -q '^HTTP/1.1 200' "$work/h" || fail "/next not 200: $(head -1 "$work/h")"
id=$(header Lambda-Runtime-Aws-Request-Id)
[[ "$id" =~ ^[0-9a-f-]{36}$ ]] || fail "request id '$id'"
deadline=$(header Lambda-Runtime-Deadline-Ms)
(( deadline >= before + 29000 && deadline <= $(date +%s%3N) + 30000 )) || fail "deadline $deadline, now $before"
[[ $(header Lambda-Runtime-Invoked-Function-Arn) == arn:aws:lambda:eu-west-1:123456789012:function:f ]] \
  || fail "function arn"
[[ $(header Lambda-Runtime-Trace-Id) =~ ^Root=1-[0-9a-f]{8}-[0-9a-f]{24}\;Parent=[0-9a-f]{16}\;Sampled=1$ ]] \
  || fail "trace id $(header Lambda-Runtime-Trace-Id)"
! grep -qi '^Lambda-Runtime-Client-Context:\|^Lambda-Runtime-Cognito-Identity:' "$work/h" \
  || fail "client context or cognito identity present"
grep -qi '^Content-Length: 10' "$work/h" || fail "no Content-Length"
# A request id never handed out.
[[ $(status -X POST -d '{}' "$URL/2018-06-01/runtime/invocation/00000000-0000-0000-0000-000000000000/response") == 400 ]] \
  || fail "unknown id not 400"
py 'import json,sys; d=json.load(open(sys.argv[1])); assert d["errorType"]=="InvalidRequestID" and d["errorMessage"], d' "$work/body" \
  || fail "unknown id body: $(cat "$work/body")"
[[ $(status -X POST -d '{}' "$URL/2018-06-01/runtime/invocation/nope/error") == 400 ]] || fail "unknown id /error not 400"
# Over 6 MB: 413, and the invocation is still open.
head -c 6291557 /dev/zero | tr '\0' 'a' > "$work/big"
[[ $(status -X POST -H 'Expect:' --data-binary @"$work/big" "$URL/2018-06-01/runtime/invocation/$id/response") == 413 ]] \
  || fail "6 MB + 101 bytes not 413"
grep -q '"errorType": "RequestEntityTooLarge"' "$work/body" || fail "413 body $(cat "$work/body")"
# Exactly the limit is accepted.
head -c 6291556 "$work/big" > "$work/max"
[[ $(status -X POST -H 'Expect:' --data-binary @"$work/max" "$URL/2018-06-01/runtime/invocation/$id/response") == 202 ]] \
  || fail "6291556 bytes not 202"
[[ $(cat "$work/body") == '{"status": "OK"}' ]] || fail "202 body $(cat "$work/body")"
# A second answer for the same id.
[[ $(status -X POST -d '{"again":1}' "$URL/2018-06-01/runtime/invocation/$id/response") == 400 ]] \
  || fail "second response not 400"
grep -q '"errorType": "InvalidStateTransition"' "$work/body" || fail "second response body $(cat "$work/body")"
[[ $(status -X POST -d '{"errorMessage":"x","errorType":"y"}' "$URL/2018-06-01/runtime/invocation/$id/error") == 400 ]] \
  || fail "error after response not 400"
# A malformed error document.
curl -s -X POST --data-binary 'not json' "$URL/__test/enqueue" >/dev/null
curl -s -D "$work/h" -o /dev/null "$URL/2018-06-01/runtime/invocation/next"
id2=$(header Lambda-Runtime-Aws-Request-Id)
[[ $(status -X POST -H 'Lambda-Runtime-Function-Error-Type: X.Y' -d '{"errorMessage": 5}' \
  "$URL/2018-06-01/runtime/invocation/$id2/error") == 202 ]] || fail "malformed error not 202"
# Unknown paths and methods.
[[ $(status "$URL/2018-06-01/runtime/invocation/$id2/response") == 405 ]] || fail "GET response not 405"
[[ $(status -X POST "$URL/2018-06-01/runtime/invocation/next") == 405 ]] || fail "POST next not 405"
[[ $(status "$URL/2018-06-01/runtime/nothing") == 405 ]] || fail "GET unknown runtime path not 405"
[[ $(status "$URL/nothing") == 404 ]] || fail "unknown path not 404"
wait_for "count=2&timeout=10"
check "[i['outcome'] for i in inv] == ['response', 'malformed-error']"
check "len(inv[0]['body']) == 6291556 and inv[1]['error_type_header'] == 'X.Y'"
check "inv[1]['body'] == '{\"errorMessage\": 5}' and r['next_requests'] == 2"
# A late answer is a timeout.
start late --timeout-ms 1
curl -s -X POST -d '{}' "$URL/__test/enqueue" >/dev/null
curl -s -D "$work/h" -o /dev/null "$URL/2018-06-01/runtime/invocation/next"
id=$(header Lambda-Runtime-Aws-Request-Id)
[[ $(status -X POST -d '{"late":true}' "$URL/2018-06-01/runtime/invocation/$id/response") == 202 ]] || fail "late not 202"
wait_for "count=1&timeout=10"
check "inv[0]['outcome'] == 'timeout' and inv[0]['body'] == '{\"late\":true}'"
# /__test/wait gives up with 504.
[[ $(status "$URL/__test/wait?count=2&timeout=0.2") == 504 ]] || fail "wait did not time out with 504"

# 3. A non-JSON event between good ones (a directory of events, name order): the loop
#    answers it with an error and goes on.
mkdir "$work/dir"
printf '%s' '{"first": 1}' > "$work/dir/01.json"
printf '%s' 'this is { not JSON' > "$work/dir/02.json"
printf '%s\n' '[3, "third"]' > "$work/dir/03.json"
echo 'ignored' > "$work/dir/04.txt"
start dir --events "$work/dir"
run_bootstrap "$API"
wait_for "count=3&next=4&timeout=30"
check "[i['outcome'] for i in inv] == ['response', 'error', 'response'] and r['queued'] == 0"
check "inv[0]['body'] == '{\"echo\": {\"first\": 1}}' and inv[2]['body'] == '{\"echo\": [3, \"third\"]\n}'"
check "inv[1]['error_type_header'] == 'Runtime.InvalidEvent' and json.loads(inv[1]['body'])['errorType'] == 'Runtime.InvalidEvent'"
check "isinstance(json.loads(inv[1]['body'])['errorMessage'], str) and json.loads(inv[1]['body'])['stackTrace'] == []"
# Enqueued later, it is handed to the waiting loop.
curl -s -X POST -d '"late event"' "$URL/__test/enqueue" >/dev/null
wait_for "count=4&timeout=30"
check "inv[3]['body'] == '{\"echo\": \"late event\"}' and inv[3]['event_index'] == 3"
kill "$BOOTSTRAP_PID"

# 4. Init error: an unknown handler; the bootstrap exits 1 and gets no event.
start init --events "$work/dir"
set +e
AWS_LAMBDA_RUNTIME_API=$API _HANDLER=nope TMPDIR=$work timeout 30 "$bootstrap" >>"$work/bootstrap.log" 2>&1
rc=$?
set -e
[[ $rc == 1 ]] || fail "bootstrap with an unknown handler exited $rc"
curl -s -o "$work/results.json" "$URL/__test/results"
check "r['init_error']['error_type'] == 'Runtime.HandlerNotFound' and r['init_error']['error_type_header'] == 'Runtime.HandlerNotFound'"
check "r['init_error']['error_message'] == 'unknown handler: nope' and inv == [] and r['next_requests'] == 0"
# After it, /next hands out nothing.
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 0.5 "$URL/2018-06-01/runtime/invocation/next" || true)
[[ "$code" == 000 ]] || fail "/next answered $code after an init error"
curl -s -o "$work/results.json" "$URL/__test/results"
check "inv == [] and r['queued'] == 3 and r['next_requests'] == 1"

# 5. --repeat and --exit-when-done: the list three times, then the loop is frozen.
printf '%s' '[{"a": 1}, {"b": 2}]' > "$work/two.json"
start rep --events "$work/two.json" --repeat 3 --exit-when-done
run_bootstrap "$API"
wait_for "count=6&next=7&timeout=30"
check "[i['body'] for i in inv] == ['{\"echo\": {\"a\": 1}}', '{\"echo\": {\"b\": 2}}'] * 3"
check "[i['event_index'] for i in inv] == list(range(6))"
[[ $(status -X POST -d '{}' "$URL/__test/enqueue") == 409 ]] || fail "enqueue after the run not 409"
kill -0 "$BOOTSTRAP_PID" || fail "the bootstrap did not wait on /next"
curl -s -o "$work/results.json" "$URL/__test/results"
check "len(inv) == 6 and r['next_requests'] == 7"
kill "$BOOTSTRAP_PID"

# 6. A bad --events file is refused at start.
printf '%s' '[{"a": 1},]' > "$work/bad.json"
if /usr/bin/python3 "$server" --events "$work/bad.json" >/dev/null 2>"$work/bad.err"; then
  fail "a bad events file was accepted"
fi
grep -q 'bad.json' "$work/bad.err" || fail "bad events file: $(cat "$work/bad.err")"
echo "ok"
