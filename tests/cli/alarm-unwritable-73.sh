#!/usr/bin/env bash
# An unwritable destination: exit 73, and no partial or temporary file left behind.
source "$(dirname "$0")/common.sh"
export LAMTOOL_NOW=2026-11-20T07:00:00Z
# A regular file where a directory is needed fails for root too.
printf 'x' >blocker
run alarm --to blocker/sub/
expect_rc 73
expect_one_error_line
expect_err_contains "cannot create directory 'blocker/sub"
# A read-only directory also gives 73 and leaves it empty (as root a read-only bind
# mount, which root cannot write through either; see run_unwritable).
mkdir ro
run_unwritable ro alarm --to ro/
echo "unwritable variant: $UNWRITABLE_VARIANT"
expect_rc 73
expect_one_error_line
expect_err_contains "'ro/wake-up"
expect_empty_dir ro
# Writing over a directory name: the rename fails, the temporary file is removed.
mkdir -p target/wake-up/2026-11-20T07-00-00Z.txt
run alarm --to target/
expect_rc 73
expect_err_contains "cannot create file 'target/wake-up/2026-11-20T07-00-00Z.txt'"
[ "$(ls -A target/wake-up)" == "2026-11-20T07-00-00Z.txt" ] || fail "left behind: $(ls -A target/wake-up)"
