#!/usr/bin/python3
"""mplfinance's pictures of the bundled price CSVs, to set beside plot-candles' own.

    . tests/bench/mplfinance_env.sh          # makes mplfinance importable
    /usr/bin/python3 tests/tools/mplfinance_charts.py OUTDIR [CSV...]

For each CSV (default: the four in data/candles/) writes into OUTDIR, at 800 x 575
(8 x 5.75 in at 100 dpi, the original Lambda's size) in mplfinance's default style:
  <stem>-daily-candle.png        daily candles (1-minute bars resampled to days)
  <stem>-daily-ohlc.png          daily OHLC bars
  <stem>-daily-line.png          daily closes as a line
  <stem>-daily-candle-mav.png    daily candles with moving averages 5 and 10
  <stem>-daily-candle-volume.png       daily candles with a volume panel
  <stem>-daily-candle-mav-volume.png   both
  <stem>-weekly-candle.png       weekly candles, Monday-start calendar weeks
  <stem>-weekly-candle-mav-volume.png  weekly, moving averages 5 and 10, volume
  <stem>-daily.csv, <stem>-weekly.csv  the bars drawn (date,open,high,low,close,volume)
and, for a file of intraday bars (several a day), the intraday candles of 5-6 November
2019 as mplfinance's README draws them: <stem>-intraday-5-6nov-candle.png (and -ohlc).
The volume variants are left out (and said so) when a file's volume is all zero, as the
1-minute S&P file's is. The bars come from candles_ref.py's reading and resampling, so
these pictures show exactly the bars the benchmark's Python side draws.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "bench"))
from candles_ref import mpf, read_prices, resample, write_bars  # noqa: E402  (sets Agg)

DATA = os.path.join(HERE, "..", "..", "data", "candles")
SIZE = dict(figsize=(8, 5.75), style="default", warn_too_much_data=sys.maxsize)


def save(bars, path, title, **kw):
    mpf.plot(bars, **SIZE, title=title, savefig=dict(fname=path, dpi=100), **kw)
    print(path)


def charts(csv, outdir):
    stem = os.path.splitext(os.path.basename(csv))[0]
    rows = read_prices(csv)
    daily = resample(rows, "D")
    weekly = resample(daily, "W-MON", label="left", closed="left")  # [Monday, next Monday)
    has_volume = bool((rows["Volume"] != 0).any())
    out = lambda name: os.path.join(outdir, f"{stem}-{name}")  # noqa: E731
    write_bars(daily, out("daily.csv"))
    write_bars(weekly, out("weekly.csv"))
    print(f"{stem}: {len(rows)} rows, {len(daily)} daily bars, {len(weekly)} weekly bars")

    save(daily, out("daily-candle.png"), f"{stem} daily", type="candle")
    save(daily, out("daily-ohlc.png"), f"{stem} daily", type="ohlc")
    save(daily, out("daily-line.png"), f"{stem} daily", type="line")
    save(daily, out("daily-candle-mav.png"), f"{stem} daily", type="candle", mav=(5, 10))
    save(weekly, out("weekly-candle.png"), f"{stem} weekly", type="candle")
    if has_volume:
        save(daily, out("daily-candle-volume.png"), f"{stem} daily", type="candle", volume=True)
        save(daily, out("daily-candle-mav-volume.png"), f"{stem} daily", type="candle",
             mav=(5, 10), volume=True)
        save(weekly, out("weekly-candle-mav-volume.png"), f"{stem} weekly", type="candle",
             mav=(5, 10), volume=True)
    else:
        print(f"{stem}: volume all zero, no volume charts")
        save(weekly, out("weekly-candle-mav.png"), f"{stem} weekly", type="candle", mav=(5, 10))

    if len(rows) > len(daily):  # intraday bars: the README's picture of 5-6 November
        iday = rows.loc["2019-11-05":"2019-11-06"]
        if len(iday):
            for kind in ("candle", "ohlc"):
                save(iday, out(f"intraday-5-6nov-{kind}.png"), f"{stem} 5-6 Nov", type=kind)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    csvs = sys.argv[2:] or sorted(os.path.join(DATA, f) for f in os.listdir(DATA) if f.endswith(".csv"))
    for csv in csvs:
        charts(csv, outdir)


if __name__ == "__main__":
    main()
