#!/usr/bin/env bash
# Hostile input to the commands that read pictures and data-flow messages: gif,
# thumbnail, worker, mediator, tweet (dry run). Headers claiming 50,000 x 50,000 or 0 x 0
# pixels (refused before any allocation), empty and garbage files, a compression bomb in
# a PNG, sizes out of range, path traversal in frame names, image ids and keys, deeply
# nested and mistyped messages, 100 MB lines, invalid UTF-8 (tests/cli/hostile_lib.sh).
source "$(dirname "$0")/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/hostile_lib.sh"
export LAMTOOL_NOW=2024-01-01T00:00:00Z
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=hostile AWS_REGION=us-east-1

# ---- gif and thumbnail: the same hostile pictures ------------------------------------
new_case
png_header "$CASE/huge.png" 50000 50000
png_header "$CASE/wide.png" 4000000 1
png_header "$CASE/zero.png" 0 0
gif_header "$CASE/huge.gif" 50000 50000
gif_header "$CASE/zero.gif" 0 0
jpeg_header "$CASE/huge.jpg" 50000 50000
: >"$CASE/empty.png"
head -c 3000 "$LAMTOOL_SOURCE_DIR/data/share/fonts/"*.ttf 2>/dev/null >"$CASE/garbage.png" || true
[ -s "$CASE/garbage.png" ] || printf 'not a picture at all\n' >"$CASE/garbage.png"
good_png "$CASE/good.png"
head -c 200 "$CASE/good.png" >"$CASE/truncated.png"
png_bomb "$CASE/bomb.png"
truncate -s 100M "$CASE/sparse.png"  # 100 MB of zeros, no disk used
for cmd in gif thumbnail; do
  to=out/
  [ "$cmd" == gif ] && to=out/a.gif
  hostile "$cmd-50000x50000-png" 65 "'huge.png': picture of 50000x50000 pixels is larger than lamtool takes" "$cmd" huge.png --to "$to"
  hostile "$cmd-4000000x1-png" 65 "'wide.png'" "$cmd" wide.png --to "$to"
  hostile "$cmd-50000x50000-gif" 65 "'huge.gif': picture of 50000x50000 pixels is larger than lamtool takes" "$cmd" huge.gif --to "$to"
  hostile "$cmd-50000x50000-jpeg" 65 "'huge.jpg'" "$cmd" huge.jpg --to "$to"
  hostile "$cmd-0x0-png" 65 "'zero.png'" "$cmd" zero.png --to "$to"
  hostile "$cmd-0x0-gif" 65 "'zero.gif': picture has no pixels (0x0)" "$cmd" zero.gif --to "$to"
  hostile "$cmd-empty" 65 "'empty.png': not a PNG, JPEG or GIF picture" "$cmd" empty.png --to "$to"
  hostile "$cmd-garbage" 65 "'garbage.png'" "$cmd" garbage.png --to "$to"
  hostile "$cmd-truncated" 65 "'truncated.png'" "$cmd" truncated.png --to "$to"
  hostile "$cmd-100MB-zeros" 65 "'sparse.png': not a PNG, JPEG or GIF picture" "$cmd" sparse.png --to "$to"
  hostile "$cmd-missing" 66 "'nothing.png'" "$cmd" nothing.png --to "$to"
  # The zTXt chunk inflates to 1 GB; libpng stops at its 8 MB chunk limit and the
  # picture itself is fine.
  HOSTILE_KEEP=1 hostile "$cmd-zTXt-bomb" 0 "" "$cmd" bomb.png --to "$to"
done
hostile thumbnail-size-huge 64 "--size '50000x50000'" thumbnail good.png --size 50000x50000 --to out/
hostile thumbnail-size-zero 64 "--size '0x0'" thumbnail good.png --size 0x0 --to out/
hostile thumbnail-size-overflow 64 "--size '99999999999999999999x1'" thumbnail good.png --size 99999999999999999999x1 --to out/
hostile gif-thumb-size-huge 64 "--thumb-size '50000x50000'" gif good.png --thumb-size 50000x50000 --to out/a.gif
hostile gif-delay-nan 64 "--delay 'nan'" gif good.png --delay nan --to out/a.gif
hostile gif-delay-huge 64 "--delay '1e309'" gif good.png --delay 1e309 --to out/a.gif
hostile gif-colors-huge 64 "--colors '100000000000'" gif good.png --colors 100000000000 --to out/a.gif
hostile gif-plays-negative 64 "--plays '-1'" gif good.png --plays -1 --to out/a.gif
# A batch: the bad frame is named, nothing is written.
hostile gif-batch 65 "'huge.png'" gif good.png huge.png good.png --to out/b.gif
# Frame names become thumbnail names: never a path out of --thumbs.
mkdir -p "$CASE/frames/.."
cp "$CASE/good.png" "$CASE/..png"
cp "$CASE/good.png" "$CASE/...png"
HOSTILE_KEEP=1 hostile gif-thumb-names 0 "" gif ../"$(basename "$CASE")"/good.png ..png ...png --thumbs thumbs/ --to out/names.gif
HOSTILE_KEEP=1 hostile thumbnail-names 0 "" thumbnail ..png ...png "$CASE/good.png" --to thumbs2/
[ "$(find "$CASE/thumbs" -type f | wc -l)" -eq 3 ] || fail "expected 3 thumbnails below thumbs/: $(find "$CASE/thumbs")"
[ "$(find "$CASE/thumbs2" -type f | wc -l)" -eq 3 ] || fail "expected 3 thumbnails below thumbs2/: $(find "$CASE/thumbs2")"

