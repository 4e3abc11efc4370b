#!/usr/bin/env bash
# kinesis put through the SigV4-checking proxy in front of kinesalite: a stream made by
# Debian's awscli, JSON lines (unicode, over one PutRecords batch) put with the
# partition key from a field, read back by awscli's get-records exactly and in order;
# a missing stream is 69, a wrong secret 77, neither leaking the secret.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"

stream=$(unique_name stream)
kcli kinesis create-stream --stream-name "$stream" --shard-count 1 || fail "create-stream"
status=
for _ in $(seq 1 20); do  # kinesalite makes a stream ACTIVE after 500 ms
  status=$(kcli kinesis describe-stream-summary --stream-name "$stream" \
    --query StreamDescriptionSummary.StreamStatus --output text)
  [ "$status" == ACTIVE ] && break
  sleep 0.2
done
[ "$status" == ACTIVE ] || fail "stream $stream not ACTIVE: $status"

# 600 records: two PutRecords batches (500 + 100); the empty line is skipped.
/usr/bin/python3 - "$WORK/in.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i in range(600):
        f.write(json.dumps({"pred_id": f"p-{i % 7}", "n": i, "text": "é 日本 +"}, ensure_ascii=False) + "\n")
        if i == 300:
            f.write("\n")
PY
run kinesis put --stream "kinesis://$stream" --partition-key-field pred_id --in "$WORK/in.jsonl" --json
expect_rc 0
expect_err_empty
[ "$(json_get "$OUT" '(j["records"], j["delivered"], j["failed"], j["possible_duplicates"])')" == \
  "(600, 600, [], 0)" ] || fail "manifest: $OUT"

iterator=$(kcli kinesis get-shard-iterator --stream-name "$stream" --shard-id shardId-000000000000 \
  --shard-iterator-type TRIM_HORIZON --query ShardIterator --output text)
kcli kinesis get-records --shard-iterator "$iterator" --limit 10000 >"$WORK/records.json" || fail "get-records"
/usr/bin/python3 - "$WORK/records.json" "$WORK/in.jsonl" <<'PY' || fail "records read back differ"
import base64, json, sys
got = json.load(open(sys.argv[1]))["Records"]
want = [line for line in open(sys.argv[2], encoding="utf-8").read().split("\n") if line]
data = [base64.b64decode(r["Data"]).decode("utf-8") for r in got]
assert data == want, f"{len(data)} records, first difference at {next((i for i, (a, b) in enumerate(zip(data, want)) if a != b), None)}"
keys = [r["PartitionKey"] for r in got]
assert keys == [json.loads(line)["pred_id"] for line in want], "partition keys"
PY

# Missing stream: 69, naming it.
run kinesis put --stream "$(unique_name nostream)" --partition-key k --in "$WORK/in.jsonl"
expect_rc 69
expect_one_error_line
expect_err_contains "PutRecords"
expect_err_contains "ResourceNotFoundException"

# Wrong secret: 77, with -v too, no secret or signature in stderr.
export AWS_SECRET_ACCESS_KEY="wrong/secret/$RANDOM"
run -v kinesis put --stream "$stream" --partition-key k --in "$WORK/in.jsonl"
expect_rc 77
[ "$(grep -c '^lamtool: error: ' "$WORK/.err")" -eq 1 ] || fail "one error line expected: $ERR"
expect_err_contains "kinesis: PutRecords '$stream' failed: 400 InvalidSignatureException"
[[ "$ERR" != *"$AWS_SECRET_ACCESS_KEY"* ]] || fail "secret in stderr"
expect_no_secrets "$ERR"
