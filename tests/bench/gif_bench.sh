#!/bin/bash
# The gif budget (DESIGN.md section 10) on the radar frames of ../shared/data/gif (kept out
# of the repository): encode_gif (through gif_encode_tool, frames decoded by Pillow to raw
# RGBA first) against ImageMagick 6 (convert -delay 25 -loop 0), gifsicle -O3 of
# ImageMagick's output and Pillow (save_all, optimize). Size in bytes, median wall time
# of RUNS runs in ms, PSNR of every frame decoded by Pillow against the source frame on
# white (min over frames). Run by hand, from a build with -DLAMTOOL_BENCH=ON:
#   tests/bench/gif_bench.sh [BUILD_DIR] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
runs=${2:-5}
data=${LAMTOOL_SHARED_DATA_DIR:-$here/../../../shared/data}/gif
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3

median_ms() {  # median_ms CMD...: median wall time of $runs runs
  for _ in $(seq "$runs"); do
    $py "$here/timed_run.py" /dev/null /dev/null "$tmp/err" "$@" | cut -d' ' -f1
  done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", 1000*a[int((NR+1)/2)]}'
}

cat > "$tmp/pillow.py" <<'PY'
import sys
from PIL import Image
out, *files = sys.argv[1:]
ims = []
for f in files:
    s = Image.open(f).convert("RGBA")
    w = Image.new("RGBA", s.size, (255, 255, 255, 255))
    w.alpha_composite(s)
    ims.append(w.convert("RGB"))
ims[0].save(out, save_all=True, append_images=ims[1:], duration=250, loop=0, optimize=True)
PY
cat > "$tmp/psnr.py" <<'PY'
import math, sys
from PIL import Image, ImageSequence
gif, *srcs = sys.argv[1:]
worst = float("inf")
n = 0
for n, fr in enumerate(ImageSequence.Iterator(Image.open(gif)), 1):
    # Decoded frames on white too: transparent pixels show the page behind.
    d = fr.convert("RGBA")
    on_white = Image.new("RGBA", d.size, (255, 255, 255, 255))
    on_white.alpha_composite(d)
    a = on_white.convert("RGB").tobytes()
    s = Image.open(srcs[n - 1]).convert("RGBA")
    w = Image.new("RGBA", s.size, (255, 255, 255, 255))
    w.alpha_composite(s)
    b = w.convert("RGB").tobytes()
    se = sum((x - y) ** 2 for x, y in zip(a, b))
    worst = min(worst, float("inf") if se == 0 else 10 * math.log10(255 * 255 * len(a) / se))
assert n == len(srcs), f"{gif}: {n} frames, {len(srcs)} sources"
print("inf" if worst == float("inf") else f"{worst:.2f}")
PY

printf '%-22s %-14s %10s %9s %8s\n' set encoder bytes ms PSNR
for set in bom_idr703_20140719 mch_20160711; do
  frames=("$data/$set"/*)
  size=$($py "$here/gif_frames_rgba.py" "$tmp/$set" "${frames[@]}")
  read -r w h <<<"$size"
  raw=("$tmp/$set"/*.rgba)
  # Time of the encoder alone (frames in memory), median of its own runs.
  read -r bytes ms _ < <("$build/tests/bench/gif_encode_tool" "$w" "$h" "$tmp/ours.gif" \
    --runs "$runs" "${raw[@]}")
  printf '%-22s %-14s %10d %9s %8s\n' "$set" lamtool "$bytes" "$ms" \
    "$($py "$tmp/psnr.py" "$tmp/ours.gif" "${frames[@]}")"
  ms=$(median_ms /usr/bin/convert -delay 25 -loop 0 "${frames[@]}" "$tmp/im.gif")
  printf '%-22s %-14s %10d %9s %8s\n' "$set" imagemagick "$(stat -c %s "$tmp/im.gif")" "$ms" \
    "$($py "$tmp/psnr.py" "$tmp/im.gif" "${frames[@]}")"
  ms=$(median_ms /usr/bin/gifsicle -O3 "$tmp/im.gif" -o "$tmp/gs.gif")
  printf '%-22s %-14s %10d %9s %8s\n' "$set" "gifsicle -O3" "$(stat -c %s "$tmp/gs.gif")" \
    "+$ms" "$($py "$tmp/psnr.py" "$tmp/gs.gif" "${frames[@]}")"
  ms=$(median_ms $py "$tmp/pillow.py" "$tmp/pil.gif" "${frames[@]}")
  printf '%-22s %-14s %10d %9s %8s\n' "$set" pillow "$(stat -c %s "$tmp/pil.gif")" "$ms" \
    "$($py "$tmp/psnr.py" "$tmp/pil.gif" "${frames[@]}")"
done
