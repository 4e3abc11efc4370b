#!/usr/bin/env bash
# Usage errors (64), before any record is read: --json with the events on stdout, a
# malformed destination or stream name, an unknown flag. A missing model or input is 66,
# a model file that does not match the format 65 naming the field; no output is left.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
echo '{"features":{"t1":2,"t2":3,"hum":50,"weather_code":2},"pred_id":1}' >"$WORK/in.jsonl"

run predict --in "$WORK/in.jsonl" --json
expect_rc 64
expect_one_error_line
expect_err_contains "--json"
run predict --in "$WORK/in.jsonl" --to - --json
expect_rc 64
run predict --in "$WORK/in.jsonl" --to "kinesis://bad name"
expect_rc 64
expect_one_error_line
run predict --in "$WORK/in.jsonl" --frobnicate
expect_rc 64

run predict --in "$WORK/missing.jsonl" --to "$WORK/out/"
expect_rc 66
expect_one_error_line
expect_err_contains "missing.jsonl"
run predict --in "$WORK/in.jsonl" --model "$WORK/nomodel.json" --to "$WORK/out/"
expect_rc 66
expect_err_contains "nomodel.json"

# A model whose trees lost a field: 65 naming the model file and the field.
/usr/bin/python3 - "$LAMTOOL_DATA_DIR/predict/model.json" "$WORK/broken.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
del m["version"]
json.dump(m, open(sys.argv[2], "w"))
PY
run predict --in "$WORK/in.jsonl" --model "$WORK/broken.json" --to "$WORK/out/"
expect_rc 65
expect_one_error_line
expect_err_contains "broken.json"
expect_err_contains "version"
[ ! -e "$WORK/out" ] || expect_empty_dir "$WORK/out"

# Empty input: 65, nothing written.
: >"$WORK/empty"
run predict --in "$WORK/empty" --to "$WORK/out/"
expect_rc 65
expect_err_contains "empty input"
[ ! -e "$WORK/out" ] || expect_empty_dir "$WORK/out"
