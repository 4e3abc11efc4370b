#!/usr/bin/env bash
# Issue 13, faults on SMTP: gif --mail-to through tests/servers/fault-proxy.js in TCP mode
# in front of the plain SMTP sink. A mail of about 11 MB (six frames of noise), more than
# the socket buffers hold: a connection reset in the middle of DATA (the sink gets a cut
# message and the reset, so it keeps nothing), a reset before the greeting and a 421
# greeting are retried: exit 0 and the mail arrives exactly once; three resets mid-DATA
# in a row: exit 75, one line saying the mail was not sent, nothing at the sink, the GIF
# written all the same. A small mail (three demo frames): a reset after the sink took the
# whole message (its 250 never reaches lamtool): exit 75, the line says the server may
# have delivered it and it is not sent again, and the sink holds it exactly once; a reset
# mid-DATA after libcurl had handed over the whole message: the same honest "may have",
# and indeed nothing at the sink.
set -euo pipefail
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/aws_common.sh"

small=("$LAMTOOL_SOURCE_DIR"/data/gif/demo/frame-0{0,1,2}.png)
/usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/tools/noise_images.py" png "$WORK" 6
big=("$WORK"/noise-{0,1,2,3,4,5}.png)
frames=("${big[@]}")
plain=${LAMTOOL_TEST_SMTP_PLAIN_URL#smtp://}
start_fault_proxy smtp --service tcp --backend "tcp://$plain" --reset-bytes 4000
proxy=$FAULT_URL
export LAMTOOL_SMTP_URL=smtp://${proxy#http://}
unset LAMTOOL_SMTP_USER LAMTOOL_SMTP_PASSWORD
tag="faults-$$-$RANDOM"

# mails_with SUBJECT: how many messages the sink stored with this subject (its .json is
# renamed into place last).
mails_with() { grep -l -F "\"$1\"" "$LAMTOOL_TEST_MAIL_DIR"/*.json 2>/dev/null | wc -l; }
# wait_mail SUBJECT: bounded poll until the sink stored it.
wait_mail() {
  for _ in $(seq 1 100); do
    [ "$(mails_with "$1")" -ge 1 ] && return 0
    sleep 0.1
  done
  fail "no mail '$1' at the sink within 10 s"
}
gif_mail() {
  run gif "${frames[@]}" --thumbs "$WORK/thumbs-$1/" --to "$WORK/$1.gif" \
    --mail-to ops@example.com --mail-from radar@example.com --subject "$tag $1" "${@:2}"
}

# 1. Retried (three attempts in all): a reset mid-DATA, a reset before the greeting; then
#    a 421 greeting.
fault_admin "$proxy" next '{"faults":["resetMidData","reset"]}'
gif_mail retried --json
expect_rc 0
[ "$(json_get "$OUT" 'j["mail"]["sent"]')" == True ] || fail "manifest: $OUT"
wait_mail "$tag retried"
fault_admin "$proxy" next '{"faults":["error"]}'
gif_mail retried2
expect_rc 0
wait_mail "$tag retried2"
stats=$(curl -sS "$proxy/__fault/stats")
[ "$(json_get "$stats" '(j["resetMidData"], j["reset"], j["error503"], j["connections"])')" == "(1, 1, 1, 5)" ] \
  || fail "faults not injected as queued: $stats"
# Stored once each; the cut copy never.
[ "$(mails_with "$tag retried")" -eq 1 ] || fail "the mail is at the sink $(mails_with "$tag retried") times"
[ "$(mails_with "$tag retried2")" -eq 1 ] || fail "the mail is at the sink $(mails_with "$tag retried2") times"

# 2. Reset mid-DATA on every attempt: 75, the mail not sent, the GIF written.
fault_admin "$proxy" next '{"faults":["resetMidData","resetMidData","resetMidData"]}'
gif_mail cut
expect_rc 75
expect_one_error_line
expect_err_contains "cannot send mail through 'smtp://127.0.0.1:"
expect_err_contains "(after 3 attempts)"
[[ "$ERR" != *"may have delivered"* ]] || fail "a cut message is not a maybe: $ERR"
[ "$(json_get "$(curl -sS "$proxy/__fault/stats")" 'j["resetMidData"]')" == 4 ] || fail "resets"
[ -s "$WORK/cut.gif" ] || fail "the GIF is not written when only the mail failed"
[ "$(mails_with "$tag cut")" -eq 0 ] || fail "a cut message was stored"

# 3. The whole message reached the sink, its answer did not: 75, not sent again.
frames=("${small[@]}")
fault_admin "$proxy" next '{"faults":["resetAfter"]}'
gif_mail maybe
expect_rc 75
expect_one_error_line
expect_err_contains "the whole message had been sent, so the server may have delivered it (not retried)"
wait_mail "$tag maybe"
[ "$(mails_with "$tag maybe")" -eq 1 ] || fail "the mail is at the sink $(mails_with "$tag maybe") times"
[ "$(json_get "$(curl -sS "$proxy/__fault/stats")" '(j["resetAfter"], j["connections"])')" == "(1, 9)" ] \
  || fail "a maybe-delivered mail was sent again: $(curl -sS "$proxy/__fault/stats")"
# 4. A small message is in the socket buffers whole before the cut: lamtool cannot know
#    whether the server got its end, says so, and does not send it twice.
fault_admin "$proxy" next '{"faults":["resetMidData"]}'
gif_mail small-cut
expect_rc 75
expect_one_error_line
expect_err_contains "so the server may have delivered it (not retried)"
[ "$(mails_with "$tag small-cut")" -eq 0 ] || fail "a cut message was stored"
echo "smtp faults: 1 reset mid-DATA + 1 reset, 1 421 survived; 3 resets mid-DATA -> 75 not sent; 1 reset after the message -> 75 maybe sent, stored once; small mail cut -> 75 maybe, not stored"
