#!/usr/bin/env bash
# --json prints the fire times as a manifest instead of lines.
source "$(dirname "$0")/common.sh"
run schedule next 'cron(0 6 ? * MON-FRI *)' --count 2 --from 2026-11-20T00:00:00Z --json
expect_rc 0
times=$(printf '%s' "$OUT" | /usr/bin/python3 -c 'import json,sys; m=json.load(sys.stdin); print(m["command"], *m["times"])')
[ "$times" == "schedule next 2026-11-20T06:00:00Z 2026-11-23T06:00:00Z" ] || fail "manifest: $OUT"
