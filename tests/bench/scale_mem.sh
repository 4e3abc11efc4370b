#!/usr/bin/env bash
# Peak memory at scale (issue 13): inputs far bigger than memory should be, streamed
# through a pipe, so nothing can be mapped or read ahead from a file.
#
#   tests/bench/scale_mem.sh [LAMTOOL]        (default build/lamtool)
#
# - predict over GB (5) GiB of JSON Lines payloads, and over 1/100 and 1/10 of that;
# - plot-candles --period both --volume over TICKS (10,000,000) CSV ticks, and over
#   1/100 and 1/10 of them.
# The Python stack of the originals (predict_ref.py: pandas + scikit-learn;
# candles_ref.py: pandas + mplfinance, when tests/bench/mplfinance_env.sh finds it) runs
# on the two smaller sizes only, PY=0 skips it: its peak grows with the input, and at the
# full size it would need many gigabytes.
# Each run is one process under tests/bench/timed_run.py (peak RSS from wait4, what
# /usr/bin/time %M reads), stdin a FIFO fed by the generator, stdout a FIFO counted by
# wc: every record must come out (one prediction per payload line; for plot-candles the
# manifest's tick count). Runs are pinned to cpu CPU (1), the generator to the other.
# Prints per case: input size, wall seconds, MB/s, peak MB; then the peak at the full
# size against the smallest ("flat" when within 10%). Wall times include waiting for
# the generator (make_ticks.py is the slower side for plot-candles): the figure that
# matters here is the peak.
# Not a test (ctest never runs it). Knobs: GB=5 TICKS=10000000 PY=1 CPU=1 (GB=0 or
# TICKS=0 leaves that command out).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
GB=${GB:-5} TICKS=${TICKS:-10000000} PY=${PY:-1} CPU=${CPU:-1}
bin=$(realpath "${1:-$here/../../build/lamtool}")
export LAMTOOL_DATA_DIR=${LAMTOOL_DATA_DIR:-$here/../../data}
CSV=$here/../../data/predict/london_merged.csv
[ -f "$CSV" ] || CSV=${LAMTOOL_SHARED_DATA_DIR:-$here/../../../shared/data}/predict/london_merged.csv
gen_cpu=$(( CPU == 0 ? 1 : 0 ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One block of 2^20 distinct payload lines (about 90 MB), repeated to make any size.
/usr/bin/python3 - "$work/block.jsonl" <<'EOF'
import json, random, sys
rng = random.Random(20261201)
with open(sys.argv[1], "w") as out:
    for i in range(1, (1 << 20) + 1):
        t1 = rng.randrange(-10, 71) / 2
        f = {"t1": t1, "t2": t1 - rng.randrange(0, 8) / 2, "hum": rng.randrange(40, 201) / 2,
             "weather_code": rng.choice([1, 2, 3, 4, 7, 10, 26])}
        out.write(json.dumps({"features": f, "pred_id": i}, separators=(",", ":")) + "\n")
EOF
block_bytes=$(stat -c %s "$work/block.jsonl")
block_lines=$((1 << 20))

# feed_predict LINES: whole blocks, then the head of one.
feed_predict() {
  local full=$(( $1 / block_lines )) i
  for ((i = 0; i < full; i++)); do cat "$work/block.jsonl"; done
  head -n "$(( $1 - full * block_lines ))" "$work/block.jsonl"
}
# feed_ticks N: N ticks over 2020-2024 trading days (make_ticks.py, fixed seed), 1%
# out of order within their day.
feed_ticks() {
  /usr/bin/python3 "$here/make_ticks.py" /dev/stdout --start 2020-01-01 --end 2024-12-31 \
    --ticks "$1" --out-of-order 0.01 2>/dev/null
}

# run LABEL MB OUT ARGV...: one pinned run of ARGV, stdin the FIFO $work/in (whoever
# feeds it is already running), stdout OUT; prints one line and sets $peak_kib.
run() {
  local label=$1 mb=$2 out=$3 r wall kib rc; shift 3
  r=$(taskset -c "$CPU" /usr/bin/python3 "$here/timed_run.py" "$work/in" "$out" "$work/stderr" "$@")
  read -r wall kib rc <<< "$r"
  if [ "$rc" != 0 ]; then echo "scale_mem: $label exited $rc:" >&2; tail -3 "$work/stderr" >&2; exit 1; fi
  printf '%-46s %8.1f MB in %8.2f s %7.1f MB/s %7.1f MB peak\n' "$label" "$mb" "$wall" \
    "$(awk -v m="$mb" -v w="$wall" 'BEGIN { print m / (w > 0 ? w : 0.001) }')" \
    "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')"
  peak_kib=$kib
}
fifos() { rm -f "$work/in" "$work/out"; mkfifo "$work/in" "$work/out"; }
# flat LABEL SMALL_KIB BIG_KIB
flat() {
  awk -v l="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%s: peak %.1f MB at 1/100 of the input, %.1f MB at all of it (%+.0f%%): %s\n",
    l, a / 1024, b / 1024, (b - a) * 100 / a, (b <= a * 1.1 ? "flat" : "NOT flat") }'
}

echo "scale_mem: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg); runs on cpu $CPU, generators on cpu $gen_cpu"
full=$(( GB * 1024 * 1024 * 1024 ))
for div in $( ((GB > 0)) && echo 100 10 1); do
  want=$(( full / div * block_lines / block_bytes )) mb=$(( full / div / 1048576 ))
  fifos
  taskset -c "$gen_cpu" bash -c "$(declare -f feed_predict); $(declare -p work block_lines); feed_predict $want" > "$work/in" &
  wc -l < "$work/out" > "$work/count" &
  run "lamtool predict, $want records" "$mb" "$work/out" "$bin" predict
  wait
  [ "$(cat "$work/count")" = "$want" ] ||
    { echo "scale_mem: predict wrote $(cat "$work/count") predictions for $want records" >&2; exit 1; }
  case $div in 100) small=$peak_kib ;; 1) flat "lamtool predict" "$small" "$peak_kib" ;; esac
  if [ "$PY" = 1 ] && [ "$div" -gt 1 ]; then
    [ -f "$work/model.pkl" ] || /usr/bin/python3 "$here/predict_ref.py" --model "$work/model.pkl" "$CSV" < /dev/null
    fifos
    taskset -c "$gen_cpu" bash -c "$(declare -f feed_predict); $(declare -p work block_lines); feed_predict $want" > "$work/in" &
    wc -l < "$work/out" > "$work/count" &
    run "python predict_ref.py, $want records" "$mb" "$work/out" \
      /usr/bin/python3 "$here/predict_ref.py" --model "$work/model.pkl" "$CSV"
    wait
  fi
