#!/usr/bin/env bash
# S3 refusals through the SigV4-checking proxy map to the documented exit codes with one
# error line naming the operation, and no secret or signature reaches stderr, even
# with -v: wrong secret 77, missing bucket 69, missing key 69 (nothing written), no
# credentials 78; a session key works with its token and fails 77 without it.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"

bucket=$(unique_name errors)
check s3-mkbucket "$bucket"
printf 'payload\n' >"$WORK/file.txt"

# 1. Wrong secret: 77, SignatureDoesNotMatch, one error line; with -v the debug lines
#    show neither the secret nor a signature.
real_secret=$AWS_SECRET_ACCESS_KEY
export AWS_SECRET_ACCESS_KEY="wrong/${real_secret:6}"
LAMTOOL_TEST_WRONG_SECRET=$AWS_SECRET_ACCESS_KEY
run s3 put "$WORK/file.txt" "s3://$bucket/k.txt"
expect_rc 77
expect_one_error_line
expect_err_contains "s3: PutObject '$bucket/k.txt' failed: 403 SignatureDoesNotMatch"
for cmd in "s3 put $WORK/file.txt s3://$bucket/k.txt" "s3 get s3://$bucket/k.txt -"; do
  # shellcheck disable=SC2086
  run -v $cmd
  expect_rc 77
  [ "$(grep -c '^lamtool: error: ' "$WORK/.err")" -eq 1 ] || fail "one error line expected: $ERR"
  expect_err_contains "403 SignatureDoesNotMatch"
  expect_err_contains "lamtool: debug: s3: "
  [[ "$ERR" != *"$LAMTOOL_TEST_WRONG_SECRET"* ]] || fail "wrong secret in stderr: $ERR"
  expect_no_secrets "$ERR$OUT"
done
export AWS_SECRET_ACCESS_KEY=$real_secret
check s3-head "$bucket" k.txt >/dev/null 2>&1 && fail "refused put stored the object"

# 2. Missing bucket and missing key: 69, one line; get leaves no file behind.
run s3 put "$WORK/file.txt" "s3://$(unique_name nobucket)/k.txt"
expect_rc 69
expect_one_error_line
expect_err_contains "PutObject"
expect_err_contains "404 NoSuchBucket"
mkdir "$WORK/out"
run s3 get "s3://$bucket/no/such key" "$WORK/out/x"
expect_rc 69
expect_one_error_line
expect_err_contains "s3: GetObject '$bucket/no/such key' failed: 404 NoSuchKey"
expect_empty_dir "$WORK/out"
run s3 get "s3://$(unique_name nobucket)/k" "$WORK/out/x"
expect_rc 69
expect_err_contains "404 NoSuchBucket"
expect_empty_dir "$WORK/out"

# 3. No credentials anywhere: 78 before any request.
set +e
env -i PATH="$PATH" HOME="$WORK" AWS_EC2_METADATA_DISABLED=true \
  AWS_ENDPOINT_URL_S3="$LAMTOOL_TEST_S3_ENDPOINT" \
  "$LAMTOOL" s3 put "$WORK/file.txt" "s3://$bucket/k.txt" >"$WORK/.out" 2>"$WORK/.err"
RC=$?
set -e
ERR=$(cat "$WORK/.err")
expect_rc 78
expect_err_contains "no AWS credentials found"

# 4. Session credentials: with the token they work (put, get, presign); the same key
#    without its token or with another token is refused, 77.
export AWS_ACCESS_KEY_ID=$LAMTOOL_TEST_SESSION_ACCESS_KEY_ID
export AWS_SECRET_ACCESS_KEY=$LAMTOOL_TEST_SESSION_SECRET_ACCESS_KEY
export AWS_SESSION_TOKEN=$LAMTOOL_TEST_SESSION_TOKEN
run -v s3 put "$WORK/file.txt" "s3://$bucket/session.txt"
expect_rc 0
expect_no_secrets "$ERR"
run s3 get "s3://$bucket/session.txt" -
expect_rc 0
expect_out payload
run s3 presign "s3://$bucket/session.txt"
expect_rc 0
[ "$(curl -sS --fail "$OUT")" == payload ] || fail "presigned URL with a session token"
unset AWS_SESSION_TOKEN
run s3 get "s3://$bucket/session.txt" -
expect_rc 77
expect_one_error_line
expect_err_contains "GetObject '$bucket/session.txt' failed: 403"
export AWS_SESSION_TOKEN=not-the-token
run s3 put "$WORK/file.txt" "s3://$bucket/session.txt"
expect_rc 77
expect_err_contains "PutObject '$bucket/session.txt' failed: 403"
