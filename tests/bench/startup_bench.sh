#!/usr/bin/env bash
# Start-up, against DESIGN's budget (`lamtool --version` within 4x /bin/true): wall time
# of /bin/true, `lamtool --version` and `lamtool alarm --to DIR/`, 30 runs each in six
# alternating blocks of five (so load on a shared machine falls on all alike), medians and
# ratios to /bin/true, and the shared libraries each loads. With a second binary (an
# older build), both are measured side by side. Not a test: run by hand.
#   tests/bench/startup_bench.sh [build/lamtool] [other/lamtool]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bins=("${1:-$here/../../build/lamtool}")
[ -n "${2:-}" ] && bins+=("$2")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cmds=(/bin/true)
for b in "${bins[@]}"; do
  cmds+=("$b --version" "$b alarm --to $out/alarm/")
done
for block in 1 2 3 4 5 6; do
  hyperfine -N --warmup 2 --runs 5 --export-json "$out/block$block.json" "${cmds[@]}" >/dev/null
done
/usr/bin/python3 - "$out" "${cmds[@]}" <<'PY'
import json, statistics, sys, glob
out, cmds = sys.argv[1], sys.argv[2:]
times = {c: [] for c in cmds}
for f in sorted(glob.glob(out + "/block*.json")):
    for r in json.load(open(f))["results"]:
        times[r["command"]] += r["times"]
base = statistics.median(times["/bin/true"])
for c in cmds:
    m = statistics.median(times[c])
    shown = c.replace(out, "DIR")
    print(f"{shown:70s} median {m * 1000:6.2f} ms  {m / base:4.1f}x /bin/true  ({len(times[c])} runs)")
PY
for b in "${bins[@]}"; do
  for args in "--version" "alarm --to $out/alarm/"; do
    # shellcheck disable=SC2086
    n=$(LD_DEBUG=libs "$b" $args 2>&1 >/dev/null | grep -c 'calling init:' || true)
    echo "$b ${args/$out/DIR}: $n shared objects initialised"
  done
done
