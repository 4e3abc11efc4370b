#!/usr/bin/env bash
# A missing event file: exit 66, one line naming the file, nothing written.
source "$(dirname "$0")/common.sh"
mkdir out
run alarm --in no-such-event.json --to out/
expect_rc 66
expect_one_error_line
expect_err_contains "cannot open file 'no-such-event.json': No such file or directory"
expect_empty_dir out
