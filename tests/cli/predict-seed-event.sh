#!/usr/bin/env bash
# The seed's record, {"features":{"t1":2,"t2":3,"hum":50,"weather_code":2},"pred_id":123},
# as a Lambda Kinesis event (the aws-lambda-go sample's envelope, data = its base64):
# one output event with pred_id 123 and an integer cnt, the bundled model's name and
# version; with --json, the manifest carries the predictions and an empty
# batchItemFailures, so a Lambda handler only wraps it. The same record as a JSON line,
# as a base64 line and as a pretty-printed document gives the same event.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"

record='{"features":{"t1":2,"t2":3,"hum":50,"weather_code":2},"pred_id":123}'
/usr/bin/python3 - "$FIXTURES/events/kinesis-event.json" "$record" >"$WORK/event.json" <<'PY'
import base64, json, sys
event = json.load(open(sys.argv[1]))
event["Records"] = event["Records"][:1]
event["Records"][0]["kinesis"]["data"] = base64.b64encode(sys.argv[2].encode()).decode()
print(json.dumps(event, indent=2))
PY
model=$(json_get "$(cat "$LAMTOOL_DATA_DIR/predict/model.json")" '(j["name"], j["version"])')

run predict --in "$WORK/event.json"
expect_rc 0
expect_err_empty
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || fail "one output event expected: $OUT"
event=$OUT
[ "$(json_get "$event" 'sorted(j) == ["model", "prediction", "version"] and sorted(j["prediction"]) == ["cnt", "pred_id"]')" == True ] \
  || fail "output event shape: $event"
[ "$(json_get "$event" 'j["prediction"]["pred_id"]')" == 123 ] || fail "pred_id: $event"
[ "$(json_get "$event" 'type(j["prediction"]["cnt"]).__name__ == "int" and j["prediction"]["cnt"] >= 0')" == True ] \
  || fail "cnt not a non-negative integer: $event"
[ "$(json_get "$event" '(j["model"], j["version"])')" == "$model" ] || fail "model/version: $event"

# The manifest of a Lambda event: predictions and batchItemFailures.
run predict --in "$WORK/event.json" --to "$WORK/out.jsonl" --json
expect_rc 0
[ "$(json_get "$OUT" '(j["records"], j["predicted"], j["failed"], j["batchItemFailures"])')" == "(1, 1, 0, [])" ] \
  || fail "manifest: $OUT"
[ "$(json_get "$OUT" 'j["predictions"] == [json.loads(sys.argv[3])]' "$event")" == True ] \
  || fail "manifest predictions: $OUT"
expect_file "$WORK/out.jsonl" "$event"

# The same record in the other shapes.
printf '%s\n' "$record" >"$WORK/line.jsonl"
printf '"%s"\n' "$(printf '%s' "$record" | base64 -w0)" >"$WORK/b64.jsonl"
json_get "$record" 'json.dumps(j, indent=4)' >"$WORK/pretty.json"
for f in line.jsonl b64.jsonl pretty.json; do
  run_stdin "$WORK/$f" predict
  expect_rc 0
  expect_out "$event"
done
