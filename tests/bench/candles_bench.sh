#!/usr/bin/env bash
# plot-candles end to end, lamtool against the original's Python stack (candles_ref.py:
# pandas read_csv + resample, mplfinance candles), side by side on the same inputs, each
# run a whole process (Python's start-up and imports are what a Lambda cold start pays).
# DESIGN.md section 10: daily + weekly charts of a year under 50 ms and 30x Python;
# 10 million ticks under 2 s with flat memory. Not a test (ctest never runs it): run by
# hand, on a quiet machine (on a shared one, hold its lock for the run):
#
#   tests/bench/candles_bench.sh [LAMTOOL]       (default build/lamtool)
#
# mplfinance comes from tests/bench/mplfinance_env.sh (LAMTOOL_MPLFINANCE_DIR, or the
# mirror): without it this prints "skipped: ..." and exits 0. Without a lamtool that has
# plot-candles (`LAMTOOL plot-candles --help` fails) it says so and runs the Python side
# alone, which is how its figures were taken before the command landed.
#
# Inputs, made once with a fixed seed by make_ticks.py in a temporary directory removed
# at the end (the generator's own times are printed):
#   year   ticks on 2024's trading days, 400 a day (103,200), in time order
#   big    BIG_TICKS (10,000,000) ticks on the trading days of 2020-2024, 1% of them
#          swapped with a neighbour of the same day (out of order)
#   1M     1,000,000 ticks over the same days and disorder: lamtool's peak memory there
#          against big's shows whether it stays flat as the ticks grow tenfold
#   SP500  data/candles/SP500_NOV2019_Hist.csv, 20 daily bars: lamtool --period daily
#          against mplfinance alone (mplfinance_daily.py: read_csv + one mpf.plot)
# Cases year, 1M and big are `plot-candles --period both --volume` (and --mav MAV when
# set) against candles_ref.py with the same charts: 800 x 575 PNG, daily and weekly.
#
# Checked once per case, untimed (that run also warms the page cache; Python's runs even
# on big, with PY_BIG_RUNS=0, since its bars are the reference): lamtool's daily
# and weekly --bars-out equal pandas' bars (dates, volumes; prices to 1e-9), and its PNGs
# are where --to says, 800 x 575. Then runs alternate, lamtool then Python, every one
# pinned to cpu CPU (taskset -c): RUNS of lamtool (BIG_RUNS on big), PY_RUNS of Python
# (PY_BIG_RUNS on big, where one Python run takes tens of seconds; 0 skips it). Wall
# time and peak RSS come from wait4 on the child (what /usr/bin/time -f '%e %M' reads,
# to the microsecond). Prints per case and program the median wall, median peak MB and
# python/lamtool; then lamtool's peak at 1M against big.
# Knobs: RUNS=10 PY_RUNS=5 BIG_RUNS=3 PY_BIG_RUNS=1 BIG_TICKS=10000000 CPU=1 MAV= (e.g.
# 5,25); LAMTOOL_BUILD_DIR (mplfinance is cached in its mplfinance/; default: build/
# of this source tree, whichever binary is measured).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
lamtool=${1:-$repo/build/lamtool}
RUNS=${RUNS:-10} PY_RUNS=${PY_RUNS:-5} BIG_RUNS=${BIG_RUNS:-3} PY_BIG_RUNS=${PY_BIG_RUNS:-1}
BIG_TICKS=${BIG_TICKS:-10000000} CPU=${CPU:-1} MAV=${MAV:-}
export LAMTOOL_DATA_DIR=${LAMTOOL_DATA_DIR:-$repo/data}
py=/usr/bin/python3
. "$here/mplfinance_env.sh"  # exits 0 with "skipped: ..." when mplfinance is not there

# A lamtool without plot-candles prints its general help for `plot-candles --help` and
# exits 0, so look for one of the command's own flags.
have_lamtool=1
if ! help=$("$lamtool" plot-candles --help 2>&1) || [[ $help != *--period* ]]; then
  have_lamtool=0
  echo "lamtool's side not available: '$lamtool plot-candles --help' does not show the command; running the Python side alone"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# timed ERR ARGV...: one run pinned to cpu CPU, stdin and stdout /dev/null, stderr
