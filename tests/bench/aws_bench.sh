#!/usr/bin/env bash
# lamtool's S3 and Kinesis paths against Debian's awscli (/usr/bin/aws), side by side in
# one run, both talking to the same local servers: s3rver and kinesalite behind our
# SigV4-checking proxy (tests/servers/start.sh), with the test credentials. Not a test
# (ctest never runs it): run by hand, on an otherwise idle machine if you can.
#
#   tests/bench/aws_bench.sh [build/lamtool]
#
# Measures
#   (a) small puts: N_SMALL `lamtool s3 put` process runs of a 1 KiB file against
#       N_SMALL_AWS `aws s3 cp` runs, interleaved (one awscli run every N_SMALL/N_SMALL_AWS
#       lamtool runs) so both see the same load; awscli's per-call time is extrapolated to
#       N_SMALL calls when N_SMALL_AWS < N_SMALL (the output says so);
#   (b) one 64 MiB object of random bytes: `lamtool s3 put` vs `aws s3 cp`, BIG_RUNS runs
#       each, alternating; each object is read back with the *other* client and must have
#       the source's sha256;
#   (c) Kinesis: KIN_RECORDS JSON lines {"pred_id":N,"cnt":M} with `lamtool kinesis put
#       --partition-key-field pred_id` from a file, vs `aws kinesis put-records
#       --cli-input-json file://batch` in a loop of 500-record batches (the first
#       KIN_AWS_BATCHES batches: all by default). Each client writes to its own stream
#       (created with awscli, ACTIVE awaited by bounded polling); every record is read
#       back with GetRecords over all shards (from kinesalite itself, which checks no
#       signature) and the pred_ids must be exactly the ones sent. An extra line runs
#       lamtool against kinesalite without the proxy, to show what the proxy costs.
# Prints medians, per-call times, throughput, peak RSS (/usr/bin/time -f %M) and the
# awscli/lamtool ratio.
#
# Knobs (environment): N_SMALL=1000 N_SMALL_AWS=100 BIG_RUNS=3 KIN_RECORDS=100000
# KIN_AWS_BATCHES=(all) KIN_SHARDS=2. Needs node (the servers), /usr/bin/aws (Debian
# package awscli), /usr/bin/time (package time), python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lamtool=$(realpath "${1:-$here/../../build/lamtool}")
aws=/usr/bin/aws
N_SMALL=${N_SMALL:-1000}
N_SMALL_AWS=${N_SMALL_AWS:-100}
BIG_RUNS=${BIG_RUNS:-3}
KIN_RECORDS=${KIN_RECORDS:-100000}
KIN_SHARDS=${KIN_SHARDS:-2}
KIN_AWS_BATCHES=${KIN_AWS_BATCHES:-$(( (KIN_RECORDS + 499) / 500 ))}

fail() { echo "aws_bench: $*" >&2; exit 1; }
[[ -x "$lamtool" ]] || fail "no lamtool binary at '$lamtool' (build it first)"
[[ -x "$aws" ]] || fail "$aws is missing (apt-get install awscli)"
[[ -x /usr/bin/time ]] || fail "/usr/bin/time is missing (apt-get install time)"
(( N_SMALL_AWS >= 1 && N_SMALL_AWS <= N_SMALL )) || fail "need 1 <= N_SMALL_AWS <= N_SMALL"

work=$(mktemp -d)
trap '"$here/../servers/stop.sh" "$work/servers" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$here/../servers/start.sh" "$work/servers" >/dev/null
export LAMTOOL_TEST_SERVERS_FILE="$work/servers/endpoints.env"
# shellcheck source=/dev/null
source "$here/../servers/env.sh"
aws_env "$work"  # credentials, region and empty config files, for both clients
export AWS_ENDPOINT_URL_S3="$LAMTOOL_TEST_S3_ENDPOINT"
export AWS_ENDPOINT_URL_KINESIS="$LAMTOOL_TEST_KINESIS_ENDPOINT"
unset LAMTOOL_NOW
s3() { "$aws" --endpoint-url "$LAMTOOL_TEST_S3_ENDPOINT" s3 "$@"; }
kin() { "$aws" --endpoint-url "$LAMTOOL_TEST_KINESIS_ENDPOINT" kinesis "$@"; }
results="$work/results.tsv"  # label, client, seconds per run..., peak KiB per run...
: > "$results"

# Runs "$@" under /usr/bin/time; appends "wall_s peak_kib user_s sys_s" to file $1.
timed() {
  local out=$1; shift
  /usr/bin/time -o "$work/time.txt" -f '%e %M %U %S' "$@" >/dev/null
  cat "$work/time.txt" >> "$out"
}
now() { echo "$EPOCHREALTIME"; }  # bash builtin: no fork in the measured loop

