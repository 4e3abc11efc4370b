#!/usr/bin/env bash
# s3 put above 16 MiB takes the CLI's default multipart path (8 MiB parts): 20 MiB of
# random bytes through the SigV4-checking proxy, read back identical by awscli.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"

bucket=$(unique_name multipart)
check s3-mkbucket "$bucket"
head -c $((20 * 1024 * 1024)) /dev/urandom >"$WORK/big.bin"
run s3 put "$WORK/big.bin" "s3://$bucket/big/data.bin" -v
expect_rc 0
# 20 MiB in 8 MiB parts: 8 + 8 + 4.
expect_err_contains "(20971520 bytes, 3 parts,"
s3cli s3api get-object --bucket "$bucket" --key big/data.bin "$WORK/back.bin" >"$WORK/meta.json" \
  || fail "awscli get-object"
cmp "$WORK/big.bin" "$WORK/back.bin" || fail "multipart object differs"
# The requests (-v logs each): create, three part uploads, complete; no PutObject.
grep -Eq '^lamtool: debug: s3: POST .*/big/data\.bin\?uploads(=)?$' "$WORK/.err" || fail "no CreateMultipartUpload: $ERR"
for n in 1 2 3; do
  grep -Eq "^lamtool: debug: s3: PUT .*/big/data\.bin\?partNumber=$n&uploadId=" "$WORK/.err" || fail "no part $n: $ERR"
done
grep -Eq '^lamtool: debug: s3: POST .*/big/data\.bin\?uploadId=' "$WORK/.err" || fail "no CompleteMultipartUpload: $ERR"
[ "$(grep -c '^lamtool: debug: s3: PUT' "$WORK/.err")" -eq 3 ] || fail "expected exactly 3 PUTs: $ERR"
