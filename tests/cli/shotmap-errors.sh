#!/usr/bin/env bash
# Bad input: each documented exit code, one line, nothing written.
source "$(dirname "$0")/common.sh"
mkdir out
# 64: a game id of the wrong form, naming the part that is wrong.
run shotmap --game-id 2024070003 --to out/
expect_rc 64
expect_one_error_line
expect_err_contains "2024070003"
run shotmap --game-id 123 --to out/
expect_rc 64
run shotmap --to out/
expect_rc 64
expect_err_contains "--game-id"
run shotmap --game-file x.json --size 12x --to out/
expect_rc 64
expect_err_contains "--size '12x'"
# 66: no such file.
run shotmap --game-file nope.json --to out/
expect_rc 66
expect_err_contains "cannot open file 'nope.json'"
# 65: not NHL data, truncated, and 5v5 asked of a statsapi file.
printf '{"hello": "world"}' >other.json
run shotmap --game-file other.json --to out/
expect_rc 65
expect_one_error_line
expect_err_contains "other.json"
head -c 5000 "$GAMES/apiweb_1917020901_OWL-at-FOX.json" >truncated.json
run shotmap --game-file truncated.json --to out/
expect_rc 65
expect_err_contains "truncated.json"
run shotmap --game-file "$GAMES/statsapi_1917020903_OWL-at-BEE.json" --strength 5v5 --to out/
expect_rc 65
expect_err_contains "statsapi"
expect_empty_dir out
# 75: the NHL API answers 503 to everything; after retries, and no cache file is left.
start_nhl_server --fail-first 1000
LAMTOOL_NHL_API_URL=$NHL_URL LAMTOOL_CACHE_DIR=$WORK/cache run shotmap --game-id 1917020901 --to out/
expect_rc 75
expect_one_error_line
[ -z "$(find "$WORK/cache" -type f 2>/dev/null)" ] || fail "cache holds: $(find cache -type f)"
expect_empty_dir out
stop_nhl_server
# 69: a game the API does not have.
start_nhl_server
LAMTOOL_NHL_API_URL=$NHL_URL LAMTOOL_CACHE_DIR=$WORK/cache run shotmap --game-id 2024020999 --to out/
expect_rc 69
expect_err_contains "not found"
expect_empty_dir out
