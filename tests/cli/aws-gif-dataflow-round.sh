#!/usr/bin/env bash
# A whole round of the data flow, as in the original talk, with real parts: six frames
# fetched from a local HTTP server into S3 (s3rver behind the SigV4-checking proxy),
# thumbnails, a GIF once six new frames arrived, and a mail that arrives at the SMTP server
# (smtp-server from npm, STARTTLS and login) with the GIF and the six thumbnails inline.
# The worker's answers go through a pipe straight into the mediator.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"
CHECK="/usr/bin/python3 $LAMTOOL_SOURCE_DIR/tests/tools/gif_check.py"
DEMO="$LAMTOOL_SOURCE_DIR/data/gif/demo"
start_file_server "$DEMO"
bucket=$(unique_name flow)
check s3-mkbucket "$bucket"
export LAMTOOL_SMTP_URL=$LAMTOOL_TEST_SMTP_URL LAMTOOL_SMTP_USER=$LAMTOOL_TEST_SMTP_USER
export LAMTOOL_SMTP_PASSWORD=$LAMTOOL_TEST_SMTP_PASSWORD CURL_CA_BUNDLE=$LAMTOOL_TEST_SMTP_CA
subject="Radar round $bucket"
mediator=("$LAMTOOL" mediator --state "$WORK/state.json" --frames 6 --mail-to ops@example.com
  --mail-from radar@example.com --subject "$subject")
worker=("$LAMTOOL" worker --store "s3://$bucket/flow/")

for i in 0 1 2 3 4 5; do
  printf '{"type":"please-fetch-image","imageId":"demo-radar","validTime":%d,"url":"%s/frame-%02d.png"}\n' \
    $((1405746600000 + i * 600000)) "$FILES_URL" "$i"
done >please0.jsonl

types() { /usr/bin/python3 -c 'import json,sys; print(" ".join(json.loads(l)["type"] for l in open(sys.argv[1]) if l.strip()))' "$1"; }

# Round 1: fetch -> (pipe) -> thumbnails asked for, then a GIF of the six.
"${worker[@]}" <please0.jsonl 2>w1.err | "${mediator[@]}" >please1.jsonl 2>m1.err ||
  fail "worker | mediator: $(cat w1.err m1.err)"
[ "$(types please1.jsonl)" == "$(printf 'please-create-thumbnail %.0s' 1 2 3 4 5 6)please-create-gif" ] ||
  fail "round 1: $(types please1.jsonl) $(cat w1.err m1.err)"
# Round 2: thumbnails and the GIF made -> a mail asked for.
"${worker[@]}" <please1.jsonl >did2.jsonl 2>w2.err || fail "worker, round 2: $(cat w2.err)"
"${mediator[@]}" <did2.jsonl >please2.jsonl 2>m2.err || fail "mediator, round 2: $(cat m2.err)"
[ "$(types please2.jsonl)" == "please-send-email" ] || fail "round 2: $(types please2.jsonl)"
# Round 3: the mail sent -> nothing more to do.
"${worker[@]}" <please2.jsonl >did3.jsonl 2>w3.err || fail "worker, round 3: $(cat w3.err)"
[ "$(types did3.jsonl)" == "did-send-email" ] || fail "round 3: $(cat did3.jsonl)"
"${mediator[@]}" <did3.jsonl >please3.jsonl 2>m3.err || fail "mediator, round 3: $(cat m3.err)"
[ ! -s please3.jsonl ] || fail "round 3 asked for more: $(cat please3.jsonl)"
for f in w1.err m1.err w2.err m2.err w3.err m3.err; do expect_no_secrets "$(cat $f)"; done
expect_no_secrets "$(cat ./*.jsonl)"

# The GIF, read back from S3 by botocore, decodes (Pillow) to the six source frames.
gif_key=$(/usr/bin/python3 -c 'import json,sys
for l in open(sys.argv[1]):
    m = json.loads(l)
    if m["type"] == "did-create-gif": print(m["location"]["Key"])' did2.jsonl)
[ -n "$gif_key" ] || fail "no did-create-gif: $(cat did2.jsonl)"
check s3-get "$bucket" "$gif_key" "$WORK/round.gif"
c=$($CHECK round.gif --sources "$DEMO"/frame-0[0-5].png)
[ "$(json_get "$c" 'j["frames"], j["loop"]')" == "(6, 0)" ] || fail "GIF: $c"
[ "$(json_get "$c" 'j["psnr_min"] == "inf" or j["psnr_min"] >= 35')" == True ] || fail "GIF: $c"

# The mail, as the SMTP server parsed it.
mail=""
for _ in $(seq 1 50); do
  mail=$(grep -l -F "$subject" "$LAMTOOL_TEST_MAIL_DIR"/*.json 2>/dev/null | head -1 || true)
  [ -n "$mail" ] && break
  sleep 0.1
done
[ -n "$mail" ] || fail "no mail with subject '$subject' in $LAMTOOL_TEST_MAIL_DIR"
/usr/bin/python3 - "$mail" "$WORK/round.gif" <<'PY' || fail "mail: $(cat "$mail")"
import hashlib, json, sys
m = json.load(open(sys.argv[1]))
gif = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
att = m["attachments"]
types = sorted(a["contentType"] for a in att)
assert types == ["image/gif"] + ["image/png"] * 6, types
assert [a["sha256"] for a in att if a["contentType"] == "image/gif"] == [gif], "GIF bytes differ"
for a in att:
    assert a["cid"] and ("cid:" + a["cid"]) in m["html"], ("not shown inline", a["cid"])
    assert a["contentDisposition"] == "inline", a
assert "ops@example.com" in json.dumps(m["to"]), m["to"]
assert m["text"].strip(), "no plain-text part"
assert m["session"]["secure"] is True, "the mail did not go over STARTTLS"
PY
