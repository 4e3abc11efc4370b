#!/usr/bin/env bash
# Issue 13, faults on X traffic: tweet with an animated GIF of two 4 MiB chunks through
# tests/servers/fault-proxy.js in front of tests/servers/x-api.py (which checks every
# OAuth signature and nonce, so each retry must be signed anew). Between the two appends:
# a reset, a 503 and a reset after X stored the segment; a reset on the post itself:
# exit 0, X holds the GIF byte for byte and exactly one post. Every attempt at the second
# segment answered 503: exit 75, one line naming the segment, and nothing posted. A post
# X stored whose answer was lost: the retry is X's duplicate refusal, exit 69 and the line
# says the earlier attempt may have posted it; X holds that post once.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"
start_x_server --processing-polls 1 --log "$WORK/x.log"
trap 'for p in "${FAULT_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; kill $X_SERVER_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
start_fault_proxy x --backend "$X_URL"
proxy=$FAULT_URL
export LAMTOOL_X_API_URL=$proxy
count() { json_get "$(x_state)" "$1"; }

# About 7.4 MB of noise: two 4 MiB chunks.
/usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/tools/noise_images.py" gif noise.gif

# 1. Requests in order: initialize, append 0, append 1 (reset, 503, reset after X stored
#    it, then through), finalize, STATUS, the post (reset, then through).
fault_admin "$proxy" next '{"faults":["pass","pass","reset","503","resetAfter","pass","pass","pass","reset"]}'
run tweet --text 'Noise through faults' --media noise.gif --json
expect_rc 0
id=$(json_get "$OUT" 'j["tweet"]["media"][0]["media_id"]')
state=$(x_state)
[ "$(json_get "$state" 'j["media"][sys.argv[3]]["sha256"]' "$id")" = "$(sha256sum noise.gif | cut -d' ' -f1)" ] ||
  fail "the GIF at X differs from the file"
[ "$(json_get "$state" 'j["media"][sys.argv[3]]["segments"]' "$id")" = 2 ] || fail "segments: $state"
[ "$(json_get "$state" '[t["text"] for t in j["tweets"]]')" = "['Noise through faults']" ] || fail "posts: $state"
stats=$(curl -sS "$proxy/__fault/stats")
[ "$(json_get "$stats" '(j["reset"], j["error503"], j["resetAfter"])')" == "(2, 1, 1)" ] || fail "faults: $stats"

# 2. The second segment refused five times: 75, naming it; nothing posted.
# (libcurl itself sends a request again when a reused connection dies, which takes a
# queued fault of its own: what is left of the queue is dropped first.)
fault_admin "$proxy" next '{"clear":true,"faults":["pass","pass","503","503","503","503","503"]}'
run tweet --text 'Never posted' --media noise.gif
expect_rc 75
expect_one_error_line
expect_err_contains "append segment 1 ('noise.gif'): HTTP 503"
expect_err_contains " attempts)"
[ "$(count 'len(j["tweets"])')" = 1 ] || fail "a post was made: $(x_state)"

# 3. The post stored by X, its answer lost: the retry is a duplicate, and lamtool says the
#    lost attempt may have posted it.
fault_admin "$proxy" next '{"faults":["resetAfter"]}'
run tweet --text 'Posted once'
expect_rc 69
expect_one_error_line
expect_err_contains "an earlier attempt that got no answer may have posted it"
[ "$(count '[t["text"] for t in j["tweets"]].count("Posted once")')" = 1 ] || fail "posts: $(x_state)"
expect_no_x_secrets "$OUT$ERR"
echo "X faults: 2 resets + 1 503 + 1 reset-after mid chunked upload survived; 5x503 on a segment -> 75; post reset-after -> 69 maybe-posted"
