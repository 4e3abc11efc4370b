#!/usr/bin/env bash
# Bad prices: one line on stderr naming the file, line and field, exit 65, and nothing
# written (no chart, no bars).
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"

bad() {  # bad NAME CONTENT EXPECTED_MESSAGE_PART
  printf '%b' "$2" >"$WORK/$1.csv"
  run plot-candles --in "$WORK/$1.csv" --to "$WORK/out/" --bars-out "$WORK/bars/"
  expect_rc 65
  expect_one_error_line
  expect_err_contains "$1.csv"
  expect_err_contains "$3"
  [ ! -e "$WORK/out" ] && [ ! -e "$WORK/bars" ] || fail "$1: partial output: $(find "$WORK/out" "$WORK/bars" 2>/dev/null)"
}
H="Date,Open,High,Low,Close,Volume\n"
bad empty "" "no prices"
bad header-only "$H" "no prices"
bad non-numeric "${H}2024-01-02,10,11,9,10.5,100\n2024-01-03,10,11,9,abc,100\n" "line 3"
bad non-numeric-field "${H}2024-01-02,10,11,9,abc,100\n" "'close'"
bad nan "${H}2024-01-02,10,11,9,NaN,100\n" "'close'"
bad negative "${H}2024-01-02,10,11,-9,10,100\n" "'low'"
bad bad-date "${H}2024-02-30,10,11,9,10,100\n" "line 2"
bad bad-date-field "${H}2024-13-01,10,11,9,10,100\n" "'date'"
bad high-below-low "${H}2024-01-02,10,9,11,10,100\n" "line 2"
bad no-close "Date,Open,High,Low,Volume\n2024-01-02,10,11,9,100\n" "close"
bad ticks-bad-price "timestamp,price\n2024-01-02T10:00:00Z,1\n2024-01-02T10:01:00Z,x\n" "line 3"
bad short-row "${H}2024-01-02,10,11,9\n" "line 2"
printf '{"timestamp":"2024-01-02T10:00:00Z","price":1}\n{"timestamp":"2024-01-02T10:01:00Z","price":-1}\n' >"$WORK/neg.jsonl"
run plot-candles --in "$WORK/neg.jsonl" --to "$WORK/out/"
expect_rc 65
expect_one_error_line
expect_err_contains "line 2"
expect_err_contains "price"

run plot-candles --in "$WORK/missing.csv" --to "$WORK/out/"
expect_rc 66
expect_one_error_line

# A Kinesis event is not a price history.
run plot-candles --in "$FIXTURES/events/kinesis-event.json" --to "$WORK/out/"
expect_rc 65
expect_one_error_line
expect_err_contains "DynamoDB"
