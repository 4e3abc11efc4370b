#!/usr/bin/env bash
# The fault-injecting proxy: queued faults do what they say (reset, 500, 503 SlowDown,
# slow reply, Kinesis throttling), awscli's own retries get through random faults, a
# seed repeats a run, and PutRecords partial failures report failed entries that were
# really not stored.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../env.sh"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
aws_env "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# start_proxy NAME ARGS...: starts fault-proxy.js, sets $port once it listens.
start_proxy() {
  local name=$1; shift
  "$LAMTOOL_TEST_NODE" "$LAMTOOL_TEST_FAULT_PROXY" --ready-file "$work/$name.port" "$@" \
    </dev/null >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    [[ -f "$work/$name.port" ]] && break
    kill -0 "${pids[-1]}" 2>/dev/null || fail "fault-proxy $name exited: $(cat "$work/$name.log")"
    sleep 0.1
  done
  [[ -f "$work/$name.port" ]] || fail "fault-proxy $name did not start"
  port=$(cat "$work/$name.port")
}
admin() { curl -sS --fail -X POST -d "$2" "http://127.0.0.1:$1/__fault/$3"; }
stat() { curl -sS --fail "http://127.0.0.1:$1/__fault/stats" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"; }

# 1. S3 in front of the signature-checking proxy: queued faults, one per request.
start_proxy s3 --backend "$LAMTOOL_TEST_S3_ENDPOINT" --service s3 --slow-ms 3000
s3port=$port
s3=http://127.0.0.1:$s3port
bucket=lamtool-faults-$$
/usr/bin/aws --endpoint-url "$s3" s3api create-bucket --bucket "$bucket" >/dev/null
printf 'payload\n' > "$work/obj"
/usr/bin/aws --endpoint-url "$s3" s3 cp --only-show-errors "$work/obj" "s3://$bucket/obj"
url=$(/usr/bin/aws --endpoint-url "$s3" s3 presign "s3://$bucket/obj")
admin "$s3port" '{"faults":["reset","503","500","slow","pass"]}' next >/dev/null
rc=0; curl -s -o /dev/null "$url" || rc=$?
[[ "$rc" == 56 || "$rc" == 52 ]] || fail "reset: curl exit $rc, expected 56 (reset) or 52 (empty reply)"
code=$(curl -s -o "$work/503.xml" -w '%{http_code}' "$url")
[[ "$code" == 503 ]] && grep -q '<Code>SlowDown</Code>' "$work/503.xml" || fail "503: $code $(cat "$work/503.xml")"
code=$(curl -s -o "$work/500.xml" -w '%{http_code}' "$url")
[[ "$code" == 500 ]] && grep -q '<Code>InternalError</Code>' "$work/500.xml" || fail "500: $code"
rc=0; curl -s -o /dev/null --max-time 1 "$url" || rc=$?
[[ "$rc" == 28 ]] || fail "slow reply: curl exit $rc, expected 28 (timeout)"
[[ "$(curl -sS "$url")" == payload ]] || fail "pass-through after the faults"
for k in reset error503 error500 slow; do [[ "$(stat "$s3port" "$k")" == 1 ]] || fail "stats $k"; done

# 2. awscli's own retries (standard mode, 5 attempts) get through queued faults.
admin "$s3port" '{"faults":["503","reset","500"]}' next >/dev/null
AWS_MAX_ATTEMPTS=5 /usr/bin/aws --endpoint-url "$s3" s3api get-object --bucket "$bucket" --key obj "$work/got" \
  >/dev/null || fail "awscli did not get through three faults with five attempts"
cmp "$work/obj" "$work/got"
[[ "$(stat "$s3port" error503)" == 2 ]] || fail "second 503 not counted"

# 2b. A reset after the backend stored the PUT: the client sees a failure, the object
#     is there (the ambiguity real networks have). A slow reply the client gave up on
#     never reaches the backend (the proxy counts it as abandoned).
admin "$s3port" '{"faults":["resetAfter"]}' next >/dev/null
/usr/bin/aws --endpoint-url "$s3" s3api put-object --bucket "$bucket" --key after-reset --body "$work/obj" \
  >/dev/null 2>&1 && fail "PUT answered by a reset reported success"
/usr/bin/aws --endpoint-url "$s3" s3api head-object --bucket "$bucket" --key after-reset >/dev/null \
  || fail "the PUT before the reset was not stored"
admin "$s3port" '{"faults":["slow"]}' next >/dev/null
/usr/bin/aws --cli-read-timeout 1 --endpoint-url "$s3" s3api put-object --bucket "$bucket" --key slow \
  --body "$work/obj" >/dev/null 2>&1 && fail "PUT with a slow reply did not time out"
for _ in $(seq 1 100); do [[ "$(stat "$s3port" abandoned)" == 1 ]] && break; sleep 0.1; done
[[ "$(stat "$s3port" abandoned)" == 1 ]] || fail "slow request not abandoned within 10 s"
/usr/bin/aws --endpoint-url "$s3" s3api head-object --bucket "$bucket" --key slow >/dev/null 2>&1 \
  && fail "the abandoned PUT reached the backend"

# 3. Same seed and rates, same faults; the random stream is the proxy's own.
for run in a b; do
  start_proxy "seed-$run" --backend "$LAMTOOL_TEST_S3_ENDPOINT" --service s3 --seed 7 \
    --reset 0.2 --error 0.3
  for _ in $(seq 1 30); do curl -s -o /dev/null --max-time 5 "${url/$s3port/$port}" || true; done
  curl -sS "http://127.0.0.1:$port/__fault/stats" > "$work/stats-$run.json"
done
cmp "$work/stats-a.json" "$work/stats-b.json" || fail "same seed, other faults: $(cat "$work"/stats-*.json)"
faults=$(/usr/bin/python3 -c "import json; s=json.load(open('$work/stats-a.json')); print(s['reset']+s['error500']+s['error503'])")
(( faults > 3 && faults < 27 )) || fail "30 requests at a 50 % fault rate gave $faults faults"

# 4. Kinesis: the fault proxy checks signatures itself and rewrites PutRecords for the
#    raw kinesalite behind it.
start_proxy kinesis --backend "$LAMTOOL_TEST_KINESIS_BACKEND" --service kinesis --seed 11 \
  --verify-key "$LAMTOOL_TEST_ACCESS_KEY_ID:$LAMTOOL_TEST_SECRET_ACCESS_KEY"
kport=$port
kaws() { /usr/bin/aws --endpoint-url "http://127.0.0.1:$kport" "$@"; }
stream=lamtool-faults-$$
kaws kinesis create-stream --stream-name "$stream" --shard-count 1
kaws kinesis wait stream-exists --stream-name "$stream"
AWS_SECRET_ACCESS_KEY=wrong kaws kinesis describe-stream --stream-name "$stream" 2>"$work/err" \
  && fail "wrong secret accepted" ; grep -q InvalidSignatureException "$work/err" || fail "$(cat "$work/err")"

admin "$kport" '{"faults":["throttle"]}' next >/dev/null
kaws kinesis put-record --stream-name "$stream" --partition-key k --data "$(printf x | base64)" 2>"$work/err" \
  && fail "throttled put succeeded"
grep -q ProvisionedThroughputExceededException "$work/err" || fail "throttle: $(cat "$work/err")"

admin "$kport" '{"partial":1,"partialFraction":0.4}' config >/dev/null
records=$(/usr/bin/python3 -c 'import json,base64
print(json.dumps([{"Data": base64.b64encode(f"entry {i}".encode()).decode(), "PartitionKey": f"k{i}"} for i in range(20)]))')
kaws kinesis put-records --stream-name "$stream" --records "$records" > "$work/put.json"
admin "$kport" '{}' config >/dev/null
iterator=$(kaws kinesis get-shard-iterator --stream-name "$stream" --shard-id shardId-000000000000 \
  --shard-iterator-type TRIM_HORIZON --query ShardIterator --output text)
kaws kinesis get-records --shard-iterator "$iterator" > "$work/get.json"
/usr/bin/python3 - "$work/put.json" "$work/get.json" <<'PY' || fail "partial failure bookkeeping"
import base64, json, sys
put = json.load(open(sys.argv[1]))
got = json.load(open(sys.argv[2]))
failed = [i for i, r in enumerate(put["Records"]) if "ErrorCode" in r]
assert len(put["Records"]) == 20, put
assert put["FailedRecordCount"] == len(failed) > 0, put
assert all(put["Records"][i]["ErrorCode"] == "ProvisionedThroughputExceededException" for i in failed)
assert all("SequenceNumber" in r for i, r in enumerate(put["Records"]) if i not in failed)
stored = [base64.b64decode(r["Data"]).decode() for r in got["Records"]]
expected = [f"entry {i}" for i in range(20) if i not in failed]
assert stored == expected, (stored, expected)
print(f"{len(failed)} of 20 entries failed and were not stored")
PY
[[ "$(stat "$kport" partialEntriesFailed)" == "$(/usr/bin/python3 -c "import json; print(json.load(open('$work/put.json'))['FailedRecordCount'])")" ]] \
  || fail "stats partialEntriesFailed"
echo "PASS"
