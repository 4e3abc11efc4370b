#!/usr/bin/env bash
# shotmap end to end, lamtool against the original's Python stack (shotmap_ref.py:
# scipy gaussian_kde + matplotlib), side by side in one run on the same game file.
# Prints median wall times, the ratio, and peak memory. Not a test: run by hand.
#   tests/bench/shotmap_bench.sh [build/lamtool] [GAME.json]
# The default game is the real STL@SEA one when ../shared/data (or
# LAMTOOL_SHARED_DATA_DIR) is there, else the bundled synthetic game.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lamtool=${1:-$here/../../build/lamtool}
real=${LAMTOOL_SHARED_DATA_DIR:-$here/../../../shared/data}/shotmap/apiweb_2024020003_STL-at-SEA.json
[ -f "$real" ] || real=$here/../../data/nhl/apiweb_1917020900_GUL-at-PIN.json
game=${2:-$real}
export LAMTOOL_DATA_DIR=${LAMTOOL_DATA_DIR:-$here/../../data}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
hyperfine -N --warmup 3 --runs 30 --export-json "$out/lamtool.json" \
  "$lamtool shotmap --game-file $game --to $out/lamtool.png" >/dev/null
hyperfine -N --warmup 1 --runs 7 --export-json "$out/python.json" \
  "/usr/bin/python3 $here/shotmap_ref.py $game $out/python.png" >/dev/null
peak() {  # median of 5 peak RSS readings, MB
  for _ in 1 2 3 4 5; do /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; done |
    sort -n | sed -n 3p | awk '{printf "%.1f", $1 / 1024}'
}
lam_mem=$(peak "$lamtool" shotmap --game-file "$game" --to "$out/m.png")
py_mem=$(peak /usr/bin/python3 "$here/shotmap_ref.py" "$game" "$out/m2.png")
/usr/bin/python3 - "$out/lamtool.json" "$out/python.json" "$lam_mem" "$py_mem" <<'PY'
import json, sys
lam = json.load(open(sys.argv[1]))["results"][0]["median"] * 1000
py = json.load(open(sys.argv[2]))["results"][0]["median"] * 1000
print(f"shotmap end to end (median): lamtool {lam:.1f} ms, {sys.argv[3]} MB peak; "
      f"python {py:.0f} ms, {sys.argv[4]} MB peak; python/lamtool = {py / lam:.0f}x")
PY
