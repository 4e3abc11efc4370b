#!/usr/bin/env bash
# lamtool gif on the project's own radar frames (data/gif/demo), decoded by Pillow, not by
# us: frame count, delays, the NETSCAPE loop block for --loop / --plays 1 / --plays 3, each
# frame's PSNR against its source; thumbnails of the size asked; --fit for a frame of
# another size; the GIF on stdout; a mail under --dry-run.
source "$(dirname "$0")/common.sh"
CHECK="/usr/bin/python3 $LAMTOOL_SOURCE_DIR/tests/tools/gif_check.py"
frames=("$LAMTOOL_SOURCE_DIR"/data/gif/demo/frame-*.png)
[ ${#frames[@]} -eq 12 ] || fail "expected 12 demo frames, found ${#frames[@]}"

run gif "${frames[@]}" --thumbs thumbs/ --thumb-size 160x120 --to loop.gif --json
expect_rc 0
expect_err_empty
c=$($CHECK loop.gif --sources "${frames[@]}")
[ "$(json_get "$c" 'j["frames"]')" == 12 ] || fail "frames: $c"
[ "$(json_get "$c" 'set(j["durations"])')" == "{250}" ] || fail "delays: $c"
[ "$(json_get "$c" 'j["loop"]')" == 0 ] || fail "--loop is the default (count 0): $c"
[ "$(json_get "$c" 'j["psnr_min"] == "inf" or j["psnr_min"] >= 35')" == True ] ||
  fail "frames differ from their sources: $c"
[ "$(json_get "$OUT" 'j["frames"], j["width"], j["height"], len(j["outputs"]), j["thumbnails"]')" == \
  "(12, 512, 512, 13, 12)" ] || fail "manifest: $OUT"
[ "$(json_get "$OUT" 'j["outputs"][0]["content_type"], j["outputs"][0]["bytes"]')" == \
  "('image/gif', $(stat -c %s loop.gif))" ] || fail "manifest output: $OUT"
sizes=$(/usr/bin/python3 -c '
import sys, glob
from PIL import Image
print(sorted({Image.open(f).size for f in glob.glob("thumbs/*.png")}), len(glob.glob("thumbs/*.png")))')
[ "$sizes" == "[(160, 120)] 12" ] || fail "thumbnails: $sizes"
[ -f thumbs/frame-00.png ] || fail "thumbnails are named after their frames: $(ls thumbs)"

run gif "${frames[@]:0:4}" --plays 1 --delay 5 --to once.gif
expect_rc 0
c=$($CHECK once.gif)
[ "$(json_get "$c" 'j["loop"], j["durations"]')" == "(None, [20, 20, 20, 20])" ] ||
  fail "--plays 1 has no loop block; 5 ms is stored as the 2 cs minimum: $c"
run gif "${frames[@]:0:4}" --plays 3 --delay 333 --to thrice.gif
expect_rc 0
c=$($CHECK thrice.gif)
[ "$(json_get "$c" 'j["loop"], j["durations"]')" == "(2, [330, 330, 330, 330])" ] ||
  fail "--plays 3 is a loop count of 2; 333 ms rounds to 33 cs: $c"

# A frame of another size is fitted with --fit (and refused without: gif-bad-input-65).
/usr/bin/python3 -c '
import sys
from PIL import Image
Image.open(sys.argv[1]).resize((300, 200)).save("small.png")' "${frames[0]}"
run gif "${frames[@]:0:3}" small.png --fit contain --to fitted.gif --json
expect_rc 0
c=$($CHECK fitted.gif)
[ "$(json_get "$c" 'j["frames"], j["width"], j["height"]')" == "(4, 512, 512)" ] || fail "--fit: $c"

# stdout: the same bytes as the file.
"$LAMTOOL" gif "${frames[@]}" --to - >stdout.gif 2>err.txt || fail "--to -: $(cat err.txt)"
cmp stdout.gif loop.gif || fail "the GIF on stdout differs from the file"

# A mail is built but not sent under --dry-run (no SMTP server needed).
run gif "${frames[@]:0:2}" --thumbs t2/ --mail-to ops@example.com --mail-from radar@example.com \
  --to m.gif --dry-run --json
expect_rc 0
[ "$(json_get "$OUT" 'j["mail"]["dry_run"], j["mail"]["to"], len(j["mail"]["parts"])')" == \
  "(True, ['ops@example.com'], 3)" ] || fail "dry-run mail: $OUT"

# Fewer colours than the frames have: a median-cut palette with ordered dithering. Still
# close to the sources, and a pixel that did not change keeps its colour (no shimmer):
# every pixel equal in all six sources is equal in all six decoded frames.
run gif "${frames[@]:0:6}" --colors 16 --to sixteen.gif --json
expect_rc 0
[ "$(json_get "$OUT" 'j["exact_colors"], j["palette_colors"] <= 16')" == "(False, True)" ] ||
  fail "--colors 16: $OUT"
c=$($CHECK sixteen.gif --sources "${frames[@]:0:6}")
[ "$(json_get "$c" 'j["frames"], j["psnr_min"] >= 24')" == "(6, True)" ] || fail "--colors 16: $c"
/usr/bin/python3 - sixteen.gif "${frames[@]:0:6}" <<'PY' || fail "dithered pixels that did not change shimmer"
import sys
import numpy
from PIL import Image, ImageSequence
src = numpy.stack([numpy.asarray(Image.open(f).convert("RGB")) for f in sys.argv[2:]])
gif = numpy.stack([numpy.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(Image.open(sys.argv[1]))])
still = (src == src[0]).all(axis=(0, 3))
moved = ((gif != gif[0]).any(axis=3) & still).any(axis=0)
assert still.sum() > 100000, still.sum()
assert not moved.any(), f"{moved.sum()} of {still.sum()} unchanged pixels flicker"
PY

# --background none keeps transparency (overlay frames: rain on nothing).
overlay=("$LAMTOOL_SOURCE_DIR"/data/gif/demo-overlay/frame-*.png)
run gif "${overlay[@]}" --background none --to overlay.gif
expect_rc 0
/usr/bin/python3 - overlay.gif "${overlay[@]}" <<'PY' || fail "transparency was not kept"
import sys
from PIL import Image, ImageSequence
gif = [f.convert("RGBA") for f in ImageSequence.Iterator(Image.open(sys.argv[1]))]
assert len(gif) == len(sys.argv) - 2, len(gif)
for frame, src in zip(gif, sys.argv[2:]):
    a = Image.open(src).convert("RGBA").getchannel("A")
    g = frame.getchannel("A")
    clear = sum(1 for x, y in zip(a.getdata(), g.getdata()) if (x < 128) != (y < 128))
    assert clear == 0, f"{src}: {clear} pixels differ in transparency"
PY

# Noise: long LZW streams that fill the code table again and again (clear codes), in the
# exact path (200 colours) and the quantised one (any colour); each frame decodes exactly,
# or close, and its rectangle changes everywhere.
/usr/bin/python3 - <<'PY'
import random
from PIL import Image
rnd = random.Random(7)
pal = [tuple(rnd.randrange(256) for _ in range(3)) for _ in range(200)]
for i in range(3):
    im = Image.new("RGB", (300, 300))
    im.putdata([pal[rnd.randrange(200)] for _ in range(300 * 300)])
    im.save(f"noise-{i}.png")
    im = Image.new("RGB", (300, 300))
    im.putdata([tuple(rnd.randrange(256) for _ in range(3)) for _ in range(300 * 300)])
    im.save(f"full-{i}.png")
PY
run gif noise-0.png noise-1.png noise-2.png --to noise.gif --json
expect_rc 0
[ "$(json_get "$OUT" 'j["exact_colors"]')" == True ] || fail "200 colours are not exact: $OUT"
c=$($CHECK noise.gif --sources noise-0.png noise-1.png noise-2.png)
[ "$(json_get "$c" 'j["frames"], j["psnr_min"]')" == "(3, 'inf')" ] || fail "noise: $c"
run gif full-0.png full-1.png full-2.png --to full.gif
expect_rc 0
c=$($CHECK full.gif --sources full-0.png full-1.png full-2.png)
[ "$(json_get "$c" 'j["frames"], j["psnr_min"] >= 15')" == "(3, True)" ] || fail "full colour noise: $c"
