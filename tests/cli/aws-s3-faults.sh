#!/usr/bin/env bash
# S3 through a fault proxy in front of the SigV4-checking proxy: with ~20 % of requests
# failing (resets before and after the store, 500, 503 SlowDown) puts, a 17 MiB
# multipart put and gets still land the objects intact (read back with botocore
# directly from the signature-checking endpoint); an endpoint that always answers
# 503 gives exit 75 after the retries and stores nothing.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"

bucket=$(unique_name s3faults)
check s3-mkbucket "$bucket"
start_fault_proxy s3 --backend "$LAMTOOL_TEST_S3_ENDPOINT" --service s3 --seed 5 \
  --reset 0.05 --reset-after 0.05 --error 0.1
proxy=$FAULT_URL
export AWS_ENDPOINT_URL_S3=$proxy

# 1. Every kind of fault once for sure (between passes), then the random ones.
fault_admin "$proxy" next '{"faults":["reset","pass","resetAfter","pass","500","pass","503"]}'
for i in 1 2 3 4 5 6; do
  head -c $((1000 * i + 17)) /dev/urandom >"$WORK/small$i"
  run s3 put "$WORK/small$i" "s3://$bucket/small/$i"
  expect_rc 0
done
head -c $((17 * 1024 * 1024)) /dev/urandom >"$WORK/big"
run s3 put "$WORK/big" "s3://$bucket/big"
expect_rc 0
run s3 get "s3://$bucket/big" "$WORK/big.back"
expect_rc 0
cmp "$WORK/big" "$WORK/big.back" || fail "get through faults returned other bytes"
stats=$(curl -sS "$proxy/__fault/stats")
[ "$(json_get "$stats" 'all(j[k] > 0 for k in ("reset", "resetAfter", "error500", "error503"))')" == True ] \
  || fail "not every kind of fault was injected: $stats"
check s3-get "$bucket" big "$WORK/big.botocore" small/1 "$WORK/back1" small/2 "$WORK/back2" \
  small/3 "$WORK/back3" small/4 "$WORK/back4" small/5 "$WORK/back5" small/6 "$WORK/back6"
for i in 1 2 3 4 5 6; do cmp "$WORK/small$i" "$WORK/back$i" || fail "small/$i differs"; done
cmp "$WORK/big" "$WORK/big.botocore" || fail "multipart object differs"

# 2. Always 503: exit 75 after five attempts, one line naming the operation, nothing stored.
fault_admin "$proxy" config '{"error":0}'
fault_admin "$proxy" next '{"faults":["503","503","503","503","503"]}'
before=$(fault_stat "$proxy" error503)
run s3 put "$WORK/small1" "s3://$bucket/never"
expect_rc 75
expect_one_error_line
expect_err_contains "s3: PutObject '$bucket/never' failed: 503 SlowDown"
[ $(($(fault_stat "$proxy" error503) - before)) -eq 5 ] || fail "expected 5 attempts"
check s3-head "$bucket" never >/dev/null 2>&1 && fail "an object was stored"
true
