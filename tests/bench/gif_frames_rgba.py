"""Decodes frames (PNG, GIF) with Pillow to raw RGBA files, for gif_encode_tool:
   gif_frames_rgba.py OUTDIR FRAME...   (prints "W H" of the first frame)
"""
import os
import sys

from PIL import Image

out, *frames = sys.argv[1:]
os.makedirs(out, exist_ok=True)
for i, f in enumerate(frames):
    im = Image.open(f).convert("RGBA")
    if i == 0:
        print(im.size[0], im.size[1])
    with open(os.path.join(out, f"{i:04d}.rgba"), "wb") as fh:
        fh.write(im.tobytes())
