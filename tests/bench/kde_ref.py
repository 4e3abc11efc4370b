#!/usr/bin/python3
"""scipy side of the KDE benchmark (tests/bench/kde_bench.cc): gaussian_kde with Scott's
factor on the same shots-like distribution, evaluated on the default 400 x 170 rink grid.

scipy evaluates every kernel at every node (O(n x grid), like our `exact`), so large n
is slow: 1e4 points take tens of seconds on one core. By default n is capped at 1e4;
--max-n raises it (1e5 is about 10x longer again; 1e6 is impractical).
Run with Debian's /usr/bin/python3:  /usr/bin/python3 tests/bench/kde_ref.py [--max-n N]
"""
import argparse
import statistics
import time

import numpy as np
import scipy
from scipy.stats import gaussian_kde


def shots(n, rng):
    a = rng.standard_normal(n)
    b = rng.standard_normal(n)
    rho = 0.2
    return np.vstack([60 + 18 * a, 14 * (rho * a + np.sqrt(1 - rho * rho) * b)])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-n", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=3, help="runs per size below 1e4")
    args = ap.parse_args()
    xs = np.linspace(-100, 100, 400)
    ys = np.linspace(-42.5, 42.5, 170)
    gx, gy = np.meshgrid(xs, ys)
    nodes = np.vstack([gx.ravel(), gy.ravel()])
    rng = np.random.default_rng(42)
    print(f"scipy {scipy.__version__}, numpy {np.__version__}, grid 400x170")
    for n in (1_000, 10_000, 100_000, 1_000_000):
        if n > args.max_n:
            print(f"n={n}: skipped (over --max-n {args.max_n})")
            continue
        pts = shots(n, rng)
        wall, cpu = [], []
        for _ in range(args.repeats if n < 10_000 else 1):
            t0, c0 = time.perf_counter(), time.process_time()
            k = gaussian_kde(pts)
            k(nodes).reshape(170, 400)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        print(f"n={n}: median wall {statistics.median(wall) * 1e3:.1f} ms, "
              f"cpu {statistics.median(cpu) * 1e3:.1f} ms over {len(wall)} run(s)")


if __name__ == "__main__":
    main()
