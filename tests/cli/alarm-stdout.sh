#!/usr/bin/env bash
# --to - writes the message to stdout.
source "$(dirname "$0")/common.sh"
run alarm --to - --message "hello"
expect_rc 0
expect_out "hello"
