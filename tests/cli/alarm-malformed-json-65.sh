#!/usr/bin/env bash
# Malformed JSON: exit 65, one line naming the file, line and column; nothing written.
source "$(dirname "$0")/common.sh"
mkdir out
printf '{\n  "message": "hi",\n}\n' >bad.json
run alarm --in bad.json --to out/
expect_rc 65
expect_one_error_line
expect_err_contains "malformed JSON in 'bad.json': line 3, column 1"
expect_empty_dir out
# A field of the wrong type is named.
printf '{"message": 42}' >field.json
run alarm --in field.json --to out/
expect_rc 65
expect_err_contains "'field.json': field 'message': expected a string, got number"
expect_empty_dir out
