#!/usr/bin/env bash
# Bad --grid, --extent, --bw or --method: exit 64 with a message naming the flag's value.
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
printf '1,2\n3,4\n5,7\n' > "$work/pts.csv"
check() {  # expected stderr text, flags...
  local want=$1; shift
  set +e
  "$LAMTOOL" kde --in "$work/pts.csv" "$@" > /dev/null 2> "$work/err"; rc=$?
  set -e
  [ "$rc" -eq 64 ] || { echo "$*: expected 64, got $rc"; exit 1; }
  grep -qF -- "$want" "$work/err" || { echo "want: $want"; cat "$work/err"; exit 1; }
}
check "--grid '0x5': expected NXxNY" --grid 0x5
check "--grid '400': expected NXxNY" --grid 400
check "--extent '1,0,0,1': expected x0,x1,y0,y1 with x0 < x1" --extent 1,0,0,1
check "--extent '0,1,0': expected four numbers" --extent 0,1,0
check "bandwidth factor -1: must be a positive number" --bw -1
check "--method 'fast': expected fft or exact" --method fast
check "--in: 1 required FILE missing" --grid 4x4 --in
