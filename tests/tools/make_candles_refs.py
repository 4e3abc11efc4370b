#!/usr/bin/python3
"""Writes the pandas reference bars in tests/fixtures/candles/ from data/candles/.

Run with Debian's /usr/bin/python3 (python3-pandas; made with pandas 1.5.3) from anywhere:
    /usr/bin/python3 tests/tools/make_candles_refs.py
--check (the ctest tools.make-candles-refs) says which committed file differs from what
it would write. tests/candles_test.cc reads the same price files with lamtool and
compares its bars with these, so the aggregation is checked against an implementation
that is not ours:
  daily-from-1min.csv  SP500_NOV2019_IDay.csv (1-minute bars, columns
                       Date,Open,Close,High,Low,Volume) by resample('D')
  weekly-spy2020.csv   yahoofinance-SPY-20200901-20210113.csv by calendar week, Monday to
                       Sunday: resample('W-MON', closed='left', label='left'), so a week is
                       [Monday, next Monday) and is stamped with its Monday (pandas'
                       'W-SUN' with label='left' would stamp the Sunday before)
  weekly-spy2011.csv   SPY_20110701_20120630_Bollinger.csv, the same way
  blocks-spy2020.csv   yahoofinance-SPY-20200901-20210113.csv in 7-day blocks from its
                       first date: resample('7D', origin='start')
Each: date,open,high,low,close,volume with open = first, high = max, low = min,
close = last, volume = sum; periods without a bar dropped. Numbers are written by
Python's repr, the shortest text that reads back as the same double.
"""
import os
import sys

import pandas as pd

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DATA = os.path.join(ROOT, "data", "candles")
OUT = os.path.join(ROOT, "tests", "fixtures", "candles")
AGG = {"Open": "first", "High": "max", "Low": "min", "Close": "last", "Volume": "sum"}


def read(name, fmt):
    # round_trip: pandas' default parser can miss the nearest double by an ulp
    # (132.08999599999999 read as 132.089996), and the bars are compared exactly.
    df = pd.read_csv(os.path.join(DATA, name), float_precision="round_trip")
    df.index = pd.to_datetime(df["Date"], format=fmt)
    return df[list(AGG)]


def bars(df, rule, **kw):
    out = df.resample(rule, **kw).agg(AGG)
    return out.dropna(subset=["Open"])  # resample keeps empty periods as NaN rows


def number(x):
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 2**53 else repr(x)


def text(df):
    lines = ["date,open,high,low,close,volume"]
    for t, r in df.iterrows():
        lines.append(",".join([t.strftime("%Y-%m-%d")] + [number(r[c]) for c in AGG]))
    return "\n".join(lines) + "\n"


def refs():
    spy2020 = read("yahoofinance-SPY-20200901-20210113.csv", "%Y-%m-%d")
    spy2011 = read("SPY_20110701_20120630_Bollinger.csv", "%Y-%m-%d")
    minutes = read("SP500_NOV2019_IDay.csv", "%m/%d/%Y %H:%M")
    weekly = dict(rule="W-MON", closed="left", label="left")
    out = {
        "daily-from-1min.csv": bars(minutes, "D"),
        "weekly-spy2020.csv": bars(spy2020, **weekly),
        "weekly-spy2011.csv": bars(spy2011, **weekly),
        "blocks-spy2020.csv": bars(spy2020, "7D", origin="start"),
    }
    for name in ("weekly-spy2020.csv", "weekly-spy2011.csv"):
        assert all(t.dayofweek == 0 for t in out[name].index), name + ": a week not on a Monday"
    assert len(out["weekly-spy2020.csv"]) == 20, len(out["weekly-spy2020.csv"])
    return {name: text(df) for name, df in out.items()}


def committed(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return None


def main():
    if sys.argv[1:] not in ([], ["--check"]):
        sys.exit("usage: make_candles_refs.py [--check]")
    files = {os.path.join(OUT, name): body for name, body in refs().items()}
    if sys.argv[1:]:
        stale = [os.path.basename(p) for p, body in files.items() if committed(p) != body]
        if stale:
            sys.exit("differs from what make_candles_refs.py writes: " + ", ".join(stale))
        return
    os.makedirs(OUT, exist_ok=True)
    for path, body in files.items():
        with open(path, "w") as f:
            f.write(body)
        print(f"{path}: {body.count(chr(10)) - 1} bars")


if __name__ == "__main__":
    main()