echo "aws_bench: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg); lamtool $lamtool;" \
     "$("$aws" --version 2>&1 | cut -d' ' -f1-2)" >&2
s3 mb s3://bench >/dev/null

# (a) small puts, interleaved ------------------------------------------------------------
head -c 1024 /dev/urandom > "$work/small.bin"
every=$(( N_SMALL / N_SMALL_AWS ))
echo "aws_bench: (a) $N_SMALL lamtool s3 put, $N_SMALL_AWS aws s3 cp (1 KiB)" >&2
: > "$work/small_lam.txt"; : > "$work/small_aws.txt"
aws_done=0
for (( i = 1; i <= N_SMALL; i++ )); do
  t0=$(now); "$lamtool" s3 put -q "$work/small.bin" "s3://bench/small/lam-$i"; t1=$(now)
  echo "$t0 $t1" >> "$work/small_lam.txt"
  if (( i % every == 0 && aws_done < N_SMALL_AWS )); then
    t0=$(now); s3 cp --only-show-errors "$work/small.bin" "s3://bench/small/aws-$i"; t1=$(now)
    echo "$t0 $t1" >> "$work/small_aws.txt"
    aws_done=$(( aws_done + 1 ))
  fi
done
# Peak RSS of one call, five times each.
: > "$work/small_lam_rss.txt"; : > "$work/small_aws_rss.txt"
for i in 1 2 3 4 5; do
  timed "$work/small_lam_rss.txt" "$lamtool" s3 put -q "$work/small.bin" "s3://bench/rss/lam-$i"
  timed "$work/small_aws_rss.txt" "$aws" --endpoint-url "$LAMTOOL_TEST_S3_ENDPOINT" s3 cp \
    --only-show-errors "$work/small.bin" "s3://bench/rss/aws-$i"
done
# Every object is there, with the right bytes (one of each read back).
# ListObjects v1: s3rver 3.7.1 answers ListObjectsV2 with InternalError once a listing
# is truncated (over 1,000 keys), also without the proxy.
n_objects=$("$aws" --endpoint-url "$LAMTOOL_TEST_S3_ENDPOINT" s3api list-objects \
            --bucket bench --prefix small/ --query 'length(Contents)' --output text |
            awk '{ n += $1 } END { print n }')  # text output: one count per page
(( n_objects == N_SMALL + N_SMALL_AWS )) ||
  fail "(a) expected $((N_SMALL + N_SMALL_AWS)) objects under small/, found $n_objects"
"$lamtool" s3 get -q "s3://bench/small/aws-$every" "$work/back1.bin"
s3 cp --only-show-errors "s3://bench/small/lam-$N_SMALL" "$work/back2.bin"
if ! cmp -s "$work/small.bin" "$work/back1.bin" ||
   ! cmp -s "$work/small.bin" "$work/back2.bin"; then
  fail "(a) an object read back differs from the file sent"
fi

# (b) 64 MiB upload, alternating ---------------------------------------------------------
echo "aws_bench: (b) 64 MiB put, $BIG_RUNS runs each" >&2
head -c $((64 * 1024 * 1024)) /dev/urandom > "$work/big.bin"
want=$(sha256sum < "$work/big.bin" | cut -d' ' -f1)
: > "$work/big_lam.txt"; : > "$work/big_aws.txt"
for (( r = 1; r <= BIG_RUNS; r++ )); do
  timed "$work/big_lam.txt" "$lamtool" s3 put -q "$work/big.bin" "s3://bench/big/lam-$r"
  timed "$work/big_aws.txt" "$aws" --endpoint-url "$LAMTOOL_TEST_S3_ENDPOINT" s3 cp \
    --only-show-errors "$work/big.bin" "s3://bench/big/aws-$r"
  # Cross-check: each object read back by the other client.
  s3 cp --only-show-errors "s3://bench/big/lam-$r" "$work/back.bin"
  [[ "$(sha256sum < "$work/back.bin" | cut -d' ' -f1)" == "$want" ]] ||
    fail "(b) s3://bench/big/lam-$r read back with awscli has another sha256"
  "$lamtool" s3 get -q "s3://bench/big/aws-$r" "$work/back.bin"
  [[ "$(sha256sum < "$work/back.bin" | cut -d' ' -f1)" == "$want" ]] ||
    fail "(b) s3://bench/big/aws-$r read back with lamtool has another sha256"
done
rm -f "$work/big.bin" "$work/back.bin"

# (c) Kinesis ----------------------------------------------------------------------------
aws_records=$(( KIN_AWS_BATCHES * 500 < KIN_RECORDS ? KIN_AWS_BATCHES * 500 : KIN_RECORDS ))
echo "aws_bench: (c) kinesis, $KIN_RECORDS records with lamtool (proxied and direct)," \
     "$aws_records in $KIN_AWS_BATCHES put-records calls with awscli" >&2
