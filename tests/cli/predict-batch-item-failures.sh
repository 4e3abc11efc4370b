#!/usr/bin/env bash
# A Lambda Kinesis event with bad records among good ones: the manifest's
# batchItemFailures lists exactly the bad records' sequence numbers (the shape Lambda
# reads to send them again), the predictions hold the good ones in order, exit 65.
# An event cut off inside a record keeps the records before it.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"

/usr/bin/python3 - "$FIXTURES/events/kinesis-event.json" "$WORK/event.json" "$WORK/want.json" <<'PY'
import base64, copy, json, sys
sample = json.load(open(sys.argv[1]))
template = sample["Records"][0]
good = lambda i: json.dumps({"features": {"t1": 5 + i % 20, "t2": 4 + i % 20, "hum": 70, "weather_code": 1}, "pred_id": i})
payloads = {}
for i in range(40):
    payloads[i] = good(i)
payloads[3] = "Hello World"                                   # not JSON
payloads[17] = json.dumps({"features": {"t1": 1, "t2": 1, "hum": 70, "weather_code": 99}, "pred_id": 17})
payloads[29] = None                                           # bad base64
records, bad = [], []
for i in range(40):
    r = copy.deepcopy(template)
    seq = f"4956816737333333333333333333333333333333333333333{i:07d}"
    r["kinesis"]["sequenceNumber"] = seq
    r["eventID"] = "shardId-000000000000:" + seq
    r["kinesis"]["data"] = "%%%" if payloads[i] is None else base64.b64encode(payloads[i].encode()).decode()
    if i in (3, 17, 29):
        bad.append(seq)
    records.append(r)
json.dump({"Records": records}, open(sys.argv[2], "w"), indent=2)
json.dump({"bad": bad, "good": [i for i in range(40) if i not in (3, 17, 29)]}, open(sys.argv[3], "w"))
PY

run predict --in "$WORK/event.json" --to "$WORK/out.jsonl" --json
expect_rc 65
/usr/bin/python3 - "$OUT" "$WORK/want.json" "$WORK/out.jsonl" <<'PY' || fail "manifest: $OUT"
import json, sys
m = json.loads(sys.argv[1])
want = json.load(open(sys.argv[2]))
assert m["batchItemFailures"] == [{"itemIdentifier": s} for s in want["bad"]], m["batchItemFailures"]
assert [p["prediction"]["pred_id"] for p in m["predictions"]] == want["good"]
assert [json.loads(l)["prediction"]["pred_id"] for l in open(sys.argv[3])] == want["good"]
assert (m["records"], m["predicted"], m["failed"]) == (40, 37, 3)
PY
expect_err_contains "Records[3]: malformed JSON"
expect_err_contains "Records[17]: feature 'weather_code': unknown code 99"
expect_err_contains "Records[29]: field 'kinesis.data': not valid base64"

# Cut inside record 10's data: records 0-9 (less the bad 3) are predicted, record 10 is
# reported with its sequence number (read before the cut), nothing after it is invented.
/usr/bin/python3 - "$WORK/event.json" "$WORK/cut.json" <<'PY'
import sys
text = open(sys.argv[1]).read()
at = text.index('"data"', text.index('0000010"')) + 20
open(sys.argv[2], "w").write(text[:at])
PY
run predict --in "$WORK/cut.json" --to "$WORK/cut.jsonl" --json
expect_rc 65
[ "$(json_get "$OUT" '(j["records"], j["predicted"], j["failed"], len(j["batchItemFailures"]))')" == "(11, 9, 2, 2)" ] \
  || fail "cut event manifest: $OUT"
expect_err_contains "Records[10]: the input ends inside this record"
[ "$(json_get "$OUT" 'j["batchItemFailures"][1]["itemIdentifier"]')" == \
  "$(json_get "$(cat "$WORK/want.json")" 'j["bad"][0][:-2]')10" ] || fail "cut record's sequence number: $OUT"
[ "$(wc -l <"$WORK/cut.jsonl")" -eq 9 ] || fail "cut event: $(cat "$WORK/cut.jsonl")"
