#!/usr/bin/env bash
# No points: exit 65 naming the file, and no grid written; one point: the fallback kernel,
# flagged.
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for input in 'x,y\n' ''; do
  printf "$input" > "$work/empty.csv"
  rc=0
  "$LAMTOOL" kde --in "$work/empty.csv" --grid 4x3 --to "$work/none.csv" 2> "$work/err" || rc=$?
  [ "$rc" -eq 65 ] || { echo "no points: expected 65, got $rc"; cat "$work/err"; exit 1; }
  grep -qF "lamtool: error: '$work/empty.csv': no points: expected CSV rows x,y[,w]" "$work/err" \
    || { cat "$work/err"; exit 1; }
  [ "$(wc -l < "$work/err")" -eq 1 ] || { echo "not one line"; cat "$work/err"; exit 1; }
  [ ! -e "$work/none.csv" ] || { echo "a grid was written"; exit 1; }
done
printf '10,5\n' > "$work/one.csv"
"$LAMTOOL" kde --in "$work/one.csv" --to "$work/g.csv" --json > "$work/m" 2> "$work/err"
grep -qF '"flags":["too_few_points","fallback_kernel"' "$work/m" || { cat "$work/m"; exit 1; }
grep -q "lamtool: warning: kde: fallback_kernel" "$work/err" || { cat "$work/err"; exit 1; }
grep -qi "nan" "$work/g.csv" && { echo "NaN in grid"; exit 1; }
exit 0
