#!/usr/bin/env bash
# A Kinesis event is not an alarm event: exit 65 naming the file and the shape found.
source "$(dirname "$0")/common.sh"
mkdir out
run alarm --in "$FIXTURES/events/kinesis-event.json" --to out/
expect_rc 65
expect_one_error_line
expect_err_contains "kinesis-event.json': alarm expects an EventBridge scheduled event"
expect_err_contains "got a Kinesis event"
expect_empty_dir out
# A scheduled event whose time is not RFC 3339 names the field.
printf '{"detail-type": "Scheduled Event", "time": "yesterday"}' >sched.json
run alarm --in sched.json --to out/
expect_rc 65
expect_err_contains "'sched.json': field 'time': 'yesterday' is not an RFC 3339 time"
