#!/usr/bin/env bash
# Hostile input to the commands that read events and records: predict, alarm,
# plot-candles, kinesis put, invoke. Deeply nested JSON, 100 MB lines, NaN, Inf and
# numbers out of range, invalid UTF-8, empty input, path traversal in names and events.
# Each run: the documented exit code, a 'lamtool: error:' line naming the input, bounded
# memory, nothing written outside its directory (tests/cli/hostile_lib.sh).
source "$(dirname "$0")/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/hostile_lib.sh"
export LAMTOOL_NOW=2024-01-01T00:00:00Z
# No account: nothing here may reach a network (dry runs, local destinations).
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=hostile AWS_REGION=us-east-1

record() { printf '{"features":{"t1":%s,"t2":%s,"hum":50,"weather_code":%s},"pred_id":%s}\n' "$@"; }

# ---- predict --------------------------------------------------------------------------
new_case
deep_json "$CASE/deep-object.json" 100000
deep_array "$CASE/deep-array.json" 100000
record NaN 1 1 1 >"$CASE/nan.jsonl"
record 1e999 1 1 1 >"$CASE/inf.jsonl"
record 1e308 1e308 1 1 >"$CASE/huge.jsonl"
record 1 1 1e300 1 >"$CASE/code.jsonl"
record 1 1 1 '"\u00ff"' | sed 's/\\u00ff/\xff\xfe/' >"$CASE/utf8.jsonl"
: >"$CASE/empty.jsonl"
printf '\n  \n\t\n' >"$CASE/blank.jsonl"
/usr/bin/python3 -c 'import random,sys; random.seed(13); sys.stdout.buffer.write(bytes(random.randrange(256) for _ in range(65536)))' >"$CASE/binary.jsonl"
hostile predict-deep-object 65 "nested deeper than 64 levels" predict --in deep-object.json
hostile predict-deep-array 65 "nested deeper than 64 levels" predict --in deep-array.json
hostile predict-nan 65 "'nan.jsonl': field 'features.t1': NaN is not a number" predict --in nan.jsonl
hostile predict-inf 65 "1e999 is out of range" predict --in inf.jsonl
hostile predict-huge 65 "feature 't1': 1e+308 is outside" predict --in huge.jsonl
hostile predict-huge-code 65 "unknown code 1e+300" predict --in code.jsonl
hostile predict-utf8 65 "invalid UTF-8" predict --in utf8.jsonl
hostile predict-empty 65 "'empty.jsonl': empty input" predict --in empty.jsonl
hostile predict-blank 65 "'blank.jsonl': empty input" predict --in blank.jsonl
hostile predict-stdin-empty 65 "empty input" predict
hostile predict-binary 65 "binary.jsonl" predict --in binary.jsonl
HOSTILE_FEED=$HUGE_LINE_FEED hostile predict-100MB-line 65 "longer than 16777216 bytes" predict
# A record of a stream too long to keep is still reported when it is a good one's neighbour.
{ record 10 9 1 1; echo; record NaN 1 1 2; record 11 10 2 3; } >"$CASE/mixed.jsonl"
hostile predict-mixed 65 "line 3: field 'features.t1': NaN" predict --in mixed.jsonl
[ "$(printf '%s\n' "$OUT" | grep -c '"pred_id"')" -eq 2 ] || fail "predict-mixed: the two good records were not predicted: $OUT"
cp "$CASE/deep-object.json" "$CASE/model.json"
hostile predict-model-deep 65 "'model.json': not a JSON model file" predict --model model.json --in mixed.jsonl
HOSTILE_FEED=$HUGE_LINE_FEED hostile predict-model-100MB 65 "'-': not a JSON model file" predict --model - --in mixed.jsonl

