#!/usr/bin/env bash
# The four real games of the shared data, both formats: counts equal the files' own
# totals, and a PNG is written. Skipped when the shared data is absent.
source "$(dirname "$0")/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/shotmap_common.sh"
need_shared_data shotmap
for f in "$SHARED_DATA"/shotmap/apiweb_*.json "$SHARED_DATA"/shotmap/statsapi_*.json; do
  check_game_file "$f"
done