# ---- compressed input: a gzip bomb over HTTP -------------------------------------------
# lamtool asks for no Content-Encoding (libcurl's CURLOPT_ACCEPT_ENCODING is never set), so
# libcurl hands over the bytes as sent: a server that gzips anyway delivers 1 MB that is no
# picture, never the gigabyte it inflates to.
new_case
coproc BOMB { exec /usr/bin/python3 -c '
import http.server, sys, zlib
z = zlib.compressobj(9, zlib.DEFLATED, 31)
block = bytes(1 << 20)
bomb = b"".join(z.compress(block) for _ in range(1024)) + z.flush()
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(bomb)))
        self.end_headers()
        self.wfile.write(bomb)
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
'; }
BOMB_SERVER_PID=$BOMB_PID
trap 'kill $BOMB_SERVER_PID 2>/dev/null || true; wait $BOMB_SERVER_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
read -r bomb_port <&"${BOMB[0]}" || fail "gzip bomb server printed no port"
hostile gif-gzip-bomb-url 65 "not a PNG, JPEG or GIF picture" gif "http://127.0.0.1:$bomb_port/radar.png" --to out/a.gif
hostile thumbnail-gzip-bomb-url 65 "not a PNG, JPEG or GIF picture" thumbnail "http://127.0.0.1:$bomb_port/radar.png" --to out/
printf '{"type":"please-fetch-image","imageId":"x","validTime":1,"url":"http://127.0.0.1:%s/radar.png"}\n' "$bomb_port" >"$CASE/fetch.jsonl"
hostile worker-gzip-bomb-url 65 "not a PNG, JPEG or GIF picture" worker --in fetch.jsonl --store store/
kill "$BOMB_SERVER_PID" 2>/dev/null || true

# ---- worker ---------------------------------------------------------------------------
new_case
good_png "$CASE/good.png"
start_file_server "$CASE"
msg() { printf '%s\n' "$1" >"$CASE/$2"; }
msg '{"type":"please-fetch-image","imageId":"../../outside","validTime":"2024-01-01T00:00:00Z","url":"'"$FILES_URL"'/good.png"}' fetch-id.jsonl
msg '{"type":"please-fetch-image","imageId":"/abs/olute","validTime":"2024-01-01T00:00:00Z","url":"'"$FILES_URL"'/good.png"}' fetch-abs.jsonl
msg '{"type":"please-fetch-image","imageId":"x","validTime":"2024-01-01T00:00:00Z","url":"file:///etc/passwd"}' fetch-file.jsonl
msg '{"type":"please-fetch-image","imageId":"x","validTime":"2024-01-01T00:00:00Z","url":"../outside/x.png"}' fetch-path.jsonl
msg '{"type":"please-fetch-image","imageId":"x","validTime":"../../x","url":"'"$FILES_URL"'/good.png"}' fetch-time.jsonl
msg '{"type":"please-create-thumbnail","imageId":"x","validTime":1,"location":{"Bucket":"my-bucket","Key":"k.png"},"width":1e300,"height":10}' thumb-width.jsonl
msg '{"type":"please-create-thumbnail","imageId":"x","validTime":1,"location":{"Bucket":"my-bucket","Key":"k.png"},"width":"wide","height":10}' thumb-string.jsonl
msg '{"type":"please-create-thumbnail","imageId":"x","validTime":1,"location":{"Bucket":"../..","Key":"k.png"}}' thumb-bucket.jsonl
msg '{"type":"please-create-gif","imageId":"x","minValidTime":1,"maxValidTime":2,"locations":[{"Bucket":"my-bucket","Key":"k.png"}],"gifDelay":1e300}' gif-delay.jsonl
msg '{"type":5}' type-number.jsonl
msg '{"type":"please-send-email","to":["a@example.com"],"subject":7}' mail-subject.jsonl
deep_json "$CASE/deep.jsonl" 100000
printf '{"type":"please-fetch-image","imageId":"\xff","validTime":1,"url":"x"}\n' >"$CASE/utf8.jsonl"
: >"$CASE/empty.jsonl"
HOSTILE_KEEP=1 hostile worker-fetch-id-traversal 0 "" worker --in fetch-id.jsonl --store store/
HOSTILE_KEEP=1 hostile worker-fetch-id-absolute 0 "" worker --in fetch-abs.jsonl --store store/
[ "$(find "$CASE/store" -type f | wc -l)" -eq 2 ] || fail "expected 2 images below store/: $(find "$CASE/store")"
hostile worker-fetch-file-url 65 "field 'url': 'file:///etc/passwd' is not an http(s) URL" worker --in fetch-file.jsonl --store store/
hostile worker-fetch-path 65 "field 'url': '../outside/x.png' is not an http(s) URL" worker --in fetch-path.jsonl --store store/
hostile worker-fetch-time 65 "field 'validTime'" worker --in fetch-time.jsonl --store store/
hostile worker-width-huge 65 "field 'width': expected an integer from 1 to 4096" worker --in thumb-width.jsonl --store store/
hostile worker-width-string 65 "field 'width': expected an integer from 1 to 4096" worker --in thumb-string.jsonl --store store/
hostile worker-bucket 65 "line 1" worker --in thumb-bucket.jsonl --store store/
hostile worker-gif-delay 65 "field 'gifDelay': expected an integer" worker --in gif-delay.jsonl --store store/
hostile worker-type-number 65 "line 1: no 'type'" worker --in type-number.jsonl --store store/
hostile worker-mail-subject 65 "line 1: field 'subject': expected a string" worker --in mail-subject.jsonl --store store/
hostile worker-deep 65 "line 1: not a JSON object: parse error at line 1, column 2562: nested too deeply" worker --in deep.jsonl --store store/
hostile worker-utf8 65 "line 1: not a JSON object" worker --in utf8.jsonl --store store/
HOSTILE_FEED=$HUGE_LINE_FEED hostile worker-100MB-line 65 "line 1: longer than 1048576 bytes" worker --store store/
hostile worker-store-size 64 "--store" worker --in empty.jsonl --store not-a-dir

