#!/usr/bin/env bash
# predict --to kinesis:// --dry-run puts nothing (no credentials, no endpoint needed):
# it prints the events it would put, or with --json a manifest that counts them and
# their PutRecords batches (1203 events: 500 + 500 + 203).
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
for i in $(seq 1 1203); do
  echo "{\"features\":{\"t1\":$((i % 30)),\"t2\":$((i % 30)),\"hum\":70,\"weather_code\":2},\"pred_id\":\"p$i\"}"
done >"$WORK/in.jsonl"

env -i PATH="$PATH" HOME="$WORK" LAMTOOL_DATA_DIR="$LAMTOOL_DATA_DIR" "$LAMTOOL" predict \
  --in "$WORK/in.jsonl" --to kinesis://preds --dry-run >"$WORK/events" 2>"$WORK/err" \
  || fail "dry run exited $?: $(cat "$WORK/err")"
[ ! -s "$WORK/err" ] || fail "stderr: $(cat "$WORK/err")"
[ "$(wc -l <"$WORK/events")" -eq 1203 ] || fail "expected 1203 events"
[ "$(tail -n 1 "$WORK/events" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["prediction"]["pred_id"])')" == p1203 ] \
  || fail "last event: $(tail -n 1 "$WORK/events")"

env -i PATH="$PATH" HOME="$WORK" LAMTOOL_DATA_DIR="$LAMTOOL_DATA_DIR" "$LAMTOOL" predict \
  --in "$WORK/in.jsonl" --to kinesis://preds --dry-run --json >"$WORK/manifest" 2>"$WORK/err" \
  || fail "dry run --json exited $?: $(cat "$WORK/err")"
OUT=$(cat "$WORK/manifest")
[ "$(json_get "$OUT" '(j["stream"], j["records"], j["predicted"], j["batches"], j["dry_run"])')" == \
  "('preds', 1203, 1203, 3, True)" ] || fail "manifest: $OUT"

# A pred_id that cannot be a partition key (empty) is a bad record for a stream, not for
# a file.
printf '%s\n' '{"features":{"t1":1,"t2":1,"hum":70,"weather_code":2},"pred_id":""}' \
  '{"features":{"t1":1,"t2":1,"hum":70,"weather_code":2},"pred_id":"x"}' >"$WORK/empty-id.jsonl"
run predict --in "$WORK/empty-id.jsonl" --to kinesis://preds --dry-run
expect_rc 65
expect_err_contains "line 1: field 'pred_id': the prediction has an empty partition key"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || fail "the good record should still be put: $OUT"
run predict --in "$WORK/empty-id.jsonl" --to "$WORK/out.jsonl"
expect_rc 0
