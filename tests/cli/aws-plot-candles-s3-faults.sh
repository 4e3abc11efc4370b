#!/usr/bin/env bash
# Issue 13, faults on a job's S3 output: plot-candles --to s3://bucket/png/ (two charts,
# two PutObject calls) through tests/servers/fault-proxy.js in front of the SigV4-checking
# S3 proxy. A reset, a reset after S3 stored the object, a 500 and a 503 SlowDown are
# retried: exit 0, both charts byte for byte the local ones (read back by botocore).
# S3 answering 503 to every attempt at the second chart: exit 75, one line naming its key;
# the first chart is stored, the second is not.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"

price_event "https://cards.example.com/c/Storm+Crow/" "$WORK/event.json"
bucket=$(unique_name candlefaults)
check s3-mkbucket "$bucket"
start_fault_proxy s3 --backend "$LAMTOOL_TEST_S3_ENDPOINT" --service s3
proxy=$FAULT_URL
export AWS_ENDPOINT_URL_S3=$proxy
run plot-candles --in "$WORK/event.json" --to "$WORK/local/"
expect_rc 0

# 1. Faults on both uploads, each retried.
fault_admin "$proxy" next '{"faults":["reset","resetAfter","pass","500","503"]}'
run plot-candles --in "$WORK/event.json" --to "s3://$bucket/png/"
expect_rc 0
for period in daily weekly; do
  check --endpoint "$LAMTOOL_TEST_S3_ENDPOINT" s3-get "$bucket" "png/$period/Storm-Crow.png" "$WORK/$period.png"
  cmp -s "$WORK/$period.png" "$WORK/local/$period/Storm-Crow.png" || fail "$period chart differs"
done
stats=$(curl -sS "$proxy/__fault/stats")
[ "$(json_get "$stats" '(j["reset"], j["resetAfter"], j["error500"], j["error503"])')" == "(1, 1, 1, 1)" ] || fail "faults: $stats"

# 2. The second chart refused five times: 75 naming its key; the first is stored.
fault_admin "$proxy" next '{"clear":true,"faults":["pass","503","503","503","503","503"]}'
run plot-candles --in "$WORK/event.json" --to "s3://$bucket/down/"
expect_rc 75
expect_one_error_line
expect_err_contains "down/weekly/Storm-Crow.png"
check --endpoint "$LAMTOOL_TEST_S3_ENDPOINT" s3-get "$bucket" down/daily/Storm-Crow.png "$WORK/d.png"
cmp -s "$WORK/d.png" "$WORK/local/daily/Storm-Crow.png" || fail "the first chart differs"
if check --endpoint "$LAMTOOL_TEST_S3_ENDPOINT" s3-head "$bucket" down/weekly/Storm-Crow.png >/dev/null 2>&1; then
  fail "the refused chart is stored"
fi
echo "plot-candles S3 faults: reset, reset-after, 500, 503 survived; 5x503 on the second chart -> 75 naming it"
