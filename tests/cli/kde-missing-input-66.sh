#!/usr/bin/env bash
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
set +e
"$LAMTOOL" kde --in "$work/nope.csv" --to "$work/grid.csv" 2> "$work/err"; rc=$?
set -e
[ "$rc" -eq 66 ] || { echo "expected 66, got $rc"; exit 1; }
grep -q "lamtool: error: cannot open file '$work/nope.csv': No such file or directory" "$work/err" \
  || { cat "$work/err"; exit 1; }
[ ! -e "$work/grid.csv" ] || { echo "partial output"; exit 1; }
