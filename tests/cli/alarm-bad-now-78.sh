#!/usr/bin/env bash
# A LAMTOOL_NOW that is not RFC 3339 is a configuration error (78) naming the variable.
source "$(dirname "$0")/common.sh"
LAMTOOL_NOW="next tuesday" run alarm --to out/
expect_rc 78
expect_one_error_line
expect_err_contains "invalid LAMTOOL_NOW 'next tuesday'"
[ ! -e out ] || fail "out/ was created"
