# Sourced by tests/cli/hostile-*.sh after common.sh: runs lamtool on hostile input (made
# at test time in $WORK, never committed) and checks what every such run must do: the
# documented exit code, errors only as 'lamtool: error: ...' lines naming the input, no
# crash or internal error, bounded peak memory, nothing written outside the run's own
# directory and nothing partial inside it.

# Peak resident memory any one run may reach (KiB). The heaviest input here is a 100 MB
# line, which lamtool must refuse without holding it. Under ASan the shadow memory and
# quarantine make RSS meaningless, so the bound is not checked there.
HOSTILE_MAX_RSS_KB=${HOSTILE_MAX_RSS_KB:-204800}
HOSTILE_TRIED=0
HOSTILE_LOG="$WORK/.hostile-log"
: >"$HOSTILE_LOG"
# Each case runs in its own directory below $WORK/cases; $WORK/outside is where a path
# traversal ('../outside/x') would land, and must stay empty.
mkdir -p "$WORK/cases" "$WORK/outside"

# Runs CMD... with stdin from $HOSTILE_STDIN (a file, default /dev/null) or, when
# $HOSTILE_FEED is set, from that shell command's output (so a 100 MB line is streamed,
# never stored); writes rc and peak RSS (KiB) of the lamtool process to .rc and .rss.
_hostile_exec() {
  /usr/bin/python3 - "$@" <<'PY'
import os, subprocess, sys
feed = os.environ.get("HOSTILE_FEED")
stdin = open(os.environ.get("HOSTILE_STDIN") or "/dev/null", "rb")
producer = None
if feed:
    producer = subprocess.Popen(["bash", "-c", feed], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
    stdin = producer.stdout
with open(".out", "wb") as out, open(".err", "wb") as err:
    child = subprocess.Popen(sys.argv[1:], stdin=stdin, stdout=out, stderr=err)
    _, status, usage = os.wait4(child.pid, 0)
if producer:
    producer.stdout.close()
    producer.kill()
    producer.wait()
rc = os.waitstatus_to_exitcode(status)
open(".rc", "w").write(str(rc if rc >= 0 else 128 - rc))
open(".rss", "w").write(str(usage.ru_maxrss))
PY
}

# hostile NAME RC PATTERN ARGS...: one hostile run of `lamtool ARGS...` in a fresh
# directory (files the case needs are made first by the caller in $CASE, see new_case).
# Expects exit RC and, when RC is not 0, a first stderr line 'lamtool: error: ...'
# containing PATTERN; every stderr line must be lamtool's own ('lamtool: ...').
hostile() {
  local name=$1 rc=$2 pattern=$3
  shift 3
  HOSTILE_TRIED=$((HOSTILE_TRIED + 1))
  cd "$CASE"
  local before
  before=$(find . -mindepth 1 -not -name '.*' | sort)
  _hostile_exec "$LAMTOOL" "$@"
  RC=$(cat .rc)
  local rss
  rss=$(cat .rss)
  ERR=$(cat .err)
  OUT=$(head -c 4096 .out)
  local first
  first=$(head -n 1 .err)
  printf '%s\t%s\t%s KiB\t%s\n' "$name" "$RC" "$rss" "${first:0:160}" >>"$HOSTILE_LOG"
  [ "$RC" -eq "$rc" ] || _hostile_fail "$name: expected exit $rc, got $RC; stderr: ${ERR:0:2000}"
  if [ "$rc" -ne 0 ]; then
    [[ "$first" == "lamtool: error: "* ]] || _hostile_fail "$name: expected 'lamtool: error: ...', got: ${ERR:0:2000}"
    [[ "$first" == *"$pattern"* ]] || _hostile_fail "$name: expected the error to contain '$pattern', got: $first"
  fi
  [[ "$ERR" != *"internal error"* ]] || _hostile_fail "$name: internal error: $ERR"
  if [ -n "$ERR" ]; then
    local bad
    bad=$(grep -v '^lamtool: ' .err | head -n 3 || true)
    [ -z "$bad" ] || _hostile_fail "$name: stderr line not lamtool's own: $bad"
  fi
  if [ "${LAMTOOL_SANITIZED:-0}" != 1 ] && [ "$rss" -gt "$HOSTILE_MAX_RSS_KB" ]; then
    _hostile_fail "$name: peak RSS $rss KiB, more than $HOSTILE_MAX_RSS_KB KiB"
  fi
  [ -z "$(find "$WORK/outside" -mindepth 1 -print -quit)" ] || _hostile_fail "$name: wrote outside its directory: $(find "$WORK/outside" -mindepth 1)"
  # A failed run leaves no new file (no partial output, no temporary file).
  if [ "$rc" -ne 0 ] && [ "${HOSTILE_KEEP:-0}" != 1 ]; then
    local after
    after=$(find . -mindepth 1 -not -name '.*' | sort)
    [ "$after" == "$before" ] || _hostile_fail "$name: files left behind: $(comm -13 <(echo "$before") <(echo "$after"))"
  fi
  cd "$WORK"
}

# A failed check ends the test; HOSTILE_CONTINUE=1 (by hand, to see every failing case at
# once) reports it and goes on, and the test still fails at the end.
HOSTILE_FAILED=0
_hostile_fail() {
  if [ "${HOSTILE_CONTINUE:-0}" == 1 ]; then
    echo "FAIL: $*" >&2
    HOSTILE_FAILED=$((HOSTILE_FAILED + 1))
    return 0
  fi
  fail "$@"
}

# new_case: a fresh empty directory for the next case, as $CASE.
new_case() {
  CASE=$(mktemp -d "$WORK/cases/c-XXXXXX")
}

# hostile_summary COMMAND...: prints the cases tried (name, exit code, peak RSS, first
# error line), for the record in the test's log.
hostile_summary() {
  echo "hostile inputs tried: $HOSTILE_TRIED ($*)"
  cat "$HOSTILE_LOG"
  [ "$HOSTILE_FAILED" -eq 0 ] || fail "$HOSTILE_FAILED hostile cases failed"
}

# Hostile inputs, made on demand in the current directory.
# deep_json FILE N: an object nested N levels ({"a":{"a":...1...}}), one line.
deep_json() {
  /usr/bin/python3 -c 'import sys; n=int(sys.argv[2]); open(sys.argv[1],"w").write("{\"a\":"*n+"1"+"}"*n+"\n")' "$1" "$2"
}
# deep_array FILE N: N nested arrays, one line.
deep_array() {
  /usr/bin/python3 -c 'import sys; n=int(sys.argv[2]); open(sys.argv[1],"w").write("["*n+"]"*n+"\n")' "$1" "$2"
}
# A shell command printing one 100 MB line (for HOSTILE_FEED).
HUGE_LINE_FEED="head -c 100000000 /dev/zero | tr '\\0' 'a'"
# png_header FILE W H: a PNG whose header claims W x H (RGBA) and whose data is tiny.
png_header() {
  /usr/bin/python3 - "$@" <<'PY'
import struct, sys, zlib
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
                       + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b""))
