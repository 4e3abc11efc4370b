#!/usr/bin/python3
"""Writes the image fixtures in tests/fixtures/image/ and their references.

Run with Debian's /usr/bin/python3 (python3-pil, python3-numpy; made with Pillow 9.4.0
and numpy 1.24.2) from anywhere:
    /usr/bin/python3 tests/tools/make_image_fixtures.py
--check (the ctest tools.make-image-fixtures) says which committed file differs from what
it would write.

tests/image_test.cc decodes each picture with lamtool and compares it with a reference
that does not come from lamtool:
  png-*.png       pictures of known pixels (pattern() below), written by Pillow or, for
                  what Pillow cannot write (16-bit RGBA, Adam7 interlacing, 2-bit palette),
                  by write_png() here. Reference: the known pixels as 8-bit RGBA,
                  <name>.rgba (Pillow's decode is checked to agree where it can read them).
  jpeg-*.jpg      written by Pillow (libjpeg-turbo); reference: Pillow's decode converted
                  to RGBA, <name>.rgba.
  anim.gif        four frames written by write_gif() here (our own little LZW writer, so
                  each frame's rectangle, disposal, transparency, local palette and
                  interlacing are what the test needs, not what an optimiser picks).
                  Reference: every frame as Pillow's ImageSequence shows it, converted to
                  RGBA, anim.gif.<i>.rgba; delays and loop count in manifest.json.
  resize-src.png  a photo-like RGBA picture (gradients, edges, noise, soft alpha), and
  resize-ref.png  Pillow's Image.resize(..., Image.LANCZOS) of it to a quarter of each side
                  (reducing_gap None, the default), which resize() must match > 40 dB.
Each .rgba is width * height * 4 bytes; sizes are in manifest.json.
"""
import io
import json
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageSequence

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "tests", "fixtures", "image")
W, H = 13, 9  # odd sizes, so rows are not a multiple of anything


def pattern():
    """Known RGBA pixels: every channel a different function of x and y."""
    y, x = np.mgrid[0:H, 0:W]
    r = (x * 19 + y * 3) % 256
    g = (y * 29 + x * x) % 256
    b = (x * y * 7 + 40) % 256
    a = np.where((x + y) % 4 == 0, 0, (x * 17 + y * 11 + 60) % 256)
    return np.stack([r, g, b, a], axis=-1).astype(np.uint8)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_png(rows_of, width, height, depth, color_type, extra=b"", interlace=False):
    """A PNG from raw rows: rows_of(xs, ys) gives the packed bytes of the pixels at
    columns xs of each row in ys (filter 0 throughout), Adam7 if `interlace`."""
    raw = b""
    if interlace:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4),
                  (1, 0, 2, 2), (0, 1, 1, 2)]
        for x0, y0, dx, dy in passes:
            xs, ys = list(range(x0, width, dx)), list(range(y0, height, dy))
            if xs and ys:
                raw += b"".join(b"\0" + row for row in rows_of(xs, ys))
    else:
        raw = b"".join(b"\0" + row for row in rows_of(list(range(width)), list(range(height))))
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 1 if interlace else 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def pillow_png(img, **kw):
    f = io.BytesIO()
    img.save(f, "PNG", **kw)
    return f.getvalue()


