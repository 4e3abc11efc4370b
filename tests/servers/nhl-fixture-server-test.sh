#!/usr/bin/env bash
# Checks the NHL fixture server itself with the curl command-line tool: what it serves,
# its 404s and its injected 503s. Needs LAMTOOL_SOURCE_DIR.
set -euo pipefail

server="$LAMTOOL_SOURCE_DIR/tests/servers/nhl-fixture-server.py"
data="$LAMTOOL_SOURCE_DIR/tests/fixtures/nhl"
work=$(mktemp -d)
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

coproc SERVER { exec /usr/bin/python3 "$server" --dir "$data" --fail-first 2 --fail-game 1917020902 --log "$work/log"; }
pid=$SERVER_PID
read -r port <&"${SERVER[0]}" || fail "server printed no port"
[[ "$port" =~ ^[0-9]+$ ]] || fail "not a port: $port"
base="http://127.0.0.1:$port"

status() { curl -s -o "$work/body" -w '%{http_code}' "$@"; }

[[ $(status "$base/v1/gamecenter/1917020901/play-by-play") == 503 ]] || fail "first request not 503"
[[ $(status "$base/v1/gamecenter/1917020901/play-by-play") == 503 ]] || fail "second request not 503"
[[ $(status "$base/v1/gamecenter/1917020901/play-by-play") == 200 ]] || fail "third request not 200"
cmp -s "$work/body" "$data/apiweb_1917020901_OWL-at-FOX.json" || fail "body differs from the file"
[[ $(status "$base/v1/gamecenter/1917020903/play-by-play") == 200 ]] || fail "statsapi file not served"
[[ $(status "$base/v1/gamecenter/1917020902/play-by-play") == 503 ]] || fail "--fail-game not applied"
[[ $(status "$base/v1/gamecenter/2024029999/play-by-play") == 404 ]] || fail "unknown game not 404"
grep -q '"message"' "$work/body" || fail "404 without a JSON body"
[[ $(status "$base/v1/gamecenter/202402/play-by-play") == 404 ]] || fail "short id not 404"
[[ $(status "$base/v1/schedule/now") == 404 ]] || fail "other path not 404"
[[ $(status -X POST "$base/v1/gamecenter/1917020901/play-by-play") == 405 ]] || fail "POST not 405"
ctype=$(curl -s -o /dev/null -w '%{content_type}' "$base/v1/gamecenter/1917020901/play-by-play")
[[ "$ctype" == application/json* ]] || fail "content type $ctype"
[[ $(wc -l < "$work/log") -eq 10 ]] || fail "log has $(wc -l < "$work/log") lines, want 10"
grep -qx 'GET /v1/gamecenter/1917020901/play-by-play 200' "$work/log" || fail "log line missing"
echo "ok"
