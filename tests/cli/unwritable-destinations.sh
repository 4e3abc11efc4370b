#!/usr/bin/env bash
# Every job's local destination unwritable: exit 73, one error line naming the path, and
# nothing left in it. Real for root too (CI runs as root, which ignores permission bits):
# there the directory is a read-only bind mount in a private mount namespace; for another
# user it is chmod 0555. Then a disk that fills up mid-write (a 64 KiB tmpfs, root only):
# exit 74 and no partial or temporary file.
source "$(dirname "$0")/common.sh"
export LAMTOOL_NOW=2026-11-20T07:00:00Z
DEMO="$LAMTOOL_SOURCE_DIR/data/gif/demo"

# expect_unwritable DIR: exit 73, one line naming DIR, DIR still empty.
expect_unwritable() {
  expect_rc 73
  expect_one_error_line
  expect_err_contains "'$1"
  expect_empty_dir "$1"
}

mkdir ro
run_unwritable ro alarm --to ro/
echo "unwritable variant: $UNWRITABLE_VARIANT"
expect_unwritable ro
run_unwritable ro shotmap --game-file "$GAMES/apiweb_1917020901_OWL-at-FOX.json" --to ro/
expect_unwritable ro
run_unwritable ro shotmap --game-file "$GAMES/apiweb_1917020901_OWL-at-FOX.json" --to ro/map.svg --format svg
expect_unwritable ro
printf '{"features":{"t1":10,"t2":9,"hum":70,"weather_code":1},"pred_id":%d}\n' 1 2 3 >records.jsonl
run_unwritable ro predict --in records.jsonl --to ro/predictions.jsonl
expect_unwritable ro
run_unwritable ro plot-candles --in "$FIXTURES/candles/weekly-spy2020.csv" --period both --to ro/
expect_unwritable ro
run_unwritable ro plot-candles --in "$FIXTURES/candles/weekly-spy2020.csv" --bars-out ro/ --to charts/
expect_unwritable ro
run_unwritable ro gif "$DEMO/frame-00.png" "$DEMO/frame-01.png" --to ro/radar.gif
expect_unwritable ro
run_unwritable ro gif "$DEMO/frame-00.png" "$DEMO/frame-01.png" --thumbs ro/ --to radar.gif
expect_unwritable ro
printf 'x,y\n0,0\n1,1\n2,0\n0,2\n' >points.csv
run_unwritable ro kde --in points.csv --to ro/grid.csv
expect_unwritable ro
# Control: the same commands write into a writable directory (so the 73s came from the
# destination, not from the inputs).
mkdir rw
run alarm --to rw/
expect_rc 0
run predict --in records.jsonl --to rw/predictions.jsonl
expect_rc 0
run gif "$DEMO/frame-00.png" "$DEMO/frame-01.png" --thumbs rw/ --to rw/radar.gif
expect_rc 0

# A disk that fills up mid-write: 20,000 predictions (about 2 MB) to a 64 KiB tmpfs.
/usr/bin/python3 -c '
for i in range(20000):
    print("{\"features\":{\"t1\":10,\"t2\":9,\"hum\":70,\"weather_code\":1},\"pred_id\":%d}" % i)
' >many.jsonl
mkdir full
run_disk_full full 64k predict --in many.jsonl --to full/predictions.jsonl
expect_rc 74
expect_one_error_line
expect_err_contains "No space left on device"
[ -z "$MOUNT_LISTING" ] || fail "left on the full disk: $MOUNT_LISTING"
# A picture bigger than the space left: the GIF of all demo frames.
run_disk_full full 64k gif "$DEMO"/frame-0*.png --to full/radar.gif
expect_rc 74
expect_one_error_line
[ -z "$MOUNT_LISTING" ] || fail "left on the full disk: $MOUNT_LISTING"
