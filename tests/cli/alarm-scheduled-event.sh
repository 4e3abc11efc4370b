#!/usr/bin/env bash
# An EventBridge scheduled event's "time" names the key, from a file and from stdin.
source "$(dirname "$0")/common.sh"
run alarm --in "$FIXTURES/events/cloudwatch_scheduled_event.json" --to out/
expect_rc 0
expect_file out/wake-up/2020-09-30T15-58-34Z.txt "WAKE UP"
run_stdin "$FIXTURES/events/cloudwatch_scheduled_event.json" alarm --in - --to stdin/
expect_rc 0
expect_file stdin/wake-up/2020-09-30T15-58-34Z.txt "WAKE UP"
