#!/usr/bin/env bash
# Debian's awscli (a client that is not ours) through the SigV4-checking proxy in front
# of s3rver: everything succeeds with the right secret, and a wrong secret, an unknown
# key or a bad session token is refused the way S3 refuses it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
aws_env "$work"
aws() { /usr/bin/aws --endpoint-url "$LAMTOOL_TEST_S3_ENDPOINT" --no-cli-pager "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_error() {  # expect_error CODE COMMAND...: the command fails and stderr names CODE
  local code=$1; shift
  if "$@" >"$work/out" 2>"$work/err"; then fail "succeeded, expected $code: $*"; fi
  grep -q "$code" "$work/err" || fail "expected $code from '$*', got: $(cat "$work/err")"
}

bucket=lamtool-awscli-$$
aws s3api create-bucket --bucket "$bucket" >/dev/null

# 1. Up and down with a key that needs encoding: '+', space and unicode.
key='dir/a+b c/ü €.txt'
printf 'hello through the proxy\n' > "$work/small.txt"
aws s3 cp --only-show-errors "$work/small.txt" "s3://$bucket/$key"
aws s3 cp --only-show-errors "s3://$bucket/$key" "$work/small.back"
cmp "$work/small.txt" "$work/small.back" || fail "small object changed on the way"
aws s3api list-objects-v2 --bucket "$bucket" --query 'Contents[].Key' --output text > "$work/keys"
grep -qxF "$key" "$work/keys" || fail "key not listed as '$key': $(cat "$work/keys")"

# 2. 20 MiB: awscli switches to multipart above 8 MiB (default multipart_threshold).
head -c $((20 * 1024 * 1024)) /dev/urandom > "$work/big.bin"
aws --debug s3 cp --only-show-errors "$work/big.bin" "s3://$bucket/big.bin" 2>"$work/debug.log"
# s3rver stores a plain MD5 ETag even for multipart objects, so count awscli's calls.
parts=$(grep -c 'Making request for OperationModel(name=UploadPart)' "$work/debug.log" || true)
[[ "$parts" == 3 ]] || fail "expected 3 UploadPart calls (8+8+4 MiB), got $parts"
grep -q 'OperationModel(name=CompleteMultipartUpload)' "$work/debug.log" \
  || fail "no CompleteMultipartUpload in the awscli debug log"
aws s3 cp --only-show-errors "s3://$bucket/big.bin" "$work/big.back"
cmp "$work/big.bin" "$work/big.back" || fail "20 MiB object changed on the way"

# 3. Presigned GET with curl; a tampered signature or another key's secret is refused.
url=$(aws s3 presign "s3://$bucket/$key" --expires-in 300)
[[ "$url" == *X-Amz-Signature=* ]] || fail "not a SigV4 presigned URL: $url"
curl -sS --fail "$url" > "$work/presigned.back"
cmp "$work/small.txt" "$work/presigned.back" || fail "presigned GET returned other bytes"
# Change the signature's last hex digit to another one (not always to 0: it may be 0).
last=${url: -1}
code=$(curl -s -o "$work/bad.xml" -w '%{http_code}' "${url%?}$([[ $last == 0 ]] && echo 1 || echo 0)")
[[ "$code" == 403 ]] && grep -q '<Code>SignatureDoesNotMatch</Code>' "$work/bad.xml" \
  || fail "tampered presigned URL: $code $(cat "$work/bad.xml")"
badurl=$(AWS_SECRET_ACCESS_KEY=wrong-secret aws s3 presign "s3://$bucket/$key")
code=$(curl -s -o "$work/bad.xml" -w '%{http_code}' "$badurl")
[[ "$code" == 403 ]] && grep -q '<Code>SignatureDoesNotMatch</Code>' "$work/bad.xml" \
  || fail "presigned URL with a wrong secret: $code $(cat "$work/bad.xml")"

# 4. Wrong secret, unknown key id.
AWS_SECRET_ACCESS_KEY=wrong-secret expect_error SignatureDoesNotMatch \
  aws s3api get-object --bucket "$bucket" --key "$key" "$work/x"
AWS_SECRET_ACCESS_KEY=wrong-secret expect_error SignatureDoesNotMatch \
  aws s3api put-object --bucket "$bucket" --key other --body "$work/small.txt"
AWS_ACCESS_KEY_ID=AKIDNOTKNOWN0000000 expect_error InvalidAccessKeyId \
  aws s3api list-objects-v2 --bucket "$bucket"

# 5. Session credentials: right token works, a wrong or missing token does not.
(
  export AWS_ACCESS_KEY_ID=$LAMTOOL_TEST_SESSION_ACCESS_KEY_ID
  export AWS_SECRET_ACCESS_KEY=$LAMTOOL_TEST_SESSION_SECRET_ACCESS_KEY
  AWS_SESSION_TOKEN=$LAMTOOL_TEST_SESSION_TOKEN aws s3api head-object --bucket "$bucket" --key "$key" >/dev/null
  AWS_SESSION_TOKEN=not-the-token expect_error InvalidToken \
    aws s3api get-object --bucket "$bucket" --key "$key" "$work/x"
  AWS_SESSION_TOKEN=not-the-token expect_error InvalidToken \
    aws s3api put-object --bucket "$bucket" --key other --body "$work/small.txt"
  # Without the token HEAD gets a bare 403 (a HEAD answer has no body to carry the code).
  expect_error "(403)" aws s3api head-object --bucket "$bucket" --key "$key"
)

# 6. Nothing got stored by the refused PUT.
expect_error "404" aws s3api head-object --bucket "$bucket" --key other
echo "PASS"