# ---- mediator -------------------------------------------------------------------------
new_case
msg() { printf '%s\n' "$1" >"$CASE/$2"; }
msg '{"type":"did-fail","request":5,"imageId":["x"],"error":{"a":1}}' fail-types.jsonl
msg '{"type":"did-fetch-image","imageId":"../../outside","validTime":1,"location":{"Bucket":"my-bucket","Key":"../../k.png"}}' fetch-id.jsonl
deep_json "$CASE/deep.jsonl" 100000
deep_json "$CASE/deep-state.json" 100000
# A worker's failure is reported (a warning) with what could be read of it; no type error.
HOSTILE_KEEP=1 hostile mediator-fail-types 0 "" mediator --in fail-types.jsonl --state state.json
# Fields of other types are reported as their JSON text.
[[ "$ERR" == *"a worker failed '5' for '[\"x\"]': {\"a\":1}"* ]] || fail "mediator-fail-types: $ERR"
HOSTILE_KEEP=1 hostile mediator-id-traversal 0 "" mediator --in fetch-id.jsonl --state state.json
[[ "$OUT" == *'"imageId":"../../outside"'* ]] || fail "mediator: the image id is passed on as data: $OUT"
hostile mediator-deep 65 "line 1: not a JSON object: parse error at line 1, column 2562: nested too deeply" mediator --in deep.jsonl --state state.json
# The state is left as it was (its lock file, kept by design, aside).
cp "$CASE/deep-state.json" "$CASE/deep-state.orig"
HOSTILE_KEEP=1 hostile mediator-deep-state 65 "state 'deep-state.json': not a JSON object" mediator --in fetch-id.jsonl --state deep-state.json
cmp -s "$CASE/deep-state.json" "$CASE/deep-state.orig" || fail "mediator-deep-state: the state was changed"
HOSTILE_FEED=$HUGE_LINE_FEED hostile mediator-100MB-line 65 "line 1: longer than 1048576 bytes" mediator --state state.json
hostile mediator-frames 64 "--frames '99999999999999'" mediator --in deep.jsonl --state state.json --frames 99999999999999

# ---- tweet (dry run: nothing is posted) ------------------------------------------------
new_case
png_header "$CASE/huge.png" 50000 50000
good_png "$CASE/good.png"
hostile tweet-text-utf8 64 "--text: not UTF-8 (byte 3)" tweet --text "$(printf 'ok\xff\xfe')" --dry-run
hostile tweet-alt-utf8 64 "--alt for 'good.png': not UTF-8 (byte 1)" tweet --text x --media good.png --alt "$(printf '\xc0\xaf')" --dry-run
hostile tweet-text-surrogate 64 "--text: not UTF-8" tweet --text "$(printf '\xed\xa0\x80')" --dry-run
hostile tweet-max-length 64 "--max-length '99999999999999999999'" tweet --text x --max-length 99999999999999999999 --dry-run
hostile tweet-media-empty 65 "media '/dev/null': application/octet-stream is not a picture" tweet --text x --media /dev/null --dry-run

hostile_summary gif thumbnail worker mediator tweet
