#!/usr/bin/env bash
# What awscli cannot be made to send, signed by botocore (tests/servers/test/
# botocore_request.py) and bent on purpose: clock skew, a body other than the signed
# one, an unsigned x-amz header, an expired presigned URL; and S3 conditional writes,
# which the proxy enforces because s3rver ignores them. Also shows that s3rver and
# kinesalite themselves accept a wrong secret, which is why the proxy exists.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
aws_env "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
req() { /usr/bin/python3 "$here/botocore_request.py" "$@"; }
# expect STATUS CODE METHOD URL SERVICE [options]: status line and error code in body.
expect() {
  local status=$1 code=$2; shift 2
  req "$@" > "$work/answer"
  [[ "$(head -1 "$work/answer")" == "$status" ]] && grep -q -- "$code" "$work/answer" \
    || fail "expected $status $code for $*, got: $(cat "$work/answer")"
}
s3=$LAMTOOL_TEST_S3_ENDPOINT
kinesis=$LAMTOOL_TEST_KINESIS_ENDPOINT
bucket=lamtool-checks-$$
/usr/bin/aws --endpoint-url "$s3" s3api create-bucket --bucket "$bucket" >/dev/null

# 1. Conditional writes (S3 semantics, enforced by the proxy).
obj="$s3/$bucket/state.json"
expect 200 '' PUT "$obj" s3 --data '{"v":1}' --header 'If-None-Match: *'
expect 412 '<Code>PreconditionFailed</Code>' PUT "$obj" s3 --data '{"v":2}' --header 'If-None-Match: *'
etag=$(/usr/bin/aws --endpoint-url "$s3" s3api head-object --bucket "$bucket" --key state.json \
  --query ETag --output text)
expect 200 '' PUT "$obj" s3 --data '{"v":2}' --header "If-Match: $etag"
expect 412 '<Condition>If-Match</Condition>' PUT "$obj" s3 --data '{"v":3}' --header "If-Match: $etag"
expect 404 '<Code>NoSuchKey</Code>' PUT "$s3/$bucket/absent" s3 --data x --header "If-Match: $etag"
/usr/bin/aws --endpoint-url "$s3" s3 cp --only-show-errors "s3://$bucket/state.json" "$work/state"
[[ "$(cat "$work/state")" == '{"v":2}' ]] || fail "state after conditional writes: $(cat "$work/state")"

# 2. Eight racing creates of one key: exactly one wins.
for i in 1 2 3 4 5 6 7 8; do
  req PUT "$s3/$bucket/race" s3 --data "writer $i" --header 'If-None-Match: *' > "$work/race.$i" &
done
wait
wins=$(head -qn1 "$work"/race.* | grep -c '^200$' || true)
lost=$(head -qn1 "$work"/race.* | grep -c '^412$' || true)
[[ "$wins" == 1 && "$lost" == 7 ]] || fail "racing creates: $wins won, $lost got 412"

# 3. Clock skew beyond 15 minutes, either way; 10 minutes is still fine.
expect 403 '<Code>RequestTimeTooSkewed</Code>' PUT "$obj" s3 --data x --skew-seconds 1000
expect 403 '<Code>RequestTimeTooSkewed</Code>' GET "$obj" s3 --skew-seconds -1000
expect 200 '' GET "$obj" s3 --skew-seconds -600
target=(--header 'X-Amz-Target: Kinesis_20131202.ListStreams' --header 'Content-Type: application/x-amz-json-1.1')
expect 400 '"__type":"InvalidSignatureException","message":"Signature expired' \
  POST "$kinesis/" kinesis --data '{}' "${target[@]}" --skew-seconds -1000
expect 200 'StreamNames' POST "$kinesis/" kinesis --data '{}' "${target[@]}"

# 4. Body other than the signed one; x-amz header added after signing.
expect 400 '<Code>XAmzContentSHA256Mismatch</Code>' PUT "$obj" s3 --data '{"v":9}' --send-data '{"v":8}'
expect 403 '<HeadersNotSigned>x-amz-meta-late</HeadersNotSigned>' PUT "$obj" s3 --data x \
  --unsigned-header 'x-amz-meta-late: 1'
expect 400 InvalidSignatureException POST "$kinesis/" kinesis --data '{}' --send-data '{ }' "${target[@]}"

# 4b. UNSIGNED-PAYLOAD: any body goes, and is stored as sent; session token header form.
expect 200 '' PUT "$s3/$bucket/unsigned" s3 --unsigned-payload --data 'signed?' --send-data 'not signed'
[[ "$(curl -sS "$(req GET "$s3/$bucket/unsigned" s3 --presign 60)")" == 'not signed' ]] \
  || fail "UNSIGNED-PAYLOAD body not stored as sent"
AWS_ACCESS_KEY_ID=$LAMTOOL_TEST_SESSION_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$LAMTOOL_TEST_SESSION_SECRET_ACCESS_KEY \
  expect 200 '' GET "$obj" s3 --session-token "$LAMTOOL_TEST_SESSION_TOKEN"
AWS_ACCESS_KEY_ID=$LAMTOOL_TEST_SESSION_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$LAMTOOL_TEST_SESSION_SECRET_ACCESS_KEY \
  expect 403 '<Code>InvalidToken</Code>' GET "$obj" s3 --session-token wrong-token
AWS_ACCESS_KEY_ID=$LAMTOOL_TEST_SESSION_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$LAMTOOL_TEST_SESSION_SECRET_ACCESS_KEY \
  expect 400 UnrecognizedClientException POST "$kinesis/" kinesis --data '{}' "${target[@]}" --session-token wrong

# 5. Presigned URLs: valid, expired (signed 20 minutes ago for 60 s), session token.
url=$(req GET "$obj" s3 --presign 60)
[[ "$(curl -sS "$url")" == '{"v":2}' ]] || fail "botocore presigned GET"
url=$(req GET "$obj" s3 --presign 60 --skew-seconds -1200)
code=$(curl -s -o "$work/expired.xml" -w '%{http_code}' "$url")
[[ "$code" == 403 ]] && grep -q '<Message>Request has expired</Message>' "$work/expired.xml" \
  || fail "expired presigned URL: $code $(cat "$work/expired.xml")"
url=$(AWS_ACCESS_KEY_ID=$LAMTOOL_TEST_SESSION_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$LAMTOOL_TEST_SESSION_SECRET_ACCESS_KEY \
  req GET "$obj" s3 --presign 60 --session-token "$LAMTOOL_TEST_SESSION_TOKEN")
[[ "$url" == *X-Amz-Security-Token=* && "$(curl -sS "$url")" == '{"v":2}' ]] || fail "presigned GET with session token"
code=$(curl -s -o "$work/tok.xml" -w '%{http_code}' "${url/X-Amz-Security-Token=/X-Amz-Security-Token=x}")
[[ "$code" == 403 ]] || fail "presigned URL with an altered token: $code"

# 6. The backends alone do not check signatures (s3rver checks only the key id).
AWS_SECRET_ACCESS_KEY=wrong-secret expect 200 '{"v":2}' GET "$LAMTOOL_TEST_S3_BACKEND/$bucket/state.json" s3
AWS_SECRET_ACCESS_KEY=wrong-secret expect 200 StreamNames POST "$LAMTOOL_TEST_KINESIS_BACKEND/" kinesis \
  --data '{}' "${target[@]}"
AWS_SECRET_ACCESS_KEY=wrong-secret expect 403 SignatureDoesNotMatch GET "$obj" s3
echo "PASS"
