#!/usr/bin/env bash
# No points: a zero grid and a no_points warning; one point: the fallback kernel, flagged.
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
printf 'x,y\n' > "$work/empty.csv"
"$LAMTOOL" kde --in "$work/empty.csv" --grid 4x3 > "$work/out" 2> "$work/err"
grep -q "lamtool: warning: kde: no_points" "$work/err" || { cat "$work/err"; exit 1; }
[ "$(tail -n +2 "$work/out" | cut -d, -f2- | tr ',\n' '  ' | tr -d ' 0')" = "" ] \
  || { echo "grid not all zero"; cat "$work/out"; exit 1; }
printf '10,5\n' > "$work/one.csv"
"$LAMTOOL" kde --in "$work/one.csv" --to "$work/g.csv" --json > "$work/m" 2> "$work/err"
grep -qF '"flags":["too_few_points","fallback_kernel"' "$work/m" || { cat "$work/m"; exit 1; }
grep -q "lamtool: warning: kde: fallback_kernel" "$work/err" || { cat "$work/err"; exit 1; }
grep -qi "nan" "$work/g.csv" && { echo "NaN in grid"; exit 1; }
exit 0
