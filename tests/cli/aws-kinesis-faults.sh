#!/usr/bin/env bash
# Issue 3, nothing lost: 10,000 records through a fault proxy (in front of the bare
# kinesalite, checking SigV4 itself) that fails 20 % of requests as a whole (resets
# before and after the backend stored the call, 500/503, throttling, 5 % each) and
# answers another 20 % with PutRecords partial failures (half the entries really not
# stored) all arrive: exit 0, every payload read back by botocore, duplicates no more
# than the manifest's possible_duplicates. Then the stream goes down: exit 75 and
# --failed-out holds exactly the undelivered lines; a dead port likewise.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"

stream=$(unique_name faults)
check kinesis-create "$stream"
start_fault_proxy kinesis --backend "$LAMTOOL_TEST_KINESIS_BACKEND" --service kinesis \
  --verify-key "$LAMTOOL_TEST_ACCESS_KEY_ID:$LAMTOOL_TEST_SECRET_ACCESS_KEY" --seed 20 \
  --reset 0.05 --reset-after 0.05 --error 0.05 --throttle 0.05 --partial 0.2 --partial-fraction 0.5
proxy=$FAULT_URL
export AWS_ENDPOINT_URL_KINESIS=$proxy
seq 1 10000 | sed 's/.*/{"pred_id":"p&","n":&,"s":"é"}/' >"$WORK/in.jsonl"

# 1. 20 % faults: everything arrives. The first calls get one fault of each kind for
#    sure, then the seeded random ones follow.
fault_admin "$proxy" next '{"faults":["reset","pass","resetAfter","pass","500","pass","503","pass","throttle","pass","partial"]}'
run kinesis put --stream "$stream" --partition-key-field pred_id --in "$WORK/in.jsonl" --json
expect_rc 0
manifest=$OUT
[ "$(json_get "$manifest" '(j["records"], j["delivered"], j["failed"])')" == "(10000, 10000, [])" ] \
  || fail "manifest: $manifest"
stats=$(curl -sS "$proxy/__fault/stats")
# The faults really happened (counts from the proxy, not from lamtool).
[ "$(json_get "$stats" 'all(j[k] > 0 for k in ("reset", "resetAfter", "error500", "error503", "throttled", "partialEntriesFailed"))')" == True ] \
  || fail "not every kind of fault was injected: $stats"
check --endpoint "$LAMTOOL_TEST_KINESIS_ENDPOINT" kinesis-read "$stream" "$WORK/got.jsonl"
/usr/bin/python3 - "$WORK/in.jsonl" "$WORK/got.jsonl" "$manifest" <<'PY' || fail "records read back"
import collections, json, sys
want = open(sys.argv[1], encoding="utf-8").read().splitlines()
got = open(sys.argv[2], encoding="utf-8").read().splitlines()
manifest = json.loads(sys.argv[3])
counts = collections.Counter(got)
assert set(counts) == set(want), f"missing {len(set(want) - set(counts))}, unexpected {len(set(counts) - set(want))}"
duplicates = len(got) - len(want)
# The queued resetAfter came after the backend stored a whole call: it is on the
# stream twice, and the manifest must have counted at least that many.
assert duplicates > 0, "no duplicates although a stored call was reset"
assert duplicates <= manifest["possible_duplicates"], (duplicates, manifest["possible_duplicates"])
print(f"10000 unique of {len(got)} read back; {duplicates} duplicates, "
      f"{manifest['possible_duplicates']} possible per the manifest")
PY

# 2. Down after the first batch: 500 records pass, then every call gets a 503.
stream2=$(unique_name down)
check kinesis-create "$stream2"
head -n 1200 "$WORK/in.jsonl" >"$WORK/in1200.jsonl"
fault_admin "$proxy" config '{"error":0}'
fault_admin "$proxy" next '{"faults":["pass","503","503","503","503","503"]}'
run kinesis put --stream "$stream2" --partition-key-field pred_id --in "$WORK/in1200.jsonl" \
  --failed-out "$WORK/failed.jsonl" --json
expect_rc 75
expect_one_error_line
expect_err_contains "700 of 1200 records not delivered to '$stream2'"
tail -n 700 "$WORK/in1200.jsonl" | cmp - "$WORK/failed.jsonl" || fail "--failed-out is not lines 501-1200"
[ "$(json_get "$OUT" '(j["delivered"], len(j["failed"]), j["failed"][0]["line"])')" == "(500, 700, 501)" ] \
  || fail "manifest: $OUT"
check --endpoint "$LAMTOOL_TEST_KINESIS_ENDPOINT" kinesis-read "$stream2" "$WORK/got2.jsonl"
head -n 500 "$WORK/in1200.jsonl" | cmp - "$WORK/got2.jsonl" || fail "stream does not hold exactly lines 1-500"

# 3. A dead port (bound, then closed): 75, every line in --failed-out.
dead=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
AWS_ENDPOINT_URL_KINESIS=http://127.0.0.1:$dead run kinesis put --stream "$stream2" \
  --partition-key-field pred_id --in "$WORK/in1200.jsonl" --failed-out "$WORK/failed2.jsonl"
expect_rc 75
expect_one_error_line
cmp "$WORK/in1200.jsonl" "$WORK/failed2.jsonl" || fail "--failed-out after a dead port"
