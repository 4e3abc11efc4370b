#!/usr/bin/env bash
# SIGINT and SIGTERM in the middle of local work: predict writing its output file while
# its input (a FIFO this test feeds) is still open, gif reading a frame from a FIFO, and
# `lamtool lambda` both idle on /next and during an invocation (the project's Runtime API
# stand-in, tests/servers/lambda-runtime.py). Each time: exit 130 (SIGINT) or 143
# (SIGTERM) with one error line, the destination either absent or the previous complete
# file (byte for byte), and no .NAME.XXXXXX temporary file left. The signal is sent
# once lamtool has read everything written so far (the pipe is empty: FIONREAD) and,
# for a write, once its temporary file holds data: polled, never slept on.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/signal_common.sh"

record() { echo "{\"features\":{\"t1\":$((10 + $1 % 20)),\"t2\":10,\"hum\":60,\"weather_code\":1},\"pred_id\":$1}"; }
for i in $(seq 1 300); do record "$i"; done >"$WORK/records.jsonl"
temp_has_data() { [ -n "$(find "$WORK/out" -name '.pred.jsonl.??????' -size +0c)" ]; }

# 1-2. predict --to FILE, interrupted mid-write by each signal: first over a previous
#      complete output (kept as it was), then with none (none after).
mkdir -p "$WORK/out"
run predict --in "$WORK/records.jsonl" --to "$WORK/out/pred.jsonl"
expect_rc 0
cp "$WORK/out/pred.jsonl" "$WORK/previous.jsonl"
[ "$(wc -l <"$WORK/previous.jsonl")" -eq 300 ] || fail "the previous output is not whole"
for case in INT:130:interrupted TERM:143:terminated; do
  IFS=: read -r sig code word <<<"$case"
  mkfifo "$WORK/in.fifo"
  exec 3<>"$WORK/in.fifo"  # read-write: never blocks, and lamtool sees no end of input
  start_bg "$WORK/in.fifo" predict --to "$WORK/out/pred.jsonl"
  head -n 120 "$WORK/records.jsonl" >&3
  poll "the temporary output" temp_exists "$WORK/out" pred.jsonl
  poll "all the input read" fifo_drained 3
  poll "predictions in the temporary file" temp_has_data
  kill -s "$sig" "$BG"
  wait_bg
  exec 3>&-
  rm "$WORK/in.fifo"
  expect_rc "$code"
  expect_one_error_line
  expect_err_contains "$word (SIG$sig)"
  expect_no_temps "$WORK"
  if [ "$sig" = INT ]; then
    cmp "$WORK/out/pred.jsonl" "$WORK/previous.jsonl" || fail "SIGINT changed the previous output"
    rm "$WORK/out/pred.jsonl"
  else
    [ ! -e "$WORK/out/pred.jsonl" ] || fail "SIGTERM left an output: $(wc -l <"$WORK/out/pred.jsonl") lines"
  fi
done

# 3. gif: the second frame comes from a FIFO that gets half a PNG; SIGTERM while gif
#    waits for the rest. The previous GIF stays whole.
frame=$LAMTOOL_SOURCE_DIR/data/gif/demo/frame-00.png
run gif "$frame" "$frame" --to "$WORK/out/loop.gif"
expect_rc 0
cp "$WORK/out/loop.gif" "$WORK/previous.gif"
mkfifo "$WORK/frame.fifo"
exec 3<>"$WORK/frame.fifo"
start_bg /dev/null gif "$frame" "$WORK/frame.fifo" --to "$WORK/out/loop.gif"
head -c $(($(stat -c %s "$frame") / 2)) "$frame" >&3
poll "half the frame read" fifo_drained 3
kill -TERM "$BG"
wait_bg
exec 3>&-
expect_rc 143
expect_one_error_line
expect_err_contains "terminated (SIGTERM)"
cmp "$WORK/out/loop.gif" "$WORK/previous.gif" || fail "SIGTERM changed the previous GIF"
expect_no_temps "$WORK"

# 4. lamtool lambda and Lambda's shutdown (SIGTERM).
RAPI_PID=""
trap '[ -z "$RAPI_PID" ] || kill "$RAPI_PID" 2>/dev/null || true; [ -z "$BG" ] || kill -KILL "$BG" 2>/dev/null || true; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
start_runtime_api() {
  if [ -n "$RAPI_PID" ]; then kill "$RAPI_PID" 2>/dev/null || true; wait "$RAPI_PID" 2>/dev/null || true; fi
  coproc RAPI { exec /usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/servers/lambda-runtime.py" --timeout-ms 600000; }
  local port
  read -r port <&"${RAPI[0]}" || fail "Runtime API printed no port"
  API=127.0.0.1:$port
}
res_get() { json_get "$(curl -sf "http://$API/__test/results")" "$1"; }
start_runtime_api
# 4a. Idle, waiting on /next: exit 143 at once, no invocation taken.
export AWS_LAMBDA_RUNTIME_API=$API _HANDLER=gif
start_bg /dev/null lambda
curl -sf "http://$API/__test/wait?count=0&next=1&timeout=30" >/dev/null || bg_fail "no /next request"
kill -TERM "$BG"
wait_bg
expect_rc 143
expect_err_contains "terminated (SIGTERM)"
[ "$(res_get 'len(j["invocations"])')" = 0 ] || fail "an invocation was taken"
# 4b. During an invocation of the gif handler whose second frame is a FIFO: the
#     invocation is answered Runtime.Interrupted, the process exits 143, nothing written.
#     A fresh stand-in: the killed process's /next may still hold the old one's queue.
start_runtime_api
export AWS_LAMBDA_RUNTIME_API=$API
mkfifo "$WORK/lambda.fifo"
exec 3<>"$WORK/lambda.fifo"
printf '{"frames": ["%s", "%s"], "to": "%s/lambda-out/"}' "$frame" "$WORK/lambda.fifo" "$WORK" >"$WORK/event.json"
curl -sf -X POST --data-binary "@$WORK/event.json" "http://$API/__test/enqueue" >/dev/null || fail "enqueue"
start_bg /dev/null lambda
curl -sf "http://$API/__test/wait?count=0&next=1&timeout=30" >/dev/null || bg_fail "the event was not taken"
head -c 1000 "$frame" >&3
poll "the frame's first bytes read" fifo_drained 3
kill -TERM "$BG"
wait_bg
exec 3>&-
expect_rc 143
expect_err_contains "terminated (SIGTERM)"
[ "$(res_get 'j["invocations"][0]["outcome"], j["invocations"][0]["error_type_header"]')" = \
  "('error', 'Runtime.Interrupted')" ] || fail "the invocation's answer: $(curl -sf "http://$API/__test/results")"
[ ! -e "$WORK/lambda-out" ] || [ -z "$(ls -A "$WORK/lambda-out")" ] || fail "the invocation wrote: $(ls -A "$WORK/lambda-out")"
expect_no_temps "$WORK"
