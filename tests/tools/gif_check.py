#!/usr/bin/python3
"""Decodes a GIF with Pillow (a decoder that is not lamtool's) and prints one JSON object:
frames, width, height, durations (ms, per frame), loop (the NETSCAPE2.0 count, or null
when the file has no loop block), and, given the source frames, the PSNR of each decoded
frame against its source composited on the background (min and mean; "inf" when equal).

    gif_check.py out.gif [--sources a.png b.png ...] [--background ffffff]
"""

import argparse
import json
import math
import sys

import numpy

from PIL import Image, ImageSequence


def flat_rgb(img, bg):
    img = img.convert("RGBA")
    base = Image.new("RGBA", img.size, bg + (255,))
    return Image.alpha_composite(base, img).convert("RGB")


def psnr(a, b):
    if a.size != b.size:
        return 0.0
    d = numpy.asarray(a, dtype=numpy.float64) - numpy.asarray(b, dtype=numpy.float64)
    mse = float(numpy.mean(d * d))
    return math.inf if mse == 0 else 10 * math.log10(255 * 255 / mse)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("gif")
    p.add_argument("--sources", nargs="*", default=[])
    p.add_argument("--background", default="ffffff")
    a = p.parse_args()
    bg = tuple(int(a.background[i:i + 2], 16) for i in (0, 2, 4))
    im = Image.open(a.gif)
    if im.format != "GIF":
        sys.exit(f"gif_check: {a.gif}: {im.format}, not a GIF")
    out = {"width": im.size[0], "height": im.size[1], "loop": im.info.get("loop"),
           "durations": [], "frames": 0}
    values = []
    for i, frame in enumerate(ImageSequence.Iterator(im)):
        out["durations"].append(frame.info.get("duration"))
        if a.sources:
            src = flat_rgb(Image.open(a.sources[i]), bg) if i < len(a.sources) else None
            values.append(psnr(flat_rgb(frame, bg), src) if src else 0.0)
        out["frames"] += 1
    if values:
        out["psnr_min"] = "inf" if min(values) == math.inf else round(min(values), 2)
        finite = [v for v in values if v != math.inf]
        out["psnr_mean"] = "inf" if not finite else round(sum(finite) / len(finite), 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
