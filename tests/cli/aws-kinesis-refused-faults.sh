#!/usr/bin/env bash
# Issue 13, Kinesis failures that are not temporary, through tests/servers/fault-proxy.js
# (bare kinesalite behind it, SigV4 checked by the proxy). Nothing is lost track of:
# 1. The stream deleted part-way (400 ResourceNotFoundException on the retry of a
#    partially failed batch): exit 69, one line naming the refusal and how many records
#    were not delivered; --failed-out holds exactly the input lines not on the stream.
# 2. Entries refused one by one with a code not worth retrying while the rest got in:
#    exit 65 (DESIGN.md: some records of a batch failed, the rest succeeded); those lines
#    in --failed-out, every other line on the stream.
# 3. predict to kinesis:// when the credentials expire part-way (400 ExpiredTokenException):
#    exit 77, each undelivered prediction reported with its record, the manifest counts
#    them, and every prediction is either on the stream or reported.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"

start_fault_proxy kinesis --backend "$LAMTOOL_TEST_KINESIS_BACKEND" --service kinesis \
  --verify-key "$LAMTOOL_TEST_ACCESS_KEY_ID:$LAMTOOL_TEST_SECRET_ACCESS_KEY" --seed 13 \
  --partial-fraction 0.5
proxy=$FAULT_URL
export AWS_ENDPOINT_URL_KINESIS=$proxy
seq 1 1200 | sed 's/.*/{"pred_id":"p&","n":&}/' >"$WORK/in.jsonl"

# split_check IN STREAM_FILE FAILED_FILE: every input line exactly once in one of them.
split_check() {
  /usr/bin/python3 - "$@" <<'PY'
import sys
want = open(sys.argv[1], encoding="utf-8").read().splitlines()
got = open(sys.argv[2], encoding="utf-8").read().splitlines()
failed = open(sys.argv[3], encoding="utf-8").read().splitlines()
assert len(set(got)) == len(got), "duplicates on the stream"
assert not set(got) & set(failed), "a line both delivered and in --failed-out"
assert sorted(got + failed) == sorted(want), f"{len(got)} + {len(failed)} != {len(want)}"
print(f"{len(got)} on the stream, {len(failed)} in --failed-out")
PY
}

# 1. Batch 1 passes; batch 2 is half refused for throughput, and its retry finds the
#    stream gone; batch 3 is never sent.
stream=$(unique_name gone)
check kinesis-create "$stream"
fault_admin "$proxy" next '{"faults":["pass","partial","gone"]}'
run kinesis put --stream "$stream" --partition-key-field pred_id --in "$WORK/in.jsonl" \
  --failed-out "$WORK/failed1.jsonl"
expect_rc 69
expect_one_error_line
expect_err_contains "kinesis: PutRecords '$stream' failed: 400 ResourceNotFoundException"
check --endpoint "$LAMTOOL_TEST_KINESIS_ENDPOINT" kinesis-read "$stream" "$WORK/got1.jsonl"
split_check "$WORK/in.jsonl" "$WORK/got1.jsonl" "$WORK/failed1.jsonl" || fail "records lost track of"
n=$(wc -l <"$WORK/failed1.jsonl")
[ "$n" -gt 200 ] && [ "$n" -lt 700 ] || fail "$n lines undelivered: not batch 3 (200) and part of batch 2"
expect_err_contains "; $n of 1200 records not delivered; their lines are in '$WORK/failed1.jsonl'"

# 2. Entries refused for good while the rest of their batch got in: 65.
stream2=$(unique_name reject)
check kinesis-create "$stream2"
fault_admin "$proxy" next '{"faults":["pass","reject"]}'
run kinesis put --stream "$stream2" --partition-key-field pred_id --in "$WORK/in.jsonl" \
  --failed-out "$WORK/failed2.jsonl" --json
expect_rc 65
check --endpoint "$LAMTOOL_TEST_KINESIS_ENDPOINT" kinesis-read "$stream2" "$WORK/got2.jsonl"
split_check "$WORK/in.jsonl" "$WORK/got2.jsonl" "$WORK/failed2.jsonl" || fail "records lost track of"
n=$(wc -l <"$WORK/failed2.jsonl")
[ "$n" -ge 1 ] && [ "$n" -lt 500 ] || fail "$n rejected: not a part of batch 2"
[ "$(json_get "$OUT" '(j["delivered"], len(j["failed"]), {f["error_code"] for f in j["failed"]})')" == \
  "($((1200 - n)), $n, {'InvalidArgumentException'})" ] || fail "manifest: $OUT"
[ "$(json_get "$(curl -sS "$proxy/__fault/stats")" 'j["rejectedEntries"]')" == "$n" ] || fail "rejected counts differ"
expect_err_contains "kinesis: $n of 1200 records not delivered to '$stream2'"

# 3. predict: the credentials expire after the first batch.
stream3=$(unique_name expired)
check kinesis-create "$stream3"
/usr/bin/python3 - "$WORK/payloads.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1200):
        f.write(json.dumps({"features": {"t1": 10 + i % 7, "t2": 9, "hum": 70, "weather_code": 1},
                            "pred_id": f"q{i}"}) + "\n")
PY
fault_admin "$proxy" next '{"faults":["pass","expired"]}'
run predict --in "$WORK/payloads.jsonl" --to "kinesis://$stream3" --json
expect_rc 77
expect_err_contains "predict: kinesis: PutRecords '$stream3' failed: 400 ExpiredTokenException"
expect_err_contains "; 700 predictions not delivered"
manifest=$(/usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print((j["records"], j["predicted"], j["delivered"], j["undelivered"]))' "$WORK/.out")
[ "$manifest" == "(1200, 1200, 500, 700)" ] || fail "manifest: $manifest"
[ "$(grep -c "not delivered to '$stream3': " <<<"$ERR")" -eq 700 ] || fail "undelivered predictions not reported one by one"
check --endpoint "$LAMTOOL_TEST_KINESIS_ENDPOINT" kinesis-read "$stream3" "$WORK/got3.jsonl"
[ "$(wc -l <"$WORK/got3.jsonl")" -eq 500 ] || fail "stream: $(wc -l <"$WORK/got3.jsonl") records"
echo "kinesis refusals: gone part-way -> 69 with every undelivered line kept; rejected entries -> 65; expired token in predict -> 77, 700 reported"
