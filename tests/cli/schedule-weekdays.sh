#!/usr/bin/env bash
# lamtool schedule next prints exactly the next five weekday 06:00Z times.
# 2026-11-20 is a Friday (1 Nov 2026 is a Sunday), so Sat 21 and Sun 22 are skipped.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$LAMTOOL" schedule next 'cron(0 6 ? * MON-FRI *)' --count 5 --from 2026-11-20T00:00:00Z \
  >"$work/out" 2>"$work/err"
cat >"$work/expected" <<'END'
2026-11-20T06:00:00Z
2026-11-23T06:00:00Z
2026-11-24T06:00:00Z
2026-11-25T06:00:00Z
2026-11-26T06:00:00Z
END
diff -u "$work/expected" "$work/out"
[[ ! -s "$work/err" ]] || { echo "unexpected stderr:"; cat "$work/err"; exit 1; }

# LAMTOOL_NOW is the default --from; --count defaults to 5.
LAMTOOL_NOW=2026-11-20T00:00:00Z "$LAMTOOL" schedule next 'cron(0 6 ? * MON-FRI *)' >"$work/now"
diff -u "$work/expected" "$work/now"
echo ok
