#!/usr/bin/env bash
# Raw ticks, several per day and shuffled, as CSV (ISO times with a zone, and epoch
# seconds) and as JSON Lines, from a file and from stdin: the daily and weekly bars are
# those pandas computes from the same ticks.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"

/usr/bin/python3 - "$WORK" <<'PY'
import datetime, json, random, sys
work = sys.argv[1]
rng = random.Random(7)
ticks = []
t = datetime.datetime(2024, 1, 2, 9, 30)
price = 100.0
while t < datetime.datetime(2024, 4, 1):
    if t.weekday() < 5 and 9 <= t.hour < 16:
        price = max(1.0, price + rng.uniform(-0.5, 0.5))
        ticks.append((t, round(price, 2), rng.randint(1, 500)))
    t += datetime.timedelta(minutes=rng.randint(7, 41))
order = list(range(len(ticks)))
rng.shuffle(order)
with open(f"{work}/ticks.csv", "w") as f:
    f.write("Timestamp,Price,Volume\n")
    for i in order:
        tt, p, v = ticks[i]
        f.write(f"{tt.isoformat()}-05:00,{p},{v}\n")
with open(f"{work}/epoch.csv", "w") as f:
    f.write("time,price\n")
    for i in order:
        tt, p, v = ticks[i]
        f.write(f"{int(tt.replace(tzinfo=datetime.timezone.utc).timestamp())},{p}\n")
with open(f"{work}/ticks.jsonl", "w") as f:
    for i in order:
        tt, p, v = ticks[i]
        f.write(json.dumps({"timestamp": tt.strftime("%Y-%m-%d %H:%M:%S"), "price": p, "volume": v}) + "\n")
with open(f"{work}/sorted.csv", "w") as f:
    f.write("timestamp,price,volume\n")
    for tt, p, v in ticks:
        f.write(f"{tt.isoformat()},{p},{v}\n")
print(len(ticks), len({tt.date() for tt, _, _ in ticks}), file=open(f"{work}/count", "w"))
PY

check_bars() {  # check_bars BARS_DIR NAME HAS_VOLUME
  /usr/bin/python3 - "$WORK/sorted.csv" "$@" <<'PY' || fail "bars of $2 differ from pandas"
import sys
import pandas as pd
src, bars, name, has_volume = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
df = pd.read_csv(src, index_col=0, parse_dates=True)
for period, rule, kw in [("daily", "D", {}), ("weekly", "W-MON", {"label": "left", "closed": "left"})]:
    want = df["price"].resample(rule, **kw).ohlc().dropna()
    vol = df["volume"].resample(rule, **kw).sum()
    got = pd.read_csv(f"{bars}/{period}/{name}.csv", index_col="date", parse_dates=True)
    assert list(got.index) == list(want.index), period
    for c in ["open", "high", "low", "close"]:
        assert (abs(got[c] - want[c]) < 1e-9).all(), (period, c)
    if has_volume:
        assert (got["volume"] == vol.loc[want.index]).all(), (period, "volume")
    else:
        assert (got["volume"] == 0).all()
PY
}

run plot-candles --in "$WORK/ticks.csv" --to "$WORK/out/" --bars-out "$WORK/bars/" --json
expect_rc 0
read -r n_ticks n_days <"$WORK/count"
[ "$(json_get "$OUT" '(j["input"], j["rows"], j["series"][0]["days"])')" == "('ticks', $n_ticks, $n_days)" ] ||
  fail "manifest: $OUT"
check_bars "$WORK/bars" ticks 1
run plot-candles --in "$WORK/epoch.csv" --to "$WORK/out/" --bars-out "$WORK/bars/"
expect_rc 0
check_bars "$WORK/bars" epoch 0
run_stdin "$WORK/ticks.jsonl" plot-candles --name jsonl --volume --to "$WORK/out/" \
  --bars-out "$WORK/bars/"
expect_rc 0
expect_err_empty
check_bars "$WORK/bars" jsonl 1
[ -f "$WORK/out/weekly/jsonl.png" ] || fail "no chart from stdin"