# ---- alarm ----------------------------------------------------------------------------
new_case
deep_json "$CASE/deep-object.json" 100000
deep_array "$CASE/deep-array.json" 100000
printf '{"message":"\xff\xfe","bucket":"my-bucket"}\n' >"$CASE/utf8.json"
: >"$CASE/empty.json"
echo '{"message":"x","bucket":"../../outside"}' >"$CASE/bucket.json"
echo '{"detail-type":"Scheduled Event","source":"aws.events","time":"../../outside/x"}' >"$CASE/time.json"
echo '{"detail-type":"Scheduled Event","source":"aws.events","time":"99999-12-31T00:00:00Z"}' >"$CASE/year.json"
hostile alarm-deep-object 65 "'deep-object.json': line 1, column 2562: nested too deeply" alarm --in deep-object.json --to out/
hostile alarm-deep-array 65 "'deep-array.json': line 1, column 514: nested too deeply" alarm --in deep-array.json --to out/
hostile alarm-utf8 65 "'utf8.json': line 1, column 13: invalid UTF-8" alarm --in utf8.json --to out/
hostile alarm-empty 65 "'empty.json': empty input" alarm --in empty.json --to out/
hostile alarm-bucket 65 "field 'bucket': '../../outside' is not a valid S3 bucket name" alarm --in bucket.json
hostile alarm-time 65 "field 'time': '../../outside/x' is not an RFC 3339 time" alarm --in time.json --to out/
hostile alarm-year 65 "field 'time'" alarm --in year.json --to out/
HOSTILE_FEED=$HUGE_LINE_FEED hostile alarm-100MB-line 65 "malformed JSON in '<stdin>'" alarm --in - --to out/

# ---- plot-candles ---------------------------------------------------------------------
new_case
ohlc() { printf 'Date,Open,High,Low,Close,Volume\n'; printf '%s\n' "$@"; }
ohlc '2024-01-01,NaN,2,0.5,1.5,1' >"$CASE/nan.csv"
ohlc '2024-01-01,1e999,2,0.5,1.5,1' >"$CASE/inf.csv"
ohlc '2024-01-01,1,2,-1e308,1.5,1' >"$CASE/negative.csv"
ohlc '2024-01-01,1,2,0.5,1.5,1e308' '2024-01-02,1,2,0.5,1.5,1e308' >"$CASE/volume.csv"
ohlc '2024-01-01,1,2,0.5,1.5,10' '2024-01-02,1,2,0.5,1.5,20' >"$CASE/good.csv"
ohlc '99999-01-01,1,2,0.5,1.5,1' >"$CASE/year.csv"
ohlc >"$CASE/header.csv"
: >"$CASE/empty.csv"
printf '\xff\xfe\xfd,x\n1,2\n' >"$CASE/utf8.csv"
printf 'timestamp,price\n1e300,5\n' >"$CASE/epoch.csv"
deep_json "$CASE/deep-object.json" 100000
/usr/bin/python3 - "$CASE/ddb.json" <<'PY'
import json, sys
prices = {"M": {"2024-01-01": {"N": "1"}, "2024-01-02": {"N": "2"}}}
image = lambda url: {"URL": {"S": url}, "Prices": prices}
records = [{"eventSource": "aws:dynamodb", "eventName": "INSERT", "dynamodb": {"NewImage": image(u)}}
           for u in ("https://x/../../outside/evil/x", "https://x/%2e%2e%2f%2e%2e%2foutside/y", "/abs/z")]
