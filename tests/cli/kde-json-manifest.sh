#!/usr/bin/env bash
# --json prints the manifest when the grid goes to a file (three points: the fft
# evaluator sums the kernels directly, flagged direct_sum); with the grid on stdout it
# is a usage error (64).
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
printf '0,0,1\n4,0,1\n0,4,2\n' > "$work/pts.csv"
"$LAMTOOL" kde --in "$work/pts.csv" --weights --bw 0.5 --grid 20x10 --to "$work/g/grid.csv" \
  --json > "$work/manifest"
[ -f "$work/g/grid.csv" ] || { echo "grid file missing"; exit 1; }
for want in '"command":"kde"' '"points":3' '"weighted":true' '"factor":0.5' '"flags":["direct_sum"]' \
            '"grid":[20,10]'; do
  grep -qF "$want" "$work/manifest" || { echo "manifest lacks $want:"; cat "$work/manifest"; exit 1; }
done
# neff of weights 1,1,2 is 8/3 (hand arithmetic: 1 / (1/16 + 1/16 + 1/4)).
grep -qE '"neff":2\.66666666666666[0-9]*' "$work/manifest" || { echo "neff"; cat "$work/manifest"; exit 1; }
set +e
"$LAMTOOL" kde --in "$work/pts.csv" --json > /dev/null 2> "$work/err"; rc=$?
set -e
[ "$rc" -eq 64 ] || { echo "expected 64, got $rc"; exit 1; }
grep -q "lamtool: error: --json prints the manifest on stdout" "$work/err" || { cat "$work/err"; exit 1; }
