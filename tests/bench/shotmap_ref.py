#!/usr/bin/python3
"""The Python side of the shotmap benchmark: the original Lambda's stack (json, numpy,
scipy.stats.gaussian_kde, matplotlib contourf) doing the same job as
`lamtool shotmap --game-file FILE --to OUT.png` on an api-web play-by-play file:
pick shots on goal, goals and missed shots, turn them so home attacks +x, estimate each
team's density with Scott's factor on a 400 x 170 rink grid, draw filled contour bands on
a rink outline, title, 1200 x 600 PNG.

Run with Debian's /usr/bin/python3:  /usr/bin/python3 tests/bench/shotmap_ref.py GAME.json OUT.png
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Circle, FancyBboxPatch  # noqa: E402
from scipy.stats import gaussian_kde  # noqa: E402

DRAWN = {"shot-on-goal", "goal", "missed-shot"}


def shots(game):
    home_id = game["homeTeam"]["id"]
    out = {"home": [], "away": []}
    for p in game["plays"]:
        if p.get("typeDescKey") not in DRAWN:
            continue
        if p["periodDescriptor"].get("periodType") == "SO":
            continue
        d = p.get("details", {})
        if "xCoord" not in d:
            continue
        x, y = d["xCoord"], d["yCoord"]
        if p.get("homeTeamDefendingSide") == "right":
            x, y = -x, -y
        out["home" if d["eventOwnerTeamId"] == home_id else "away"].append((x, y))
    return out


def main():
    game = json.load(open(sys.argv[1]))
    xs = np.linspace(-100, 100, 400)
    ys = np.linspace(-42.5, 42.5, 170)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.vstack([gx.ravel(), gy.ravel()])
    fig, ax = plt.subplots(figsize=(12, 6), dpi=100)
    rink = FancyBboxPatch((-100, -42.5), 200, 85, boxstyle="round,pad=0,rounding_size=28",
                          fill=False, lw=2)
    ax.add_patch(rink)
    for x in (-89, 89):
        ax.axvline(x, color="red", lw=1)
    for x in (-25, 25):
        ax.axvline(x, color="blue", lw=3)
    ax.axvline(0, color="red", lw=3)
    for cx, cy in ((0, 0), (-69, 22), (-69, -22), (69, 22), (69, -22)):
        ax.add_patch(Circle((cx, cy), 15, fill=False, color="red", lw=1))
    for side, cmap in (("home", "Reds"), ("away", "Blues")):
        pts = np.array(shots(game)[side]).T
        if pts.shape[-1] < 3:
            continue
        z = gaussian_kde(pts)(grid).reshape(gy.shape)
        cs = ax.contourf(gx, gy, z, levels=10, cmap=cmap, alpha=0.7)
        cs.collections[0].set_alpha(0)
        for c in cs.collections:
            c.set_clip_path(rink)
        ax.scatter(pts[0], pts[1], s=8, color="k")
    ax.set_xlim(-101, 101)
    ax.set_ylim(-43.5, 43.5)
    ax.set_aspect("equal")
    ax.axis("off")
    h, a = game["homeTeam"], game["awayTeam"]
    ax.set_title(f"{a['abbrev']} {a['score']} - {h['score']} {h['abbrev']}  {game['gameDate']}")
    fig.savefig(sys.argv[2], dpi=100)


if __name__ == "__main__":
    main()
