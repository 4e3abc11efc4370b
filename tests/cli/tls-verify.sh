#!/usr/bin/env bash
# TLS certificates are always verified, also on this machine's own non-loopback address:
# an HTTPS frame server and an SMTP server (STARTTLS) with a certificate from a throwaway
# CA (the openssl tool) are refused with one error line and exit 69, nothing written or
# sent, and accepted once CURL_CA_BUNDLE or SSL_CERT_FILE names the CA. Skipped (200) when
# the machine has no non-loopback IPv4 address or no openssl tool.
source "$(dirname "$0")/common.sh"
ADDR=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+(\.[0-9]+){3}$' | grep -v '^127\.' | head -n1 || true)
[ -n "$ADDR" ] || { echo "SKIPPED: no non-loopback IPv4 address (hostname -I)"; exit 200; }
command -v openssl >/dev/null || { echo "SKIPPED: no openssl tool"; exit 200; }
unset CURL_CA_BUNDLE SSL_CERT_FILE
echo "non-loopback address: $ADDR"

# A CA and a server certificate for ADDR signed by it.
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=lamtool-test-ca \
  -addext basicConstraints=critical,CA:TRUE 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj "/CN=$ADDR" 2>/dev/null
printf 'subjectAltName=IP:%s\n' "$ADDR" >srv.ext
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 \
  -extfile srv.ext 2>/dev/null

# HTTPS: gif fetching its frames.
DEMO="$LAMTOOL_SOURCE_DIR/data/gif/demo"
start_file_server "$DEMO" --bind "$ADDR" --tls-cert srv.pem --tls-key srv.key --log "$WORK/requests.log"
URL="https://$ADDR:${FILES_URL##*:}"
run gif "$URL/frame-00.png" "$URL/frame-01.png" --to web.gif
expect_rc 69
expect_one_error_line
expect_err_contains "cannot trust '$URL/frame-0"
expect_err_contains "CURL_CA_BUNDLE or SSL_CERT_FILE"
[ ! -e web.gif ] || fail "a GIF was written from an unverified server"
[ ! -s requests.log ] || fail "a request got through an unverified connection: $(cat requests.log)"
# Not retried: with -v no attempt is logged as failed and retried.
run -v gif "$URL/frame-00.png" --to web.gif
expect_rc 69
[[ "$ERR" != *retrying* ]] || fail "a certificate failure was retried: $ERR"
# With the CA, the same frames are fetched and the GIF is the one made from the files.
CURL_CA_BUNDLE=$WORK/ca.pem run gif "$URL/frame-00.png" "$URL/frame-01.png" --to web.gif
expect_rc 0
run gif "$DEMO/frame-00.png" "$DEMO/frame-01.png" --to local.gif
cmp web.gif local.gif || fail "the GIF over HTTPS differs from the GIF of the files"
rm web.gif
SSL_CERT_FILE=$WORK/ca.pem run gif "$URL/frame-00.png" "$URL/frame-01.png" --to web.gif
expect_rc 0
# A CA file that is not this server's (the system bundle) is refused again.
[ -f /etc/ssl/certs/ca-certificates.crt ] && {
  CURL_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt run gif "$URL/frame-00.png" --to other.gif
  expect_rc 69
  [ ! -e other.gif ] || fail "a GIF was written from an unverified server"
}

# SMTP with STARTTLS on the same address: the password is never sent to an unverified
# server.
PASSWORD='tls-test-Pa55word-9Xq'
coproc SMTPD { exec /usr/bin/python3 "$LAMTOOL_SOURCE_DIR/tests/servers/starttls-smtp.py" \
  --bind "$ADDR" --tls-cert srv.pem --tls-key srv.key --user sender@example.com \
  --password "$PASSWORD" --log "$WORK/smtp.log"; }
SMTPD_SERVER_PID=$SMTPD_PID
trap 'kill $SMTPD_SERVER_PID $FILE_SERVER_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
read -r SMTP_PORT <&"${SMTPD[0]}" || fail "the SMTP server printed no port"
export LAMTOOL_SMTP_URL="smtp://$ADDR:$SMTP_PORT" LAMTOOL_SMTP_USER=sender@example.com \
  LAMTOOL_SMTP_PASSWORD=$PASSWORD
run gif "$DEMO/frame-00.png" "$DEMO/frame-01.png" --to mail.gif --mail-to to@example.com
expect_rc 69
expect_one_error_line
expect_err_contains "cannot send mail through 'smtp://$ADDR:$SMTP_PORT'"
expect_err_contains "CURL_CA_BUNDLE or SSL_CERT_FILE"
[[ "$ERR" != *"$PASSWORD"* ]] || fail "the password is in the error"
grep -qx handshake-failed smtp.log || fail "expected a refused TLS handshake: $(cat smtp.log 2>/dev/null)"
! grep -q accepted smtp.log || fail "a mail was accepted by an unverified server"
CURL_CA_BUNDLE=$WORK/ca.pem run gif "$DEMO/frame-00.png" "$DEMO/frame-01.png" --to mail.gif \
  --mail-to to@example.com
expect_rc 0
grep -q '^accepted tls=1 user=sender@example.com ' smtp.log || fail "no mail accepted: $(cat smtp.log)"
