#!/usr/bin/env bash
# Bad flags are refused before any work, with exit 64 and the flag named.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
CSV="$LAMTOOL_SOURCE_DIR/data/candles/SP500_NOV2019_Hist.csv"

usage() {  # usage EXPECTED_PART ARGS...
  local want=$1
  shift
  run plot-candles --in "$CSV" "$@"
  expect_rc 64
  expect_err_contains "$want"
  [ ! -e "$WORK/o" ] || fail "wrote output: $(find "$WORK/o")"
}
usage "--mav '1'" --mav 1 --to "$WORK/o/"
usage "--mav 'x'" --mav x --to "$WORK/o/"
usage "--mav '5,,10'" --mav 5,,10 --to "$WORK/o/"
usage "at most 7" --mav 2,3,4,5,6,7,8,9 --to "$WORK/o/"
usage "--style" --style neon --to "$WORK/o/"
usage "--chart" --chart pie --to "$WORK/o/"
usage "--period" --period monthly --to "$WORK/o/"
usage "--week-anchor" --week-anchor sunday --to "$WORK/o/"
usage "--size" --size 100x100 --to "$WORK/o/"
usage "2 charts to write" --to "$WORK/o/one.png"
usage "cannot both write to stdout" --period daily --to - --bars-out -
usage "--name" --name "" --to "$WORK/o/"
run plot-candles --in "$CSV" --period daily --json --to -
expect_rc 64
run plot-candles --help
expect_rc 0
expect_out_contains "--week-anchor"
expect_out_contains "man lamtool-plot-candles"
