#!/usr/bin/env bash
# No credentials anywhere: exit 78 and a message naming every place looked.
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
set +e
env -i PATH="$PATH" HOME="$work" AWS_EC2_METADATA_DISABLED=true \
  "$LAMTOOL" s3 presign s3://my-bucket/k >"$work/out" 2>"$work/err"
rc=$?
set -e
[ "$rc" -eq 78 ] || { echo "exit $rc"; cat "$work/err"; exit 1; }
for want in "no AWS credentials found" AWS_ACCESS_KEY_ID "$work/.aws/credentials" \
            "$work/.aws/config" AWS_CONTAINER_CREDENTIALS_RELATIVE_URI "instance metadata"; do
  grep -qF "$want" "$work/err" || { echo "missing '$want'"; cat "$work/err"; exit 1; }
done
test ! -s "$work/out"
