#!/usr/bin/env bash
# Debian's awscli through the SigV4-checking proxy in front of kinesalite: create a
# stream, put and get records with the right secret; a wrong secret or unknown key is
# refused the way Kinesis refuses it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
aws_env "$work"
aws() { /usr/bin/aws --endpoint-url "$LAMTOOL_TEST_KINESIS_ENDPOINT" --no-cli-pager "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_error() {
  local code=$1; shift
  if "$@" >"$work/out" 2>"$work/err"; then fail "succeeded, expected $code: $*"; fi
  grep -q "$code" "$work/err" || fail "expected $code from '$*', got: $(cat "$work/err")"
}

stream=lamtool-awscli-$$
aws kinesis create-stream --stream-name "$stream" --shard-count 1
aws kinesis wait stream-exists --stream-name "$stream"
for i in 1 2 3; do
  aws kinesis put-record --stream-name "$stream" --partition-key "pk$i" \
    --data "$(printf 'record %s ü' "$i" | base64)" >/dev/null
done
iterator=$(aws kinesis get-shard-iterator --stream-name "$stream" --shard-id shardId-000000000000 \
  --shard-iterator-type TRIM_HORIZON --query ShardIterator --output text)
aws kinesis get-records --shard-iterator "$iterator" --query 'Records[].Data' --output text \
  | tr '\t' '\n' > "$work/data.b64"
: > "$work/data"
while read -r line; do printf '%s\n' "$(printf '%s' "$line" | base64 -d)" >> "$work/data"; done < "$work/data.b64"
printf 'record 1 ü\nrecord 2 ü\nrecord 3 ü\n' | cmp - "$work/data" || fail "records: $(cat "$work/data")"

AWS_SECRET_ACCESS_KEY=wrong-secret expect_error InvalidSignatureException \
  aws kinesis put-record --stream-name "$stream" --partition-key k --data "$(printf x | base64)"
AWS_ACCESS_KEY_ID=AKIDNOTKNOWN0000000 expect_error UnrecognizedClientException \
  aws kinesis describe-stream --stream-name "$stream"
(
  export AWS_ACCESS_KEY_ID=$LAMTOOL_TEST_SESSION_ACCESS_KEY_ID
  export AWS_SECRET_ACCESS_KEY=$LAMTOOL_TEST_SESSION_SECRET_ACCESS_KEY
  AWS_SESSION_TOKEN=$LAMTOOL_TEST_SESSION_TOKEN aws kinesis describe-stream --stream-name "$stream" >/dev/null
  AWS_SESSION_TOKEN=wrong-token expect_error UnrecognizedClientException \
    aws kinesis describe-stream --stream-name "$stream"
)
# The refused put stored nothing: still three records.
count=$(aws kinesis get-records --shard-iterator "$(aws kinesis get-shard-iterator --stream-name "$stream" \
  --shard-id shardId-000000000000 --shard-iterator-type TRIM_HORIZON --query ShardIterator --output text)" \
  --query 'length(Records)')
[[ "$count" == 3 ]] || fail "expected 3 records after the refused put, got $count"
echo "PASS"
