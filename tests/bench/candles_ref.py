#!/usr/bin/python3
"""plot-candles in the original's stack: pandas resampling and mplfinance charts.

    candles_ref.py IN OUTDIR [--period daily|weekly|both] [--mav 5,25] [--no-volume]
                   [--bars-out DIR]

The original Lambda turned a card's date -> price map into a pandas DataFrame,
resampled it to daily and weekly OHLC bars with pandas and drew each with
mplfinance.plot(df, type='candle', savefig=...) at 800 x 575 (8 x 5.75 in at 100 dpi).
This does the same from the benchmark's inputs, so candles_bench.sh can time it as a
process, interpreter start-up and imports included, as a Lambda cold start pays them:
- IN: CSV of ticks `timestamp,price[,volume]`, or of OHLC(V) bars with columns found
  by header name in any case and order (Date or Timestamp, Open, High, Low, Close,
  Volume; other columns ignored), daily or intraday;
- daily bars: resample('D') (open first, high max, low min, close last, volume sum),
  days without data dropped; weekly bars from the daily ones on Monday-start calendar
  weeks: resample('W-MON', label='left', closed='left'), i.e. bins [Monday, next
  Monday) labelled by their Monday ('W-MON' alone would end weeks on Monday);
- writes OUTDIR/daily/<stem>.png and OUTDIR/weekly/<stem>.png (stem = IN's file
  name without extension), candles in mplfinance's default style, a volume panel when
  IN has a volume that is not all zero (unless --no-volume), moving averages with --mav;
- --bars-out DIR also writes DIR/daily.csv and DIR/weekly.csv (date,open,high,low,
  close,volume): the benchmark compares lamtool's --bars-out with them, untimed.
Needs mplfinance importable (source tests/bench/mplfinance_env.sh first).
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")  # no display, as in Lambda; before pyplot is imported by mplfinance
import mplfinance as mpf  # noqa: E402
import pandas as pd  # noqa: E402

TIME_COLUMNS = ("timestamp", "date", "datetime", "time")
AGG = {"Open": "first", "High": "max", "Low": "min", "Close": "last", "Volume": "sum"}


def read_prices(path):
    """Rows of IN indexed by time (sorted, ties kept in file order), with columns
    Open, High, Low, Close, Volume for bars, or Price, Volume for ticks."""
    df = pd.read_csv(path)
    cols = {c.strip().lower(): c for c in df.columns}
    time_col = next((cols[c] for c in TIME_COLUMNS if c in cols), None)
    if time_col is None:
        sys.exit(f"{path}: no time column (one of {', '.join(TIME_COLUMNS)})")
    index = pd.to_datetime(df[time_col])
    if index.dt.tz is not None:  # `...Z`: keep the wall-clock time, as lamtool does
        index = index.dt.tz_localize(None)
    if "price" in cols:
        bars = pd.DataFrame({"Price": df[cols["price"]]})
    else:
        missing = [c for c in ("open", "high", "low", "close") if c not in cols]
        if missing:
            sys.exit(f"{path}: no {', '.join(missing)} column")
        bars = pd.DataFrame({c.capitalize(): df[cols[c]] for c in ("open", "high", "low", "close")})
    bars["Volume"] = df[cols["volume"]] if "volume" in cols else 0
    bars.index = pd.DatetimeIndex(index, name="Date")
    return bars.sort_index(kind="stable")


def resample(rows, rule, **kw):
    """OHLCV bars over `rule`'s bins from bars or ticks; bins without data left out."""
    r = rows.resample(rule, **kw)
    if "Price" in rows:  # ticks: ohlc() is one pass of pandas' C code over the prices
        bars = r["Price"].ohlc().rename(columns=str.capitalize)
        bars["Volume"] = r["Volume"].sum()
    else:
        bars = r.agg(AGG)
    return bars.dropna(subset=["Open"])


def write_bars(bars, path):
    out = bars.rename(columns=str.lower)
    out.index = out.index.strftime("%Y-%m-%d")
    out.to_csv(path, index_label="date")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input")
    ap.add_argument("outdir")
    ap.add_argument("--period", choices=("daily", "weekly", "both"), default="both")
    ap.add_argument("--mav", help="moving averages, e.g. 5,25")
    ap.add_argument("--no-volume", action="store_true")
    ap.add_argument("--bars-out", metavar="DIR")
    args = ap.parse_args()

    rows = read_prices(args.input)
    daily = resample(rows, "D")
    periods = {"daily": daily}
    if args.period != "daily":
        periods["weekly"] = resample(daily, "W-MON", label="left", closed="left")
    if args.period == "weekly":
        del periods["daily"]

    stem = os.path.splitext(os.path.basename(args.input))[0]
    volume = not args.no_volume and bool((rows["Volume"] != 0).any())
    style = dict(type="candle", style="default", figsize=(8, 5.75), volume=volume,
                 warn_too_much_data=sys.maxsize)  # years of daily bars: no nagging
    if args.mav:
        style["mav"] = tuple(int(n) for n in args.mav.split(","))
    for name, bars in periods.items():
        os.makedirs(os.path.join(args.outdir, name), exist_ok=True)
        mpf.plot(bars, **style, title=f"{stem} {name}",
                 savefig=dict(fname=os.path.join(args.outdir, name, stem + ".png"), dpi=100))
        if args.bars_out:
            os.makedirs(args.bars_out, exist_ok=True)
            write_bars(bars, os.path.join(args.bars_out, name + ".csv"))


if __name__ == "__main__":
    main()