def png_fixtures():
    """name -> (bytes, expected RGBA array)."""
    p = pattern()
    rgb, alpha = p[..., :3], p[..., 3]
    gray = p[..., 0]
    opaque = np.concatenate([rgb, np.full((H, W, 1), 255, np.uint8)], axis=-1)
    gray_rgba = np.stack([gray, gray, gray, np.full_like(gray, 255)], axis=-1)
    out = {}
    out["png-gray"] = (pillow_png(Image.fromarray(gray, "L")), gray_rgba)
    la = np.stack([gray, gray, gray, alpha], axis=-1)
    out["png-gray-alpha"] = (pillow_png(Image.fromarray(np.stack([gray, alpha], -1), "LA")), la)
    out["png-rgb"] = (pillow_png(Image.fromarray(rgb, "RGB")), opaque)
    out["png-rgba"] = (pillow_png(Image.fromarray(p, "RGBA")), p)
    # An 8-bit palette of 16 colours, some of them partly or fully transparent (tRNS).
    palette = np.array([[(i * 37) % 256, (i * 91) % 256, (255 - i * 16) % 256] for i in range(16)],
                       np.uint8)
    trns = [0, 128, 255, 40] + [255] * 12
    index = ((np.arange(W)[None, :] * 3 + np.arange(H)[:, None] * 5) % 16).astype(np.uint8)
    pal_rgba = np.concatenate([palette[index], np.array(trns, np.uint8)[index][..., None]], -1)
    im = Image.fromarray(index, "P")
    im.putpalette(palette.flatten().tolist())
    out["png-palette-trns"] = (pillow_png(im, transparency=bytes(trns)), pal_rgba)
    # 2-bit palette (4 colours, entry 1 transparent), packed four pixels a byte.
    idx2 = index % 4
    def rows2(xs, ys):
        rows = []
        for y in ys:
            bits = [int(idx2[y, x]) for x in xs] + [0] * (-len(xs) % 4)
            rows.append(bytes(bits[i] << 6 | bits[i + 1] << 4 | bits[i + 2] << 2 | bits[i + 3]
                              for i in range(0, len(bits), 4)))
        return rows
    plte = chunk(b"PLTE", palette[:4].tobytes()) + chunk(b"tRNS", bytes([255, 0]))
    exp2 = np.concatenate([palette[idx2], np.where(idx2 == 1, 0, 255).astype(np.uint8)[..., None]], -1)
    out["png-palette-2bit"] = (write_png(rows2, W, H, 2, 3, plte), exp2)
    # 16-bit RGBA: each 8-bit value v stored as v * 257 plus a low byte below 128, so the
    # exact value rounds back to v.
    low = ((np.arange(W)[None, :] + np.arange(H)[:, None]) * 13 % 128).astype(np.uint16)
    p16 = p.astype(np.uint16) * 257 + low[..., None] - np.where(p > 0, 0, 0).astype(np.uint16)
    p16 = np.minimum(p16, 65535)
    def rows16(xs, ys):
        return [p16[y, xs].astype(">u2").tobytes() for y in ys]
    exp16 = np.round(p16.astype(np.float64) / 257).astype(np.uint8)
    out["png-rgba16"] = (write_png(rows16, W, H, 16, 6), exp16)
    # 16-bit gray by Pillow (mode I;16): values v * 257.
    g16 = gray.astype(np.uint16) * 257
    out["png-gray16"] = (pillow_png(Image.fromarray(g16, "I;16")), gray_rgba)
    # Adam7-interlaced RGBA, 8-bit; and interlaced 1-bit gray.
    def rows8(xs, ys):
        return [p[y, xs].tobytes() for y in ys]
    out["png-rgba-interlaced"] = (write_png(rows8, W, H, 8, 6, interlace=True), p)
    bit = ((np.arange(W)[None, :] * np.arange(H)[:, None]) % 3 == 0).astype(np.uint8)
    def rows1(xs, ys):
        rows = []
        for y in ys:
            bits = [int(bit[y, x]) for x in xs] + [0] * (-len(xs) % 8)
            rows.append(bytes(sum(bits[i + k] << (7 - k) for k in range(8))
                              for i in range(0, len(bits), 8)))
        return rows
    v = bit * 255
    exp1 = np.stack([v, v, v, np.full_like(v, 255)], -1).astype(np.uint8)
    out["png-gray1-interlaced"] = (write_png(rows1, W, H, 1, 0, interlace=True), exp1)
    # Pillow must read them all as we expect, or the expectation is wrong.
    for name, (data, expected) in out.items():
        if name == "png-rgba16":
            continue  # Pillow reads 16-bit RGBA by truncating, not rounding
        got = np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))
        if name == "png-gray16":
            got = np.asarray(Image.open(io.BytesIO(data)).point(lambda v: v / 257).convert("L").convert("RGBA"))
        assert np.array_equal(got, expected), name
    return out


