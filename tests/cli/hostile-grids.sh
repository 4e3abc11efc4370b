#!/usr/bin/env bash
# Hostile input to the commands that draw or compute on a grid, and to the tools around
# them: shotmap, kde, predict train, schedule, s3, lambda, package. Sizes and grids far
# too large (refused before anything is allocated, with the documented limit), NaN, Inf
# and numbers out of range in flags and data, deeply nested and 100 MB game files,
# invalid UTF-8, empty input, path traversal in game ids and keys (tests/cli/hostile_lib.sh).
source "$(dirname "$0")/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/hostile_lib.sh"
export LAMTOOL_NOW=2024-01-01T00:00:00Z
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=hostile AWS_REGION=us-east-1
# The NHL API must not be asked: a port nothing listens on.
export LAMTOOL_NHL_API_URL=http://127.0.0.1:9

# ---- shotmap --------------------------------------------------------------------------
new_case
/usr/bin/python3 - "$GAMES/apiweb_1917020901_OWL-at-FOX.json" "$CASE" <<'PY'
import json, sys
game, out = json.load(open(sys.argv[1])), sys.argv[2]
def save(name, g, raw=None):
    open(f"{out}/{name}", "w").write(raw if raw is not None else json.dumps(g))
shots = [p for p in game["plays"] if p.get("typeDescKey") == "shot-on-goal"]
def with_coords(value):
    g = json.loads(json.dumps(game))
    for p in g["plays"]:
        if p.get("typeDescKey") == "shot-on-goal":
            p["details"]["xCoord"] = value
    return g
save("huge-coords.json", with_coords(1e308))
save("overflow-coords.json", None, json.dumps(with_coords(1)).replace('"xCoord": 1,', '"xCoord": 1e999,'))
save("string-coords.json", with_coords("NaN"))
g = json.loads(json.dumps(game)); g["plays"] = ["x" * 10] * 3
save("bad-plays.json", g)
save("deep-plays.json", None, '{"plays":' + "[" * 100000 + "]" * 100000 + ',"homeTeam":{}}')
save("deep-details.json", None, json.dumps(game).replace('"details": {', '"details": ' + '{"a":' * 100000 + '1' + '}' * 100000 + ', "x": {', 1))
open(f"{out}/utf8.json", "wb").write(json.dumps(game).encode().replace(b'"FOX"', b'"FO\xff"', 1))
PY
printf '\xff\xfe{}' >"$CASE/bom16.json"
: >"$CASE/empty.json"
truncate -s 100M "$CASE/zeros.json"
# Shots far off the rink: drawn as points, no density (the manifest's kde flags say why).
HOSTILE_KEEP=1 hostile shotmap-huge-coords 0 "" shotmap --game-file huge-coords.json --to out/huge.png --json
[[ "$OUT" == *'"drawn":false'* && "$OUT" == *singular_covariance* ]] || fail "shotmap-huge-coords: $OUT"
hostile shotmap-overflow-coords 65 "'overflow-coords.json': malformed JSON: a number out of range" shotmap --game-file overflow-coords.json --to out/
hostile shotmap-string-coords 65 "'string-coords.json'" shotmap --game-file string-coords.json --to out/
hostile shotmap-bad-plays 65 "'bad-plays.json'" shotmap --game-file bad-plays.json --to out/
hostile shotmap-deep-plays 65 "'deep-plays.json'" shotmap --game-file deep-plays.json --to out/
# 100,000 levels in a field lamtool does not read: passed over, never built.
HOSTILE_KEEP=1 hostile shotmap-deep-details 0 "" shotmap --game-file deep-details.json --to out/deep.png
hostile shotmap-utf8 65 "'utf8.json': malformed JSON at byte" shotmap --game-file utf8.json --to out/
hostile shotmap-utf16-bom 65 "'bom16.json'" shotmap --game-file bom16.json --to out/
hostile shotmap-empty 65 "'empty.json'" shotmap --game-file empty.json --to out/
hostile shotmap-100MB-zeros 65 "'zeros.json'" shotmap --game-file zeros.json --to out/
hostile shotmap-size-huge 64 "--size '50000x50000': expected WIDTHxHEIGHT with sides from 300 to 8000" shotmap --game-file empty.json --size 50000x50000 --to out/
hostile shotmap-size-zero 64 "--size '0x0'" shotmap --game-file empty.json --size 0x0 --to out/
hostile shotmap-bw-nan 64 "--bw 'nan': expected a number" shotmap --game-file empty.json --bw nan --to out/
hostile shotmap-bw-inf 64 "--bw 'inf': expected a number" shotmap --game-file empty.json --bw inf --to out/
hostile shotmap-bw-huge 64 "bandwidth factor 1e+308" shotmap --game-file "$GAMES/apiweb_1917020901_OWL-at-FOX.json" --bw 1e308 --to out/
hostile shotmap-period-huge 64 "--period '99999999999999999999'" shotmap --game-file empty.json --period 99999999999999999999 --to out/
hostile shotmap-game-id-traversal 64 "invalid game id '../../../outside'" shotmap --game-id ../../../outside --to out/
hostile shotmap-game-id-absolute 64 "invalid game id '/etc/passwd'" shotmap --game-id /etc/passwd --to out/

