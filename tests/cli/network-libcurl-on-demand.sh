#!/usr/bin/env bash
# libcurl is opened by the first request, not at start-up: a local job never loads it (the
# dynamic loader's own log, LD_DEBUG=libs, names every library it opens), while a network
# command does. If lamtool linked libcurl again, the first check would fail.
source "$(dirname "$0")/common.sh"
loaded() { grep -c 'libcurl\.so' "$WORK/.err" || true; }

LD_DEBUG=libs run alarm --to out/
expect_rc 0
[ "$(loaded)" -eq 0 ] || fail "alarm loaded libcurl: $(grep libcurl "$WORK/.err")"
LD_DEBUG=libs run --version
expect_rc 0
[ "$(loaded)" -eq 0 ] || fail "--version loaded libcurl"
printf 'x,y\n0,0\n1,0.8\n-1,1\n2,-1\n0.5,0.5\n' >pts.csv
LD_DEBUG=libs run kde --in pts.csv --grid 8x4 --to grid.csv
expect_rc 0
[ "$(loaded)" -eq 0 ] || fail "kde loaded libcurl"

# A fetch from a closed port: it loads libcurl, then fails to connect (75).
export LAMTOOL_NHL_API_URL=http://127.0.0.1:9 LAMTOOL_CACHE_DIR=$WORK/cache
LD_DEBUG=libs run shotmap --game-id 2024020003 --to map.png
expect_rc 75
[ "$(loaded)" -gt 0 ] || fail "the fetch did not load libcurl; stderr: $ERR"
