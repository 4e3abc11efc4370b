#!/usr/bin/env bash
# plot-candles --to s3://bucket/prefix/ through the SigV4-checking proxy: a DynamoDB
# item whose card name holds '+' signs lands as daily/<name>.png and weekly/<name>.png
# with URL-safe names (the original's keys broke its links), Content-Type image/png,
# the same bytes as the local charts, read back by botocore; --dry-run uploads nothing.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"

price_event "https://cards.example.com/c/Lightning+Bolt+%2B1/" "$WORK/event.json"

bucket=$(unique_name candles)
check s3-mkbucket "$bucket"
run plot-candles --in "$WORK/event.json" --to "s3://$bucket/png/" --json
expect_rc 0
expect_err_empty
[ "$(json_get "$OUT" '[o["uri"] for o in j["outputs"]]')" == \
  "['s3://$bucket/png/daily/Lightning-Bolt-1.png', 's3://$bucket/png/weekly/Lightning-Bolt-1.png']" ] ||
  fail "keys: $OUT"
run plot-candles --in "$WORK/event.json" --to "$WORK/local/"
expect_rc 0
check s3-get "$bucket" png/daily/Lightning-Bolt-1.png "$WORK/daily.png" \
  png/weekly/Lightning-Bolt-1.png "$WORK/weekly.png"
cmp "$WORK/daily.png" "$WORK/local/daily/Lightning-Bolt-1.png" || fail "daily chart differs"
cmp "$WORK/weekly.png" "$WORK/local/weekly/Lightning-Bolt-1.png" || fail "weekly chart differs"
[ "$(json_get "$(check s3-head "$bucket" png/weekly/Lightning-Bolt-1.png)" 'j["ContentType"]')" == image/png ] ||
  fail "Content-Type"

run plot-candles --in "$WORK/event.json" --to "s3://$bucket/dry/" --dry-run --json
expect_rc 0
[ "$(json_get "$OUT" '[o.get("dry_run") for o in j["outputs"]]')" == "[True, True]" ] || fail "dry run: $OUT"
if check s3-head "$bucket" dry/daily/Lightning-Bolt-1.png >/dev/null 2>&1; then
  fail "--dry-run uploaded"
fi
