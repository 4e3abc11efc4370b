#!/usr/bin/env bash
# Checks fun-invoke.js (@vercel/fun running a custom-runtime `bootstrap`) with
# bootstrap-echo.sh: good, non-JSON, good events on one warm function; what fun puts in
# the bootstrap's environment; an init error; a timeout followed by a cold start; and,
# where a network namespace can be made (root, unshare and ip), the same with no network
# but loopback (fun downloads nothing for `provided`). Prints the median invoke time over
# 20 events. Needs LAMTOOL_SOURCE_DIR and the npm packages (servers.start runs npm ci).
set -euo pipefail

here="$LAMTOOL_SOURCE_DIR/tests/servers"
node=${LAMTOOL_TEST_NODE:-node}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
py() { /usr/bin/python3 -c "$@"; }

[[ -f "$here/node_modules/@vercel/fun/package.json" ]] \
  || fail "@vercel/fun is not installed in $here/node_modules (npm ci there, or run through ctest)"
echo "fun $(py 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
  "$here/node_modules/@vercel/fun/package.json"), node $("$node" --version)"

mkdir "$work/fn" "$work/envs"
cp "$here/bootstrap-echo.sh" "$work/fn/bootstrap"
chmod 755 "$work/fn/bootstrap"
printf '%s' '{"n": 1, "text": "caf\u00e9"}' > "$work/good1.json"
printf '%s' 'definitely { not JSON' > "$work/bad.json"
printf '%s\n' '[2, "two"]' > "$work/good2.json"

# invoke ARGS...: fun-invoke.js; its stdout lines in $work/out, stderr in $work/err.
invoke() {
  local rc=0
  TMPDIR=$work "$node" "$here/fun-invoke.js" "$@" >"$work/out" 2>"$work/err" || rc=$?
  [[ $rc == 0 ]] || fail "fun-invoke.js exited $rc: $(cat "$work/err")"
}
# check PYTHON: asserts on the result lines (`r`, a list of dicts) in $work/out.
check() {
  py "import json,sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert $1, 'results: ' + json.dumps(r)[:2000]" "$work/out" || fail "check: $1"
}

# 1. good, bad, good on one warm function.
invoke --dir "$work/fn" --handler echo --env BOOTSTRAP_ECHO_ENV_DIR="$work/envs" \
  --env LAMTOOL_TEST_MARK=x=1 "$work/good1.json" "$work/bad.json" "$work/good2.json"
check "len(r) == 3"
check "[x['event'].rsplit('/', 1)[1] for x in r] == ['good1.json', 'bad.json', 'good2.json']"
check "[x['status'] for x in r] == [200, 200, 200]"
check "[x['function_error'] for x in r] == [None, 'Handled', None]"
check "r[0]['payload'] == '{\"echo\": {\"n\": 1, \"text\": \"caf\\\\u00e9\"}}'"
check "r[2]['payload'] == '{\"echo\": [2, \"two\"]\n}'"
check "json.loads(r[1]['payload'])['errorType'] == 'Runtime.InvalidEvent' and json.loads(r[1]['payload'])['errorMessage']"
[[ $(find "$work/envs" -name '*.env' | wc -l) == 1 ]] || fail "expected one bootstrap start (warm), got $(ls "$work/envs")"
env_file=$(find "$work/envs" -name '*.env')
has() { grep -qx -- "$1" "$env_file" || fail "bootstrap environment lacks '$1': $(cat "$env_file")"; }
has '_HANDLER=echo'
has "LAMBDA_TASK_ROOT=$work/fn"
has 'LAMTOOL_TEST_MARK=x=1'
has 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128'
has 'AWS_EXECUTION_ENV=AWS_Lambda_provided'
grep -qE '^AWS_LAMBDA_RUNTIME_API=127\.0\.0\.1:[0-9]+$' "$env_file" || fail "AWS_LAMBDA_RUNTIME_API: $(cat "$env_file")"
! grep -q '^LAMTOOL_SOURCE_DIR=' "$env_file" || fail "the caller's environment leaked into the bootstrap"

# 2. An init error (unknown handler): every invocation is Unhandled with it, exit 0.
invoke --dir "$work/fn" --handler nope "$work/good1.json" "$work/good2.json"
check "[x['function_error'] for x in r] == ['Unhandled', 'Unhandled']"
check "all(json.loads(x['payload'])['errorType'] == 'Runtime.HandlerNotFound' for x in r)"

# 3. A timeout kills the bootstrap (Sandbox.Timedout); the next event starts a fresh one.
rm -f "$work/envs"/*
printf '%s' '{"bootstrap_echo_sleep": 30}' > "$work/slow.json"
invoke --dir "$work/fn" --handler echo --timeout 1 --env BOOTSTRAP_ECHO_ENV_DIR="$work/envs" \
  "$work/slow.json" "$work/good1.json"
check "r[0]['function_error'] == 'Unhandled' and json.loads(r[0]['payload'])['errorType'] == 'Sandbox.Timedout'"
check "r[0]['duration_ms'] < 10000 and r[1]['function_error'] is None"
[[ $(find "$work/envs" -name '*.env' | wc -l) == 2 ]] || fail "expected a cold start after the timeout"

# 4. No network but loopback: fun fetches nothing for `provided`.
if [[ $(id -u) == 0 ]] && command -v unshare >/dev/null && command -v ip >/dev/null \
    && unshare -n true 2>/dev/null; then
  unshare -n bash -c 'ip link set lo up && TMPDIR="$1" "$2" "$3/fun-invoke.js" --dir "$4/fn" \
    --handler echo "$4/good1.json" "$4/bad.json" "$4/good2.json"' _ "$work" "$node" "$here" "$work" \
    >"$work/out" 2>"$work/err" || fail "offline run failed: $(cat "$work/err")"
  check "[x['function_error'] for x in r] == [None, 'Handled', None]"
  echo "offline (network namespace with loopback only): ok"
else
  echo "offline check not run (needs root, unshare and ip)"
fi

# 5. The time of one warm invocation, median over 20 events.
for i in $(seq 1 20); do printf '{"i": %d}' "$i" > "$work/m$i.json"; done
invoke --dir "$work/fn" --handler echo $(for i in $(seq 1 20); do echo "$work/m$i.json"; done)
check "len(r) == 20 and all(x['function_error'] is None for x in r)"
py 'import json,statistics,sys
d = sorted(json.loads(l)["duration_ms"] for l in open(sys.argv[1]))
print("fun invoke with bootstrap-echo.sh, 20 events: median %.1f ms (first %.1f ms, max %.1f ms)"
      % (statistics.median(d), json.loads(open(sys.argv[1]).readline())["duration_ms"], d[-1]))' "$work/out"
echo "ok"