# ---- kde ------------------------------------------------------------------------------
new_case
printf '1,2\n3,4\n5,7\n' >"$CASE/points.csv"
printf 'NaN,1\n2,3\n' >"$CASE/nan.csv"
printf 'inf,1\n2,3\n' >"$CASE/inf.csv"
printf '1e400,1\n2,3\n' >"$CASE/overflow.csv"
printf '1,2,-1\n3,4,1\n' >"$CASE/weight.csv"
printf '\xff\xfe,1\n' >"$CASE/utf8.csv"
printf 'x,y\n' >"$CASE/header.csv"
: >"$CASE/empty.csv"
hostile kde-grid-100000x100000 64 "--grid '100000x100000': 10000000000 nodes, more than the 4000000 lamtool evaluates" kde --in points.csv --grid 100000x100000
hostile kde-grid-16000x16000 64 "--grid '16000x16000'" kde --in points.csv --grid 16000x16000
hostile kde-grid-side 64 "--grid '200000x2'" kde --in points.csv --grid 200000x2
hostile kde-grid-zero 64 "--grid '0x0'" kde --in points.csv --grid 0x0
hostile kde-extent-nan 64 "--extent 'nan,1,0,1'" kde --in points.csv --extent nan,1,0,1
hostile kde-extent-huge 64 "extent -1e+308,1e+308" kde --in points.csv --extent -1e308,1e308,-1e308,1e308 --grid 10x10
hostile kde-bw-huge 64 "bandwidth factor 1e+308" kde --in points.csv --bw 1e308 --grid 10x10
hostile kde-bw-tiny 64 "bandwidth factor 1e-308" kde --in points.csv --bw 1e-308 --grid 10x10
hostile kde-nan 65 "'nan.csv' line 1: field 1 'NaN' is not finite" kde --in nan.csv
hostile kde-inf 65 "'inf.csv' line 1: field 1 'inf' is not finite" kde --in inf.csv
hostile kde-overflow 65 "'overflow.csv' line 1: field 1 '1e400' is not a number" kde --in overflow.csv
hostile kde-negative-weight 65 "'weight.csv' line 1: weight -1 is negative" kde --in weight.csv --weights
hostile kde-utf8 65 "'utf8.csv': no points" kde --in utf8.csv
hostile kde-header-only 65 "'header.csv': no points" kde --in header.csv
hostile kde-empty 65 "'empty.csv': no points" kde --in empty.csv
HOSTILE_FEED=$HUGE_LINE_FEED hostile kde-100MB-line 65 "'<stdin>'" kde --in -
# The largest grid allowed is computed within the memory bound.
HOSTILE_KEEP=1 hostile kde-grid-largest 0 "" kde --in points.csv --grid 2000x2000 --to grid.csv
[ "$(wc -l <"$CASE/grid.csv")" -eq 2001 ] || fail "kde-grid-largest: expected 2001 lines"

# ---- predict train --------------------------------------------------------------------
new_case
header='timestamp,cnt,t1,t2,hum,weather_code'
printf '%s\n' "$header" >"$CASE/header.csv"
printf '%s\n2015-01-04 00:00:00,182,NaN,2,93,3\n' "$header" >"$CASE/nan.csv"
printf '%s\n2015-01-04 00:00:00,1e999,3,2,93,3\n' "$header" >"$CASE/inf.csv"
: >"$CASE/empty.csv"
hostile train-header-only 65 "'header.csv': no rows below the header" predict train --csv header.csv --to m.json
hostile train-nan 65 "'nan.csv' line 2" predict train --csv nan.csv --to m.json
hostile train-inf 65 "'inf.csv' line 2" predict train --csv inf.csv --to m.json
hostile train-empty 65 "'empty.csv'" predict train --csv empty.csv --to m.json
hostile train-rounds 64 "--rounds '99999999999'" predict train --csv header.csv --rounds 99999999999 --to m.json
hostile train-rate-nan 64 "--learning-rate 'nan'" predict train --csv header.csv --learning-rate nan --to m.json
hostile train-empty-stdin 65 "'<stdin>': empty: expected a CSV header" predict train --csv - --to m.json
HOSTILE_FEED=$HUGE_LINE_FEED hostile train-100MB-line 65 "'<stdin>'" predict train --csv - --to m.json

# ---- schedule, s3, lambda, package: flags ---------------------------------------------
new_case
long=$(head -c 100000 /dev/zero | tr '\0' '1')
hostile schedule-rate-huge 64 "invalid schedule 'rate(99999999999999999999 minutes)'" schedule next 'rate(99999999999999999999 minutes)'
hostile schedule-rate-zero 64 "invalid schedule 'rate(0 minutes)'" schedule next 'rate(0 minutes)'
hostile schedule-long 64 "invalid schedule" schedule next "cron($long * * * ? *)"
hostile schedule-count-huge 64 "invalid --count '99999999999'" schedule next 'rate(5 minutes)' --count 99999999999
hostile schedule-utf8 64 "invalid schedule" schedule next "$(printf 'cron(0 7 ? * MON\xff *)')"
hostile schedule-tz-traversal 64 "unknown time zone '../../../etc/passwd'" schedule next 'rate(5 minutes)' --tz ../../../etc/passwd
hostile s3-presign-expires 64 "--expires '9999999999999999999'" s3 presign s3://my-bucket/k --expires 9999999999999999999
hostile s3-bucket-traversal 64 "'..' is not a valid S3 bucket name" s3 put /dev/null s3://../k --dry-run
hostile lambda-max-invocations 64 "--max-invocations '-5'" lambda --max-invocations -5
hostile lambda-deadline 64 "--deadline-margin '1e99'" lambda --deadline-margin 1e99
hostile invoke-handler 64 "../../bin/sh" invoke --handler ../../bin/sh --event /dev/null

hostile_summary shotmap kde 'predict train' schedule s3 lambda invoke
