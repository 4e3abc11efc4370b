#!/usr/bin/env bash
# Lambda: lamtool as a custom runtime against the project's Runtime API stand-in
# (tests/servers/lambda-runtime.py), each figure a median. Not a test: run by hand, on a
# shared machine under its lock:
#
#   tests/bench/lambda_bench.sh [LAMTOOL]        (default build/lamtool)
#
#   zip          size of `lamtool package` (the deployable zip), and unzipped
#   init         exec of bootstrap to its first /next request (the cold start's own part)
#   invocation   per-invocation overhead of the loop: 1000 alarm events in a row, the
#                time from the API handing out an event to its answer
#   shot map     one cold invocation (exec to answer) and a warm one, and the process's
#                peak memory, for lamtool's bootstrap and for a Python custom runtime of
#                our own doing the same map with the original's stack
#                (lambda_python_runtime.py); GB-seconds at the memory each needs, beside
#                the original's published 6.2 s at 1024 MB (6.3 GB-s)
# Knobs: RUNS=10 CPU=1 (runtimes pinned to CPU, the API to the other core).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
lamtool=${1:-$repo/build/lamtool}
RUNS=${RUNS:-10} CPU=${CPU:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$lamtool" package --to "$work/lamtool.zip" >/dev/null
/usr/bin/python3 - "$work" "$repo" "$RUNS" "$CPU" <<'PY'
import json, os, signal, statistics, subprocess, sys, time, urllib.request, zipfile

work, repo, runs, cpu = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
zpath = os.path.join(work, "lamtool.zip")
task = os.path.join(work, "task")
with zipfile.ZipFile(zpath) as z:
    for info in z.infolist():
        p = z.extract(info, task)
        os.chmod(p, (info.external_attr >> 16) & 0o777)
unzipped = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(task) for f in fs)
print(f"zip: {os.path.getsize(zpath) / 1e6:.2f} MB, unzipped {unzipped / 1e6:.2f} MB")

game = os.path.join(repo, "data", "nhl", "apiweb_1917020900_GUL-at-PIN.json")
shared = os.path.join(repo, "..", "shared", "data", "shotmap", "apiweb_2024020003_STL-at-SEA.json")
if os.path.exists(shared):
    game = shared
out = os.path.join(work, "out")
os.makedirs(out, exist_ok=True)
env_base = dict(os.environ, LAMBDA_TASK_ROOT=task, TMPDIR=work)

def server(*args):
    p = subprocess.Popen(["taskset", "-c", str(1 - int(cpu)), "/usr/bin/python3",
                          os.path.join(repo, "tests", "servers", "lambda-runtime.py"), "--timeout-ms", "600000", *args],
                         stdout=subprocess.PIPE, text=True)
    return p, "127.0.0.1:" + p.stdout.readline().strip()

def get(api, path):
    with urllib.request.urlopen(f"http://{api}{path}", timeout=600) as r:
        return json.loads(r.read())

def enqueue(api, event):
    urllib.request.urlopen(urllib.request.Request(f"http://{api}/__test/enqueue", data=json.dumps(event).encode())).read()

def peak_kb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0

def cold(argv, env, events):
    """exec -> first /next, and each event's latency, and peak memory."""
    srv, api = server()
    try:
        for e in events:
            enqueue(api, e)
        t0 = time.time() * 1000
        rt = subprocess.Popen(["taskset", "-c", cpu, *argv], env=dict(env, AWS_LAMBDA_RUNTIME_API=api),
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        res = get(api, f"/__test/wait?count={len(events)}&next={len(events) + 1}&timeout=600")
        t_end = time.time() * 1000
        mem = peak_kb(rt.pid)
        rt.kill(); rt.wait()
        inv = res["invocations"]
        assert all(i["outcome"] == "response" for i in inv), inv
        return res["first_next_ms"] - t0, [i["latency_ms"] for i in inv], mem
    finally:
        srv.kill(); srv.wait()

lam_argv = [os.path.join(task, "bootstrap")]
py_argv = ["/usr/bin/python3", os.path.join(repo, "tests", "bench", "lambda_python_runtime.py")]
ev = {"game_file": game, "to": out + "/"}
py_ev = {"game_file": game, "to": out}

# init: exec to the first /next, with no event queued (the runtime waits there).
def init_only(argv, env):
    srv, api = server()
    try:
        t0 = time.time() * 1000
        rt = subprocess.Popen(["taskset", "-c", cpu, *argv], env=dict(env, AWS_LAMBDA_RUNTIME_API=api),
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        res = get(api, "/__test/wait?count=0&next=1&timeout=600")
        rt.kill(); rt.wait()
        return res["first_next_ms"] - t0
    finally:
        srv.kill(); srv.wait()

lam_init = statistics.median(init_only(lam_argv, dict(env_base, _HANDLER="shotmap")) for _ in range(runs))
py_init = statistics.median(init_only(py_argv, env_base) for _ in range(max(3, runs // 3)))
print(f"init (exec to first /next): lamtool bootstrap {lam_init:.1f} ms, Python runtime {py_init:.0f} ms "
      f"({py_init / lam_init:.0f}x)")

# 1000 invocations in a row: the loop's own cost per event (alarm writes one small file).
_, lat, mem = cold(lam_argv, dict(env_base, _HANDLER="alarm", LAMTOOL_TO=out + "/"),
                   [{"message": f"WAKE UP {i}"} for i in range(1000)])
print(f"1000 alarm invocations: median {statistics.median(lat):.2f} ms each (p90 "
      f"{sorted(lat)[900]:.2f}), peak {mem / 1024:.1f} MB")

def shotmap(argv, env, event, n):
    colds, warms, mems = [], [], []
    for _ in range(n):
        init, lat, mem = cold(argv, env, [event, event])
        colds.append(init + lat[0])
        warms.append(lat[1])
        mems.append(mem)
    return statistics.median(colds), statistics.median(warms), statistics.median(mems) / 1024

lc, lw, lm = shotmap(lam_argv, dict(env_base, _HANDLER="shotmap"), ev, runs)
pc, pw, pm = shotmap(py_argv, env_base, py_ev, max(3, runs // 3))
def gbs(ms, mb):
    size = max(128, -(-int(mb * 1.25) // 64) * 64)  # 25% headroom, 64 MB steps, at least 128
    return size, ms / 1000 * size / 1024
ls, lg = gbs(lc, lm)
ps, pg = gbs(pc, pm)
print("| shot map | cold (exec to answer) ms | warm ms | peak MB | memory size | GB-s cold |")
print("|---|---|---|---|---|---|")
print(f"| lamtool bootstrap | {lc:.1f} | {lw:.1f} | {lm:.1f} | {ls} MB | {lg:.5f} |")
print(f"| Python runtime (scipy + matplotlib) | {pc:.0f} | {pw:.0f} | {pm:.1f} | {ps} MB | {pg:.4f} |")
print(f"| original (published) | 6200 | - | - | 1024 MB | 6.3 |")
print(f"cold ratio Python/lamtool {pc / lc:.0f}x; GB-s vs the original {6.3 / lg:.0f}x less")
PY
