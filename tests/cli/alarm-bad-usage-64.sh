#!/usr/bin/env bash
# Bad flags and bad destinations: exit 64 with one line.
source "$(dirname "$0")/common.sh"
run alarm --no-such-flag
expect_rc 64
expect_one_error_line
expect_err_contains "--no-such-flag"
run alarm --to s3://Bad_Bucket/
expect_rc 64
expect_one_error_line
expect_err_contains "'Bad_Bucket' is not a valid S3 bucket name"
run alarm --to kinesis://stream
expect_rc 64
expect_err_contains "not Kinesis records"
run
expect_rc 64
expect_err_contains "subcommand"
run alarm --json --to -
expect_rc 64
expect_err_contains "--json prints the manifest on standard output"
