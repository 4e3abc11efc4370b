#!/usr/bin/python3
"""mplfinance alone, as its README uses it: a daily OHLC CSV to a candlestick PNG.

    mplfinance_daily.py IN.csv OUT.png

The smallest program in the Python stack that does what `lamtool plot-candles --period
daily` does with a daily CSV (read, parse US dates, draw 800 x 575 candles, save), so
candles_bench.sh can time mplfinance's own cost beside candles_ref.py's whole pipeline.
Needs mplfinance importable (source tests/bench/mplfinance_env.sh first).
"""
import sys

import matplotlib

matplotlib.use("Agg")
import mplfinance as mpf  # noqa: E402
import pandas as pd  # noqa: E402

df = pd.read_csv(sys.argv[1], index_col=0, parse_dates=True)
mpf.plot(df, type="candle", figsize=(8, 5.75), savefig=dict(fname=sys.argv[2], dpi=100))
