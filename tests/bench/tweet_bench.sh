#!/usr/bin/env bash
# tweet: lamtool against the Python a bot would use today (requests + requests-oauthlib,
# Debian's python3-requests-oauthlib; tweepy's update_with_media is gone with X's v1.1
# upload), side by side, each posting to the project's X API stand-in
# (tests/servers/x-api.py, which checks every signature) on this machine:
#   map  a 1200x600 shot map PNG: one-shot upload, alt text, post
#   gif  the 12-frame demo weather loop: chunked upload, STATUS poll, alt text, post
# One process per post, so start-up counts, as it does for a cron job or a Lambda cold
# start. Not a test: run by hand, on a shared machine under its lock:
#
#   tests/bench/tweet_bench.sh [LAMTOOL]        (default build/lamtool)
#
# Knobs: RUNS=10 CPU=1 (the tools are pinned to CPU, the server to the other core).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
lamtool=${1:-$repo/build/lamtool}
RUNS=${RUNS:-10} CPU=${CPU:-1}
py=/usr/bin/python3
work=$(mktemp -d)
coproc XAPI { exec taskset -c $((1 - CPU)) "$py" "$repo/tests/servers/x-api.py" --consumer-key benchKey \
  --consumer-secret benchConsumerSecret --access-token 1-benchToken \
  --access-token-secret benchTokenSecret --check-after 0; }
server=$XAPI_PID
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
read -r port <&"${XAPI[0]}"
export LAMTOOL_X_API_URL=http://127.0.0.1:$port X_API_KEY=benchKey X_API_SECRET=benchConsumerSecret \
  X_ACCESS_TOKEN=1-benchToken X_ACCESS_TOKEN_SECRET=benchTokenSecret
timed() { taskset -c "$CPU" "$py" "$here/timed_run.py" /dev/null /dev/null "$work/err" "$@"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

"$lamtool" shotmap --game-file "$repo/data/nhl/apiweb_1917020900_GUL-at-PIN.json" --to "$work/map.png"
"$lamtool" gif "$repo"/data/gif/demo/frame-*.png --to "$work/loop.gif"

cat >"$work/post.py" <<'PY'
"""post.py TEXT FILE ALT: what a Python bot does with requests + requests-oauthlib."""
import os, sys, time
import requests
from requests_oauthlib import OAuth1

text, path, alt = sys.argv[1:4]
base = os.environ["LAMTOOL_X_API_URL"]
auth = OAuth1(os.environ["X_API_KEY"], os.environ["X_API_SECRET"],
              os.environ["X_ACCESS_TOKEN"], os.environ["X_ACCESS_TOKEN_SECRET"])
data = open(path, "rb").read()
s = requests.Session()
if path.endswith(".gif"):
    r = s.post(f"{base}/2/media/upload/initialize", auth=auth,
               json={"media_type": "image/gif", "total_bytes": len(data), "media_category": "tweet_gif"})
    r.raise_for_status()
    mid = r.json()["data"]["id"]
    chunk = 4 * 1024 * 1024
    for i in range(0, len(data), chunk):
        s.post(f"{base}/2/media/upload/{mid}/append", auth=auth,
               data={"segment_index": str(i // chunk)},
               files={"media": ("blob", data[i:i + chunk], "application/octet-stream")}).raise_for_status()
    info = s.post(f"{base}/2/media/upload/{mid}/finalize", auth=auth).json()["data"].get("processing_info")
    while info and info["state"] not in ("succeeded", "failed"):
        time.sleep(info.get("check_after_secs", 1))
        info = s.get(f"{base}/2/media/upload", auth=auth,
                     params={"command": "STATUS", "media_id": mid}).json()["data"]["processing_info"]
else:
    r = s.post(f"{base}/2/media/upload", auth=auth,
               data={"media_category": "tweet_image", "media_type": "image/png"},
               files={"media": ("blob", data, "image/png")})
    r.raise_for_status()
    mid = r.json()["data"]["id"]
s.post(f"{base}/2/media/metadata", auth=auth,
       json={"id": mid, "metadata": {"alt_text": {"text": alt}}}).raise_for_status()
r = s.post(f"{base}/2/tweets", auth=auth, json={"text": text, "media": {"media_ids": [mid]}})
r.raise_for_status()
print("https://x.com/i/status/" + r.json()["data"]["id"])
PY

echo "lamtool tweet vs requests + requests-oauthlib, RUNS=$RUNS, pinned to CPU $CPU; medians"
echo
echo "| post | tool | wall ms | peak MB | ratio |"
echo "|---|---|---|---|---|"
n=0
for what in map gif; do
  file=$work/map.png alt="A shot map"
  [ "$what" = gif ] && file=$work/loop.gif alt="A weather loop"
  for tool in lamtool python; do
    : >"$work/runs"
    for _ in $(seq "$RUNS"); do
      n=$((n + 1))
      if [ "$tool" = lamtool ]; then
        cmd=("$lamtool" tweet --text "bench $n" --media "$file" --alt "$alt")
      else
        cmd=("$py" "$work/post.py" "bench $n" "$file" "$alt")
      fi
      read -r wall peak rc < <(timed "${cmd[@]}")
      [ "$rc" = 0 ] || { echo "$tool failed: $(tail -n 3 "$work/err")" >&2; exit 1; }
      echo "$wall $peak" >>"$work/runs"
    done
    ms=$(awk '{ print $1 * 1000 }' "$work/runs" | median)
    mb=$(awk '{ print $2 / 1024 }' "$work/runs" | median)
    if [ "$tool" = lamtool ]; then base_ms=$ms; ratio=1; else ratio=$(awk -v a="$ms" -v b="$base_ms" 'BEGIN { printf "%.1fx", a / b }'); fi
    printf '| %s | %s | %.1f | %.1f | %s |\n' "$what" "$tool" "$ms" "$mb" "$ratio"
  done
done
