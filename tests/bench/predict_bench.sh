#!/usr/bin/env bash
# predict throughput and memory, lamtool against the original's Python stack
# (predict_ref.py: json + base64 + pandas + a scikit-learn model), side by side on the
# same inputs, `stdin < file > /dev/null`. Not a test (ctest never runs it): run by hand,
# on a quiet machine. Each binary given is run in turn beside the same Python runs:
#
#   tests/bench/predict_bench.sh [LAMTOOL...]       (default build/lamtool)
#
# The inputs are made once, with a fixed seed, in a temporary directory removed at the
# end: LINES (1,000,000) JSON Lines payloads, their first 100,000 (memory flatness), and
# Lambda Kinesis events of 500 and 10,000 records (pretty-printed like AWS's sample,
# base64 data, distinct sequence numbers). Python's model is trained once, untimed, and
# pickled there; its timed runs load the pickle, as a cold start would.
# Every run is pinned to cpu CPU (taskset -c, inherited): the "on one core" figures.
# Runs of each binary and of Python alternate (RUNS each, 4x that on the inputs under
# 100,000 records, PY_RUNS for Python); wall time and peak RSS come from wait4 on the
# child, what /usr/bin/time -f '%e %M' reads, but to the microsecond.
# Prints per input and program: median wall, records/s, median peak MB, python/lamtool;
# then each binary's peak MB at 100,000 vs LINES lines. Checked once per input, untimed:
# one output line per record, and the binary's pred_ids equal Python's in order; the
# mean |cnt difference| is printed as a sanity figure: the two models differ, most where
# the CSV has few rows (t1 above 30, hum under 40), so it is about 250 on these uniform
# inputs against about 35 on the CSV's own rows, for a mean cnt of about 1,100-1,600.
# `python-ref` in place of a LAMTOOL runs predict_ref.py there (tests this script).
# Knobs: LINES=1000000 RUNS=5 PY_RUNS=3 CPU=1 CSV=data/predict/london_merged.csv
# (else the one in ../shared/data, or LAMTOOL_SHARED_DATA_DIR); LAMTOOL_DATA_DIR=data,
# where lamtool finds predict/model.json. On a shared machine, hold its lock for the run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
LINES=${LINES:-1000000} RUNS=${RUNS:-5} PY_RUNS=${PY_RUNS:-3} CPU=${CPU:-1}
CSV=${CSV:-$here/../../data/predict/london_merged.csv}
[ -f "$CSV" ] || CSV=${LAMTOOL_SHARED_DATA_DIR:-$here/../../../shared/data}/predict/london_merged.csv
export LAMTOOL_DATA_DIR=${LAMTOOL_DATA_DIR:-$here/../../data}
progs=(predict_ref.py)  # progs[0] is the Python reference, then each binary given
for b in "${@:-$here/../../build/lamtool}"; do
  if [ "$b" = python-ref ]; then progs+=(python-ref); else progs+=("$(realpath "$b")"); fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 - "$work" "$LINES" <<'PY'
import base64, json, random, sys
work, lines = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261130)
codes, weights = [1, 2, 3, 4, 7, 10, 26], [35, 24, 20, 9, 10, 1, 1]  # about as in the CSV

def num(x):
    return int(x) if x == int(x) else x

def payload(pred_id):
    t1 = rng.randrange(-10, 71) / 2                   # -5 .. 35 step 0.5
    t2 = t1 + rng.randrange(-10, 3) / 2               # feels like: near t1, mostly colder
    hum = rng.randrange(40, 201) / 2                  # 20 .. 100
    code = rng.choices(codes, weights)[0]
    f = {"t1": num(t1), "t2": num(t2), "hum": num(hum), "weather_code": code}
    return json.dumps({"features": f, "pred_id": pred_id}, separators=(",", ":"))

with open(f"{work}/lines-all.jsonl", "w") as out:
    for i in range(1, lines + 1):
        out.write(payload(i) + "\n")

def record(i, seq):
    seq = "4956816737333333333333333333" + "%028d" % seq
    return {"kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "s%d" % (i % 8),
                        "sequenceNumber": seq,
                        "data": base64.b64encode(payload(i).encode()).decode(),
                        "approximateArrivalTimestamp": round(1480641523.477 + i / 1000, 3)},
            "eventSource": "aws:kinesis", "eventVersion": "1.0",
            "eventID": "shardId-000000000000:" + seq, "eventName": "aws:kinesis:record",
            "invokeIdentityArn": "arn:aws:iam::123456789012:role/LambdaRole",
            "awsRegion": "us-east-1",
            "eventSourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/simple-stream"}

for n in (500, 10000):
    recs = [record(i, 7919 * i + rng.randrange(7919)) for i in range(1, n + 1)]
    with open(f"{work}/event-{n}.json", "w") as out:
        json.dump({"Records": recs}, out, indent="\t")
