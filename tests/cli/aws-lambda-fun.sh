#!/usr/bin/env bash
# Every handler through @vercel/fun (npm), which runs the bootstrap of the zip that
# `lamtool package` makes against fun's own Lambda Runtime API, with the originals'
# configuration (S3_BUCKET, OUTPUT_STREAM) and the real S3 and Kinesis stand-ins behind
# the SigV4-checking proxy: the shot map's {"game_id"} event writes to S3; a non-JSON
# event between good ones is an error and the warm function goes on; API Gateway GET
# answers the PNG (base64) and DELETE 405; a Kinesis batch returns its bad record in
# batchItemFailures and puts the others on the stream; DynamoDB items become charts on S3;
# the alarm, gif, worker and mediator handlers answer their events.
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"
start_nhl_server
export LAMTOOL_NHL_API_URL=$NHL_URL LAMTOOL_CACHE_DIR=$WORK/cache-cli
game=1917020901
ev=$WORK/ev
/usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/tools/make_lambda_events.py" "$ev" "$LAMTOOL_SOURCE_DIR" "$game"
bucket=$(unique_name fun)
stream=$(unique_name fun)
check s3-mkbucket "$bucket"
check kinesis-create "$stream" 1

# The function: the deployable zip, unzipped as Lambda does (modes kept).
run package --to "$WORK/lamtool.zip"
expect_rc 0
/usr/bin/python3 - "$WORK/lamtool.zip" "$WORK/fn" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        os.chmod(path, (info.external_attr >> 16) & 0o777)
PY
[ -x "$WORK/fn/bootstrap" ] || fail "no executable bootstrap in the zip"

# Credentials and region as Lambda gives them (fun refuses them as configuration).
common=(--aws-credentials --env "AWS_ENDPOINT_URL_S3=$AWS_ENDPOINT_URL_S3"
        --env "AWS_ENDPOINT_URL_KINESIS=$AWS_ENDPOINT_URL_KINESIS" --env "LAMTOOL_NHL_API_URL=$NHL_URL"
        --env "LAMTOOL_CACHE_DIR=$WORK/cache" --env "TMPDIR=$WORK")
# fun HANDLER [--env K=V]... EVENT...: one warm function, one result line per event.
fun() {
  local handler=$1
  shift
  TMPDIR=$WORK "$LAMTOOL_TEST_NODE" "$LAMTOOL_TEST_FUN_INVOKE" --dir "$WORK/fn" --handler "$handler" \
    "${common[@]}" "$@" >"$WORK/fun.out" 2>"$WORK/fun.err" || fail "fun-invoke: $(tail -n 5 "$WORK/fun.err")"
}
# result K EXPR: EXPR on the K-th result line (`r`; `p` its payload parsed as JSON when it is).
result() {
  /usr/bin/python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2])]
try:
    p = json.loads(r["payload"])
except ValueError:
    p = None
print(eval(sys.argv[3]))' "$WORK/fun.out" "$1" "$2"
}

# shotmap: to S3 by S3_BUCKET; a bad event between good ones; HTTP GET and DELETE.
run shotmap --game-id "$game" --to "$WORK/cli.png"
expect_rc 0
fun shotmap --env "S3_BUCKET=$bucket" "$ev/shotmap-direct.json" "$ev/not-json.json" \
  "$ev/shotmap-get-v1.json" "$ev/shotmap-delete-v1.json"
[ "$(wc -l <"$WORK/fun.out")" = 4 ] || fail "results: $(cat "$WORK/fun.out") $(tail "$WORK/fun.err")"
[ "$(result 0 'r["function_error"], p["outputs"][0]["uri"]')" = "(None, 's3://$bucket/shotmap-$game.png')" ] ||
  fail "direct: $(result 0 'r')"
