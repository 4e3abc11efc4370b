#!/usr/bin/env bash
# lamtool tweet against the project's X API stand-in, which recomputes every OAuth 1.0a
# signature from RFC 5849 on its own and refuses a wrong one as X does: a shot map with
# alt text in one upload, an animated GIF in chunks with processing polls, a wrong secret
# (77), a duplicate (69), a rate limit waited out or refused (75), injected 5xx retried,
# the dry run, and bad input refused before anything is sent. No credential, signature or
# Authorization header ever reaches the output, -v included.
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
start_x_server --check-after 1 --processing-polls 1
ALL_OUTPUT=""
keep() { ALL_OUTPUT+="$OUT$ERR"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
count() { json_get "$(x_state)" "$1"; }

# The picture: a shot map of one of the project's games.
mkdir out
run shotmap --game-file "$GAMES/apiweb_1917020901_OWL-at-FOX.json" --to out/shotmap.png
expect_rc 0

# 1. Text, one picture, alt text: uploaded whole, described, posted; the URL on stdout.
run tweet --text 'Hello' --media out/shotmap.png --alt 'Shot map of the Owls at the Foxes' -v
keep
expect_rc 0
[[ "$OUT" =~ ^https://x\.com/i/status/[0-9]+$ ]] || fail "stdout is not the post's URL: $OUT"
id=${OUT##*/}
state=$(x_state)
[ "$(json_get "$state" 'len(j["tweets"])')" = 1 ] || fail "posts: $state"
[ "$(json_get "$state" 'j["tweets"][0]["id"]')" = "$id" ] || fail "URL names another post"
[ "$(json_get "$state" 'j["tweets"][0]["text"]')" = Hello ] || fail "text: $state"
media=$(json_get "$state" 'j["tweets"][0]["media_ids"][0]')
[ "$(json_get "$state" 'j["media"][sys.argv[3]]["sha256"]' "$media")" = "$(sha out/shotmap.png)" ] ||
  fail "uploaded bytes differ from out/shotmap.png"
[ "$(json_get "$state" 'j["media"][sys.argv[3]]["upload"]' "$media")" = simple ] || fail "not one-shot"
[ "$(json_get "$state" 'j["media"][sys.argv[3]]["media_category"]' "$media")" = tweet_image ] || fail "category"
[ "$(json_get "$state" 'j["media"][sys.argv[3]]["alt_text"]' "$media")" = 'Shot map of the Owls at the Foxes' ] ||
  fail "alt text not set"
[ "$(json_get "$state" '" ".join(r["reason"] for r in j["requests"] if r["path"].startswith("/2/"))')" = "ok ok ok" ] ||
  fail "requests: $(json_get "$state" 'j["requests"]')"
expect_err_contains "POST /2/tweets -> HTTP 201"

# 2. A wrong consumer secret or token secret: X's 401, exit 77, one line, nothing posted.
X_API_SECRET=notTheConsumerSecret1234 run tweet --text 'Wrong key' --media out/shotmap.png -v
keep
expect_rc 77
expect_err_contains "HTTP 401: Unauthorized"
expect_err_contains "X_API_SECRET"
[[ "$ERR" != *notTheConsumerSecret1234* ]] || fail "the wrong secret was printed"
X_ACCESS_TOKEN_SECRET=notTheTokenSecret5678 run tweet --text 'Wrong token secret'
keep
expect_rc 77
expect_one_error_line
[ "$(count 'len(j["tweets"])')" = 1 ] || fail "a refused request posted"
[ "$(json_get "$(x_state)" 'sum(r["reason"] == "bad-signature" for r in j["requests"])')" = 2 ] ||
  fail "the server did not see two bad signatures"

# 3. The same text again: X refuses duplicates; said plainly, exit 69.
run tweet --text 'Hello'
keep
expect_rc 69
expect_one_error_line
expect_err_contains "X refused the post as duplicate content"

# 4. An animated GIF (about 7.4 MB of noise, so more than one 4 MiB chunk): initialize,
#    two appends, finalize, a STATUS poll while X "processes" it, then the post.
/usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/tools/noise_images.py" gif noise.gif
run tweet --text 'Noise loop' --media noise.gif --alt 'Six frames of coloured noise' --json
keep
expect_rc 0
gif_id=$(json_get "$OUT" 'j["tweet"]["media"][0]["media_id"]')
[ "$(json_get "$OUT" 'j["tweet"]["media"][0]["upload"]')" = chunked ] || fail "GIF not chunked: $OUT"
[ "$(json_get "$OUT" 'j["tweet"]["media"][0]["animated"]')" = True ] || fail "not seen as animated"
state=$(x_state)
[ "$(json_get "$state" 'j["media"][sys.argv[3]]["segments"]' "$gif_id")" = 2 ] || fail "segments: $state"
[ "$(json_get "$state" 'j["media"][sys.argv[3]]["media_category"]' "$gif_id")" = tweet_gif ] || fail "category"
[ "$(json_get "$state" 'j["media"][sys.argv[3]]["polls"]' "$gif_id")" -ge 1 ] || fail "no STATUS poll"
[ "$(json_get "$state" 'j["media"][sys.argv[3]]["sha256"]' "$gif_id")" = "$(sha noise.gif)" ] ||
  fail "GIF bytes differ"
[ "$(json_get "$state" 'j["tweets"][-1]["media_ids"]')" = "['$gif_id']" ] || fail "GIF not attached"

# 5. X cannot process it: exit 69 naming the file.
x_control fail-processing '{"count":1}'
run tweet --text 'Noise again' --media noise.gif
keep
expect_rc 69
expect_err_contains "X could not process 'noise.gif'"

# 6. A rate limit: waited out when the window resets soon, reported; refused with 75 when
#    it would wait longer than --max-wait.
x_control rate-limit '{"path":"/2/tweets","count":1,"reset_in":1}'
run tweet --text 'After the window'
keep
expect_rc 0
expect_err_contains "rate limited; waiting"
x_control rate-limit '{"path":"/2/tweets","count":1,"reset_in":600}'
run tweet --text 'Not waiting ten minutes' --max-wait 30
keep
expect_rc 75
expect_one_error_line
expect_err_contains "longer than lamtool waits (30 s, --max-wait)"
x_control reset '{}'

# 7. Two 503s on the upload are retried (each attempt signed anew: X refuses a nonce twice).
x_control fail '{"path":"/2/media/upload","count":2,"status":503}'
run tweet --text 'Through two 503s' --media out/shotmap.png -v
keep
expect_rc 0
expect_err_contains "HTTP 503; trying again"
[ "$(count 'len(j["tweets"])')" = 1 ] || fail "post after the retries missing"

# 8. --dry-run: the post described, nothing sent, no credentials needed.
before=$(count 'sum(r["path"].startswith("/2/") for r in j["requests"])')
env -u X_API_KEY -u X_API_SECRET -u X_ACCESS_TOKEN -u X_ACCESS_TOKEN_SECRET \
  "$LAMTOOL" tweet --text 'Dry' --media out/shotmap.png --alt 'A map' --dry-run >dry.out 2>dry.err ||
  fail "dry run failed: $(cat dry.err)"
grep -q '^Would post to X:' dry.out || fail "dry run output: $(cat dry.out)"
grep -q 'alt text: A map' dry.out || fail "dry run does not show the alt text"
[ "$(count 'sum(r["path"].startswith("/2/") for r in j["requests"])')" = "$before" ] || fail "the dry run sent a request"

# 9. Bad input, refused before any request: usage 64, data 65, missing 66, config 78.
printf 'just text\n' >notes.txt
run tweet --text 'x' --media out/shotmap.png --media out/shotmap.png --media out/shotmap.png \
  --media out/shotmap.png --media out/shotmap.png
expect_rc 64; expect_err_contains "at most 4"
run tweet --text 'x' --alt 'before any media' --media out/shotmap.png
expect_rc 64; expect_err_contains "--alt: give it after the --media it describes"
run tweet --text 'x' --media out/shotmap.png --alt one --alt two
expect_rc 64; expect_err_contains "already has alt text"
run tweet --text "$(printf 'a%.0s' {1..281})"
expect_rc 64; expect_err_contains "281 characters as X counts them"
run tweet --text "$(printf '\xe6\x97\xa5%.0s' {1..141})"
expect_rc 64; expect_err_contains "282 characters"
run tweet --text 'x' --media out/shotmap.png --alt "$(printf 'b%.0s' {1..1001})"
expect_rc 64; expect_err_contains "more than X's 1000"
run tweet --text 'x' --media out/shotmap.png --media noise.gif
expect_rc 64; expect_err_contains "an animated GIF goes alone"
run tweet
expect_rc 64; expect_err_contains "nothing to post"
run tweet --text 'x' --media notes.txt
expect_rc 65; expect_one_error_line; expect_err_contains "media 'notes.txt'"
head -c 100 out/shotmap.png >broken.png
run tweet --text 'x' --media broken.png
expect_rc 65; expect_one_error_line; expect_err_contains "broken.png"
run tweet --text 'x' --media missing.png
expect_rc 66; expect_err_contains "missing.png"
env -u X_API_SECRET -u X_ACCESS_TOKEN "$LAMTOOL" tweet --text 'x' >/dev/null 2>cfg.err && fail "ran without credentials"
grep -q "X_API_SECRET, X_ACCESS_TOKEN not set" cfg.err || fail "missing variables not named: $(cat cfg.err)"
LAMTOOL_X_API_URL=http://x.example.com run tweet --text 'x'
expect_rc 78; expect_err_contains "plain http only to this machine"
[ "$(count 'sum(r["path"].startswith("/2/") for r in j["requests"])')" = "$before" ] || fail "bad input sent a request"

expect_no_x_secrets "$ALL_OUTPUT$(cat dry.out dry.err cfg.err)"
echo ok
