#!/usr/bin/env bash
# Stops the servers start.sh started in DIR. Usage: stop.sh DIR
set -euo pipefail
dir=${1:?usage: stop.sh DIR}
pidfile="$dir/servers.pid"
[[ -f "$pidfile" ]] || { echo "servers.stop: nothing running in $dir"; exit 0; }
pid=$(cat "$pidfile")
# Only our launcher: the pid must still be a node running launch.js.
if kill -0 "$pid" 2>/dev/null && grep -qa "launch.js" "/proc/$pid/cmdline" 2>/dev/null; then
  kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
fi
rm -f "$pidfile" "$dir/endpoints.env" "$dir/endpoints.json"
echo "servers.stop: stopped"
