#!/usr/bin/env bash
# No secret leaks, from any command: every lamtool command runs with -v (and --json where
# it has it) against the real local servers (S3 and Kinesis behind the SigV4-checking
# proxies, the X API stand-in, the SMTP sink with STARTTLS and login, the NHL and frame
# servers, the Lambda Runtime API stand-in), with credentials given every way lamtool
# reads them (AWS keys in the environment, with a session token, from a shared
# credentials file and profile; X's four variables; the SMTP password; LAMTOOL_<FLAG>
# configuration in Lambda), in good runs and failing ones (wrong secret 77, server
# errors 75 after retries, refused data). Then every byte it printed or wrote is searched:
# stdout, stderr, manifests, every local file (zip members unpacked), the objects it put
# in S3, the records it put on Kinesis, the mails the SMTP server received, what the X
# stand-in recorded, and the responses and errors posted to the Runtime API. Searched for:
# each secret as is, base64 and URL-encoded; the SMTP AUTH PLAIN and AUTH LOGIN blobs; a
# SigV4 signature (Signature=64 hex, X-Amz-Signature), an X-Amz-Security-Token, an OAuth
# oauth_signature and any Authorization header. `s3 presign` prints a signed URL on
# purpose: that one stdout line is checked to be the URL (it fetches the object) and is
# the only place a signature may appear. The search is first shown to find every needle
# in a planted file.
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"
SCAN="/usr/bin/python3 $LAMTOOL_SOURCE_DIR/tests/cli/secret_scan.py"
DEMO="$LAMTOOL_SOURCE_DIR/data/gif/demo"
IN=$WORK/in       # inputs and configuration (not searched: the credentials file is here)
OUT=$WORK/out     # the working directory of every run, and everything searched
mkdir -p "$IN" "$OUT/log" "$OUT/remote"

