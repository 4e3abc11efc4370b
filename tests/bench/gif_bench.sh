#!/usr/bin/env bash
# gif end to end: lamtool against the tools people use for radar loops, side by side on
# the same frames. DESIGN.md section 10: 12 radar frames to an optimised GIF in under
# 300 ms (10x ImageMagick), smaller than ImageMagick's and gifsicle -O3's output at equal
# or better PSNR. Not a test: run by hand on a quiet machine (on a shared one, hold its
# lock for the run):
#
#   tests/bench/gif_bench.sh [LAMTOOL]        (default build/lamtool)
#
# Sets: data/gif/demo (ours, 12 RGB PNGs 512x512) and, when the shared data is there
# (LAMTOOL_SHARED_DATA_DIR, default ../shared/data beside the repository),
# gif/bom_idr703_20140719 (12 palette PNGs with transparency) and gif/mch_20160711
# (12 GIFs 710x640); without it those are skipped with a message.
# Rows per set:
#   lamtool         lamtool gif FRAMES --delay 250 --to out.gif
#   lamtool+thumbs  the same with --thumbs DIR/ --thumb-size 200x200
#   imagemagick     /usr/bin/convert -delay 25 -loop 0 FRAMES -background white -alpha remove
#                   out.gif (the original's command; the alpha removal composites
#                   transparent pixels onto white as lamtool does by default, for a fair
#                   PSNR. /usr/local/bin/convert may be a stand-in: always /usr/bin/convert)
#   gifsicle-O3     gifsicle -O3 on ImageMagick's output, timed alone
#   im+gifsicle     the two medians added
#   pillow          /usr/bin/python3: frames on white, save_all, duration 250, loop 0,
#                   optimize=True
# Each run is one process pinned to cpu CPU (taskset), timed by timed_run.py (wall and
# peak RSS from wait4, what /usr/bin/time -f %M reads); medians over RUNS runs. Quality:
# every frame of the output decoded by Pillow (seek() composites the frames), RGB,
# against the source frame composited on white: min and mean PSNR (inf when identical).
# Without `lamtool gif` (its --help does not show --delay) its rows say "lamtool gif not
# built" and the peers still run; ratios are then against nothing.
# Knobs: RUNS=5 CPU=1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
lamtool=${1:-$repo/build/lamtool}
RUNS=${RUNS:-5} CPU=${CPU:-1}
shared=${LAMTOOL_SHARED_DATA_DIR:-$repo/../shared/data}
py=/usr/bin/python3 convert=/usr/bin/convert
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

have_lamtool=1
if ! help=$("$lamtool" gif --help 2>&1) || [[ $help != *--delay* ]]; then
  have_lamtool=0
  echo "lamtool gif not built ('$lamtool gif --help' does not show the command): peers only"
