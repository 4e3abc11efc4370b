#!/usr/bin/env bash
# The real radar loops of the shared data (kept out of the repository by their licences):
# BoM's 512x512 palette PNGs with transparency and MeteoSwiss's 710x640 GIFs. Each makes a
# GIF that Pillow decodes to 12 frames of 250 ms, looping forever, each frame equal to its
# source on white (these maps have few colours: no loss), and 200x200 thumbnails;
# --plays 1 and 3 decode with the right loop blocks; the legend of another size is refused
# without --fit and fitted with it.
source "$(dirname "$0")/common.sh"
need_shared_data gif
CHECK="/usr/bin/python3 $LAMTOOL_SOURCE_DIR/tests/tools/gif_check.py"
for set in bom_idr703_20140719 mch_20160711; do
  frames=("$SHARED_DATA/gif/$set"/*)
  [ ${#frames[@]} -eq 12 ] || fail "$set: expected 12 frames"
  run gif "${frames[@]}" --thumbs "$set-thumbs/" --to "$set.gif" --json
  expect_rc 0
  c=$($CHECK "$set.gif" --sources "${frames[@]}")
  [ "$(json_get "$c" 'j["frames"], set(j["durations"]), j["loop"]')" == "(12, {250}, 0)" ] ||
    fail "$set: $c"
  [ "$(json_get "$c" 'j["psnr_min"] == "inf" or j["psnr_min"] >= 35')" == True ] ||
    fail "$set: frames differ from their sources: $c"
  sizes=$(/usr/bin/python3 -c '
import sys, glob
from PIL import Image
fs = glob.glob(sys.argv[1] + "/*.png")
print(sorted({Image.open(f).size for f in fs}), len(fs))' "$set-thumbs")
  [ "$sizes" == "[(200, 200)] 12" ] || fail "$set thumbnails: $sizes"
done
bom=("$SHARED_DATA"/gif/bom_idr703_20140719/*.png)
run gif "${bom[@]}" --plays 1 --to once.gif
expect_rc 0
[ "$(json_get "$($CHECK once.gif)" 'j["loop"]')" == None ] || fail "--plays 1 wrote a loop block"
run gif "${bom[@]}" --plays 3 --to thrice.gif
expect_rc 0
[ "$(json_get "$($CHECK thrice.gif)" 'j["loop"]')" == 2 ] || fail "--plays 3 is not loop count 2"

run gif "${bom[@]:0:2}" "$SHARED_DATA/gif/misc/IDR.legend.0.png" --to legend.gif
expect_rc 65
expect_err_contains "IDR.legend.0.png"
[ ! -e legend.gif ] || fail "a GIF was written"
run gif "${bom[@]:0:2}" "$SHARED_DATA/gif/misc/IDR.legend.0.png" --fit contain --to legend.gif
expect_rc 0
