#!/usr/bin/env bash
# Thumbnails: lamtool against vipsthumbnail (libvips) and Pillow, side by side on the same
# frames: speed (12 frames to 200x200 `contain` thumbnails, one process each run) and
# quality (PSNR and SSIM of each thumbnail against a reference downscale). Not a test: run
# by hand, on a shared machine under its lock:
#
#   tests/bench/thumb_bench.sh [LAMTOOL]        (default build/lamtool)
#
# Reference: the exact area average (a box filter with fractional pixel weights, in
# float64) of each source frame composited on white: what a thumbnail would be with no
# aliasing and no sharpening. A Lanczos filter sharpens, so no tool reaches "inf"; the
# figures compare how close each one stays to the true average colour of each area.
# Rows: lamtool thumbnail --size 200x200 --fit contain; vipsthumbnail -s 200x200
# (Lanczos-3 after shrink-on-load); Pillow Image.thumbnail((200, 200), LANCZOS). Sets:
# data/gif/demo and, when present, the shared BoM and MeteoSwiss loops. Knobs: RUNS=5 CPU=1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
lamtool=${1:-$repo/build/lamtool}
RUNS=${RUNS:-5} CPU=${CPU:-1}
shared=${LAMTOOL_SHARED_DATA_DIR:-$repo/../shared/data}
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
timed() { taskset -c "$CPU" "$py" "$here/timed_run.py" /dev/null /dev/null /dev/null "$@"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cat >"$work/pil.py" <<'PY'
import os, sys
from PIL import Image
out = sys.argv[1]
for p in sys.argv[2:]:
    im = Image.open(p).convert("RGBA")
    im.thumbnail((200, 200), Image.LANCZOS)
    im.save(os.path.join(out, os.path.splitext(os.path.basename(p))[0] + ".png"))
PY
cat >"$work/quality.py" <<'PY'
import glob, os, sys
import numpy
from PIL import Image

def on_white(im):
    im = im.convert("RGBA")
    bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
    bg.alpha_composite(im)
    return numpy.asarray(bg.convert("RGB"), dtype=numpy.float64)

def box_weights(n_in, n_out):
    w = numpy.zeros((n_out, n_in))
    scale = n_in / n_out
    for o in range(n_out):
        lo, hi = o * scale, (o + 1) * scale
        for i in range(int(lo), min(n_in, int(numpy.ceil(hi)))):
            w[o, i] = min(hi, i + 1) - max(lo, i)
        w[o] /= w[o].sum()
    return w

def ssim(a, b):
    # Mean SSIM over 8x8 windows of the luma, constants of Wang et al. 2004.
    ya = a @ [0.299, 0.587, 0.114]
    yb = b @ [0.299, 0.587, 0.114]
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    vals = []
    for y in range(0, ya.shape[0] - 7, 4):
        for x in range(0, ya.shape[1] - 7, 4):
            p, q = ya[y:y + 8, x:x + 8], yb[y:y + 8, x:x + 8]
            mp, mq = p.mean(), q.mean()
            vp, vq, cov = p.var(), q.var(), ((p - mp) * (q - mq)).mean()
            vals.append((2 * mp * mq + c1) * (2 * cov + c2) / ((mp * mp + mq * mq + c1) * (vp + vq + c2)))
    return float(numpy.mean(vals))

out_dir, sources = sys.argv[1], sys.argv[2:]
psnrs, ssims = [], []
for src in sources:
    stem = os.path.splitext(os.path.basename(src))[0]
    thumb = on_white(Image.open(glob.glob(os.path.join(out_dir, stem + ".*"))[0]))
    s = on_white(Image.open(src))
    h, w = thumb.shape[:2]
    ref = numpy.einsum("oi,ijc->ojc", box_weights(s.shape[0], h), s)
    ref = numpy.einsum("oj,ijc->ioc", box_weights(s.shape[1], w), ref)
    mse = numpy.mean((thumb - ref) ** 2)
    psnrs.append(10 * numpy.log10(255 * 255 / mse))
    ssims.append(ssim(thumb, ref))
print(f"{numpy.mean(psnrs):.2f} {numpy.mean(ssims):.4f} {w}x{h}")
PY

sets=("$repo/data/gif/demo")
for s in gif/bom_idr703_20140719 gif/mch_20160711; do
  if [ -d "$shared/$s" ]; then sets+=("$shared/$s"); else echo "skipped: $shared/$s is absent"; fi
done
echo "| set | tool | median ms (12 frames) | ms / lamtool | size | PSNR vs area average | SSIM |"
echo "|---|---|---:|---:|---|---:|---:|"
for dir in "${sets[@]}"; do
  mapfile -t frames < <(find "$dir" -maxdepth 1 \( -name '*.png' -o -name '*.gif' \) | sort)
  name=$(basename "$dir")
  base=""
  for tool in lamtool vipsthumbnail pillow; do
    out="$work/$name-$tool"
    mkdir -p "$out"
    case $tool in
      lamtool) cmd=("$lamtool" thumbnail "${frames[@]}" --size 200x200 --fit contain --to "$out/") ;;
      vipsthumbnail) cmd=(vipsthumbnail "${frames[@]}" -s 200x200 -o "$out/%s.png") ;;
      pillow) cmd=("$py" "$work/pil.py" "$out" "${frames[@]}") ;;
    esac
    ms=$(for _ in $(seq "$RUNS"); do timed "${cmd[@]}" | awk '{ print $1 * 1000 }'; done | median)
    [ -n "$base" ] || base=$ms
    read -r psnr ssim size < <("$py" "$work/quality.py" "$out" "${frames[@]}")
    printf '| %s | %s | %.1f | %.2f | %s | %s | %s |\n' "$name" "$tool" "$ms" \
      "$(awk -v a="$ms" -v b="$base" 'BEGIN { print a / b }')" "$size" "$psnr" "$ssim"
  done
done
