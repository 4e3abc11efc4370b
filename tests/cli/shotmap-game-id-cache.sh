#!/usr/bin/env bash
# --game-id fetches from the NHL API (the project's fixture server), then works offline
# from the cache: the second run sends no request.
source "$(dirname "$0")/common.sh"
start_nhl_server --log "$WORK/requests.log"
export LAMTOOL_NHL_API_URL=$NHL_URL LAMTOOL_CACHE_DIR=$WORK/cache
run shotmap --game-id 1917020901 --to first.png --json
expect_rc 0
[ "$(json_get "$OUT" 'j["home"]["abbrev"]')" == "FOX" ] || fail "home: $OUT"
[ "$(wc -l <requests.log)" -eq 1 ] || fail "expected one request, log: $(cat requests.log)"
grep -q "GET /v1/gamecenter/1917020901/play-by-play 200" requests.log || fail "log: $(cat requests.log)"
stop_nhl_server
run shotmap --game-id 1917020901 --to second.png
expect_rc 0
cmp -s first.png second.png || fail "the cached game drew a different picture"
# Nothing but the one cache file: no temporary left behind.
[ "$(find cache -type f | wc -l)" -eq 1 ] || fail "cache: $(find cache -type f)"
