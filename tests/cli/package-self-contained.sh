#!/usr/bin/env bash
# lamtool package: the zip is the same twice, every member has its mode, and unpacked
# into an otherwise empty root (var/task and tmp only, as Lambda has) it runs under
# chroot with nothing from this machine: bootstrap --version, a shot map drawn with the
# zip's fonts, and one fetched over the network through the zip's libcurl and its
# libraries. Needs root (chroot); exits 200 (skipped) without it.
source "$(dirname "$0")/common.sh"
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIPPED: needs root to chroot into the unpacked zip"
  exit 200
fi
CHROOT=$(command -v chroot || true)
if [ -z "$CHROOT" ]; then
  echo "SKIPPED: no chroot command (coreutils)"
  exit 200
fi

run package --to "$WORK/a.zip" --json
expect_rc 0
expect_err_empty
size=$(stat -c %s "$WORK/a.zip")
[ "$(json_get "$OUT" 'j["outputs"][0]["bytes"]')" -eq "$size" ] || fail "manifest bytes != $size: $OUT"
[ "$(json_get "$OUT" 'j["zip_bytes"]')" -eq "$size" ] || fail "zip_bytes != $size: $OUT"
[ "$(json_get "$OUT" 'sum(f["bytes"] for f in j["files"]) == j["uncompressed_bytes"]')" == True ] ||
  fail "uncompressed_bytes is not the sum of the files: $OUT"
run package --to "$WORK/b.zip"
expect_rc 0
expect_out ""
cmp -s "$WORK/a.zip" "$WORK/b.zip" || fail "two runs gave different zips"

# Members and modes, then unpacked with them (Python's zipfile, then chmod).
ROOT="$WORK/root"
/usr/bin/python3 - "$WORK/a.zip" "$ROOT/var/task" <<'PY' || fail "zip contents (above)"
import os, stat, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None, "bad CRC"
names = set(z.namelist())
need = {"bootstrap", "lamtool", "lib/ld-linux-x86-64.so.2", "lib/libc.so.6", "lib/libm.so.6",
        "lib/libcurl.so.4", "lib/libssl.so.3", "lib/libcrypto.so.3",
        "share/lamtool/ca-certificates.crt", "share/lamtool/fonts/DejaVuSans.ttf",
        "share/lamtool/fonts/DejaVuSans-Bold.ttf", "share/lamtool/predict/model.json"}
assert need <= names, f"missing: {sorted(need - names)}"
executable = {"bootstrap", "lamtool", "lib/ld-linux-x86-64.so.2"}
for i in z.infolist():
    mode = i.external_attr >> 16
    want = 0o755 if i.filename in executable else 0o644
    assert i.create_system == 3 and stat.S_ISREG(mode), f"{i.filename}: not a Unix file"
    assert stat.S_IMODE(mode) == want, f"{i.filename}: mode {oct(stat.S_IMODE(mode))}, want {oct(want)}"
    assert i.filename.startswith(("lib/", "share/lamtool/")) or i.filename in executable, i.filename
    path = z.extract(i, sys.argv[2])
    os.chmod(path, stat.S_IMODE(mode))
PY
mkdir "$ROOT/tmp"
# Info-ZIP's view of the same archive, when installed.
if command -v unzip >/dev/null; then
  unzip -tq "$WORK/a.zip" >/dev/null || fail "unzip -t: $(unzip -t "$WORK/a.zip" | tail -3)"
fi

# A sanitized lamtool (ASan, UBSan and libstdc++ packed beside it) reads /proc/self/maps
# as it starts, and this root has no /proc (Lambda's has).
if [ "${LAMTOOL_SANITIZED:-0}" == 1 ]; then
  echo "SKIPPED: the runs under chroot (a sanitized build needs /proc); the zip checks passed"
  exit 200
fi

# jail ARGS...: runs ARGS in the root with an empty environment; sets RC, OUT and ERR.
jail() {
  set +e
  env -i "${JAIL_ENV[@]}" "$CHROOT" "$ROOT" "$@" >"$WORK/.out" 2>"$WORK/.err" </dev/null
  RC=$?
  set -e
  OUT=$(cat "$WORK/.out")
  ERR=$(cat "$WORK/.err")
}
JAIL_ENV=()

jail /var/task/bootstrap --version
expect_rc 0
expect_err_empty
expected_version=$("$LAMTOOL" --version)
expect_out "$expected_version"

