#!/usr/bin/env bash
# Giving both day-of-month and day-of-week is a usage error (64) that suggests the fix.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rc=0
"$LAMTOOL" schedule next 'cron(0 6 * * MON-FRI *)' >"$work/out" 2>"$work/err" || rc=$?
[[ $rc -eq 64 ]] || { echo "exit code $rc, expected 64"; cat "$work/err"; exit 1; }
[[ ! -s "$work/out" ]] || { echo "unexpected stdout:"; cat "$work/out"; exit 1; }
[[ $(wc -l <"$work/err") -eq 1 ]] || { echo "expected one line on stderr:"; cat "$work/err"; exit 1; }
grep -qF "lamtool: error: invalid schedule 'cron(0 6 * * MON-FRI *)': day-of-month and day-of-week cannot both be given" "$work/err" \
  || { echo "stderr does not name the fields:"; cat "$work/err"; exit 1; }
grep -qF "use 'cron(0 6 ? * MON-FRI *)'" "$work/err" \
  || { echo "stderr does not suggest the fix:"; cat "$work/err"; exit 1; }

# An out-of-range field is named with its token.
rc=0
"$LAMTOOL" schedule next 'cron(61 * * * ? *)' >"$work/out" 2>"$work/err" || rc=$?
[[ $rc -eq 64 ]] || { echo "exit code $rc, expected 64"; exit 1; }
grep -qxF "lamtool: error: invalid schedule 'cron(61 * * * ? *)': minutes: '61' is out of range 0-59" "$work/err" \
  || { echo "unexpected stderr:"; cat "$work/err"; exit 1; }

# --count above the maximum and a bad --from are usage errors too.
rc=0
"$LAMTOOL" schedule next 'rate(5 minutes)' --count 1001 >"$work/out" 2>"$work/err" || rc=$?
[[ $rc -eq 64 ]] && grep -qF "invalid --count '1001': must be from 1 to 1000" "$work/err" \
  || { echo "--count 1001: exit $rc"; cat "$work/err"; exit 1; }
rc=0
"$LAMTOOL" schedule next 'rate(5 minutes)' --from tomorrow >"$work/out" 2>"$work/err" || rc=$?
[[ $rc -eq 64 ]] && grep -qF "invalid --from 'tomorrow'" "$work/err" \
  || { echo "--from tomorrow: exit $rc"; cat "$work/err"; exit 1; }
# 'schedule' alone needs its 'next' subcommand.
rc=0
"$LAMTOOL" schedule >"$work/out" 2>"$work/err" || rc=$?
[[ $rc -eq 64 ]] || { echo "bare 'schedule': exit $rc"; exit 1; }
echo ok
