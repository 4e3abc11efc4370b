#!/usr/bin/env bash
# What flushing each output to disk costs (AtomicFile::commit: fsync of the file before
# its rename, of the directory after): one binary, run as is and with fsync made a
# no-op (an LD_PRELOAD shim built here with cc), on typical outputs: alarm (a few
# bytes), a shot-map PNG, a 12-frame GIF. 40 runs each in eight alternating blocks of
# five (load on a shared machine falls on both alike); medians and the difference. The
# outputs go to DIR (default $TMPDIR or /tmp): the cost depends on its file system,
# printed first. Not a test: run by hand.
#   tests/bench/fsync_bench.sh [build/lamtool] [DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lamtool=${1:-$here/../../build/lamtool}
dir=$(mktemp -d "${2:-${TMPDIR:-/tmp}}/fsync-bench-XXXXXX")
trap 'rm -rf "$dir"' EXIT
printf 'int fsync(int fd) { (void)fd; return 0; }\n' >"$dir/nofsync.c"
cc -shared -fPIC -O2 -o "$dir/nofsync.so" "$dir/nofsync.c"
export LAMTOOL_DATA_DIR=${LAMTOOL_DATA_DIR:-$here/../../data}
game=$here/../fixtures/nhl/apiweb_1917020901_OWL-at-FOX.json
frames=("$here"/../../data/gif/demo/frame-*.png)
echo "file system of $dir: $(stat -f -c %T "$dir")"
cmds=()
for preload in "" "$dir/nofsync.so"; do
  cmds+=("env LD_PRELOAD=$preload $lamtool alarm --to $dir/alarm/"
    "env LD_PRELOAD=$preload $lamtool shotmap --game-file $game --to $dir/map.png"
    "env LD_PRELOAD=$preload $lamtool gif ${frames[*]} --to $dir/loop.gif")
done
for block in 1 2 3 4 5 6 7 8; do
  hyperfine -N --style none --warmup 1 --runs 5 --export-json "$dir/block$block.json" "${cmds[@]}" >/dev/null 2>&1
done
/usr/bin/python3 - "$dir" "$lamtool" <<'PY'
import glob, json, statistics, sys
dir, lamtool = sys.argv[1], sys.argv[2]
times = {}
for f in sorted(glob.glob(dir + "/block*.json")):
    for r in json.load(open(f))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
rows = {}
for cmd, t in times.items():
    shim = "nofsync.so" in cmd
    job = cmd.split(lamtool + " ", 1)[1].split()[0]
    rows.setdefault(job, {})[shim] = statistics.median(t) * 1000
for job, r in rows.items():
    print(f"{job:8s} with fsync {r[False]:7.2f} ms   without {r[True]:7.2f} ms   "
          f"cost {r[False] - r[True]:+6.2f} ms ({len(times[next(iter(times))])} runs each, medians)")
PY