# appended to ERR; prints "wall_s peak_KiB exit_code" (timed_run.py).
timed() { taskset -c "$CPU" "$py" "$here/timed_run.py" /dev/null /dev/null "$@"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# 1. Inputs. The generator is timed too: 10 million ticks must not dominate the run.
echo "candles_bench: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg); every run pinned to cpu $CPU"
echo "python: $($py -c 'import sys, matplotlib, pandas; print(sys.version.split()[0], "matplotlib", matplotlib.__version__, "pandas", pandas.__version__)'), mplfinance $MPLFINANCE_VERSION from $MPLFINANCE_FROM"
gen() {  # gen NAME ARGS...: make_ticks.py into $work/NAME.csv, timed
  local t
  read -r t _ rc < <("$py" "$here/timed_run.py" /dev/null /dev/null "$work/gen.err" "$py" "$here/make_ticks.py" "$work/$1.csv" "${@:2}")
  [ "$rc" = 0 ] || { cat "$work/gen.err" >&2; exit 1; }
  printf 'input %-5s %s, made in %.2f s\n' "$1" "$(tail -n 1 "$work/gen.err" | sed 's|.*/||')" "$t"
}
gen year --start 2024-01-01 --end 2024-12-31 --per-day 400
gen 1M --start 2020-01-01 --end 2024-12-31 --ticks 1000000 --out-of-order 0.01
gen big --start 2020-01-01 --end 2024-12-31 --ticks "$BIG_TICKS" --out-of-order 0.01
cp "$repo/data/candles/SP500_NOV2019_Hist.csv" "$work/SP500.csv"

# 2. The programs. argv_lam/argv_py CASE OUT: the command lines for one case into OUT/.
mav=(); [ -z "$MAV" ] || mav=(--mav "$MAV")
argv_lam() {
  if [ "$1" = SP500 ]; then
    args=("$lamtool" plot-candles --in "$work/SP500.csv" --period daily --chart candle --to "$2/")
  else
    args=("$lamtool" plot-candles --in "$work/$1.csv" --period both --volume "${mav[@]}" --to "$2/")
  fi
}
argv_py() {
  if [ "$1" = SP500 ]; then
    args=("$py" "$here/mplfinance_daily.py" "$work/SP500.csv" "$2/SP500.png")
  else
    args=("$py" "$here/candles_ref.py" "$work/$1.csv" "$2" "${mav[@]}")
  fi
}

# 3. Checks, untimed. png_sizes DIR: "path WxH" of every PNG under DIR.
png_sizes() {
  "$py" - "$1" <<'PY'
import pathlib, struct, sys
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.png")):
    head = p.read_bytes()[:24]
    w, h = struct.unpack(">II", head[16:24]) if head[:8] == b"\x89PNG\r\n\x1a\n" else (0, 0)
    print(f"{p.relative_to(sys.argv[1])} {w}x{h}")
PY
}
# compare_bars PANDAS.csv LAMTOOL.csv: same dates and volumes, prices to 1e-9 relative.
compare_bars() {
  "$py" - "$@" <<'PY'
import csv, math, sys
def rows(path):
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        return [(d["date"], [float(d[k]) for k in ("open", "high", "low", "close", "volume")]) for d in r]
ref, got = rows(sys.argv[1]), rows(sys.argv[2])
if [d for d, _ in ref] != [d for d, _ in got]:
    sys.exit(f"FAIL: {len(got)} bars, pandas has {len(ref)}; first dates {[d for d, _ in got][:2]} vs {[d for d, _ in ref][:2]}")
for (d, a), (_, b) in zip(ref, got):
    if not all(math.isclose(x, y, rel_tol=1e-9) for x, y in zip(a, b)):
        sys.exit(f"FAIL: bar {d}: lamtool {b}, pandas {a}")
print(f"{len(got)} bars as pandas'")
PY
}
check() {  # check CASE: prints a verdict, "ok..." or "FAIL..."
  local c=$1 d=$work/check-$1 v="" b
  mkdir -p "$d/py" "$d/lam"
  if [ "$c" = SP500 ]; then
    argv_py SP500 "$d/py"; "${args[@]}" 2>>"$d/err" || { echo "FAIL: python: $(tail -n 2 "$d/err")"; return; }
    [ "$have_lamtool" = 1 ] || { echo "ok: python only: $(png_sizes "$d/py" | tr '\n' ' ')"; return; }
    argv_lam SP500 "$d/lam"; "${args[@]}" >/dev/null 2>>"$d/err" || { echo "FAIL: lamtool: $(tail -n 2 "$d/err")"; return; }
    v=$(png_sizes "$d/lam")
    case "$v" in *" 800x575") ;; *) echo "FAIL: lamtool's PNGs: ${v:-none}"; return;; esac
    echo "ok: lamtool wrote $(echo "$v" | tr '\n' ' ')"; return
  fi
  argv_py "$c" "$d/py"; "${args[@]}" --bars-out "$d/py" 2>>"$d/err" || { echo "FAIL: python: $(tail -n 2 "$d/err")"; return; }
  [ "$have_lamtool" = 1 ] || { echo "ok: python only: $(png_sizes "$d/py" | tr '\n' ' ')"; return; }
  argv_lam "$c" "$d/lam"; "${args[@]}" >/dev/null 2>>"$d/err" || { echo "FAIL: lamtool: $(tail -n 2 "$d/err")"; return; }
  v=$(png_sizes "$d/lam")
  [ "$v" = "$(printf 'daily/%s.png 800x575\nweekly/%s.png 800x575' "$c" "$c")" ] ||
    { echo "FAIL: lamtool's PNGs are not daily/$c.png and weekly/$c.png at 800x575: $(echo "$v" | tr '\n' ' ')"; return; }
  v=""
  for period in daily weekly; do  # --bars-out with one period, to leave no doubt which bars
    "$lamtool" plot-candles --in "$work/$c.csv" --period $period --bars-out "$d/$period.csv" --to "$d/bars/" \
      >/dev/null 2>>"$d/err" || { echo "FAIL: lamtool --period $period --bars-out: $(tail -n 2 "$d/err")"; return; }
    b=$(compare_bars "$d/py/$period.csv" "$d/$period.csv" 2>&1) || { echo "FAIL: $period bars: $b"; return; }
    v+="$period: $b, "
  done
  echo "ok: PNGs 800x575 where --to says; ${v%, }"
}

