#!/usr/bin/env bash
# kinesis put --dry-run: reads and checks every line, plans batches, sends nothing.
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for i in $(seq 1 1203); do echo "{\"pred_id\":\"p$i\",\"count\":$i}"; done >"$work/in.jsonl"
echo >>"$work/in.jsonl"   # an empty line is skipped
env -i PATH="$PATH" HOME="$work" "$LAMTOOL" kinesis put --stream kinesis://preds \
  --partition-key-field pred_id --in "$work/in.jsonl" --dry-run --json >"$work/out" 2>"$work/err"
grep -q '"records":1203' "$work/out"
grep -q '"batches":3' "$work/out"
grep -q '"stream":"preds"' "$work/out"
test ! -s "$work/err"
