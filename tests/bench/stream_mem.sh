#!/usr/bin/env bash
# Peak memory of lamtool's streaming paths through the local servers (s3rver and
# kinesalite behind the SigV4-checking proxy, tests/servers/start.sh): `s3 put` of a
# big file (multipart), `s3 get` of it back to a file, and `kinesis put` of many 1 KB
# JSON lines. Not a test (ctest never runs it). Each binary given is run in turn on the
# same inputs, so an old build and a new one can be compared side by side:
#
#   tests/bench/stream_mem.sh [LAMTOOL...]        (default build/lamtool)
#
# Prints, per binary and command: wall seconds, peak RSS (/usr/bin/time %M) and
# throughput. The object read back must have the file's SHA-256; the stream must hold
# every record. Knobs: S3_MIB=1024 KIN_LINES=1000000. Everything (the input files and
# s3rver's copy of the object) lives in one temporary directory, removed at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
S3_MIB=${S3_MIB:-1024}
KIN_LINES=${KIN_LINES:-1000000}
bins=()
for b in "${@:-$here/../../build/lamtool}"; do bins+=("$(realpath "$b")"); done

work=$(mktemp -d)
trap '"$here/../servers/stop.sh" "$work/servers" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$here/../servers/start.sh" "$work/servers" >/dev/null
export LAMTOOL_TEST_SERVERS_FILE="$work/servers/endpoints.env"
# shellcheck source=/dev/null
source "$here/../servers/env.sh"
aws_env "$work"
export AWS_ENDPOINT_URL_S3="$LAMTOOL_TEST_S3_ENDPOINT"
export AWS_ENDPOINT_URL_KINESIS="$LAMTOOL_TEST_KINESIS_ENDPOINT"
unset LAMTOOL_NOW
check() { /usr/bin/python3 "$here/../cli/aws_check.py" "$@"; }

# Runs "$@" under /usr/bin/time; prints "label wall_s peak_MB MB/s-or-records/s".
measure() {
  local label=$1 amount=$2 unit=$3; shift 3
  /usr/bin/time -o "$work/time.txt" -f '%e %M' "$@" >/dev/null
  read -r wall kib < "$work/time.txt"
  awk -v l="$label" -v w="$wall" -v k="$kib" -v a="$amount" -v u="$unit" \
    'BEGIN { printf "%-44s %7.1f s %8.1f MB peak %10.0f %s/s\n", l, w, k / 1024, a / (w > 0 ? w : 0.01), u }'
}

echo "stream_mem: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
check s3-mkbucket bench >/dev/null
head -c "$((S3_MIB * 1024 * 1024))" /dev/urandom > "$work/big.bin"
want=$(sha256sum < "$work/big.bin" | cut -d' ' -f1)
/usr/bin/python3 - "$work/lines.jsonl" "$KIN_LINES" <<'PY'
import sys
pad = 'x' * 1000
with open(sys.argv[1], 'w') as f:
    for i in range(int(sys.argv[2])):
        line = '{"pred_id":%d,"pad":"%s"}' % (i, pad)
        f.write(line[:1023] + '"}\n' if len(line) > 1025 else line + '\n')
PY

n=0
for bin in "${bins[@]}"; do
  n=$((n + 1))
  echo "== $bin" >&2
  measure "s3 put ${S3_MIB} MiB (file)" "$S3_MIB" MiB "$bin" s3 put -q "$work/big.bin" "s3://bench/big-$n"
  measure "s3 get ${S3_MIB} MiB (to a file)" "$S3_MIB" MiB "$bin" s3 get -q "s3://bench/big-$n" "$work/back.bin"
  got=$(sha256sum < "$work/back.bin" | cut -d' ' -f1)
  [[ "$got" == "$want" ]] || { echo "stream_mem: object read back differs" >&2; exit 1; }
  rm -f "$work/back.bin"
  rm -rf "$work/servers/s3rver-data/bench/big-$n"*  # s3rver's copy: keep the disk free
  check kinesis-create "mem-$n" >/dev/null
  measure "kinesis put ${KIN_LINES} lines of 1 KB (file)" "$KIN_LINES" records \
    "$bin" kinesis put -q --stream "mem-$n" --partition-key-field pred_id --in "$work/lines.jsonl"
done
