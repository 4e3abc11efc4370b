#!/usr/bin/env bash
# lamtool kde writes the grid CSV to stdout by default: 1 + ny lines of 1 + nx fields,
# the first row the x coordinates (linspace over the extent), the first column the y's.
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
printf 'x,y\n0,0\n1,0.8\n-1,1\n2,-1\n0.5,0.5\n' > "$work/pts.csv"
"$LAMTOOL" kde --in "$work/pts.csv" --grid 5x3 --extent -2,2,-1,1 > "$work/out" 2> "$work/err"
[ "$(wc -l < "$work/out")" -eq 4 ] || { echo "expected 4 lines"; cat "$work/out"; exit 1; }
[ "$(head -1 "$work/out")" = ",-2,-1,0,1,2" ] || { echo "bad header row"; head -1 "$work/out"; exit 1; }
[ "$(cut -d, -f1 "$work/out" | tail -3 | tr '\n' ' ')" = "-1 0 1 " ] || { echo "bad y column"; exit 1; }
awk -F, 'NR > 1 && NF != 6 { bad = 1 } END { exit bad }' "$work/out" || { echo "ragged rows"; exit 1; }
[ ! -s "$work/err" ] || { echo "unexpected stderr:"; cat "$work/err"; exit 1; }
# The same from stdin, with the exact evaluator.
"$LAMTOOL" kde --in - --grid 5x3 --extent -2,2,-1,1 --method exact < "$work/pts.csv" > "$work/out2"
[ "$(wc -l < "$work/out2")" -eq 4 ] || { echo "stdin: expected 4 lines"; exit 1; }
