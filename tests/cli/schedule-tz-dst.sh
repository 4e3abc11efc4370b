#!/usr/bin/env bash
# --tz America/New_York: 07:00 on weekdays is 12:00Z under EST (-05:00) and 11:00Z under
# EDT (-04:00). DST starts on Sunday 14 March 2027 (the second Sunday; 1 March 2027 is a
# Monday), so Friday 12 March is the last 12:00Z and Monday 15 March the first 11:00Z.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$LAMTOOL" schedule next 'cron(0 7 ? * MON-FRI *)' --tz America/New_York --count 4 \
  --from 2027-03-11T00:00:00Z >"$work/out"
cat >"$work/expected" <<'END'
2027-03-11T12:00:00Z  2027-03-11T07:00:00-05:00
2027-03-12T12:00:00Z  2027-03-12T07:00:00-05:00
2027-03-15T11:00:00Z  2027-03-15T07:00:00-04:00
2027-03-16T11:00:00Z  2027-03-16T07:00:00-04:00
END
diff -u "$work/expected" "$work/out"

# 02:30 does not exist on 14 March 2027 in New York: that day is skipped.
"$LAMTOOL" schedule next '30 2 * * *' --tz America/New_York --count 2 \
  --from 2027-03-13T00:00:00Z >"$work/gap"
printf '%s\n' '2027-03-13T07:30:00Z  2027-03-13T02:30:00-05:00' \
  '2027-03-15T06:30:00Z  2027-03-15T02:30:00-04:00' | diff -u - "$work/gap"
echo ok