PY
}
# gif_header FILE W H: a GIF whose screen and one frame claim W x H.
gif_header() {
  /usr/bin/python3 - "$@" <<'PY'
import struct, sys
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
open(path, "wb").write(b"GIF89a" + struct.pack("<HH", w, h) + b"\x00\x00\x00" + b"\x2c"
                       + struct.pack("<HHHH", 0, 0, w, h) + b"\x00\x02\x02\x44\x01\x00\x3b")
PY
}
# jpeg_header FILE W H: a JPEG start-of-frame claiming W x H, then the end.
jpeg_header() {
  /usr/bin/python3 - "$@" <<'PY'
import struct, sys
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
open(path, "wb").write(b"\xff\xd8\xff\xc0" + struct.pack(">HBHHB", 11, 8, h, w, 1) + b"\x01\x11\x00\xff\xd9")
PY
}
# png_bomb FILE: a valid 16 x 16 PNG with a zTXt chunk that inflates to 1 GB (a
# compression bomb inside the one compressed format lamtool reads).
png_bomb() {
  /usr/bin/python3 - "$1" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
z = zlib.compressobj(9)
block = b"\0" * (1 << 20)
bomb = b"".join(z.compress(block) for _ in range(1024)) + z.flush()
raw = b"".join(b"\0" + b"\x20\x40\x60\xff" * 16 for _ in range(16))
open(sys.argv[1], "wb").write(
    b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 6, 0, 0, 0))
    + chunk(b"zTXt", b"Comment\0\0" + bomb) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
}
# good_png FILE: a valid 16 x 16 picture.
good_png() {
  /usr/bin/python3 - "$1" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
raw = b"".join(b"\0" + b"".join(bytes((x * 16, y * 16, 128, 255)) for x in range(16)) for y in range(16))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 6, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
}
