#!/usr/bin/env bash
# s3 put/get/presign through the SigV4-checking proxy, checked with clients not ours:
# keys with '+', spaces and unicode; --content-type, --cache-control and --metadata as
# awscli's head-object sees them; a PNG without extension typed from its bytes; objects
# written by awscli read by lamtool and the other way, byte for byte; a presigned URL
# fetched with curl.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"

bucket=$(unique_name roundtrip)
check s3-mkbucket "$bucket"
head -c 70000 /dev/urandom >"$WORK/random.bin"

# 1. Awkward key, explicit headers, metadata: what awscli's head-object reports.
key='a+b c/é 日本+%20.csv'
printf 'x,y\n1,2\n' >"$WORK/table"
run s3 put "$WORK/table" "s3://$bucket/$key" --content-type 'text/csv; charset=utf-8' \
  --cache-control max-age=300 --metadata owner=lamtool --metadata run-id=42 --json
expect_rc 0
[ "$(json_get "$OUT" 'j["outputs"][0]["uri"]')" == "s3://$bucket/$key" ] || fail "manifest uri: $OUT"
s3cli s3api head-object --bucket "$bucket" --key "$key" >"$WORK/head.json" || fail "head-object '$key'"
head=$(cat "$WORK/head.json")
[ "$(json_get "$head" 'j["ContentType"]')" == "text/csv; charset=utf-8" ] || fail "type: $head"
[ "$(json_get "$head" 'j["CacheControl"]')" == "max-age=300" ] || fail "cache-control: $head"
[ "$(json_get "$head" 'j["Metadata"] == {"owner": "lamtool", "run-id": "42"}')" == True ] || fail "metadata: $head"
[ "$(json_get "$head" 'j["ContentLength"]')" == 8 ] || fail "length: $head"
run s3 get "s3://$bucket/$key" "$WORK/table.back"
expect_rc 0
cmp "$WORK/table" "$WORK/table.back" || fail "get of '$key' differs"

# 2. A PNG with no extension: image/png from its bytes (botocore's head_object).
/usr/bin/python3 - "$WORK/picture" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
run s3 put "$WORK/picture" "s3://$bucket/images/"
expect_rc 0
[ "$(json_get "$(check s3-head "$bucket" images/picture)" 'j["ContentType"]')" == image/png ] \
  || fail "PNG without extension not typed image/png"

# 3. awscli writes, lamtool reads (to stdout) byte for byte.
s3cli s3 cp --only-show-errors "$WORK/random.bin" "s3://$bucket/from aws/ü+1.bin" || fail "aws s3 cp up"
set +e
"$LAMTOOL" s3 get "s3://$bucket/from aws/ü+1.bin" - >"$WORK/from-aws" 2>"$WORK/err"
rc=$?
set -e
[ "$rc" -eq 0 ] || fail "s3 get exit $rc: $(cat "$WORK/err")"
cmp "$WORK/random.bin" "$WORK/from-aws" || fail "lamtool read other bytes than awscli wrote"

# 4. lamtool writes (from stdin), awscli reads byte for byte.
run_stdin "$WORK/random.bin" s3 put - "s3://$bucket/to aws/日本 +.bin"
expect_rc 0
s3cli s3 cp --only-show-errors "s3://$bucket/to aws/日本 +.bin" "$WORK/to-aws" || fail "aws s3 cp down"
cmp "$WORK/random.bin" "$WORK/to-aws" || fail "awscli read other bytes than lamtool wrote"

# 5. A presigned URL fetched by curl returns the object; tampered, it is refused.
run s3 presign "s3://$bucket/to aws/日本 +.bin" --expires 120
expect_rc 0
curl -sS --fail -o "$WORK/presigned" "$OUT" || fail "curl of the presigned URL"
cmp "$WORK/random.bin" "$WORK/presigned" || fail "presigned GET returned other bytes"
code=$(curl -s -o /dev/null -w '%{http_code}' "${OUT/X-Amz-Expires=120/X-Amz-Expires=121}")
[ "$code" == 403 ] || fail "tampered presigned URL answered $code"