PY
head -n 100000 "$work/lines-all.jsonl" > "$work/lines-100k.jsonl"
/usr/bin/python3 "$here/predict_ref.py" --model "$work/model.pkl" "$CSV" < /dev/null

run() {  # run PROG_INDEX IN OUT: one pinned run, prints "wall_s peak_KiB exit_code"
  local p=${progs[$1]} argv
  if [ "$1" = 0 ] || [ "$p" = python-ref ]; then
    argv=(/usr/bin/python3 "$here/predict_ref.py" --model "$work/model.pkl" "$CSV")
  else
    argv=("$p" predict)
  fi
  taskset -c "$CPU" /usr/bin/python3 "$here/timed_run.py" "$2" "$3" "$work/stderr.$1" "${argv[@]}"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# check N PYTHON_OUT OUT: one line per record, same pred_ids as Python's, mean |d cnt|.
check() {
  /usr/bin/python3 - "$@" <<'PY'
import json, sys
n, ref, got = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def read(path):
    ps = [json.loads(line)["prediction"] for line in open(path)]
    return [p["pred_id"] for p in ps], [p["cnt"] for p in ps]
ids0, cnt0 = read(ref)
ids, cnt = read(got)
if len(ids) != n or len(ids0) != n:
    sys.exit(f"FAIL: {len(ids)} lines (python {len(ids0)}) for {n} records")
if ids != ids0:
    i = next(i for i, (a, b) in enumerate(zip(ids, ids0)) if a != b)
    sys.exit(f"FAIL: pred_id differs from python's at line {i + 1}: {ids[i]!r} vs {ids0[i]!r}")
mad = sum(abs(a - b) for a, b in zip(cnt, cnt0)) / max(n, 1)
print(f"ok: {n} lines, pred_ids as python's, mean |cnt - python's| {mad:.1f} (mean cnt {sum(cnt0) / max(n, 1):.0f})")
PY
}

echo "predict_bench: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg); every run pinned to cpu $CPU (taskset -c $CPU): one core"
printf '%-24s %-34s %10s %12s %8s %8s\n' input program "median s" records/s "peak MB" py/this
failed=0
for input in "lines-all.jsonl $LINES JSON Lines" "lines-100k.jsonl 100000 JSON Lines" \
             "event-500.json 500 Kinesis event" "event-10000.json 10000 Kinesis event"; do
  read -r file n label <<< "$input"
  label="$label, $n"
  runs=$RUNS; [ "$n" -ge 100000 ] || runs=$((RUNS * 4))
  for i in "${!progs[@]}"; do  # the check, once per input: also warms the page cache
    : > "$work/times.$i"; : > "$work/stderr.$i"
    read -r _ _ rc < <(run "$i" "$work/$file" "$work/out.$i")
    if [ "$rc" != 0 ]; then
      verdict="FAIL: exit $rc: $(tail -n 2 "$work/stderr.$i")"
    elif [ "$i" = 0 ]; then
      continue
    else
      verdict=$(check "$n" "$work/out.0" "$work/out.$i" 2>&1) || true
    fi
    echo "  check ${progs[$i]} on $label: $verdict"
    [[ $verdict == ok* ]] || failed=1
  done
  rm -f "$work"/out.*
  for ((r = 0; r < runs || r < PY_RUNS; r++)); do  # alternate: each binary, then python
    for i in "${!progs[@]}"; do
      if { [ "$i" = 0 ] && [ "$r" -lt "$PY_RUNS" ]; } || { [ "$i" != 0 ] && [ "$r" -lt "$runs" ]; }; then
        run "$i" "$work/$file" /dev/null >> "$work/times.$i"
      fi
    done
  done
  py_wall=$(cut -d' ' -f1 "$work/times.0" | median)
  for i in "${!progs[@]}"; do
    wall=$(cut -d' ' -f1 "$work/times.$i" | median)
    kib=$(cut -d' ' -f2 "$work/times.$i" | median)
    ok=1; awk '$3 != 0 { bad = 1 } END { exit bad }' "$work/times.$i" || { ok=0; failed=1; }
    echo "$kib" > "$work/peak.$i.$file"
    awk -v l="$label" -v p="${progs[$i]}" -v w="$wall" -v k="$kib" -v n="$n" -v py="$py_wall" -v i="$i" -v ok="$ok" \
      'BEGIN { r = !ok ? "FAILED" : i == 0 ? "" : sprintf("%7.1fx", py / w)
               printf "%-24s %-34s %10.4f %12.0f %8.1f %8s\n", l, p, w, n / w, k / 1024, r }'
  done
done
for i in "${!progs[@]}"; do
  [ "$i" = 0 ] && continue
  awk -v p="${progs[$i]}" -v a="$(cat "$work/peak.$i.lines-100k.jsonl")" -v b="$(cat "$work/peak.$i.lines-all.jsonl")" -v n="$LINES" \
    'BEGIN { printf "flat: %s peak %.1f MB at 100000 lines, %.1f MB at %d\n", p, a / 1024, b / 1024, n }'
done
exit "$failed"
