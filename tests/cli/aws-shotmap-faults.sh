#!/usr/bin/env bash
# Issue 13, faults on NHL traffic: shotmap --game-id through tests/servers/fault-proxy.js
# in front of tests/servers/nhl-fixture-server.py. A reset, a 500, an answer cut in half
# (full Content-Length, half the body, then a reset) and a slow answer are retried: exit
# 0 and the picture is the one drawn without faults. Five 503s, or five resets: exit 75,
# one line naming the URL, no picture and nothing cached.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"
start_nhl_server --log "$WORK/requests.log"
trap 'for p in "${FAULT_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; kill $NHL_SERVER_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
start_fault_proxy nhl --backend "$NHL_URL" --slow-ms 500
proxy=$FAULT_URL
game=1917020901

# Reference: the game straight from the server.
LAMTOOL_NHL_API_URL=$NHL_URL LAMTOOL_CACHE_DIR=$WORK/cache0 run shotmap --game-id $game --to direct.png
expect_rc 0

# 1. Four faults, then the answer: the fifth attempt, the last one allowed.
export LAMTOOL_NHL_API_URL=$proxy
fault_admin "$proxy" next '{"faults":["reset","500","truncate","slow"]}'
LAMTOOL_CACHE_DIR=$WORK/cache1 run shotmap --game-id $game --to faulted.png --json
expect_rc 0
cmp -s direct.png faulted.png || fail "the picture drawn after the faults differs"
stats=$(curl -sS "$proxy/__fault/stats")
[ "$(json_get "$stats" '(j["reset"], j["error500"], j["truncated"], j["slow"], j["passed"])')" == "(1, 1, 1, 1, 1)" ] \
  || fail "faults: $stats"
# The reset and the 500 never reached the server; the cut and the slow answers did.
[ "$(grep -c "GET /v1/gamecenter/$game/play-by-play 200" requests.log)" -eq 3 ] ||
  fail "requests at the server: $(cat requests.log)"
[ -f "$WORK/cache1/nhl/$game-play-by-play.json" ] || fail "the game was not cached"
cmp -s "$WORK/cache1/nhl/$game-play-by-play.json" "$GAMES"/*_"$game"_*.json ||
  fail "the cached game is not the server's file"

# 2. The service down (five 503s) or not answering (five resets): exit 75, one line naming
#    the URL; no picture, nothing cached.
for kind in 503 reset; do
  fault_admin "$proxy" next "{\"faults\":[\"$kind\",\"$kind\",\"$kind\",\"$kind\",\"$kind\"]}"
  LAMTOOL_CACHE_DIR=$WORK/cache-$kind run shotmap --game-id $game --to "$kind.png"
  expect_rc 75
  expect_one_error_line
  expect_err_contains "'$proxy/v1/gamecenter/$game/play-by-play': "
  if [ $kind = 503 ]; then expect_err_contains "NHL API unavailable '$proxy/v1/gamecenter/$game/play-by-play': HTTP 503 after retries"; fi
  [ ! -e "$kind.png" ] || fail "a picture was written after $kind"
  [ ! -e "$WORK/cache-$kind/nhl" ] || [ -z "$(ls -A "$WORK/cache-$kind/nhl")" ] || fail "something cached after $kind"
done
[ "$(json_get "$(curl -sS "$proxy/__fault/stats")" 'j["requests"]')" == 14 ] || fail "attempts: $(curl -sS "$proxy/__fault/stats")"
echo "NHL faults: reset, 500, truncated, slow survived; 5x503 -> 75; 5 resets -> 75"