# 4. Timed runs, alternating lamtool and Python.
printf '%-40s %-8s %6s %10s %9s %10s\n' case program runs "median s" "peak MB" python/lamtool
failed=0 py_year=""
for spec in "year 103,200 ticks, daily+weekly" "1M 1,000,000 ticks, daily+weekly" \
            "big $BIG_TICKS ticks, daily+weekly" "SP500 Hist.csv, daily, 20 bars"; do
  read -r c label <<< "$spec"
  lam_runs=$RUNS py_runs=$PY_RUNS
  [ "$c" != big ] || { lam_runs=$BIG_RUNS; py_runs=$PY_BIG_RUNS; }
  [ "$have_lamtool" = 1 ] || lam_runs=0
  if [ "$c" = big ] && [ "$py_runs" = 0 ] && [ "$lam_runs" = 0 ]; then continue; fi
  verdict=$(check "$c")
  echo "  check $c: $verdict"
  [[ $verdict == ok* ]] || { failed=1; continue; }
  : > "$work/t.lam"; : > "$work/t.py"
  for ((r = 0; r < lam_runs || r < py_runs; r++)); do
    if [ "$r" -lt "$lam_runs" ]; then
      rm -rf "$work/out"; mkdir "$work/out"; argv_lam "$c" "$work/out"
      timed "$work/err.lam" "${args[@]}" >> "$work/t.lam"
    fi
    if [ "$r" -lt "$py_runs" ]; then
      rm -rf "$work/out"; mkdir "$work/out"; argv_py "$c" "$work/out"
      timed "$work/err.py" "${args[@]}" >> "$work/t.py"
    fi
  done
  py_wall=""; [ ! -s "$work/t.py" ] || py_wall=$(cut -d' ' -f1 "$work/t.py" | median)
  [ "$c" != year ] || py_year=$py_wall
  for p in lam py; do
    [ -s "$work/t.$p" ] || continue
    wall=$(cut -d' ' -f1 "$work/t.$p" | median)
    kib=$(cut -d' ' -f2 "$work/t.$p" | median)
    ok=1; awk '$3 != 0 { bad = 1 } END { exit bad }' "$work/t.$p" || { ok=0; failed=1; }
    [ "$p" = py ] || { echo "$kib" > "$work/peak.$c"; echo "$wall" > "$work/wall.$c"; }
    awk -v l="$c: $label" -v p="$([ $p = lam ] && echo lamtool || echo python)" -v n="$(wc -l < "$work/t.$p")" \
        -v w="$wall" -v k="$kib" -v py="$py_wall" -v ok="$ok" -v lam="$([ $p = lam ] && echo 1 || echo 0)" \
      'BEGIN { r = !ok ? "FAILED" : (lam && py != "") ? sprintf("%.1fx", py / w) : ""
               printf "%-40s %-8s %6d %10.4f %9.1f %10s\n", substr(l, 1, 40), p, n, w, k / 1024, r }'
  done
done
if [ -f "$work/peak.1M" ] && [ -f "$work/peak.big" ]; then
  awk -v a="$(cat "$work/peak.1M")" -v b="$(cat "$work/peak.big")" -v n="$BIG_TICKS" \
    'BEGIN { printf "flat: lamtool peak %.1f MB at 1,000,000 ticks, %.1f MB at %d\n", a / 1024, b / 1024, n }'
fi
# DESIGN.md section 10's budgets, against the medians above.
if [ -f "$work/wall.year" ]; then
  awk -v w="$(cat "$work/wall.year")" -v py="$py_year" \
    'BEGIN { printf "budget: year of ticks, daily + weekly: %.1f ms (under 50 ms), %s python (30x)\n",
             w * 1000, py == "" ? "no" : sprintf("%.1fx", py / w) }'
fi
if [ -f "$work/wall.big" ]; then
  awk -v w="$(cat "$work/wall.big")" -v n="$BIG_TICKS" \
    'BEGIN { printf "budget: %d ticks: %.2f s (under 2 s, flat memory: see above)\n", n, w }'
fi
exit "$failed"
