"""Decodes a GIF with Pillow (a decoder that is not ours) and describes it as JSON:
   gif_inspect.py FILE [--dump DIR]
{"frames": N, "durations": [ms...], "loop": n or null (no NETSCAPE block),
 "size": [w, h], "sha256": [per frame, of its RGBA pixels as shown]}
--dump DIR also writes each frame as shown (coalesced) to DIR/NNNN.rgba, raw RGBA.
"""
import hashlib
import json
import os
import sys

from PIL import Image, ImageSequence

args = sys.argv[1:]
dump = None
if "--dump" in args:
    i = args.index("--dump")
    dump = args[i + 1]
    del args[i:i + 2]
im = Image.open(args[0])
loop = im.info.get("loop")
result = {"frames": 0, "durations": [], "loop": loop, "size": list(im.size), "sha256": []}
for n, frame in enumerate(ImageSequence.Iterator(im)):
    rgba = frame.convert("RGBA").tobytes()
    result["frames"] += 1
    result["durations"].append(frame.info.get("duration"))
    result["sha256"].append(hashlib.sha256(rgba).hexdigest())
    if dump:
        with open(os.path.join(dump, f"{n:04d}.rgba"), "wb") as fh:
            fh.write(rgba)
print(json.dumps(result))
