#!/usr/bin/env bash
# Uploading a file that does not exist: exit 66 naming it.
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
set +e
env -i PATH="$PATH" HOME="$work" "$LAMTOOL" s3 put "$work/nope.png" s3://my-bucket/k --dry-run \
  >"$work/out" 2>"$work/err"
rc=$?
set -e
[ "$rc" -eq 66 ] || { echo "exit $rc"; cat "$work/err"; exit 1; }
grep -qF "$work/nope.png" "$work/err"