done

mpl=0
# shellcheck source=/dev/null
if [ "$PY" = 1 ]; then  # mplfinance_env.sh exits when mplfinance is missing: try it first
  if (source "$here/mplfinance_env.sh" >/dev/null && [ -n "${MPLFINANCE_VERSION:-}" ]); then
    source "$here/mplfinance_env.sh" >/dev/null; mpl=1
  else
    echo "python candles_ref.py: skipped, mplfinance not available (tests/bench/mplfinance_env.sh)"
  fi
fi
for div in $( ((TICKS > 0)) && echo 100 10 1); do
  n=$(( TICKS / div )) mb=$(( TICKS / div * 33 / 1048576 ))
  rm -rf "$work/charts"; fifos
  taskset -c "$gen_cpu" bash -c "$(declare -f feed_ticks); $(declare -p here); feed_ticks $n" > "$work/in" &
  run "lamtool plot-candles, $n ticks" "$mb" "$work/manifest.json" \
    "$bin" plot-candles --period both --volume --name ticks --to "$work/charts/" --json
  wait
  rows=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows"])' "$work/manifest.json")
  [ "$rows" = "$n" ] || { echo "scale_mem: plot-candles read $rows ticks of $n" >&2; exit 1; }
  [ -s "$work/charts/daily/ticks.png" ] && [ -s "$work/charts/weekly/ticks.png" ] ||
    { echo "scale_mem: plot-candles charts missing: $(ls -R "$work/charts")" >&2; exit 1; }
  case $div in 100) small=$peak_kib ;; 1) flat "lamtool plot-candles" "$small" "$peak_kib" ;; esac
  if [ "$mpl" = 1 ] && [ "$div" -gt 1 ]; then
    feed_ticks "$n" > "$work/ticks.csv"
    rm -f "$work/in"; mkfifo "$work/in"; : > "$work/in" &  # candles_ref.py reads its file
    run "python candles_ref.py (mplfinance), $n ticks" "$mb" /dev/null \
      /usr/bin/python3 "$here/candles_ref.py" "$work/ticks.csv" "$work/pycharts"
    wait
    rm -f "$work/ticks.csv"
  fi
done
