#!/usr/bin/env bash
# predict is a filter that streams: each prediction reaches the pipe while its writer
# is still open (the test waits for the answer to one record before writing the next:
# no sleeps), and a 100 MB line among good ones is reported and passed over without
# taking the rest down or being held in memory.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"

record() { echo "{\"features\":{\"t1\":$((10 + $1)),\"t2\":10,\"hum\":60,\"weather_code\":1},\"pred_id\":$1}"; }

# 1. One record at a time through a coprocess.
coproc PRED { exec "$LAMTOOL" predict 2>"$WORK/co.err"; }
pid=$PRED_PID
for i in 1 2 3; do
  record "$i" >&"${PRED[1]}"
  read -r -t 20 answer <&"${PRED[0]}" || fail "no answer to record $i while the input is open"
  [ "$(json_get "$answer" 'j["prediction"]["pred_id"]')" == "$i" ] || fail "answer to $i: $answer"
done
exec {PRED[1]}>&-
wait "$pid" || fail "predict exited $?: $(cat "$WORK/co.err")"

# 2. A 100 MB line between two good ones: exit 65, the good ones predicted, and memory
#    (peak RSS) well below the line's size.
{
  record 1
  printf '{"features":{"t1":1,"t2":1,"hum":50,"weather_code":1},"pred_id":2,"pad":"'
  head -c 100000000 /dev/zero | tr '\0' x
  printf '"}\n'
  record 3
} >"$WORK/long.jsonl"
/usr/bin/time -o "$WORK/time" -f '%M' "$LAMTOOL" predict --in "$WORK/long.jsonl" \
  >"$WORK/out" 2>"$WORK/err" && rc=0 || rc=$?
[ "$rc" -eq 65 ] || fail "exit $rc: $(cat "$WORK/err")"
ids=$(/usr/bin/python3 -c 'import json,sys; print([json.loads(l)["prediction"]["pred_id"] for l in sys.stdin])' <"$WORK/out")
[ "$ids" == "[1, 3]" ] || fail "predictions around the long line: $(cat "$WORK/out")"
grep -q "line 2: longer than 16777216 bytes" "$WORK/err" || fail "long line report: $(cat "$WORK/err")"
peak_kb=$(tail -n 1 "$WORK/time")  # after "Command exited with non-zero status 65"
# (AddressSanitizer's shadow memory and quarantine make a sanitized build's RSS no measure.)
if [ "${LAMTOOL_SANITIZED:-0}" != 1 ]; then
  [ "$peak_kb" -lt 60000 ] || fail "peak RSS ${peak_kb} KB for a 100 MB line"
fi
