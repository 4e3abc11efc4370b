#!/usr/bin/env bash
# The four price files of mplfinance's examples (data/candles/, in the repository): each
# gives a daily and a weekly chart, PNG 800x575, and bars that pandas, an independent
# implementation, agrees with: the 1-minute S&P file (columns Date,Open,Close,High,Low)
# rolled up into days, every file's Monday weeks, and the 20 weeks of SPY from
# 2020-09-01 to 2021-01-12.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
DATA="$LAMTOOL_SOURCE_DIR/data/candles"

for f in SP500_NOV2019_Hist SP500_NOV2019_IDay yahoofinance-SPY-20200901-20210113 \
  SPY_20110701_20120630_Bollinger; do
  run plot-candles --in "$DATA/$f.csv" --period both --mav 5,10 --volume --to "$WORK/out/" \
    --bars-out "$WORK/bars/" --json
  expect_rc 0
  if [ "$f" == SP500_NOV2019_IDay ]; then  # its Volume column is all zeros
    expect_err_contains "no volume; no volume panel drawn"
  else
    expect_err_empty
  fi
  /usr/bin/python3 - "$OUT" "$DATA/$f.csv" "$WORK/bars" "$f" <<'PY' || fail "$f: $OUT"
import json, struct, sys
import pandas as pd
m, src, bars, name = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
assert (m["input"], m["items"], m["charts"]) == ("bars", 1, 2), m
pngs = [o["uri"] for o in m["outputs"] if o["content_type"] == "image/png"]
assert sorted(p.split("/out/")[1] for p in pngs) == [f"daily/{name}.png", f"weekly/{name}.png"], pngs
for p in pngs:
    head = open(p, "rb").read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (800, 575), p
df = pd.read_csv(src, index_col=0, parse_dates=True)
assert m["rows"] == len(df)
agg = {"Open": "first", "High": "max", "Low": "min", "Close": "last", "Volume": "sum"}
for period, rule, kw in [("daily", "D", {}), ("weekly", "W-MON", {"label": "left", "closed": "left"})]:
    want = df.resample(rule, **kw).agg(agg).dropna(subset=["Open"])
    got = pd.read_csv(f"{bars}/{period}/{name}.csv", index_col="date", parse_dates=True)
    assert list(got.columns) == ["open", "high", "low", "close", "volume"]
    assert list(got.index) == list(want.index), (period, list(got.index)[:5], list(want.index)[:5])
    for c in ["open", "high", "low", "close", "volume"]:
        assert (abs(got[c] - want[c.capitalize()]) <= 1e-9 * abs(want[c.capitalize()]) + 1e-9).all(), (period, c)
    if name.startswith("yahoofinance-SPY") and period == "weekly":
        assert len(got) == 20, len(got)
    if name == "SP500_NOV2019_IDay" and period == "daily":
        assert [d.strftime("%Y-%m-%d") for d in got.index] == ["2019-11-05", "2019-11-06", "2019-11-07", "2019-11-08"]
PY
done

# One chart to one file, as SVG; and stdin with a name.
run plot-candles --in "$DATA/yahoofinance-SPY-20200901-20210113.csv" --period weekly \
  --format svg --chart ohlc --style dark --to "$WORK/spy.svg"
expect_rc 0
head -c 200 "$WORK/spy.svg" | grep -q "<svg" || fail "not SVG: $(head -c 200 "$WORK/spy.svg")"
run_stdin "$DATA/SP500_NOV2019_Hist.csv" plot-candles --name "S&P 500 (Nov 2019)" \
  --period daily --to "$WORK/stdin/" --json
expect_rc 0
expect_file "$WORK/stdin/daily/S-P-500-Nov-2019.png"
[ "$(json_get "$OUT" 'j["series"][0]["name"]')" == "S&P 500 (Nov 2019)" ] || fail "name: $OUT"
