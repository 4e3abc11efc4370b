#!/usr/bin/env bash
# A write that fails midway (standard output on a full device) is an I/O error: 74.
source "$(dirname "$0")/common.sh"
[ -w /dev/full ] || fail "this test needs /dev/full"
set +e
"$LAMTOOL" alarm --to - >/dev/full 2>err.txt
RC=$?
set -e
ERR=$(cat err.txt)
expect_rc 74
expect_one_error_line
expect_err_contains "cannot write to standard output: No space left on device"
