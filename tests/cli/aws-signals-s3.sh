#!/usr/bin/env bash
# Signals and faults in the middle of S3 transfers leave no multipart upload, no object
# and no temporary file behind (ListMultipartUploads and ListObjectsV2 through botocore,
# tests/cli/aws_check.py). The fault proxy (tests/servers/fault-proxy.js) holds requests
# (slow), resets or fails them; the test polls its counters or S3's listing for the
# moment to signal, and never sleeps on it.
#  1. SIGINT while `s3 put -` waits for more of its pipe, the upload started (130).
#  2. SIGTERM while the parts of a file's upload are held by the proxy (143).
#  3. SIGINT, then a second SIGINT while the abort itself is held: exit 130 at once, and
#     the note on stderr names the upload; its command (awscli) removes it.
#  4. Parts reset on every attempt, then parts answered 503: exit 75, the upload aborted.
#  5. Every request reset, the abort too: exit 75 (the original error) and a line naming
#     bucket, key and upload id.
#  6. SIGINT while `s3 get` waits for a held answer: 130, no file, no temporary file.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/signal_common.sh"

bucket=$(unique_name signals)
check s3-mkbucket "$bucket"
uploads() { check s3-uploads "$bucket"; }
upload_listed() { [ -n "$(uploads)" ]; }
expect_no_upload() {
  local left
  left=$(uploads)
  [ -z "$left" ] || fail "multipart uploads left: $left"
}
expect_no_object() {
  if check s3-keys "$bucket" | grep -qx "$1"; then fail "object $1 was stored"; fi
}
stat_is_at_least() { [ "$(fault_stat "$proxy" "$1")" -ge "$2" ]; }

start_fault_proxy s3 --backend "$LAMTOOL_TEST_S3_ENDPOINT" --service s3 --seed 3 --slow-ms 120000
proxy=$FAULT_URL
head -c $((20 * 1024 * 1024)) /dev/urandom >"$WORK/big"

# 1. A pipe: 25 MiB (three full parts: multipart) then nothing, the writer still open.
mkfifo "$WORK/put.fifo"
exec 3<>"$WORK/put.fifo"
start_bg "$WORK/put.fifo" s3 put - "s3://$bucket/piped"
timeout 60 head -c $((25 * 1024 * 1024)) /dev/urandom >&3 || bg_fail "lamtool did not read its pipe"
poll "the multipart upload" upload_listed
poll "the pipe read" fifo_drained 3
kill -INT "$BG"
wait_bg
exec 3>&-
expect_rc 130
expect_one_error_line
expect_err_contains "interrupted (SIGINT)"
expect_no_upload
expect_no_object piped

# 2. A file through the proxy: CreateMultipartUpload passes, every part is held.
export AWS_ENDPOINT_URL_S3=$proxy
fault_admin "$proxy" next '{"faults":["pass"]}'
fault_admin "$proxy" config '{"slow":1}'
start_bg /dev/null s3 put "$WORK/big" "s3://$bucket/held"
poll "a part held" stat_is_at_least slow 1
fault_admin "$proxy" config '{"slow":0}'  # the abort passes
kill -TERM "$BG"
wait_bg
expect_rc 143
expect_one_error_line
expect_err_contains "terminated (SIGTERM)"
expect_no_upload
expect_no_object held

# 3. The abort held too: a second SIGINT ends lamtool at once, with a note.
held=$(fault_stat "$proxy" slow)
fault_admin "$proxy" next '{"faults":["pass"]}'
fault_admin "$proxy" config '{"slow":1}'
start_bg /dev/null s3 put "$WORK/big" "s3://$bucket/twice"
poll "its three parts held" stat_is_at_least slow $((held + 3))
kill -INT "$BG"
poll "the abort held" stat_is_at_least slow $((held + 4))
kill -INT "$BG"
wait_bg
fault_admin "$proxy" config '{"slow":0}'
expect_rc 130
id=$(uploads | cut -f2)
[ "$(uploads | cut -f1)" = twice ] || fail "expected the upload 'twice' left: $(uploads)"
expect_err_contains "multipart upload '$bucket/twice' (upload id $id) was not aborted; remove it with: aws s3api abort-multipart-upload --bucket '$bucket' --key 'twice' --upload-id '$id'"
cmd=$(grep -o "aws s3api abort-multipart-upload .*" <<<"$ERR")
eval "s3cli ${cmd#aws }"
expect_no_upload
expect_no_object twice

# 4. Network faults on every part attempt (the other requests pass): exit 75, aborted.
for fault in reset error; do
  fault_admin "$proxy" config "{\"$fault\":1,\"methods\":[\"PUT\"]}"
  run s3 put "$WORK/big" "s3://$bucket/broken-$fault"
  expect_rc 75
  expect_one_error_line
  if [ "$fault" = reset ]; then
    expect_err_contains "no response to PUT '$proxy/$bucket/broken-reset?partNumber="
  else
    expect_err_contains "s3: UploadPart '$bucket/broken-error' failed: 50"
  fi
  expect_no_upload
  expect_no_object "broken-$fault"
done

# 5. Every request after CreateMultipartUpload reset, the abort too.
fault_admin "$proxy" next '{"faults":["pass"]}'
fault_admin "$proxy" config '{"reset":1}'
run s3 put "$WORK/big" "s3://$bucket/stuck"
fault_admin "$proxy" config '{"reset":0}'
expect_rc 75
id=$(uploads | cut -f2)
[ -n "$id" ] || fail "expected the upload left by the failed abort"
expect_err_contains "no response to DELETE '$proxy/$bucket/stuck?uploadId="
expect_err_contains "multipart upload '$bucket/stuck' (upload id $id) is left in the bucket: remove it with: aws s3api abort-multipart-upload --bucket '$bucket' --key 'stuck' --upload-id '$id'"
[[ "$(tail -n 1 <<<"$ERR")" == *"no response to PUT '$proxy/$bucket/stuck?partNumber="* ]] || fail "the last line is not the original error: $ERR"
check s3-abort "$bucket" stuck "$id"
expect_no_upload

# 6. s3 get of an object whose answer is held: the temporary file goes with the signal.
export AWS_ENDPOINT_URL_S3=$LAMTOOL_TEST_S3_ENDPOINT
run s3 put "$WORK/big" "s3://$bucket/whole"
expect_rc 0
export AWS_ENDPOINT_URL_S3=$proxy
before=$(fault_stat "$proxy" slow)
fault_admin "$proxy" next '{"faults":["slow"]}'
mkdir "$WORK/get"
start_bg /dev/null s3 get "s3://$bucket/whole" "$WORK/get/whole"
poll "the answer held" stat_is_at_least slow $((before + 1))
poll "the temporary file" temp_exists "$WORK/get" whole
kill -INT "$BG"
wait_bg
expect_rc 130
expect_err_contains "interrupted (SIGINT)"
expect_empty_dir "$WORK/get"
