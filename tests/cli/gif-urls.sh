#!/usr/bin/env bash
# Frames from http URLs: fetched in parallel, retried after 503s, in the order given even
# when the first is the slowest; the GIF is byte for byte the one made from the files. A
# URL that fails after its retries is exit 75 naming it; a 404 is 66; no GIF either way.
source "$(dirname "$0")/common.sh"
CHECK="/usr/bin/python3 $LAMTOOL_SOURCE_DIR/tests/tools/gif_check.py"
DEMO="$LAMTOOL_SOURCE_DIR/data/gif/demo"
names=(frame-00.png frame-01.png frame-02.png frame-03.png frame-04.png frame-05.png)
start_file_server "$DEMO" --fail-first 3 --slow frame-00.png:0.4 --fail frame-11.png \
  --log "$WORK/requests.log"
urls=()
for n in "${names[@]}"; do urls+=("$FILES_URL/$n"); done

run gif "${urls[@]}" --thumbs thumbs/ --to web.gif --json
expect_rc 0
run gif "${names[@]/#/$DEMO/}" --to local.gif
expect_rc 0
cmp web.gif local.gif || fail "the GIF of the URLs differs from the GIF of the files"
[ "$(grep -c ' 503$' requests.log)" -eq 3 ] || fail "expected 3 injected 503s: $(cat requests.log)"
[ "$(grep -c ' 200$' requests.log)" -eq 6 ] || fail "expected 6 frames served: $(cat requests.log)"
[ -f thumbs/frame-00.png ] && [ -f thumbs/frame-05.png ] || fail "thumbnails: $(ls thumbs)"

run gif "$FILES_URL/frame-00.png" "$FILES_URL/frame-11.png" --to out.gif
expect_rc 75
expect_one_error_line
expect_err_contains "$FILES_URL/frame-11.png"
[ ! -e out.gif ] || fail "a GIF was written"

run gif "$FILES_URL/frame-00.png" "$FILES_URL/nowhere.png" --to out.gif
expect_rc 66
expect_err_contains "$FILES_URL/nowhere.png"
expect_err_contains "404"
[ ! -e out.gif ] || fail "a GIF was written"
