#!/usr/bin/env bash
# Bad frames: one error line naming the frame, the documented exit status, and no GIF
# (not even a partial one). Bad flags: 64 before any work.
source "$(dirname "$0")/common.sh"
frames=("$LAMTOOL_SOURCE_DIR"/data/gif/demo/frame-*.png)
f0=${frames[0]}
f1=${frames[1]}

expect_no_gif() { [ ! -e out.gif ] || fail "a GIF was written: $(ls -la out.gif)"; [ -z "$(ls -A thumbs 2>/dev/null)" ] || fail "thumbnails were written"; }
expect_bad() {  # CODE NAME-IN-MESSAGE ARGS...
  local code=$1 name=$2
  shift 2
  run gif "$@" --to out.gif --thumbs thumbs/
  expect_rc "$code"
  expect_one_error_line
  expect_err_contains "$name"
  expect_no_gif
}

printf 'hello, not a picture\n' >notes.png
expect_bad 65 "'notes.png'" "$f0" notes.png
expect_err_contains "not a PNG, JPEG or GIF"

head -c 3000 "$f1" >truncated.png
expect_bad 65 "'truncated.png'" "$f0" truncated.png

# A PNG whose header says 50,000 x 50,000: refused before its pixels are allocated.
/usr/bin/python3 - <<'PY'
import struct, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
ihdr = struct.pack(">IIBBBBB", 50000, 50000, 8, 2, 0, 0, 0)
open("huge.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
    chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))
PY
expect_bad 65 "'huge.png'" huge.png
expect_err_contains "50000x50000"
expect_bad 65 "'huge.png'" "$f0" huge.png

/usr/bin/python3 -c '
import sys
from PIL import Image
Image.open(sys.argv[1]).resize((300, 200)).save("small.png")' "$f0"
expect_bad 65 "'small.png'" "$f0" small.png
expect_err_contains "--fit"

expect_bad 66 "'missing.png'" "$f0" missing.png

# Flags: 64 before anything is read.
for args in "--plays 0" "--colors 1" "--colors 300" "--delay 0" "--loop --plays 2" \
  "--thumbs thumbs.png" "--thumb-size 0x10" "--fit stretch" "--background pink" \
  "--mail-to not-an-address"; do
  # shellcheck disable=SC2086
  run gif "$f0" $args --to out.gif
  expect_rc 64
  expect_no_gif
done
run gif --to out.gif
expect_rc 64