def photo(width, height, seed):
    """A photo-like RGB picture: gradients, a disc, stripes, noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = 128 + 100 * np.sin(x / 7.0) * np.cos(y / 11.0)
    g = 255 * x / width
    b = np.where((x - width / 2) ** 2 + (y - height / 2) ** 2 < (min(width, height) / 3) ** 2, 220, 30)
    b = b + 40 * ((x.astype(int) // 4) % 2)
    img = np.stack([r, g, b], -1) + rng.normal(0, 6, (height, width, 3))
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def jpeg_fixtures():
    out = {}
    def jpeg(img, **kw):
        f = io.BytesIO()
        img.save(f, "JPEG", **kw)
        data = f.getvalue()
        return data, np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))
    rgb = Image.fromarray(photo(48, 32, 1), "RGB")
    out["jpeg-rgb"] = jpeg(rgb, quality=90)  # 4:2:0, baseline
    out["jpeg-progressive"] = jpeg(rgb, quality=75, progressive=True, subsampling=1)
    out["jpeg-gray"] = jpeg(rgb.convert("L"), quality=90)
    out["jpeg-cmyk"] = jpeg(rgb.convert("CMYK"), quality=95)
    return out


# --- GIF ------------------------------------------------------------------------------

def lzw(indices, min_size):
    """GIF LZW of `indices` with literal codes only: a clear code before the table would
    grow past the first code width, so every code is min_size + 1 bits."""
    clear, end = 1 << min_size, (1 << min_size) + 1
    width = min_size + 1
    per_clear = clear - 2
    codes = []
    for i, v in enumerate(indices):
        if i % per_clear == 0:
            codes.append(clear)
        codes.append(int(v))
    codes.append(end)
    bits = acc = 0
    data = bytearray()
    for c in codes:
        acc |= c << bits
        bits += width
        while bits >= 8:
            data.append(acc & 0xff)
            acc >>= 8
            bits -= 8
    if bits:
        data.append(acc & 0xff)
    blocks = b"".join(bytes([len(data[i:i + 255])]) + bytes(data[i:i + 255])
                      for i in range(0, len(data), 255))
    return bytes([min_size]) + blocks + b"\0"


def gif_frame(frame):
    rect, pixels, disposal, delay, transparent = (frame[k] for k in
                                                  ("rect", "pixels", "disposal", "delay", "transparent"))
    flags = disposal << 2 | (1 if transparent is not None else 0)
    gce = b"\x21\xf9\x04" + struct.pack("<BHB", flags, delay, transparent or 0) + b"\0"
    left, top, w, h = rect
    local = frame.get("palette")
    packed = 0
    if local is not None:
        packed |= 0x80 | 1  # local table of 4 colours
    rows = list(range(h))
    if frame.get("interlace"):
        packed |= 0x40
        rows = list(range(0, h, 8)) + list(range(4, h, 8)) + list(range(2, h, 4)) + list(range(1, h, 2))
    desc = b"\x2c" + struct.pack("<HHHHB", left, top, w, h, packed)
    if local is not None:
        desc += bytes(np.array(local, np.uint8).flatten())
    order = np.array(pixels, np.uint8)[rows].flatten()
    return gce + desc + lzw(order, 2)


def write_gif(width, height, palette, background, frames, loop):
    out = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80 | 0x70 | 1, background, 0)
    out += bytes(np.array(palette, np.uint8).flatten())
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", loop) + b"\0"
    for f in frames:
        out += gif_frame(f)
    return out + b"\x3b"


def gif_fixture():
    sw, sh = 16, 12
    palette = [(255, 255, 255), (200, 0, 0), (0, 160, 0), (0, 0, 220)]
    y, x = np.mgrid[0:sh, 0:sw]
    f0 = np.where((x + y) % 5 == 0, 0, 1 + (x // 6) % 3)  # index 0 transparent
    f1 = np.full((5, 7), 2)
    f1[1:4, 2:5] = 3
    f1[2, 3] = 0  # a transparent hole: frame 0 shows through
    f2 = np.array([[1, 2, 3, 1, 2], [3, 3, 0, 1, 1], [2, 1, 1, 3, 0]])
    f3 = np.where((x * y) % 7 == 0, 3, (x + 2 * y) % 3)
    frames = [
        dict(rect=(0, 0, sw, sh), pixels=f0, disposal=0, delay=10, transparent=0),
        dict(rect=(3, 2, 7, 5), pixels=f1, disposal=2, delay=25, transparent=0),
        dict(rect=(9, 6, 5, 3), pixels=f2, disposal=3, delay=7, transparent=0,
             palette=[(10, 20, 30), (250, 200, 0), (0, 200, 200), (128, 0, 128)]),
        dict(rect=(0, 0, sw, sh), pixels=f3, disposal=1, delay=100, transparent=3,
             interlace=True),
    ]
    data = write_gif(sw, sh, palette, 0, frames, 3)
    im = Image.open(io.BytesIO(data))
    refs, delays = [], []
    for frame in ImageSequence.Iterator(im):
        refs.append(np.asarray(frame.convert("RGBA")).copy())
        delays.append(frame.info["duration"] // 10)
    assert len(refs) == 4 and delays == [10, 25, 7, 100], delays
    return data, refs, delays, im.info.get("loop")


def resize_fixture():
    width, height = 96, 64
    rgb = photo(width, height, 7)
    y, x = np.mgrid[0:height, 0:width]
    alpha = np.clip(255 * (1.5 - np.hypot(x - 60, y - 30) / 30), 0, 255).astype(np.uint8)
    alpha[:, :8] = 0  # a transparent band whose colour must not bleed in
    src = Image.fromarray(np.concatenate([rgb, alpha[..., None]], -1), "RGBA")
    ref = src.resize((width // 4, height // 4), Image.LANCZOS)
    return pillow_png(src), pillow_png(ref)


def files():
    out, manifest = {}, {}
    for name, (data, expected) in png_fixtures().items():
        out[name + ".png"] = data
        out[name + ".rgba"] = expected.tobytes()
        manifest[name + ".png"] = {"width": W, "height": H, "reference": name + ".rgba"}
    for name, (data, expected) in jpeg_fixtures().items():
        out[name + ".jpg"] = data
        out[name + ".rgba"] = expected.tobytes()
        manifest[name + ".jpg"] = {"width": expected.shape[1], "height": expected.shape[0],
                                   "reference": name + ".rgba"}
    data, refs, delays, loop = gif_fixture()
    out["anim.gif"] = data
    for i, ref in enumerate(refs):
        out[f"anim.gif.{i}.rgba"] = ref.tobytes()
    manifest["anim.gif"] = {"width": refs[0].shape[1], "height": refs[0].shape[0],
                            "frames": [f"anim.gif.{i}.rgba" for i in range(len(refs))],
                            "delays_cs": delays, "loop": loop}
    src, ref = resize_fixture()
    out["resize-src.png"], out["resize-ref.png"] = src, ref
    manifest["resize-src.png"] = {"resized_to": "resize-ref.png", "by": "Image.resize LANCZOS"}
    out["manifest.json"] = (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()
    return out


def committed(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def main():
    if sys.argv[1:] not in ([], ["--check"]):
        sys.exit("usage: make_image_fixtures.py [--check]")
    made = {os.path.join(OUT, name): body for name, body in files().items()}
    if sys.argv[1:]:
        stale = [os.path.basename(p) for p, body in made.items() if committed(p) != body]
        if stale:
            sys.exit("differs from what make_image_fixtures.py writes: " + ", ".join(sorted(stale)))
        return
    os.makedirs(OUT, exist_ok=True)
    for path, body in made.items():
        with open(path, "wb") as f:
            f.write(body)
    print(f"{OUT}: {len(made)} files")


if __name__ == "__main__":
    main()
