#!/usr/bin/env bash
# lamtool invoke runs one Lambda invocation here exactly as the runtime loop does: every
# handler on its events (AWS's sample events from tests/fixtures/events and events built
# from them by tests/tools/make_lambda_events.py), batches answering batchItemFailures,
# API Gateway v1/v2 and Function URL events answered as HTTP, bad events and bad
# configuration refused with Lambda's error document.
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
start_nhl_server
export LAMTOOL_NHL_API_URL=$NHL_URL LAMTOOL_CACHE_DIR=$WORK/cache
game=1917020901
ev=$WORK/ev
/usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/tools/make_lambda_events.py" "$ev" "$LAMTOOL_SOURCE_DIR" "$game"
invoke() { run invoke "$@"; }
# out_get EXPR: EXPR on the parsed stdout of the last run (which may be megabytes).
out_get() { /usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$WORK/.out" "$1"; }

# predict: the record that is not JSON comes back by its sequence number, the others are
# predicted (3 lines written); the AWS sample's two "Hello World" records both fail.
LAMTOOL_TO=$WORK/pred.jsonl invoke --handler predict --event "$ev/predict-kinesis.json"
expect_rc 65
expect_out '{"batchItemFailures":[{"itemIdentifier":"49568167373333333333333333333333333333333333333333330002"}]}'
[ "$(wc -l <"$WORK/pred.jsonl")" = 3 ] || fail "predictions: $(cat "$WORK/pred.jsonl")"
[ "$(json_get "$(sed -n 3p "$WORK/pred.jsonl")" 'j["prediction"]["pred_id"]')" = 4 ] || fail "order"
OUTPUT_STREAM=ignored LAMTOOL_TO=$WORK/pred2.jsonl invoke --handler predict --event "$ev/predict-good.json"
expect_rc 0
expect_out '{"batchItemFailures":[]}'
LAMTOOL_TO=$WORK/pred3.jsonl invoke --handler predict --event "$FIXTURES/events/kinesis-event.json"
expect_rc 65
[ "$(out_get 'len(j["batchItemFailures"])')" = 2 ] || fail "sample: $OUT"

# plot-candles: two charts drawn, the item priced "abc" returned.
LAMTOOL_TO=$WORK/charts/ invoke --handler plot-candles --event "$ev/candles-dynamodb.json"
expect_rc 65
expect_out '{"batchItemFailures":[{"itemIdentifier":"20000000000000000000002"}]}'
[ -f "$WORK/charts/daily/Mox-Pearl.png" ] && [ -f "$WORK/charts/daily/Time-Walk.png" ] || fail "charts: $(find "$WORK/charts")"

# alarm: the scheduled event's time names the key.
LAMTOOL_TO=$WORK/alarm/ invoke --handler alarm --event "$FIXTURES/events/cloudwatch_scheduled_event.json"
expect_rc 0
expect_file "$WORK/alarm/wake-up/2020-09-30T15-58-34Z.txt" "WAKE UP"
[ "$(out_get 'j["outputs"][0]["uri"]')" = "$WORK/alarm/wake-up/2020-09-30T15-58-34Z.txt" ] || fail "$OUT"

# shotmap: the original's {"game_id"} event; the response is the manifest.
run shotmap --game-id "$game" --to "$WORK/cli.png"
expect_rc 0
LAMTOOL_TO=$WORK/maps/ invoke --handler shotmap --event "$ev/shotmap-direct.json"
expect_rc 0
[ "$(out_get 'j["home"]["abbrev"], j["away"]["shots_on_goal"]')" = "('FOX', 28)" ] || fail "$OUT"
cmp -s "$WORK/maps/shotmap-$game.png" "$WORK/cli.png" || fail "the handler's map differs from the command's"

# HTTP: GET /shotmap?game_id=... through API Gateway REST answers the PNG, base64, 200,
# byte-identical to the command's; json=1 the manifest; DELETE 405 with Allow.
invoke --handler shotmap --event "$ev/shotmap-get-v1.json"
expect_rc 0
[ "$(out_get 'j["statusCode"], j["isBase64Encoded"], j["headers"]["Content-Type"]')" = "(200, True, 'image/png')" ] ||
  fail "response: ${OUT:0:300}"
out_get 'j["body"]' | base64 -d >"$WORK/http.png"
cmp -s "$WORK/http.png" "$WORK/cli.png" || fail "the HTTP body is not the map"
invoke --handler shotmap --event "$ev/shotmap-get-v1-json.json"
[ "$(out_get 'json.loads(j["body"])["game_id"], j["headers"]["Content-Type"]')" = "('$game', 'application/json')" ] ||
  fail "json=1: ${OUT:0:300}"
invoke --handler shotmap --event "$ev/shotmap-delete-v1.json"
expect_rc 0
[ "$(out_get 'j["statusCode"], j["headers"]["Allow"], json.loads(j["body"])["error"]')" = \
  "(405, 'GET, HEAD', 'method DELETE not allowed: use GET or HEAD')" ] || fail "DELETE: $OUT"
# HTTP API (v2): an SVG is text, not base64; a Function URL with a bad id: 400.
invoke --handler shotmap --event "$ev/shotmap-get-v2-svg.json"
[ "$(out_get 'j["statusCode"], j["isBase64Encoded"], j["headers"]["Content-Type"], j["body"][:5]')" = \
  "(200, False, 'image/svg+xml', '<?xml')" ] || fail "v2 svg: ${OUT:0:300}"
invoke --handler shotmap --event "$ev/shotmap-url-bad.json"
[ "$(out_get 'j["statusCode"]')" = 400 ] || fail "bad id: $OUT"
[[ "$(out_get 'json.loads(j["body"])["error"]')" == "invalid game id '12'"* ]] || fail "bad id: $OUT"
# The AWS sample is a POST to /hello/world: 405 before anything runs.
invoke --handler shotmap --event "$FIXTURES/events/apigw-request.json"
[ "$(out_get 'j["statusCode"]')" = 405 ] || fail "sample POST: $OUT"
# An unknown parameter is a 400 naming what the handler takes; a game the API lacks: 502.
/usr/bin/python3 - "$ev/shotmap-get-v1.json" "$WORK/param.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
e["queryStringParameters"] = {"game_id": "1917020901", "game_file": "/etc/passwd"}
e["multiValueQueryStringParameters"] = None
json.dump(e, open(sys.argv[2], "w"))
PY
invoke --handler shotmap --event "$WORK/param.json"
[ "$(out_get 'j["statusCode"]')" = 400 ] || fail "game_file accepted over HTTP: $OUT"
[[ "$(out_get 'json.loads(j["body"])["error"]')" == "unknown parameter 'game_file'"* ]] || fail "$OUT"

# gif: the event's fields are its flags.
invoke --handler gif --event "$ev/gif-direct.json"
expect_rc 0
[ "$(out_get 'j["frames"], j["delay_ms"]')" = "(6, 100)" ] || fail "gif: $OUT"
[ -s "$ev/loop.gif" ] || fail "no GIF"

# worker and mediator: the messages they print come back in the response.
LAMTOOL_STORE=$WORK/store/ invoke --handler worker --event "$ev/worker-thumbnail.json"
expect_rc 0
[ "$(out_get 'j["messages"][0]["type"]')" = did-create-thumbnail ] || fail "worker: $OUT"
[ -s "$(out_get 'j["messages"][0]["location"]["Key"]')" ] || fail "no thumbnail"
LAMTOOL_STATE=$WORK/state.json LAMTOOL_FRAMES=2 invoke --handler mediator --event "$ev/mediator-fetched.json"
expect_rc 0
[ "$(out_get 'j["messages"][0]["type"]')" = please-create-thumbnail ] || fail "mediator: $OUT"

# Bad events and configuration: Lambda's error document, the CLI's exit status.
invoke --handler shotmap --event "$ev/not-json.json"
expect_rc 65
[ "$(out_get 'j["errorType"], j["stackTrace"]')" = "('DataError', [])" ] || fail "not JSON: $OUT"
[[ "$(out_get 'j["errorMessage"]')" == "event: not JSON"* ]] || fail "$OUT"
printf '{"game_id": "1917020901", "colour": "red"}' >"$WORK/extra.json"
LAMTOOL_TO=$WORK/maps/ invoke --handler shotmap --event "$WORK/extra.json"
expect_rc 64
[[ "$(out_get 'j["errorMessage"]')" == "event field 'colour': the shotmap handler has no such flag" ]] || fail "$OUT"
invoke --handler predict --event "$ev/predict-good.json"
expect_rc 78
expect_err_contains "the predict handler has no destination: set OUTPUT_STREAM (a Kinesis stream) or LAMTOOL_TO"
LAMTOOL_FORMAT=gif invoke --handler shotmap --event "$ev/shotmap-direct.json"
expect_rc 78
expect_err_contains "LAMTOOL_FORMAT: --format 'gif'"
invoke --handler nope --event "$ev/shotmap-direct.json"
expect_rc 64
expect_err_contains "handler 'nope': expected one of alarm, gif, mediator, plot-candles, predict, shotmap, worker"
echo ok
