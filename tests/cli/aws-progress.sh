#!/usr/bin/env bash
# Long transfers draw the progress bar when stderr is a terminal (run under a pty with
# util-linux `script`): s3 put and s3 get of 20 MiB, kinesis put of 10 MB of lines, each
# bar ending at its total; error lines are not glued to a bar. With -q under the pty,
# and without a terminal, no bar.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"

bucket=$(unique_name progress)
stream=$(unique_name progress)
check s3-mkbucket "$bucket"
check kinesis-create "$stream" >/dev/null
head -c $((20 * 1024 * 1024)) /dev/urandom >"$WORK/big.bin"
/usr/bin/python3 - "$WORK/lines.jsonl" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(10000):
        f.write('{"pred_id":%d,"pad":"%s"}\n' % (i, "x" * 1000))
PY
lines_bytes=$(stat -c %s "$WORK/lines.jsonl")

# on_tty OUT ARGS...: lamtool ARGS with stdin, stdout and stderr on a pty; what the
# terminal showed goes to OUT.
on_tty() {
  local out=$1
  shift
  script -qefc "$(printf '%q ' "$LAMTOOL" "$@")" /dev/null >"$out" </dev/null \
    || fail "lamtool $* failed under a pty: $(cat "$out")"
}

on_tty "$WORK/put.tty" s3 put "$WORK/big.bin" "s3://$bucket/big.bin"
grep -qaF "s3 put [" "$WORK/put.tty" || fail "no s3 put bar: $(cat -v "$WORK/put.tty")"
grep -qaF "] 20971520/20971520" "$WORK/put.tty" || fail "s3 put bar not at its end"
on_tty "$WORK/get.tty" s3 get "s3://$bucket/big.bin" "$WORK/back.bin"
grep -qaF "] 20971520/20971520" "$WORK/get.tty" || fail "no s3 get bar: $(cat -v "$WORK/get.tty")"
cmp "$WORK/big.bin" "$WORK/back.bin" || fail "downloaded bytes differ"
on_tty "$WORK/kin.tty" kinesis put --stream "$stream" --partition-key-field pred_id \
  --in "$WORK/lines.jsonl"
grep -qaF "kinesis put [" "$WORK/kin.tty" || fail "no kinesis put bar: $(cat -v "$WORK/kin.tty")"
grep -qaF "] $lines_bytes/$lines_bytes" "$WORK/kin.tty" || fail "kinesis put bar not at its end"

# Error lines while a bar is drawn start a line of their own (the bar is cleared first):
# a dead endpoint fails every record, one error line each.
set +e
AWS_ENDPOINT_URL_KINESIS=http://127.0.0.1:9 script -qefc "$(printf '%q ' "$LAMTOOL" kinesis put \
  --stream "$stream" --partition-key k --in "$WORK/lines.jsonl")" /dev/null >"$WORK/err.tty" </dev/null
rc=$?
set -e
[ "$rc" -eq 75 ] || fail "dead endpoint: exit $rc"
grep -qaF "lamtool: error: kinesis: record on line 10000 not delivered" "$WORK/err.tty" \
  || fail "no error line for the last record"
if grep -qaE '[0-9]lamtool: error' "$WORK/err.tty"; then fail "an error line glued to the bar"; fi

# -q under the pty: nothing at all on the terminal.
on_tty "$WORK/quiet.tty" s3 put -q "$WORK/big.bin" "s3://$bucket/quiet.bin"
[ ! -s "$WORK/quiet.tty" ] || fail "-q drew: $(cat -v "$WORK/quiet.tty")"
# No terminal: stderr stays empty.
run s3 put "$WORK/big.bin" "s3://$bucket/piped.bin"
expect_rc 0
expect_err_empty
run s3 get "s3://$bucket/piped.bin" "$WORK/piped.bin"
expect_rc 0
expect_err_empty
