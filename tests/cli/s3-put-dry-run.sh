#!/usr/bin/env bash
# s3 put --dry-run: key from a prefix plus the file's name, type from the bytes, no upload
# (no credentials needed), manifest on stdout.
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
printf '\x89PNG\r\n\x1a\n0000' > "$work/chart.bin"
env -i PATH="$PATH" HOME="$work" AWS_EC2_METADATA_DISABLED=true \
  "$LAMTOOL" s3 put "$work/chart.bin" s3://my-bucket/png/ --dry-run --json >"$work/out" 2>"$work/err"
grep -q '"uri":"s3://my-bucket/png/chart.bin"' "$work/out"
grep -q '"content_type":"image/png"' "$work/out"
grep -q '"dry_run":true' "$work/out"
test ! -s "$work/err"
