#!/usr/bin/env bash
# predict to kinesis:// on kinesalite, through the SigV4-checking proxy: 100,000
# predictions all arrive (read back by botocore, an independent client: each pred_id
# once, partition key = pred_id, the same events as predict writes to a file), sent in
# PutRecords batches while the input is read. Then the other way round: payloads put
# with `kinesis put`, read by Debian's awscli get-records, and its output piped into
# predict, which reads that shape and knows every record's sequence number. Last, the
# events to S3 (s3rver) as one object, and not with --dry-run.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"

stream=$(unique_name predict)
check kinesis-create "$stream" 2
/usr/bin/python3 - "$WORK/in.jsonl" <<'PY'
import json, random, sys
rng = random.Random(8)
codes = [1, 2, 3, 4, 7, 10, 26]
with open(sys.argv[1], "w") as f:
    for i in range(100000):
        t1 = rng.randrange(-10, 70) / 2
        pred_id = i if i % 2 else f"id-{i}"
        f.write(json.dumps({"features": {"t1": t1, "t2": t1 - 1, "hum": rng.randrange(40, 200) / 2,
                                         "weather_code": rng.choice(codes)}, "pred_id": pred_id}) + "\n")
PY
run predict --in "$WORK/in.jsonl" --to "kinesis://$stream" --json
expect_rc 0
expect_err_empty
[ "$(json_get "$OUT" '(j["records"], j["predicted"], j["delivered"], j["undelivered"], j["failed"])')" == \
  "(100000, 100000, 100000, 0, 0)" ] || fail "manifest: $OUT"
[ "$(json_get "$OUT" 'j["calls"] >= 200')" == True ] || fail "fewer calls than 500-record batches allow: $OUT"

run predict --in "$WORK/in.jsonl" --to "$WORK/want.jsonl"
expect_rc 0
check --endpoint "$LAMTOOL_TEST_KINESIS_ENDPOINT" kinesis-read-keys "$stream" "$WORK/got.tsv"
/usr/bin/python3 - "$WORK/got.tsv" "$WORK/want.jsonl" <<'PY' || fail "records read back"
import json, sys
got = [line.rstrip("\n").split("\t", 1) for line in open(sys.argv[1], encoding="utf-8")]
want = open(sys.argv[2], encoding="utf-8").read().splitlines()
assert len(got) == 100000, len(got)
assert sorted(d for _, d in got) == sorted(want), "the events on the stream differ from predict's"
for key, data in got:
    pred_id = json.loads(data)["prediction"]["pred_id"]
    assert key == str(pred_id), (key, data)
ids = sorted(str(json.loads(d)["prediction"]["pred_id"]) for _, d in got)
assert len(set(ids)) == 100000
print("100000 predictions read back, partition keys = pred_id")
PY

# awscli's get-records output as predict's input.
src=$(unique_name requests)
check kinesis-create "$src"
head -n 1000 "$WORK/in.jsonl" >"$WORK/requests.jsonl"
run kinesis put --stream "$src" --partition-key k --in "$WORK/requests.jsonl"
expect_rc 0
iterator=$(kcli kinesis get-shard-iterator --stream-name "$src" --shard-id shardId-000000000000 \
  --shard-iterator-type TRIM_HORIZON --query ShardIterator --output text)
kcli kinesis get-records --shard-iterator "$iterator" --limit 10000 >"$WORK/records.json" || fail "get-records"
run_stdin "$WORK/records.json" predict --to "$WORK/from-stream.jsonl" --json
expect_rc 0
[ "$(json_get "$OUT" '(j["records"], j["predicted"], j["batchItemFailures"])')" == "(1000, 1000, [])" ] \
  || fail "get-records manifest: $OUT"
head -n 1000 "$WORK/want.jsonl" | cmp -s - "$WORK/from-stream.jsonl" \
  || fail "predictions from get-records output differ from those of the same lines"

# To S3: the same events as one object below a prefix (predictions.jsonl), read back by
# botocore; --dry-run uploads nothing.
bucket=$(unique_name predict)
check s3-mkbucket "$bucket"
run predict --in "$WORK/requests.jsonl" --to "s3://$bucket/runs/" --json
expect_rc 0
[ "$(json_get "$OUT" 'j["outputs"][0]["uri"], j["outputs"][0]["content_type"]')" == \
  "('s3://$bucket/runs/predictions.jsonl', 'application/x-ndjson')" ] || fail "s3 manifest: $OUT"
check s3-get "$bucket" runs/predictions.jsonl "$WORK/s3.jsonl"
head -n 1000 "$WORK/want.jsonl" | cmp -s - "$WORK/s3.jsonl" || fail "the S3 object differs from the file output"
run predict --in "$WORK/requests.jsonl" --to "s3://$bucket/dry.jsonl" --dry-run --json
expect_rc 0
[ "$(json_get "$OUT" 'j["outputs"][0]["dry_run"]')" == True ] || fail "dry-run manifest: $OUT"
check s3-head "$bucket" dry.jsonl >/dev/null 2>&1 && fail "--dry-run uploaded"
true