/usr/bin/python3 - "$work" "$KIN_RECORDS" "$KIN_AWS_BATCHES" <<'PY'
# records.jsonl for lamtool, and batch-K.json (--cli-input-json, Data in base64 as
# awscli v2 expects blobs by default) for awscli, holding the same lines.
import base64, json, sys
work, n, batches = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lines = [json.dumps({"pred_id": i, "cnt": (i * 7919) % 1000}, separators=(",", ":"))
         for i in range(n)]
with open(f"{work}/records.jsonl", "w") as f:
    f.write("\n".join(lines) + "\n")
for k in range(min(batches, (n + 499) // 500)):
    chunk = lines[k * 500:(k + 1) * 500]
    recs = [{"Data": base64.b64encode(l.encode()).decode(),
             "PartitionKey": str(json.loads(l)["pred_id"])} for l in chunk]
    with open(f"{work}/batch-{k}.json", "w") as f:
        json.dump({"StreamName": "bench-aws", "Records": recs}, f)
PY
for s in bench-lam bench-aws bench-direct; do
  kin create-stream --stream-name "$s" --shard-count "$KIN_SHARDS"
done
for s in bench-lam bench-aws bench-direct; do
  for (( t = 0; ; t++ )); do
    status=$(kin describe-stream --stream-name "$s" --query StreamDescription.StreamStatus \
             --output text)
    [[ "$status" == ACTIVE ]] && break
    (( t < 60 )) || fail "(c) stream $s not ACTIVE after 60 polls (status $status)"
    sleep 0.5
  done
done
: > "$work/kin_lam.txt"; : > "$work/kin_aws.txt"; : > "$work/kin_direct.txt"
timed "$work/kin_lam.txt" "$lamtool" kinesis put -q --stream bench-lam \
  --partition-key-field pred_id --in "$work/records.jsonl"
timed "$work/kin_direct.txt" env AWS_ENDPOINT_URL_KINESIS="$LAMTOOL_TEST_KINESIS_BACKEND" \
  "$lamtool" kinesis put -q --stream bench-direct --partition-key-field pred_id \
  --in "$work/records.jsonl"
: > "$work/kin_aws_rss.txt"
t0=$(now)
for (( k = 0; k < KIN_AWS_BATCHES && k * 500 < KIN_RECORDS; k++ )); do
  failed=$(/usr/bin/time -a -o "$work/kin_aws_rss.txt" -f '%M' "$aws" --endpoint-url \
           "$LAMTOOL_TEST_KINESIS_ENDPOINT" kinesis put-records \
           --cli-input-json "file://$work/batch-$k.json" --query FailedRecordCount --output text)
  [[ "$failed" == 0 ]] || fail "(c) awscli batch $k: FailedRecordCount $failed"
done
t1=$(now)
echo "$t0 $t1" > "$work/kin_aws_total.txt"
# Read every stream back over all its shards; the pred_ids must be exactly 0..n-1.
/usr/bin/python3 - "$LAMTOOL_TEST_KINESIS_BACKEND" \
  "bench-lam:$KIN_RECORDS" "bench-direct:$KIN_RECORDS" "bench-aws:$aws_records" <<'PY' ||
import base64, json, sys, urllib.request
backend = sys.argv[1]
def call(target, body):
    # kinesalite checks no signature, only that one is there.
    req = urllib.request.Request(backend + "/", data=json.dumps(body).encode(), headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "Kinesis_20131202." + target,
        "X-Amz-Date": "20260101T000000Z",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/"
                         "aws4_request, SignedHeaders=host, Signature=00"})
    return json.load(urllib.request.urlopen(req))
ok = True
for spec in sys.argv[2:]:
    stream, want = spec.split(":")[0], int(spec.split(":")[1])
    shards = call("DescribeStream", {"StreamName": stream})["StreamDescription"]["Shards"]
    ids = []
    for shard in shards:
        it = call("GetShardIterator", {"StreamName": stream, "ShardId": shard["ShardId"],
                                       "ShardIteratorType": "TRIM_HORIZON"})["ShardIterator"]
        while it:
            r = call("GetRecords", {"ShardIterator": it, "Limit": 10000})
            ids += [json.loads(base64.b64decode(x["Data"]))["pred_id"] for x in r["Records"]]
            if not r["Records"] and r.get("MillisBehindLatest", 0) == 0:
                break
            it = r.get("NextShardIterator")
    good = sorted(ids) == list(range(want))
    print(f"aws_bench: (c) {stream}: {len(ids)} records read back over {len(shards)} shards, "
          f"want pred_id 0..{want - 1} once each: {'ok' if good else 'MISMATCH'}", file=sys.stderr)
    ok = ok and good
sys.exit(0 if ok else 1)
PY
  fail "(c) records read back differ from those sent"

# Table ----------------------------------------------------------------------------------
/usr/bin/python3 - "$work" "$N_SMALL" "$N_SMALL_AWS" "$KIN_RECORDS" "$aws_records" <<'PY'
import statistics as st, sys
work, n_small, n_small_aws, kin_n, kin_aws_n = sys.argv[1], *map(int, sys.argv[2:])
def spans(name):  # per-line "t0 t1" -> durations (s)
    return [float(b) - float(a) for a, b in (l.split() for l in open(f"{work}/{name}"))]
def cols(name, i):
    return [float(l.split()[i]) for l in open(f"{work}/{name}") if l.strip()]
mib = lambda kib: f"{st.median(kib) / 1024:.1f} MiB"
rows = []
lam, aw = spans("small_lam.txt"), spans("small_aws.txt")
lam_rss, aws_rss = cols("small_lam_rss.txt", 1), cols("small_aws_rss.txt", 1)
extra = ("" if n_small_aws == n_small
         else f" (awscli: {n_small_aws} calls, x{n_small / n_small_aws:g})")
rows.append((f"(a) {n_small} x 1 KiB put, total{extra}",
             f"{sum(lam):.1f} s", f"{st.mean(aw) * n_small:.1f} s", st.mean(aw) / st.mean(lam)))
rows.append(("(a) per call, median", f"{st.median(lam) * 1000:.0f} ms",
             f"{st.median(aw) * 1000:.0f} ms", st.median(aw) / st.median(lam)))
rows.append(("(a) calls per second", f"{1 / st.mean(lam):.1f}", f"{1 / st.mean(aw):.2f}",
             (1 / st.mean(lam)) / (1 / st.mean(aw))))
rows.append(("(a) peak RSS of one call, median", mib(lam_rss), mib(aws_rss),
             st.median(aws_rss) / st.median(lam_rss)))
bl, ba = cols("big_lam.txt", 0), cols("big_aws.txt", 0)
rows.append((f"(b) 64 MiB put, median of {len(bl)}", f"{st.median(bl):.2f} s",
             f"{st.median(ba):.2f} s", st.median(ba) / st.median(bl)))
rows.append(("(b) throughput", f"{64 / st.median(bl):.0f} MiB/s", f"{64 / st.median(ba):.0f} MiB/s",
             st.median(ba) / st.median(bl)))
cpu = lambda name: st.median(u + s for u, s in zip(cols(name, 2), cols(name, 3)))
rows.append(("(b) CPU time (user+sys), median", f"{cpu('big_lam.txt'):.2f} s",
             f"{cpu('big_aws.txt'):.2f} s", cpu("big_aws.txt") / cpu("big_lam.txt")))
rows.append(("(b) peak RSS, median", mib(cols("big_lam.txt", 1)), mib(cols("big_aws.txt", 1)),
             st.median(cols("big_aws.txt", 1)) / st.median(cols("big_lam.txt", 1))))
kl, kd = cols("kin_lam.txt", 0)[0], cols("kin_direct.txt", 0)[0]
ka = spans("kin_aws_total.txt")[0]
ka_rss = cols("kin_aws_rss.txt", 0)
rate_l, rate_a = kin_n / kl, kin_aws_n / ka
note = "" if kin_aws_n == kin_n else f" (awscli: {kin_aws_n} records, extrapolated)"
rows.append((f"(c) kinesis {kin_n} records, time{note}", f"{kl:.1f} s",
             f"{kin_n / rate_a:.1f} s", rate_l / rate_a))
rows.append(("(c) records per second", f"{rate_l:.0f}", f"{rate_a:.0f}", rate_l / rate_a))
rows.append(("(c) lamtool CPU time (user+sys): client vs wall", f"{cpu('kin_lam.txt'):.2f} s",
             "-", cpu("kin_lam.txt") / kl))
rows.append(("(c) peak RSS (awscli: median per call)", mib(cols("kin_lam.txt", 1)), mib(ka_rss),
             st.median(ka_rss) / cols("kin_lam.txt", 1)[0]))
rows.append(("(c) lamtool straight to kinesalite (no proxy)", f"{kd:.1f} s, {kin_n / kd:.0f}/s",
             "-", kl / kd))
w = max(len(r[0]) for r in rows)
print(f"{'':{w}}  {'lamtool':>16}  {'awscli':>16}  {'ratio':>6}")
for label, a, b, ratio in rows:
    r = f"{ratio:.1f}x" if ratio >= 0.1 else f"{ratio:.2f}x"
    print(f"{label:{w}}  {a:>16}  {b:>16}  {r:>6}")
print("ratio: awscli/lamtool (time, memory) or lamtool/awscli (rates); for lamtool's "
      "CPU line: CPU/wall; last line: proxied/direct time")
PY
