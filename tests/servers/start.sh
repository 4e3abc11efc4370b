#!/usr/bin/env bash
# Starts the integration-test servers (tests/servers/launch.js) in the background and
# returns once every one answers. Usage: start.sh DIR
# Writes DIR/endpoints.env (sourceable KEY='value' lines), DIR/endpoints.json,
# DIR/servers.pid and DIR/servers.log. Stop them with stop.sh DIR.
# Installs the npm packages from the committed lock file first when needed.
set -euo pipefail

dir=${1:?usage: start.sh DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

fail() { echo "servers.start: $*" >&2; exit 1; }
command -v node >/dev/null || fail "node is not installed (Debian package nodejs)"

# 1. node_modules from package-lock.json (npm ci), once per lock file change; a lock
#    file guards against two builds installing at the same time.
stamp="$here/node_modules/.lamtool-lock-sha256"
want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  (
    flock -w 600 9 || fail "timed out waiting for another npm install"
    if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
      (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2 || fail "npm ci failed in $here"
      echo "$want" > "$stamp"
    fi
  ) 9>"$here/.npm-install.lock"
fi

# 2. A previous run's servers go first.
"$here/stop.sh" "$dir" >/dev/null 2>&1 || true
rm -f "$dir/endpoints.env" "$dir/endpoints.json"

# 3. Start in the background, detached from ctest's pipes (ctest waits for them).
node "$here/launch.js" "$dir" </dev/null >"$dir/servers.log" 2>&1 &
pid=$!
echo "$pid" > "$dir/servers.pid"

# 4. Bounded wait for the endpoints file, which launch.js writes once all listen.
for _ in $(seq 1 300); do
  [[ -f "$dir/endpoints.env" ]] && break
  kill -0 "$pid" 2>/dev/null || fail "launch.js exited: $(tail -5 "$dir/servers.log")"
  sleep 0.1
done
[[ -f "$dir/endpoints.env" ]] || fail "servers did not come up within 30 s: $(tail -5 "$dir/servers.log")"

# 5. Each endpoint answers HTTP (any status: the proxies refuse unsigned requests).
# shellcheck source=/dev/null
source "$dir/endpoints.env"
for url in "$LAMTOOL_TEST_S3_ENDPOINT" "$LAMTOOL_TEST_KINESIS_ENDPOINT" \
           "$LAMTOOL_TEST_S3_BACKEND" "$LAMTOOL_TEST_KINESIS_BACKEND"; do
  ok=
  for _ in $(seq 1 100); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/" || true)
    if [[ "$code" != "000" ]]; then ok=1; break; fi
    sleep 0.1
  done
  [[ -n "$ok" ]] || fail "$url does not answer"
done
# 6. Each SMTP sink greets with 220.
for url in "$LAMTOOL_TEST_SMTP_URL" "$LAMTOOL_TEST_SMTP_PLAIN_URL"; do
  hostport=${url#smtp://}
  ok=
  for _ in $(seq 1 100); do
    greeting=$(timeout 2 bash -c 'exec 3<>"/dev/tcp/${1%:*}/${1##*:}" && head -c 3 <&3' _ "$hostport" 2>/dev/null || true)
    if [[ "$greeting" == "220" ]]; then ok=1; break; fi
    sleep 0.1
  done
  [[ -n "$ok" ]] || fail "$url does not greet with 220"
done
echo "servers.start: up (pid $pid), endpoints in $dir/endpoints.env"
cat "$dir/endpoints.env"
