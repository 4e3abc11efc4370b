#!/usr/bin/env bash
# A line without the partition-key field: exit 65 naming the file and line, nothing sent.
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
printf '{"pred_id":"a"}\n{"other":1}\n' >"$work/in.jsonl"
set +e
env -i PATH="$PATH" HOME="$work" AWS_EC2_METADATA_DISABLED=true "$LAMTOOL" kinesis put \
  --stream preds --partition-key-field pred_id --in "$work/in.jsonl" >"$work/out" 2>"$work/err"
rc=$?
set -e
[ "$rc" -eq 65 ] || { echo "exit $rc"; cat "$work/err"; exit 1; }
grep -qF "lamtool: error: '$work/in.jsonl' line 2: no field 'pred_id' for the partition key" "$work/err"
test ! -s "$work/out"
