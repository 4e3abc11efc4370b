#!/usr/bin/env bash
# --dry-run still writes local files (only remote side effects are skipped).
source "$(dirname "$0")/common.sh"
export LAMTOOL_NOW=2026-11-20T07:00:00Z
run alarm --dry-run --to out/ --json
expect_rc 0
expect_file out/wake-up/2026-11-20T07-00-00Z.txt "WAKE UP"
[ "$(json_get "$OUT" '"dry_run" in j["outputs"][0]')" == "False" ] || fail "local output marked dry_run: $OUT"
