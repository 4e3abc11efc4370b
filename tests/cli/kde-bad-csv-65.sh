#!/usr/bin/env bash
# A malformed or non-finite field is a data error naming the file and line; nothing is written.
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
check() {  # file, expected stderr text
  set +e
  "$LAMTOOL" kde --in "$1" --to "$work/grid.csv" 2> "$work/err"; rc=$?
  set -e
  [ "$rc" -eq 65 ] || { echo "expected 65, got $rc"; exit 1; }
  grep -qF "lamtool: error: $2" "$work/err" || { echo "want: $2"; cat "$work/err"; exit 1; }
  [ ! -e "$work/grid.csv" ] || { echo "partial output"; exit 1; }
}
printf 'x,y\n1,2\n3,oops\n' > "$work/a.csv"
check "$work/a.csv" "'$work/a.csv' line 3: field 2 'oops' is not a number"
printf '1,2\ninf,2\n' > "$work/b.csv"
check "$work/b.csv" "'$work/b.csv' line 2: field 1 'inf' is not finite"
printf '1,2,3,4\n' > "$work/c.csv"
check "$work/c.csv" "'$work/c.csv' line 1: expected 2 or 3 (x,y[,w]) fields, got 4"
