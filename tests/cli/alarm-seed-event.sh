#!/usr/bin/env bash
# The seed's {"message","bucket"} event: message used, bucket becomes s3://bucket/.
source "$(dirname "$0")/common.sh"
export LAMTOOL_NOW=2026-11-20T07:00:00Z
printf '{"message": "RISE AND SHINE", "bucket": "my-alarm-bucket"}' >seed.json
run alarm --in seed.json --dry-run --json
expect_rc 0
[ "$(json_get "$OUT" 'j["outputs"][0]["uri"]')" == "s3://my-alarm-bucket/wake-up/2026-11-20T07-00-00Z.txt" ] || fail "uri: $OUT"
[ "$(json_get "$OUT" 'j["outputs"][0]["dry_run"]')" == "True" ] || fail "dry_run: $OUT"
# --to beats the bucket; the event's message is written.
run alarm --in seed.json --to msg.txt
expect_rc 0
expect_file msg.txt "RISE AND SHINE"
