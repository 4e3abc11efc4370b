#!/usr/bin/python3
"""Writes the KDE reference fixtures in tests/fixtures/kde/ with scipy's gaussian_kde.

Run with Debian's /usr/bin/python3 (python3-scipy; made with scipy 1.10.1, numpy 1.24.2):
    /usr/bin/python3 tests/tools/make_kde_refs.py
Each case is one JSON file: the points (rounded to 4 decimals, so the C++ test reads the
very values scipy saw), weights or null, bw or null, the grid (np.linspace nodes), and
scipy's factor, neff, data covariance, kernel covariance and density at the nodes
(rows = y, cols = x). Where scipy refuses the input, "scipy_error" holds its message
and no density is written: the C++ test checks our documented fallback instead.
"""
import json
import os

import numpy as np
import scipy
from scipy.stats import gaussian_kde

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "kde")
RINK = [-100.0, 100.0, -42.5, 42.5]
NX, NY = 40, 17


def case(name, pts, weights=None, bw=None, extent=RINK, nx=NX, ny=NY):
    pts = np.round(np.asarray(pts, dtype=float), 4)
    if weights is not None:
        weights = np.round(np.asarray(weights, dtype=float), 4)
    xs = np.linspace(extent[0], extent[1], nx)
    ys = np.linspace(extent[2], extent[3], ny)
    doc = {
        "name": name,
        "generator": f"scipy {scipy.__version__} gaussian_kde, numpy {np.__version__}",
        "points": pts.tolist(),
        "weights": None if weights is None else weights.tolist(),
        "bw": bw,
        "extent": extent,
        "nx": nx,
        "ny": ny,
        "xs": xs.tolist(),
        "ys": ys.tolist(),
    }
    try:
        k = gaussian_kde(pts.T, bw_method=bw, weights=weights)
        gx, gy = np.meshgrid(xs, ys)
        dens = k(np.vstack([gx.ravel(), gy.ravel()])).reshape(ny, nx)
        doc.update({
            "factor": float(k.factor),
            "neff": float(k.neff),
            "data_covariance": (k.covariance / k.factor**2).tolist(),
            "covariance": k.covariance.tolist(),
            "density": dens.tolist(),
        })
    except Exception as e:  # scipy raises for n < 2 and singular covariance
        doc["scipy_error"] = f"{type(e).__name__}: {e}"
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261122)
    case("normal", rng.normal([5.0, -3.0], [25.0, 15.0], size=(100, 2)))
    case("correlated", rng.multivariate_normal([-20, 4], [[400, 190], [190, 100]], size=150))
    w = rng.uniform(0, 3, size=80)
    w[::10] = 0.0
    case("weighted", rng.normal([30.0, 10.0], [20.0, 12.0], size=(80, 2)), weights=w)
    case("tiny", [[10.0, 5.0], [-20.0, 12.0], [35.0, -8.0]])
    case("bw02", rng.normal([60.0, 0.0], [15.0, 10.0], size=(200, 2)), bw=0.2)
    # Shots near a corner: many points lie outside the extent but within kernel reach.
    case("outside", rng.normal([90.0, 35.0], [12.0, 8.0], size=(120, 2)))
    # Small own extent and grid shape, weighted, explicit bw.
    case("small_extent", rng.normal([2.0, 1.0], [1.0, 0.5], size=(60, 2)),
         weights=rng.uniform(0.5, 1.5, size=60), bw=0.5, extent=[-1.0, 5.0, -1.0, 3.0],
         nx=31, ny=21)
    # scipy refuses these: ValueError for n < d, LinAlgError for a singular covariance.
    case("one_point", [[10.0, 5.0]])
    case("two_points", [[10.0, 5.0], [-20.0, 12.0]])
    case("collinear", [[0.0, 0.0], [10.0, 5.0], [20.0, 10.0], [-30.0, -15.0]])


if __name__ == "__main__":
    main()