[ "$(result 1 'r["function_error"], p["errorType"]')" = "('Handled', 'DataError')" ] || fail "not JSON: $(result 1 'r')"
[ "$(result 2 'r["function_error"], p["statusCode"], p["isBase64Encoded"]')" = "(None, 200, True)" ] ||
  fail "GET: $(result 2 'r["payload"][:300]')"
result 2 'p["body"]' | base64 -d >"$WORK/http.png"
cmp -s "$WORK/http.png" "$WORK/cli.png" || fail "GET body is not the map"
[ "$(result 3 'p["statusCode"]')" = 405 ] || fail "DELETE: $(result 3 'r')"
check s3-get "$bucket" "shotmap-$game.png" "$WORK/s3.png"
cmp -s "$WORK/s3.png" "$WORK/cli.png" || fail "the S3 object is not the map"

# predict: OUTPUT_STREAM, as the original; the bad record comes back, the others arrive.
fun predict --env "OUTPUT_STREAM=$stream" "$ev/predict-kinesis.json" "$ev/predict-good.json"
[ "$(result 0 'r["function_error"], r["payload"]')" = \
  '(None, '"'"'{"batchItemFailures":[{"itemIdentifier":"49568167373333333333333333333333333333333333333333330002"}]}'"'"')' ] ||
  fail "predict batch: $(result 0 'r')"
[ "$(result 1 'r["payload"]')" = '{"batchItemFailures":[]}' ] || fail "good batch: $(result 1 'r')"
check --endpoint "$LAMTOOL_TEST_KINESIS_ENDPOINT" kinesis-read-keys "$stream" "$WORK/stream.tsv"
[ "$(cut -f1 "$WORK/stream.tsv" | tr '\n' ' ')" = "1 2 4 1 2 3 " ] || fail "stream: $(cat "$WORK/stream.tsv")"

# plot-candles: charts of the good items on S3, the bad item's sequence number back.
fun plot-candles --env "S3_BUCKET=$bucket" "$ev/candles-dynamodb.json"
[ "$(result 0 'r["payload"]')" = '{"batchItemFailures":[{"itemIdentifier":"20000000000000000000002"}]}' ] ||
  fail "candles: $(result 0 'r')"
check s3-get "$bucket" daily/Mox-Pearl.png "$WORK/mox.png" weekly/Time-Walk.png "$WORK/walk.png"
head -c 8 "$WORK/mox.png" | od -An -tx1 | grep -q '89 50 4e 47' || fail "chart is not a PNG"

# alarm, gif, worker, mediator.
fun alarm --env "LAMTOOL_TO=s3://$bucket/alarm/" "$FIXTURES/events/cloudwatch_scheduled_event.json"
[ "$(result 0 'p["outputs"][0]["uri"]')" = "s3://$bucket/alarm/wake-up/2020-09-30T15-58-34Z.txt" ] ||
  fail "alarm: $(result 0 'r')"
check s3-get "$bucket" alarm/wake-up/2020-09-30T15-58-34Z.txt "$WORK/alarm.txt"
expect_file "$WORK/alarm.txt" "WAKE UP"
fun gif "$ev/gif-direct.json"
[ "$(result 0 'p["frames"], p["outputs"][0]["content_type"]')" = "(6, 'image/gif')" ] || fail "gif: $(result 0 'r')"
fun worker --env "S3_BUCKET=$bucket" "$ev/worker-thumbnail.json"
[ "$(result 0 'p["messages"][0]["type"], p["messages"][0]["location"]["Bucket"]')" = "('did-create-thumbnail', '$bucket')" ] ||
  fail "worker: $(result 0 'r')"
fun mediator --env "LAMTOOL_STATE=s3://$bucket/flow/state.json" --env LAMTOOL_FRAMES=2 "$ev/mediator-fetched.json"
[ "$(result 0 'p["messages"][0]["type"]')" = please-create-thumbnail ] || fail "mediator: $(result 0 'r')"
expect_no_secrets "$(cat "$WORK/fun.out" "$WORK/fun.err")"
echo ok
