#!/usr/bin/env bash
# predict train: the repository's CSV gives the shipped model byte for byte, one summary
# line on stderr, a manifest with --json; bad data is 65 naming file, line and column,
# a missing CSV 66, a missing --csv 64; nothing partial is left behind.
source "$(dirname "$0")/common.sh"
CSV="$LAMTOOL_SOURCE_DIR/data/predict/london_merged.csv"
run predict train --csv "$CSV" --to out/
expect_rc 0
cmp out/model.json "$LAMTOOL_SOURCE_DIR/data/predict/model.json" || fail "model.json differs from the shipped one"
expect_out ""
[[ "$ERR" =~ ^"lamtool: predict train: holdout R^2 0."[0-9]+" RMSE "[0-9.]+" (straight line 0.240 / 941.8) -> out/model.json"$ ]] \
  || fail "summary line: $ERR"

run predict train --csv "$CSV" --to m.json --json --rounds 10
expect_rc 0
expect_err_empty
[ "$(json_get "$OUT" 'j["command"]')" == "predict train" ] || fail "command: $OUT"
[ "$(json_get "$OUT" 'j["holdout"]["rows"]')" == 3296 ] || fail "holdout rows: $OUT"
[ "$(json_get "$OUT" 'j["parameters"]["rounds"]')" == 10 ] || fail "rounds: $OUT"
[ "$(json_get "$OUT" 'j["outputs"][0]["uri"]')" == m.json ] || fail "outputs: $OUT"
expect_file m.json

mkdir bad
printf 'timestamp,cnt,t1,t2,hum,weather_code\n2015-01-04 00:00:00,182,3.0,2.0,wet,3\n' > bad.csv
run predict train --csv bad.csv --to bad/
expect_rc 65
expect_one_error_line
expect_err_contains "'bad.csv' line 2, column 'hum': 'wet' is not a number"
expect_empty_dir bad

run predict train --csv missing.csv --to bad/
expect_rc 66
expect_one_error_line
expect_empty_dir bad

run predict train --to bad/
expect_rc 64
run predict train --csv "$CSV" --to - --json
expect_rc 64
expect_one_error_line
run predict train --csv "$CSV" --rounds 0
expect_rc 64
expect_err_contains "--rounds '0': expected 1..100000"
