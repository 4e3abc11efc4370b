#!/usr/bin/env bash
# lamtool package: the Lambda zip's size (zipped, unpacked, the largest members) and the
# start-up it costs: `bootstrap --version` under chroot in the unpacked zip (launcher,
# shipped loader and libc) against `lamtool --version` run directly, medians of
# alternating runs. Needs root (chroot). Not a test: run by hand.
#   tests/bench/package_bench.sh [build/lamtool] [runs]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lamtool=$(realpath "${1:-$here/../../build/lamtool}")
runs=${2:-10}
[ "$(id -u)" -eq 0 ] || { echo "package_bench: needs root (chroot)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
"$lamtool" package --to "$out/lamtool.zip" --json >"$out/manifest.json"
end=$(date +%s.%N)
/usr/bin/python3 - "$out" "$lamtool" "$runs" "$start" "$end" <<'PY'
import json, os, shutil, stat, statistics, subprocess, sys, time, zipfile
out, lamtool, runs, start, end = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
m = json.load(open(f"{out}/manifest.json"))
mb = lambda n: f"{n / 1e6:6.2f} MB"
print(f"zip          {mb(m['zip_bytes'])}  ({len(m['files'])} files, built in {end - start:.2f} s)")
print(f"uncompressed {mb(m['uncompressed_bytes'])}")
print("largest members (unpacked, in the zip):")
for f in sorted(m["files"], key=lambda f: -f["compressed_bytes"])[:12]:
    print(f"  {f['path']:42s} {mb(f['bytes'])} {mb(f['compressed_bytes'])}")
groups = {"lamtool": 0, "bootstrap": 0, "loader+libc+libm": 0, "share/lamtool": 0, "libcurl tree": 0}
for f in m["files"]:
    p = f["path"]
    if p in ("lamtool", "bootstrap"):
        g = p
    elif p.startswith("share/"):
        g = "share/lamtool"
    elif p in ("lib/ld-linux-x86-64.so.2", "lib/libc.so.6", "lib/libm.so.6"):
        g = "loader+libc+libm"
    else:
        g = "libcurl tree"
    groups[g] += f["compressed_bytes"]
print("in the zip by part:", ", ".join(f"{g} {v / 1e6:.2f} MB" for g, v in groups.items()))
chroot = shutil.which("chroot") or "/usr/sbin/chroot"
root = f"{out}/root"
with zipfile.ZipFile(f"{out}/lamtool.zip") as z:
    for i in z.infolist():
        os.chmod(z.extract(i, f"{root}/var/task"), stat.S_IMODE(i.external_attr >> 16))
os.mkdir(f"{root}/tmp")
cmds = {"/bin/true": ["/bin/true"],
        "chroot / /bin/true": [chroot, "/", "/bin/true"],
        "lamtool --version": [lamtool, "--version"],
        "chroot ROOT bootstrap --version": [chroot, root, "/var/task/bootstrap", "--version"]}
times = {k: [] for k in cmds}
for _ in range(2):
    for c in cmds.values():
        subprocess.run(c, stdout=subprocess.DEVNULL, env={}, check=True)
for _ in range(runs):
    for k, c in cmds.items():
        t = time.perf_counter()
        subprocess.run(c, stdout=subprocess.DEVNULL, env={}, check=True)
        times[k].append(time.perf_counter() - t)
for k, v in times.items():
    print(f"{k:30s} median {statistics.median(v) * 1000:6.2f} ms  ({runs} runs)")
PY
