#!/usr/bin/python3
"""Images of random noise that compress badly, for tests that need big uploads.

    noise_images.py gif OUT.gif       six 1000x900 frames (about 7.4 MB): more than one
                                      4 MiB X upload chunk
    noise_images.py png DIR N         N palette PNG frames 1000x900 (about 0.9 MB each)

Seeded, so every run makes the same bytes. Needs Pillow (python3-pil).
"""
import random
import sys

from PIL import Image


def frames(count, seed, one_palette):
    rng = random.Random(seed)
    shared = [rng.randrange(256) for _ in range(768)]
    out = []
    for _ in range(count):
        frame = Image.frombytes("P", (1000, 900), rng.randbytes(900000))
        frame.putpalette(shared if one_palette else [rng.randrange(256) for _ in range(768)])
        out.append(frame)
    return out


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "gif":
        f = frames(6, 7, False)
        f[0].save(sys.argv[2], save_all=True, append_images=f[1:], duration=200, loop=0)
    elif len(sys.argv) == 4 and sys.argv[1] == "png":
        for i, frame in enumerate(frames(int(sys.argv[3]), 3, True)):
            frame.save(f"{sys.argv[2]}/noise-{i}.png")
    else:
        sys.exit(__doc__)


main()
