#!/usr/bin/env bash
# Usage errors exit 64 with a one-line message, before any credential lookup.
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
check() {  # expected-substring command...
  local want=$1; shift
  set +e; env -i PATH="$PATH" HOME="$work" "$LAMTOOL" "$@" >"$work/out" 2>"$work/err"; rc=$?; set -e
  [ "$rc" -eq 64 ] || { echo "exit $rc for: $*"; cat "$work/err"; exit 1; }
  grep -qF "$want" "$work/err" || { echo "no '$want' in:"; cat "$work/err"; exit 1; }
  [ "$(wc -l <"$work/err")" -eq 1 ]
}
check "no key after the bucket" s3 get s3://my-bucket/
check "expires '604801': must be from 1 to 604800" s3 presign s3://my-bucket/k --expires 604801
check "not a valid S3 bucket name" s3 presign s3://My_Bucket/k
check "expected NAME=VALUE" s3 put /etc/hostname s3://my-bucket/k --metadata novalue --dry-run
check "invalid stream name 'bad name'" kinesis put --stream 'bad name'
check "excludes" kinesis put --stream s --partition-key a --partition-key-field b