# A shot map: the zip's fonts (LAMTOOL_DATA_DIR from the launcher) and the PNG encoder.
game=$(ls "$GAMES"/apiweb_1917020901_*.json)
cp "$game" "$ROOT/var/task/game.json"
jail /var/task/bootstrap shotmap --game-file /var/task/game.json --to /tmp/map.png
expect_rc 0
rm "$ROOT/var/task/game.json"
check_png() {
  [ -s "$1" ] || fail "no picture $1"
  [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" == 89504e470d0a1a0a ] || fail "$1 is not a PNG"
  /usr/bin/python3 -c 'import sys; from PIL import Image; im = Image.open(sys.argv[1]); assert im.size == (1200, 600), im.size' "$1" ||
    fail "$1 is not 1200x600"
}
check_png "$ROOT/tmp/map.png"

# Over the network: libcurl.so.4 and everything it needs load from the zip's lib/.
start_nhl_server --log "$WORK/requests.log"
JAIL_ENV=(LAMTOOL_NHL_API_URL="$NHL_URL")
jail /var/task/bootstrap shotmap --game-id 1917020901 --to /tmp/net.png
expect_rc 0
check_png "$ROOT/tmp/net.png"
grep -q "GET /v1/gamecenter/1917020901/play-by-play 200" "$WORK/requests.log" ||
  fail "the NHL server saw no request: $(cat "$WORK/requests.log" 2>/dev/null)"

# The Lambda loop itself, started as Lambda starts it (bootstrap with no argument runs
# `lamtool lambda`), against the Runtime API stand-in: API Gateway's GET /shotmap answers
# the PNG, an event that is not JSON an error, and the loop goes on to the next event.
/usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/tools/make_lambda_events.py" "$WORK/ev" "$LAMTOOL_SOURCE_DIR" 1917020901
coproc RAPI { exec /usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/servers/lambda-runtime.py" --timeout-ms 60000; }
read -r rapi_port <&"${RAPI[0]}" || fail "Runtime API printed no port"
for e in shotmap-get-v1 not-json shotmap-delete-v1; do
  curl -sf -X POST --data-binary "@$WORK/ev/$e.json" "http://127.0.0.1:$rapi_port/__test/enqueue" >/dev/null
done
env -i LAMTOOL_NHL_API_URL="$NHL_URL" AWS_LAMBDA_RUNTIME_API="127.0.0.1:$rapi_port" _HANDLER=shotmap \
  LAMBDA_TASK_ROOT=/var/task "$CHROOT" "$ROOT" /var/task/bootstrap >"$WORK/loop.out" 2>"$WORK/loop.err" &
loop_pid=$!
curl -sf "http://127.0.0.1:$rapi_port/__test/wait?count=3&timeout=60" >"$WORK/results.json" ||
  fail "the loop did not answer 3 events: $(cat "$WORK/loop.err")"
kill "$loop_pid" 2>/dev/null || true
wait "$loop_pid" 2>/dev/null || true
kill "$RAPI_PID" 2>/dev/null || true
/usr/bin/python3 - "$WORK/results.json" "$ROOT/tmp/net.png" <<'PY' || fail "the loop's answers"
import base64, json, sys
inv = json.load(open(sys.argv[1]))["invocations"]
assert [i["outcome"] for i in inv] == ["response", "error", "response"], inv
first = json.loads(inv[0]["body"])
assert first["statusCode"] == 200 and first["isBase64Encoded"], first
assert base64.b64decode(first["body"]) == open(sys.argv[2], "rb").read(), "not the map drawn above"
assert json.loads(inv[1]["body"])["errorType"] == "DataError", inv[1]
assert json.loads(inv[2]["body"])["statusCode"] == 405, inv[2]
PY

# Over HTTPS: the zip's OpenSSL verifies the server against SSL_CERT_FILE, which the
# launcher points at the zip's bundle (so a self-signed test certificate is refused) unless
# it is set (then accepted).
stop_nhl_server
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null ||
  fail "openssl cannot make a test certificate"
start_nhl_server --log "$WORK/tls-requests.log" --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem"
JAIL_ENV=(LAMTOOL_NHL_API_URL="https${NHL_URL#http}")
jail /var/task/bootstrap shotmap --game-id 1917020901 --to /tmp/tls-refused.png
expect_rc 69  # an unverified certificate is refused at once, not retried
expect_err_contains "certificate"
[ ! -e "$ROOT/tmp/tls-refused.png" ] || fail "drew a map from an unverified server"
cp "$WORK/cert.pem" "$ROOT/tmp/test-ca.pem"
JAIL_ENV+=(SSL_CERT_FILE=/tmp/test-ca.pem)
jail /var/task/bootstrap shotmap --game-id 1917020901 --to /tmp/tls.png
expect_rc 0
check_png "$ROOT/tmp/tls.png"
grep -q "GET /v1/gamecenter/1917020901/play-by-play 200" "$WORK/tls-requests.log" ||
  fail "the HTTPS server saw no request: $(cat "$WORK/tls-requests.log" 2>/dev/null)"
rm "$ROOT/tmp/test-ca.pem" "$ROOT/tmp/tls.png"

# A bad launcher start is one line and exit status 127.
mv "$ROOT/var/task/lamtool" "$ROOT/var/task/lamtool.away"
JAIL_ENV=()
jail /var/task/bootstrap --version
expect_rc 127
[ "$ERR" == "bootstrap: error: cannot read '/var/task/lamtool': No such file or directory" ] ||
  fail "unexpected launcher error: $ERR"
mv "$ROOT/var/task/lamtool.away" "$ROOT/var/task/lamtool"

# Inside the zip lamtool runs through the loader, so it cannot package itself: 78, one
# line (here without /proc it cannot find itself; on Lambda /proc/self/exe is the loader).
jail /var/task/bootstrap package --to /tmp/again.zip
expect_rc 78
expect_one_error_line

# Nothing but what Lambda has: var/task (the zip) and tmp.
[ "$(cd "$ROOT" && find . -mindepth 1 -maxdepth 2 | sort | tr '\n' ' ')" == "./tmp ./tmp/map.png ./tmp/net.png ./var ./var/task " ] ||
  fail "the root holds more than var/task and tmp: $(cd "$ROOT" && find . -maxdepth 2)"