json.dump({"Records": records}, open(sys.argv[1], "w"))
PY
hostile candles-nan 65 "'nan.csv' line 2: field 'open': 'NaN' is not a finite number" plot-candles --in nan.csv --to out/
hostile candles-inf 65 "'inf.csv' line 2: field 'open': '1e999' is not a number" plot-candles --in inf.csv --to out/
hostile candles-negative 65 "'negative.csv' line 2: field 'low'" plot-candles --in negative.csv --to out/
hostile candles-volume-overflow 65 "file 'volume.csv': the volumes add up to more than a number holds" plot-candles --in volume.csv --volume --to out/ --bars-out bars/
hostile candles-year 65 "'year.csv' line 2: field 'date': '99999-01-01' is not a date" plot-candles --in year.csv --to out/
hostile candles-header-only 65 "file 'header.csv': no prices" plot-candles --in header.csv --to out/
hostile candles-empty 65 "file 'empty.csv': empty input" plot-candles --in empty.csv --to out/
hostile candles-utf8 65 "'utf8.csv' line 1: no 'close' or 'price' column" plot-candles --in utf8.csv --to out/
hostile candles-epoch 65 "'epoch.csv' line 2: field 'timestamp': '1e300' is not a date" plot-candles --in epoch.csv --to out/
hostile candles-deep 65 "'deep-object.json'" plot-candles --in deep-object.json --to out/
hostile candles-size 64 "--size '50000x50000'" plot-candles --in nan.csv --size 50000x50000 --to out/
hostile candles-size-zero 64 "--size '0x0'" plot-candles --in nan.csv --size 0x0 --to out/
hostile candles-mav 64 "--mav '99999999999999999999'" plot-candles --in nan.csv --mav 99999999999999999999 --to out/
HOSTILE_FEED=$HUGE_LINE_FEED hostile candles-100MB-line 65 "longer than 1048576 bytes" plot-candles --to out/
# Names from the data and from --name never leave the destination.
HOSTILE_KEEP=1 hostile candles-ddb-traversal 0 "" plot-candles --in ddb.json --to out/
HOSTILE_KEEP=1 hostile candles-name-traversal 0 "" plot-candles --in good.csv --name ../../outside/x --to names/
HOSTILE_KEEP=1 hostile candles-name-absolute 0 "" plot-candles --in good.csv --name /outside/y --period daily --to names/
[ "$(find "$CASE/out" -type f | wc -l)" -eq 6 ] || fail "expected 6 charts below out/: $(find "$CASE/out")"
[ "$(find "$CASE/names" -type f | wc -l)" -eq 3 ] || fail "expected 3 charts below names/: $(find "$CASE/names")"

# ---- kinesis put (dry run: nothing is sent) --------------------------------------------
new_case
deep_json "$CASE/deep-object.json" 100000
: >"$CASE/empty.jsonl"
printf '{"id":"\xff"}\n' >"$CASE/utf8.jsonl"
hostile kinesis-deep-key-field 65 "'deep-object.json' line 1: field 'a' is not a string or number" kinesis put --stream s --dry-run --in deep-object.json --partition-key-field a
hostile kinesis-empty 65 "file 'empty.jsonl': empty input: no records to put" kinesis put --stream s --dry-run --in empty.jsonl
hostile kinesis-utf8-key-field 65 "utf8.jsonl' line 1" kinesis put --stream s --dry-run --in utf8.jsonl --partition-key-field id
HOSTILE_FEED=$HUGE_LINE_FEED hostile kinesis-100MB-line 65 "line 1: longer than 1048576 bytes" kinesis put --stream s --dry-run --in -

# ---- invoke (the Lambda handlers; the runtime loop runs the same code) -----------------
new_case
deep_json "$CASE/deep-object.json" 100000
deep_array "$CASE/deep-array.json" 100000
for h in alarm plot-candles worker mediator predict; do
  LAMTOOL_TO=out/ LAMTOOL_STATE=state.json HOSTILE_KEEP=1 hostile "invoke-$h-deep" 65 "event: not JSON (parse error at line 1, column 2562: nested too deeply)" invoke --handler "$h" --event deep-object.json
done
LAMTOOL_TO=out/ hostile invoke-shotmap-deep-array 65 "event: not JSON (parse error at line 1, column 514: nested too deeply)" invoke --handler shotmap --event deep-array.json
LAMTOOL_TO=out/ HOSTILE_FEED=$HUGE_LINE_FEED hostile invoke-100MB-event 65 "event: not JSON" invoke --handler alarm --event -
[ -z "$(find "$CASE" -mindepth 1 -not -name '.*' -not -name 'deep-*')" ] || fail "invoke left files: $(find "$CASE")"

hostile_summary predict alarm plot-candles kinesis invoke
