#!/usr/bin/env bash
# Bad records never stop the rest (DESIGN section 3): each kind of bad record among good
# ones is reported on its own stderr line naming the line and the field, listed in the
# manifest, and skipped; every good record is predicted, in order; exit 65.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"

good() { echo "{\"features\":{\"t1\":$2,\"t2\":$2,\"hum\":60,\"weather_code\":1},\"pred_id\":$1}"; }
{
  good 1 10                                                                          # line 1
  echo '"not base64!"'                                                               # line 2
  echo '{"features":{"t1":10,"t2":10,"hum":60,"weather_code":1},"pred_id":'          # line 3
  echo '{"features":{"t1":10,"t2":10,"weather_code":1},"pred_id":4}'                 # line 4
  echo '{"features":{"t1":"warm","t2":10,"hum":60,"weather_code":1},"pred_id":5}'    # line 5
  echo '{"features":{"t1":NaN,"t2":10,"hum":60,"weather_code":1},"pred_id":6}'       # line 6
  echo '{"features":{"t1":10,"t2":10,"hum":160,"weather_code":1},"pred_id":7}'       # line 7
  echo '{"features":{"t1":10,"t2":10,"hum":60,"weather_code":5},"pred_id":8}'        # line 8
  echo '{"features":{"t1":10,"t2":10,"hum":60,"weather_code":2.5},"pred_id":9}'      # line 9
  echo '{"features":{"t1":10,"t2":10,"hum":60,"weather_code":1}}'                    # line 10
  good '"b-11"' 20                                                                   # line 11
  printf '"%s"\n' "$(good 12 25 | base64 -w0)"                                       # line 12
} >"$WORK/in.jsonl"

run predict --in "$WORK/in.jsonl" --to "$WORK/out.jsonl" --json
expect_rc 65
/usr/bin/python3 - "$WORK/out.jsonl" "$OUT" "$WORK/.err" "$WORK/in.jsonl" <<'PY' || fail "bad records"
import json, sys
out = [json.loads(l) for l in open(sys.argv[1])]
assert [o["prediction"]["pred_id"] for o in out] == [1, "b-11", 12], out
manifest = json.loads(sys.argv[2])
assert (manifest["records"], manifest["predicted"], manifest["failed"]) == (12, 3, 9), manifest
err = open(sys.argv[3]).read().splitlines()
path = sys.argv[4]
want = {
    2: "not valid base64",
    3: "malformed JSON",
    4: "field 'features.hum' is missing",
    5: "field 'features.t1': expected a number, got a string",
    6: "field 'features.t1': NaN is not a number",
    7: "feature 'hum'",
    8: "feature 'weather_code'",
    9: "feature 'weather_code'",
    10: "field 'pred_id' is missing",
}
for line, what in want.items():
    prefix = f"lamtool: error: '{path}' line {line}: "
    hits = [e for e in err if e.startswith(prefix)]
    assert len(hits) == 1 and what in hits[0], (line, what, hits)
assert [e["where"] for e in manifest["errors"]] == [f"'{path}' line {n}" for n in want], manifest["errors"]
assert "unknown code 5" in err[6] and "2.5" in err[7] and "160" in err[5], err
# One summary line after the records.
assert err[-1] == "lamtool: error: predict: 9 of 12 records could not be predicted", err[-1]
assert len(err) == 10, err
PY
