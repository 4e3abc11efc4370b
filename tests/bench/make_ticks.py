#!/usr/bin/python3
"""Deterministic price ticks for the plot-candles benchmark (candles_bench.sh).

    make_ticks.py OUT.csv --start 2024-01-01 --end 2024-12-31 (--per-day 400 | --ticks N)
                  [--out-of-order 0.01] [--seed 20261130]

Writes a CSV `timestamp,price,volume` of ticks on trading days (weekdays less New
Year's Day, Independence Day, Thanksgiving and Christmas, so some weeks are short),
at random seconds of a 09:30-16:00 session, stamped like 2024-03-05T14:31:07Z. The
price is a random walk of the log price (about 1% a day) starting at 3000.00; the
volume is 100..999 a tick. --out-of-order F swaps that share of ticks with their
neighbour of the same day, so readers must not assume time order within a day.
--ticks N spreads exactly N ticks over the days (the first days get one more when
N does not divide evenly); --per-day gives every day the same count.

Why it looks like this: 10 million rows must take seconds, not minutes. Formatting
each number in Python (or numpy.savetxt, which does the same) costs about a
microsecond a field, so every line is instead given a fixed width (33 bytes: the
price stays within 1000.00..9999.99, the volume has 3 digits) and its digits are
computed with numpy into one byte matrix per chunk of days, written as is.
"""
import argparse
import sys

import numpy as np

LINE = 33  # len("2024-03-05T14:31:07Z,3000.00,123\n")
SESSION = (9 * 3600 + 30 * 60, 16 * 3600)  # seconds of the day: 09:30:00 to 15:59:59
CHUNK_TICKS = 1 << 20  # ticks formatted at a time: about 35 MB of bytes and arrays


def trading_days(start, end):
    """Weekdays in [start, end] less four fixed US market holidays."""
    years = range(int(start[:4]), int(end[:4]) + 1)
    holidays = []
    for y in years:
        holidays += [f"{y}-01-01", f"{y}-07-04", f"{y}-12-25",
                     # Thanksgiving: the fourth Thursday of November
                     str(np.busday_offset(f"{y}-11", 3, roll="forward", weekmask="Thu"))]
    days = np.arange(np.datetime64(start, "D"), np.datetime64(end, "D") + 1)
    return days[np.is_busday(days, holidays=holidays)]


def digits(values, width):
    """The `width` low decimal digits of each value, as ASCII bytes: shape (n, width)."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers % 10 + ord("0")).astype(np.uint8)


def format_chunk(day_text, day_index, seconds, cents, volume):
    """Fixed-width CSV lines, one row of the byte matrix per tick."""
    out = np.empty((len(seconds), LINE), dtype=np.uint8)
    out[:, 0:10] = day_text[day_index]
    out[:, 10] = ord("T")
    out[:, 11:13] = digits(seconds // 3600, 2)
    out[:, 13] = ord(":")
    out[:, 14:16] = digits(seconds // 60 % 60, 2)
    out[:, 16] = ord(":")
    out[:, 17:19] = digits(seconds % 60, 2)
    out[:, 19] = ord("Z")
    out[:, 20] = ord(",")
    out[:, 21:25] = digits(cents // 100, 4)
    out[:, 25] = ord(".")
    out[:, 26:28] = digits(cents % 100, 2)
    out[:, 28] = ord(",")
    out[:, 29:32] = digits(volume, 3)
    out[:, 32] = ord("\n")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--start", required=True)
    ap.add_argument("--end", required=True)
    count = ap.add_mutually_exclusive_group(required=True)
    count.add_argument("--per-day", type=int)
    count.add_argument("--ticks", type=int)
    ap.add_argument("--out-of-order", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=20261130)
    args = ap.parse_args()

    rng = np.random.default_rng(args.seed)
    days = trading_days(args.start, args.end)
    if args.per_day is not None:
        per_day = np.full(len(days), args.per_day, dtype=np.int64)
    else:
        per_day = np.full(len(days), args.ticks // len(days), dtype=np.int64)
        per_day[: args.ticks % len(days)] += 1
    day_text = np.frombuffer(np.datetime_as_string(days).astype("S10").tobytes(),
                             dtype=np.uint8).reshape(-1, 10)
    sigma = 0.01 / np.sqrt(max(per_day.mean(), 1))  # about 1% a day, whatever the density
    log_price = np.log(3000.0)

    with open(args.out, "wb") as f:
        f.write(b"timestamp,price,volume\n")
        first = 0
        while first < len(days):  # whole days per chunk, about CHUNK_TICKS ticks
            last = first + 1
            total = per_day[first]
            while last < len(days) and total + per_day[last] <= CHUNK_TICKS:
                total += per_day[last]
                last += 1
            day_index = np.repeat(np.arange(first, last), per_day[first:last])
            # Random seconds of the session, sorted within each day (the day is the
            # major key, so one sort of day * 86400 + second does every day at once).
            key = day_index * 86400 + rng.integers(*SESSION, size=total)
            key.sort()
            seconds = key % 86400
            steps = rng.normal(0.0, sigma, size=total)
            walk = log_price + np.cumsum(steps)
            log_price = walk[-1]
            cents = np.clip(np.rint(np.exp(walk) * 100), 100000, 999999).astype(np.int64)
            volume = rng.integers(100, 1000, size=total)
            lines = format_chunk(day_text, day_index, seconds, cents, volume)
            if args.out_of_order > 0:
                # Swap disjoint pairs (2j, 2j+1) of the same day: still a permutation.
                pairs = rng.choice(total // 2, size=int(total * args.out_of_order / 2),
                                   replace=False) * 2
                pairs = pairs[day_index[pairs] == day_index[pairs + 1]]
                lines[np.concatenate([pairs, pairs + 1])] = lines[np.concatenate([pairs + 1, pairs])]
            f.write(lines.tobytes())
            first = last
    print(f"{args.out}: {per_day.sum()} ticks on {len(days)} days "
          f"({days[0]} .. {days[-1]})", file=sys.stderr)


if __name__ == "__main__":
    main()
