#!/usr/bin/env bash
# --json prints one manifest object naming the output, its size and content type.
source "$(dirname "$0")/common.sh"
export LAMTOOL_NOW=2026-11-20T07:00:00Z
run alarm --to out/ --json
expect_rc 0
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || fail "manifest is not one line: $OUT"
[ "$(json_get "$OUT" 'j["outputs"][0]["uri"]')" == "out/wake-up/2026-11-20T07-00-00Z.txt" ] || fail "uri: $OUT"
[ "$(json_get "$OUT" 'j["outputs"][0]["bytes"]')" == "8" ] || fail "bytes: $OUT"
[ "$(json_get "$OUT" 'j["outputs"][0]["content_type"]')" == "text/plain; charset=utf-8" ] || fail "type: $OUT"
[ "$(json_get "$OUT" 'j["time"]')" == "2026-11-20T07:00:00Z" ] || fail "time: $OUT"
[ "$(json_get "$OUT" 'j["command"]')" == "alarm" ] || fail "command: $OUT"
