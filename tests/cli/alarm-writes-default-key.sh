#!/usr/bin/env bash
# alarm --to DIR/ writes DIR/wake-up/<time>.txt holding "WAKE UP", silently.
source "$(dirname "$0")/common.sh"
export LAMTOOL_NOW=2026-11-20T07:00:00Z
run alarm --to out/
expect_rc 0
expect_err_empty
expect_out ""
expect_file out/wake-up/2026-11-20T07-00-00Z.txt "WAKE UP"
[ "$(wc -c <out/wake-up/2026-11-20T07-00-00Z.txt)" -eq 8 ] || fail "expected 'WAKE UP\n' (8 bytes)"
# No temporary file left beside it.
[ "$(ls -A out/wake-up | wc -l)" -eq 1 ] || fail "extra files: $(ls -A out/wake-up)"
# With no --to it writes below the current directory.
run alarm --message "Good morning"
expect_rc 0
expect_file wake-up/2026-11-20T07-00-00Z.txt "Good morning"