fi
timed() { taskset -c "$CPU" "$py" "$here/timed_run.py" /dev/null /dev/null "$@"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cat > "$work/pil.py" <<'PY'
import sys
from PIL import Image
out, paths = sys.argv[1], sys.argv[2:]
frames = []
for p in paths:
    im = Image.open(p).convert("RGBA")
    bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
    bg.alpha_composite(im)
    frames.append(bg.convert("RGB"))
frames[0].save(out, save_all=True, append_images=frames[1:], duration=250, loop=0, optimize=True)
PY
cat > "$work/psnr.py" <<'PY'
import math, sys
import numpy as np
from PIL import Image, ImageSequence
gif, paths = sys.argv[1], sys.argv[2:]
def on_white(im):
    im = im.convert("RGBA")
    bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
    bg.alpha_composite(im)
    return np.asarray(bg.convert("RGB"), dtype=np.float64)
out = Image.open(gif)
vals = []
for k, frame in enumerate(ImageSequence.Iterator(out)):
    if k >= len(paths):
        break
    a = np.asarray(frame.convert("RGB"), dtype=np.float64)
    b = on_white(Image.open(paths[k]))
    if a.shape != b.shape:
        sys.exit(f"frame {k}: {a.shape} against {b.shape}")
    mse = float(np.mean((a - b) ** 2))
    vals.append(math.inf if mse == 0 else 10 * math.log10(255 ** 2 / mse))
if len(vals) != len(paths):
    sys.exit(f"{len(vals)} frames decoded, {len(paths)} expected")
fmt = lambda v: "inf" if math.isinf(v) else f"{v:.2f}"
print(fmt(min(vals)), fmt(sum(vals) / len(vals)))
PY

# run NAME OUT ARGV...: RUNS timed runs; appends "name wall kib" medians to $work/rows.
run() {
  local name=$1 out=$2 t=$work/t.$1; shift 2
  : > "$t"
  for ((r = 0; r < RUNS; r++)); do
    rm -rf "$work/thumbs"; mkdir -p "$work/thumbs"
    timed "$work/err" "$@" >> "$t"
  done
  if awk '$3 != 0 { bad = 1 } END { exit !bad }' "$t"; then
    echo "$name FAILED: $(tail -n 2 "$work/err")" >&2; echo "$name - - - - -" >> "$work/rows"; return
  fi
  echo "$name $(cut -d' ' -f1 "$t" | median) $(cut -d' ' -f2 "$t" | median) $out" >> "$work/rows"
}

echo "gif_bench: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg); every run pinned to cpu $CPU, $RUNS runs each"
echo "$($convert -version | head -n 1 | cut -d' ' -f2-3), gifsicle $(gifsicle --version | head -n 1 | awk '{print $NF}'), Pillow $($py -c 'import PIL; print(PIL.__version__)')"
sets=("demo:$repo/data/gif/demo/frame-*.png")
for s in "bom_idr703_20140719:*.png" "mch_20160711:*.gif"; do
  if [ -d "$shared/gif/${s%%:*}" ]; then sets+=("${s%%:*}:$shared/gif/${s%%:*}/${s#*:}")
  else echo "skipped: $shared/gif/${s%%:*} is absent"; fi
done
printf '\n| set | program | median ms | peak MB | bytes | PSNR min | PSNR mean | time / lamtool | bytes / lamtool |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n'
for s in "${sets[@]}"; do
  set_name=${s%%:*}
  # shellcheck disable=SC2206
  frames=(${s#*:})
  : > "$work/rows"
  if [ "$have_lamtool" = 1 ]; then
    run lamtool "$work/lam.gif" "$lamtool" gif "${frames[@]}" --delay 250 --to "$work/lam.gif"
    run lamtool+thumbs "$work/lamt.gif" "$lamtool" gif "${frames[@]}" --delay 250 --to "$work/lamt.gif" \
      --thumbs "$work/thumbs/" --thumb-size 200x200
  fi
  run imagemagick "$work/im.gif" "$convert" -delay 25 -loop 0 "${frames[@]}" -background white -alpha remove "$work/im.gif"
  run gifsicle-O3 "$work/gs.gif" gifsicle -O3 "$work/im.gif" -o "$work/gs.gif"
  run pillow "$work/pil.gif" "$py" "$work/pil.py" "$work/pil.gif" "${frames[@]}"
  im=$(awk '$1 == "imagemagick"' "$work/rows"); gs=$(awk '$1 == "gifsicle-O3"' "$work/rows")
  if [[ $im != *" - "* && $gs != *" - "* ]]; then
    awk -v a="$im" -v b="$gs" -v o="$work/gs.gif" 'BEGIN { split(a, x); split(b, y); k = x[3] > y[3] ? x[3] : y[3]
      print "im+gifsicle", x[2] + y[2], k, o }' >> "$work/rows"
  fi
  lam_wall="" lam_bytes=""
  if [ "$have_lamtool" = 1 ] && [ -f "$work/lam.gif" ]; then
    lam_wall=$(awk '$1 == "lamtool" { print $2 }' "$work/rows"); lam_bytes=$(stat -c %s "$work/lam.gif")
  fi
  [ "$have_lamtool" = 1 ] || printf '| %s | lamtool | lamtool gif not built | | | | | | |\n' "$set_name"
  while read -r name wall kib out; do
    if [ "$wall" = - ]; then printf '| %s | %s | FAILED | | | | | | |\n' "$set_name" "$name"; continue; fi
    bytes=$(stat -c %s "$out")
    q=$("$py" "$work/psnr.py" "$out" "${frames[@]}" 2>&1) || q="? ?"
    read -r qmin qmean <<< "$q"
    awk -v s="$set_name" -v n="$name" -v w="$wall" -v k="$kib" -v b="$bytes" -v q1="$qmin" -v q2="$qmean" \
        -v lw="$lam_wall" -v lb="$lam_bytes" 'BEGIN {
      tr = lw == "" ? "-" : sprintf("%.1fx", w / lw); br = lb == "" ? "-" : sprintf("%.2f", b / lb)
      printf "| %s | %s | %.1f | %.1f | %d | %s | %s | %s | %s |\n", s, n, w * 1000, k / 1024, b, q1, q2, tr, br }'
  done < "$work/rows"
done
