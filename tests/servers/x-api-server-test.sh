#!/usr/bin/env bash
# Checks the X API stand-in (x-api.py) itself: x-api-check.py tests its OAuth 1.0a base
# string and signature on published examples, then drives a running server with requests
# signed by oauthlib (Debian's python3-oauthlib). Finally no credential may appear in the
# server's log, stdout or stderr. Needs LAMTOOL_SOURCE_DIR.
set -euo pipefail

dir="$LAMTOOL_SOURCE_DIR/tests/servers"
work=$(mktemp -d)
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Made-up credentials; the secrets hold characters that must be percent-encoded.
export X_CONSUMER_KEY="ck-lamtool-check-7Qe2"
export X_CONSUMER_SECRET="cs-S3cr3t+/=&~!lamtool"
export X_ACCESS_TOKEN="1880000000000000000-tokLamtoolCheck"
export X_ACCESS_TOKEN_SECRET="ts-S3cr3t*'()%;lamtool"

/usr/bin/python3 "$dir/x-api.py" --consumer-key "$X_CONSUMER_KEY" \
  --consumer-secret "$X_CONSUMER_SECRET" --access-token "$X_ACCESS_TOKEN" \
  --access-token-secret "$X_ACCESS_TOKEN_SECRET" --log "$work/log" \
  >"$work/stdout" 2>"$work/stderr" &
pid=$!
for _ in $(seq 100); do
  [[ -s "$work/stdout" ]] && break
  kill -0 "$pid" 2>/dev/null || fail "server exited: $(cat "$work/stderr")"
  sleep 0.1
done
port=$(head -n 1 "$work/stdout")
[[ "$port" =~ ^[0-9]+$ ]] || fail "not a port: $port"

/usr/bin/python3 "$dir/x-api-check.py" "$dir/x-api.py" "$port" "$work/log" \
  || fail "x-api-check.py: $(cat "$work/stderr")"

for secret in "$X_CONSUMER_KEY" "$X_CONSUMER_SECRET" "$X_ACCESS_TOKEN" "$X_ACCESS_TOKEN_SECRET"; do
  if grep -qF -- "$secret" "$work/log" "$work/stdout" "$work/stderr"; then
    fail "a credential appears in the server's log or output"
  fi
done
[[ $(wc -l < "$work/stdout") -eq 1 ]] || fail "stdout is more than the port"
[[ ! -s "$work/stderr" ]] || fail "server wrote to stderr: $(cat "$work/stderr")"
echo "ok"