start_nhl_server
NHL_PID_SAVED=$NHL_SERVER_PID
start_file_server "$DEMO"
start_x_server --log "$OUT/remote/x-api.log"
coproc RAPI { exec /usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/servers/lambda-runtime.py" \
  --timeout-ms 60000 --log "$OUT/remote/runtime.log"; }
RAPI_SERVER_PID=$RAPI_PID
read -r rapi_port <&"${RAPI[0]}" || fail "Runtime API printed no port"
API=127.0.0.1:$rapi_port
trap 'kill $NHL_PID_SAVED $FILE_SERVER_PID $X_SERVER_PID $RAPI_SERVER_PID 2>/dev/null || true
  for p in "${FAULT_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
export LAMTOOL_NHL_API_URL=$NHL_URL LAMTOOL_CACHE_DIR=$OUT/cache
export LAMTOOL_SMTP_URL=$LAMTOOL_TEST_SMTP_URL LAMTOOL_SMTP_USER=$LAMTOOL_TEST_SMTP_USER
export LAMTOOL_SMTP_PASSWORD=$LAMTOOL_TEST_SMTP_PASSWORD CURL_CA_BUNDLE=$LAMTOOL_TEST_SMTP_CA
MARK="secrets-$$-$RANDOM"  # in mail subjects, to pick this test's mails

# The needles: each secret, its base64 and URL-encoded forms, the SMTP login blobs and
# the signature forms.
SECRETS=(
  "aws-secret=$LAMTOOL_TEST_SECRET_ACCESS_KEY"
  "aws-session-secret=$LAMTOOL_TEST_SESSION_SECRET_ACCESS_KEY"
  "aws-session-token=$LAMTOOL_TEST_SESSION_TOKEN"
  "x-api-secret=$X_TEST_API_SECRET"
  "x-access-token=$X_TEST_ACCESS_TOKEN"
  "x-access-token-secret=$X_TEST_ACCESS_TOKEN_SECRET"
  "smtp-password=$LAMTOOL_TEST_SMTP_PASSWORD"
)
/usr/bin/python3 - "$IN/needles.json" "$LAMTOOL_TEST_SMTP_USER" "$LAMTOOL_TEST_SMTP_PASSWORD" \
  "${SECRETS[@]}" <<'PY'
import base64, json, sys, urllib.parse
out, user, password = sys.argv[1:4]
needles = []
for pair in sys.argv[4:]:
    name, secret = pair.split("=", 1)
    needles.append({"name": name, "literal": secret})
    needles.append({"name": name + " (base64)", "literal": base64.b64encode(secret.encode()).decode().rstrip("=")})
    quoted = urllib.parse.quote(secret, safe="")
    if quoted != secret:
        needles.append({"name": name + " (URL-encoded)", "literal": quoted})
b64 = lambda s: base64.b64encode(s.encode()).decode()
needles.append({"name": "SMTP AUTH PLAIN", "literal": b64("\0" + user + "\0" + password)})
needles.append({"name": "SMTP AUTH PLAIN (authzid)", "literal": b64(user + "\0" + user + "\0" + password)})
needles.append({"name": "SMTP AUTH LOGIN password", "literal": b64(password)})
needles.append({"name": "SigV4 Signature=", "regex": r"Signature=[0-9a-f]{64}"})
needles.append({"name": "X-Amz-Signature", "regex": r"(?i)x-amz-signature"})
needles.append({"name": "X-Amz-Security-Token", "regex": r"(?i)x-amz-security-token"})
needles.append({"name": "OAuth signature", "regex": r"oauth_signature"})
needles.append({"name": "Authorization header", "regex": r"(?i)authorization\s*:"})
needles.append({"name": "AWS4-HMAC-SHA256 Credential", "regex": r"AWS4-HMAC-SHA256 Credential="})
json.dump(needles, open(out, "w"), indent=1)
# A planted file holding every needle, to prove each can be found.
with open(out + ".planted", "w") as f:
    for n in needles:
        f.write(n.get("literal") or "")
        f.write("\n")
    f.write("Signature=" + "ab" * 32 + " X-Amz-Signature=1 X-Amz-Security-Token=2 oauth_signature=3 ")
    f.write("Authorization: AWS4-HMAC-SHA256 Credential=AKIA/x\n")
PY
mkdir "$IN/planted"
cp "$IN/needles.json.planted" "$IN/planted/stderr.txt"
(cd "$IN/planted" && /usr/bin/python3 -c 'import zipfile,sys; zipfile.ZipFile("p.zip","w",zipfile.ZIP_DEFLATED).write("stderr.txt")')
$SCAN --expect-all "$IN/needles.json" "$IN/planted/stderr.txt" || fail "the search misses a planted needle"
mkdir "$IN/planted-zip" && mv "$IN/planted/p.zip" "$IN/planted-zip/"
$SCAN --expect-all "$IN/needles.json" "$IN/planted-zip" || fail "the search misses a needle inside a zip"
if $SCAN "$IN/needles.json" "$IN/planted" >/dev/null 2>&1; then fail "the search passed a planted file"; fi

# srun NAME EXPECTED_RC ARGS...: runs lamtool in $OUT, keeps its stdout and stderr there.
RUNS=()
srun() {
  local name=$1 want=$2
  shift 2
  set +e
  (cd "$OUT" && "$LAMTOOL" "$@" >"$OUT/log/$name.out" 2>"$OUT/log/$name.err" <"${STDIN:-/dev/null}")
  RC=$?
  set -e
  OUT_TEXT=$(cat "$OUT/log/$name.out")
  ERR=$(cat "$OUT/log/$name.err")
  [ "$RC" -eq "$want" ] || fail "$name: expected exit $want, got $RC: $ERR"
  RUNS+=("$name:$1")
}

# Inputs.
bucket=$(unique_name secrets)
stream=$(unique_name secrets)
check s3-mkbucket "$bucket"
check kinesis-create "$stream"
for i in 1 2 3; do
  printf '{"features":{"t1":1%d,"t2":9,"hum":70,"weather_code":1},"pred_id":%d}\n' "$i" "$i"
done >"$IN/records.jsonl"
printf 'x,y\n0,0\n1,1\n2,0\n0,2\n1,3\n' >"$IN/points.csv"
printf 'hello %s\n' "$MARK" >"$IN/hello.txt"
for i in 0 1; do
  printf '{"type":"please-fetch-image","imageId":"radar","validTime":%d,"url":"%s/frame-%02d.png"}\n' \
    $((1405746600000 + i * 600000)) "$FILES_URL" "$i"
done >"$IN/please.jsonl"
/usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/tools/make_lambda_events.py" "$IN/ev" "$LAMTOOL_SOURCE_DIR" 1917020901 >/dev/null
frames=("$FILES_URL/frame-00.png" "$FILES_URL/frame-01.png" "$FILES_URL/frame-02.png")
game=1917020901

# 1. Long-term AWS keys in the environment (aws_common.sh), X and SMTP set: every command.
srun alarm-s3 0 alarm -v --json --to "s3://$bucket/alarm/"
srun alarm-local 0 alarm -v --json --to alarm/
srun s3-put 0 s3 put -v --json "$IN/hello.txt" "s3://$bucket/hello.txt"
srun s3-get 0 s3 get -v --json "s3://$bucket/hello.txt" got.txt
srun s3-presign 0 s3 presign -v "s3://$bucket/hello.txt"
PRESIGNED=("s3-presign")
srun s3-presign-json 0 s3 presign -v --json "s3://$bucket/hello.txt"
PRESIGNED+=("s3-presign-json")
srun kinesis-put 0 kinesis put -v --json --stream "$stream" --partition-key-field pred_id --in "$IN/records.jsonl"
srun predict-kinesis 0 predict -v --json --in "$IN/records.jsonl" --to "kinesis://$stream"
srun predict-local 0 predict -v --json --in "$IN/records.jsonl" --to predictions.jsonl
srun plot-candles-s3 0 plot-candles -v --json --in "$FIXTURES/candles/weekly-spy2020.csv" --period both --to "s3://$bucket/candles/"
srun plot-candles-local 0 plot-candles -v --json --in "$FIXTURES/candles/weekly-spy2020.csv" --bars-out bars/ --to candles/
srun shotmap-tweet 0 shotmap -v --json --game-id "$game" --to "s3://$bucket/shotmap/" --tweet --text "Shots $MARK"
srun gif-everything 0 gif -v --json "${frames[@]}" --thumbs "s3://$bucket/thumbs/" --to "s3://$bucket/radar.gif" \
  --mail-to ops@example.com --mail-from radar@example.com --subject "Radar $MARK" --tweet --text "Radar $MARK"
srun gif-local 0 gif -v --json "${frames[@]}" --thumbs thumbs/ --to radar.gif
srun thumbnail 0 thumbnail -v --json "$FILES_URL/frame-03.png" "s3://$bucket/radar.gif" --to "s3://$bucket/th/"
srun kde 0 kde -v --json --in "$IN/points.csv" --to grid.csv
srun schedule 0 schedule next 'cron(0 7 ? * MON-FRI *)' --count 3 -v
srun tweet 0 tweet -v --json --text "Hello $MARK" --media "$DEMO/frame-04.png" --alt "A radar frame"
STDIN=$IN/please.jsonl srun worker 0 worker -v --json --store "s3://$bucket/flow/" --to did.jsonl
STDIN=$OUT/did.jsonl srun mediator 0 mediator -v --state "s3://$bucket/state.json" --frames 2 \
  --mail-to ops@example.com --mail-from radar@example.com --subject "Flow $MARK" --to please2.jsonl
STDIN=$OUT/please2.jsonl srun worker-2 0 worker -v --store "s3://$bucket/flow/" --to did2.jsonl
srun package 0 package -v --json --to lamtool.zip
# Lambda: the handler's flags as LAMTOOL_<FLAG> (its destination in S3, its mail), the
# keys in the environment as Lambda gives them.
LAMTOOL_TO="s3://$bucket/lambda/" srun invoke-alarm 0 invoke -v --handler alarm --event "$IN/ev/alarm-scheduled.json"
LAMTOOL_TO="s3://$bucket/lambda-gif/" LAMTOOL_MAIL_TO=ops@example.com LAMTOOL_MAIL_FROM=radar@example.com \
  LAMTOOL_SUBJECT="Lambda $MARK" srun invoke-gif 0 invoke -v --handler gif --event "$IN/ev/gif-direct.json"
for e in alarm-scheduled.json not-json.json alarm-scheduled.json; do
  curl -sf -X POST --data-binary "@$IN/ev/$e" "http://$API/__test/enqueue" >/dev/null || fail "enqueue $e"
done
AWS_LAMBDA_RUNTIME_API=$API _HANDLER=alarm LAMTOOL_TO="s3://$bucket/runtime/" \
  srun lambda 0 lambda -v --max-invocations 3
curl -sf "http://$API/__test/wait?count=3&next=3&timeout=10" >"$OUT/remote/runtime-results.json" ||
  fail "the Runtime API did not see three answers"
[ "$(json_get "$(cat "$OUT/remote/runtime-results.json")" '[i["outcome"] for i in j["invocations"]]')" == "['response', 'error', 'response']" ] ||
  fail "runtime outcomes: $(cat "$OUT/remote/runtime-results.json")"

# 2. A session key with its token in the environment.
(
  export AWS_ACCESS_KEY_ID=$LAMTOOL_TEST_SESSION_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$LAMTOOL_TEST_SESSION_SECRET_ACCESS_KEY
  export AWS_SESSION_TOKEN=$LAMTOOL_TEST_SESSION_TOKEN
  srun session-s3-put 0 s3 put -v --json "$IN/hello.txt" "s3://$bucket/session.txt"
  srun session-s3-get 0 s3 get -v "s3://$bucket/session.txt" session-got.txt
  srun session-kinesis 0 kinesis put -v --json --stream "$stream" --partition-key k --in "$IN/records.jsonl"
  srun session-alarm 0 alarm -v --json --to "s3://$bucket/session-alarm/"
  srun session-presign 0 s3 presign -v "s3://$bucket/session.txt"
  AWS_SESSION_TOKEN="${LAMTOOL_TEST_SESSION_TOKEN}x" srun session-wrong-token 77 s3 put -v "$IN/hello.txt" "s3://$bucket/s2.txt"
  printf '%s\n' "${RUNS[@]}" >"$IN/runs-session"
)
PRESIGNED+=("session-presign")
mapfile -t RUNS <"$IN/runs-session"

# 3. A shared credentials file and profile (the session key and its token), nothing in
#    the environment.
cat >"$IN/credentials" <<INI
[default]
aws_access_key_id = AKIDNOTTHEONE
aws_secret_access_key = notTheDefaultSecret

[secrets-test]
aws_access_key_id = $LAMTOOL_TEST_SESSION_ACCESS_KEY_ID
aws_secret_access_key = $LAMTOOL_TEST_SESSION_SECRET_ACCESS_KEY
aws_session_token = $LAMTOOL_TEST_SESSION_TOKEN
INI
(
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
  export AWS_SHARED_CREDENTIALS_FILE=$IN/credentials AWS_PROFILE=secrets-test
  srun profile-s3-put 0 s3 put -v --json "$IN/hello.txt" "s3://$bucket/profile.txt"
  srun profile-kinesis 0 predict -v --json --in "$IN/records.jsonl" --to "kinesis://$stream"
  srun profile-plot 0 plot-candles -v --json --in "$FIXTURES/candles/weekly-spy2020.csv" --to "s3://$bucket/profile-candles/"
  AWS_PROFILE=default srun profile-wrong 77 s3 put -v "$IN/hello.txt" "s3://$bucket/p2.txt"
  printf '%s\n' "${RUNS[@]}" >"$IN/runs-profile"
)
mapfile -t RUNS <"$IN/runs-profile"

# 4. Failing runs: wrong secrets (77), a server that keeps failing (75 after retries),
#    refused data.
wrong="${LAMTOOL_TEST_SECRET_ACCESS_KEY:0:10}wrong${LAMTOOL_TEST_SECRET_ACCESS_KEY:15}"
AWS_SECRET_ACCESS_KEY=$wrong srun wrong-s3 77 s3 put -v --json "$IN/hello.txt" "s3://$bucket/w.txt"
AWS_SECRET_ACCESS_KEY=$wrong srun wrong-kinesis 77 kinesis put -v --stream "$stream" --partition-key k --in "$IN/records.jsonl"
AWS_SECRET_ACCESS_KEY=$wrong srun wrong-alarm 77 alarm -v --to "s3://$bucket/w/"
X_API_SECRET=notTheConsumerSecret1234 srun wrong-x 77 tweet -v --text "Wrong $MARK"
LAMTOOL_SMTP_PASSWORD=notTheSmtpPassword99 srun wrong-smtp 77 gif -v "${frames[@]:0:2}" --to w.gif --mail-from radar@example.com \
  --mail-to ops@example.com --subject "Wrong $MARK"
x_control fail '{"path": "/2/tweets", "count": 5, "status": 503}'
srun x-503 75 tweet -v --text "Down $MARK"
start_fault_proxy s3down --backend "$LAMTOOL_TEST_S3_ENDPOINT" --service s3 --seed 1 --error 1
AWS_ENDPOINT_URL_S3=$FAULT_URL srun s3-503 75 s3 put -v --json "$IN/hello.txt" "s3://$bucket/down.txt"
AWS_ENDPOINT_URL_S3=$FAULT_URL srun alarm-503 75 alarm -v --to "s3://$bucket/down/"
srun s3-missing-bucket 69 s3 put -v "$IN/hello.txt" "s3://$(unique_name nobucket)/x.txt"
srun kinesis-missing 69 kinesis put -v --stream "$(unique_name nostream)" --partition-key k --in "$IN/records.jsonl"
STDIN=$IN/ev/predict-kinesis.json srun predict-bad 65 predict -v --json --to "kinesis://$stream"

# The signed URLs that `s3 presign` prints on purpose: each stdout is that one URL (the
# --json manifest holds it as its "url"), and it fetches the object. Only then is it taken
# out of what is searched; its stderr is searched like every other.
for name in "${PRESIGNED[@]}"; do
  text=$(cat "$OUT/log/$name.out")
  if [[ $name == *-json ]]; then url=$(json_get "$text" 'j["url"]'); else url=$text; fi
  [ "$(printf '%s\n' "$text" | wc -l)" -eq 1 ] || fail "$name: expected one line, got: $(wc -l <<<"$text") lines"
  [[ $url == "$LAMTOOL_TEST_S3_ENDPOINT/$bucket/"*X-Amz-Signature=* ]] || fail "$name: not a presigned URL"
  curl -sf "$url" -o "$IN/$name.fetched" || fail "$name: the presigned URL does not fetch"
  cmp "$IN/$name.fetched" "$IN/hello.txt" || fail "$name: the presigned URL fetched other bytes"
  mv "$OUT/log/$name.out" "$IN/$name.out"
done

# What reached the services: objects in S3, records on Kinesis, this test's mails, the X
# stand-in's record, the Runtime API's answers (saved above) and its log.
s3cli s3 cp --quiet --recursive "s3://$bucket/" "$OUT/remote/s3/"
check kinesis-read "$stream" "$OUT/remote/kinesis.jsonl"
x_state >"$OUT/remote/x-state.json"
mkdir -p "$OUT/remote/mail"
mails=0
for _ in $(seq 1 50); do
  mails=$(grep -l -F "$MARK" "$LAMTOOL_TEST_MAIL_DIR"/*.json 2>/dev/null | wc -l || true)
  [ "$mails" -ge 2 ] && break
  sleep 0.1
done
[ "$mails" -ge 2 ] || fail "expected 2 mails (gif --mail-to, the Lambda gif), found $mails"
for f in $(grep -l -F "$MARK" "$LAMTOOL_TEST_MAIL_DIR"/*.json); do
  cp "$f" "${f%.json}.eml" "$OUT/remote/mail/"
done
[ -s "$OUT/remote/s3/radar.gif" ] && [ -s "$OUT/remote/kinesis.jsonl" ] && [ -s "$OUT/lamtool.zip" ] ||
  fail "a service or the package holds less than expected: $(ls -R "$OUT/remote" | head -40)"

files=$(find "$OUT" -type f | wc -l)
echo "commands run: ${#RUNS[@]} ($(printf '%s\n' "${RUNS[@]}" | cut -d: -f2 | sort -u | tr '\n' ' '))"
echo "files searched: $files; needles: $(json_get "$(cat "$IN/needles.json")" 'len(j)')"
hits=$($SCAN "$IN/needles.json" "$OUT" 2>&1) || fail "secrets in the output:
$hits"
echo "$hits"
