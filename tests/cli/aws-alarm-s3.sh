#!/usr/bin/env bash
# alarm --to s3://bucket/ through the SigV4-checking proxy: the object lands as
# wake-up/<LAMTOOL_NOW>.txt with body "WAKE UP\n" and Content-Type exactly
# "text/plain; charset=utf-8", read back by Debian's awscli (DESIGN.md section 6).
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"

bucket=$(unique_name alarm)
check s3-mkbucket "$bucket"
# LAMTOOL_NOW names the key (requests are signed with the real clock; a backdated
# LAMTOOL_NOW is tested in aws-now-backdated.sh).
now=$(date -u +%s)
LAMTOOL_NOW=$(date -u -d "@$now" +%Y-%m-%dT%H:%M:%SZ)
export LAMTOOL_NOW
key=wake-up/$(date -u -d "@$now" +%Y-%m-%dT%H-%M-%SZ).txt
run alarm --to "s3://$bucket/"
expect_rc 0
expect_err_empty
[ -z "$OUT" ] || fail "alarm is silent on success, printed: $OUT"

s3cli s3api get-object --bucket "$bucket" --key $key "$WORK/got" \
  >"$WORK/meta.json" || fail "awscli cannot read $key"
printf 'WAKE UP\n' | cmp - "$WORK/got" || fail "body: $(od -c "$WORK/got")"
type=$(json_get "$(cat "$WORK/meta.json")" 'j["ContentType"]')
[ "$type" == "text/plain; charset=utf-8" ] || fail "Content-Type '$type'"
[ "$(json_get "$(cat "$WORK/meta.json")" 'j["ContentLength"]')" == 8 ] || fail "length"
