#!/usr/bin/env bash
# --help and --version exit 0; --help lists every subcommand with a man page.
source "$(dirname "$0")/common.sh"
run --help
expect_rc 0
expect_out_contains "alarm"
run --version
expect_rc 0
[[ "$OUT" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "version: $OUT"
run alarm --help
expect_rc 0
expect_out_contains "--to"
expect_out_contains "Examples:"
