#!/usr/bin/env bash
# LAMTOOL_NOW names keys, not requests: with it set three days back (a backfill), alarm
# --to s3://, s3 put and kinesis put still succeed through the SigV4-checking proxy,
# which refuses requests dated more than 15 minutes off its clock as AWS does, and the
# alarm's key is named by LAMTOOL_NOW. A service whose clock really differs (a proxy
# whose clock runs an hour ahead) refuses: exit 77, one error line that says the clock
# is skewed, for S3 (RequestTimeTooSkewed) and Kinesis ("Signature expired").
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"

bucket=$(unique_name backdated)
stream=$(unique_name backdated)
check s3-mkbucket "$bucket"
check kinesis-create "$stream" >/dev/null
then=$(( $(date -u +%s) - 3 * 86400 ))
export LAMTOOL_NOW=$(date -u -d "@$then" +%Y-%m-%dT%H:%M:%SZ)
key=wake-up/$(date -u -d "@$then" +%Y-%m-%dT%H-%M-%SZ).txt

# 1. Backdated runs succeed, and the key carries LAMTOOL_NOW.
run alarm --to "s3://$bucket/"
expect_rc 0
expect_err_empty
check s3-get "$bucket" "$key" "$WORK/alarm.txt" || fail "no object '$key'"
printf 'WAKE UP\n' | cmp - "$WORK/alarm.txt" || fail "alarm body"
printf 'hello\n' >"$WORK/hello.txt"
run s3 put "$WORK/hello.txt" "s3://$bucket/hello.txt"
expect_rc 0
check s3-get "$bucket" hello.txt "$WORK/back.txt" && cmp "$WORK/hello.txt" "$WORK/back.txt" \
  || fail "s3 put did not land"
printf '{"pred_id":1}\n{"pred_id":2}\n' >"$WORK/in.jsonl"
run kinesis put --stream "$stream" --partition-key-field pred_id --in "$WORK/in.jsonl" --json
expect_rc 0
[ "$(json_get "$OUT" 'j["delivered"]')" == 2 ] || fail "manifest: $OUT"
unset LAMTOOL_NOW

# 2. A proxy whose clock runs an hour ahead, in front of each backend.
start_skewed_proxy() {  # NAME SERVICE BACKEND: sets FAULT_URL
  start_node_proxy "$1" "$LAMTOOL_SOURCE_DIR/tests/servers/sigv4-proxy.js" --service "$2" \
    --backend "$3" --key "$LAMTOOL_TEST_ACCESS_KEY_ID:$LAMTOOL_TEST_SECRET_ACCESS_KEY" \
    --clock-offset 3600
}
start_skewed_proxy s3-skewed s3 "$LAMTOOL_TEST_S3_BACKEND"
AWS_ENDPOINT_URL_S3=$FAULT_URL run s3 put "$WORK/hello.txt" "s3://$bucket/skewed.txt"
expect_rc 77
expect_err_contains "403 RequestTimeTooSkewed"
expect_err_contains "the clock is skewed"
[ "$(wc -l <<<"$ERR")" -eq 1 ] || fail "one error line expected: $ERR"
start_skewed_proxy kinesis-skewed kinesis "$LAMTOOL_TEST_KINESIS_BACKEND"
AWS_ENDPOINT_URL_KINESIS=$FAULT_URL run kinesis put --stream "$stream" --partition-key k \
  --in "$WORK/in.jsonl"
expect_rc 77
expect_err_contains "InvalidSignatureException: Signature expired"
expect_err_contains "the clock is skewed"
[ "$(wc -l <<<"$ERR")" -eq 1 ] || fail "one error line expected: $ERR"
