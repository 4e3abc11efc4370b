#!/bin/bash
# A tiny custom-runtime `bootstrap` (the loop of AWS's custom-runtime tutorial) in bash and
# the curl tool, to prove the Runtime API servers of the tests (lambda-runtime.py and
# @vercel/fun) without lamtool. Answers each event with {"echo": <event>}; an event that
# is not JSON gets an invocation error of type Runtime.InvalidEvent, and the loop goes on.
# Its handler must be `echo` (_HANDLER): any other name is an init error
# (Runtime.HandlerNotFound) and exit 1, as a runtime that cannot start does.
# For tests: with BOOTSTRAP_ECHO_ENV_DIR set, each start writes its environment to
# DIR/PID.env (how many starts: warm or cold; what the Runtime API server gave it); an
# event that is a JSON object with "bootstrap_echo_sleep": SECONDS is answered that late.
set -euo pipefail

api="http://${AWS_LAMBDA_RUNTIME_API:?AWS_LAMBDA_RUNTIME_API is not set}/2018-06-01/runtime"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bootstrap-echo-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [[ -n "${BOOTSTRAP_ECHO_ENV_DIR:-}" ]]; then
  env > "$BOOTSTRAP_ECHO_ENV_DIR/$$.env"
fi

if [[ "${_HANDLER:-}" != echo ]]; then
  /usr/bin/python3 -c 'import json,sys; print(json.dumps({"errorMessage": "unknown handler: " + sys.argv[1], "errorType": "Runtime.HandlerNotFound", "stackTrace": []}))' \
    "${_HANDLER:-}" > "$tmp/init-error"
  curl -sS -o /dev/null -X POST -H 'Lambda-Runtime-Function-Error-Type: Runtime.HandlerNotFound' \
    --data-binary @"$tmp/init-error" "$api/init/error"
  exit 1
fi

while true; do
  curl -sS -D "$tmp/headers" -o "$tmp/event" "$api/invocation/next"
  request_id=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$tmp/headers" | cut -d: -f2 | tr -d '[:space:]')
  if sleep_s=$(/usr/bin/python3 -c 'import json,sys
e = json.load(sys.stdin)
print(e.get("bootstrap_echo_sleep", 0) if isinstance(e, dict) else 0)' < "$tmp/event" 2>/dev/null); then
    sleep "$sleep_s"
    { printf '{"echo": '; cat "$tmp/event"; printf '}'; } > "$tmp/response"
    curl -sS -o /dev/null -X POST --data-binary @"$tmp/response" \
      "$api/invocation/$request_id/response"
  else
    printf '%s' '{"errorMessage":"the event is not JSON","errorType":"Runtime.InvalidEvent","stackTrace":[]}' \
      > "$tmp/error"
    curl -sS -o /dev/null -X POST -H 'Lambda-Runtime-Function-Error-Type: Runtime.InvalidEvent' \
      --data-binary @"$tmp/error" "$api/invocation/$request_id/error"
  fi
done
