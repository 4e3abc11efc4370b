#!/usr/bin/env bash
# An unknown --tz zone is a usage error (64) naming the zone, with no output.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for zone in Mars/Olympus_Mons ../../etc/passwd; do
  rc=0
  "$LAMTOOL" schedule next 'cron(0 7 ? * MON-FRI *)' --tz "$zone" >"$work/out" 2>"$work/err" || rc=$?
  [[ $rc -eq 64 ]] || { echo "$zone: exit code $rc, expected 64"; cat "$work/err"; exit 1; }
  [[ ! -s "$work/out" ]] || { echo "$zone: unexpected stdout"; exit 1; }
  grep -qF "lamtool: error: unknown time zone '$zone'" "$work/err" \
    || { echo "$zone: stderr does not name the zone:"; cat "$work/err"; exit 1; }
done
echo ok
