#!/usr/bin/env bash
# --format svg writes an SVG document (XML with an svg root), default name by game id.
source "$(dirname "$0")/common.sh"
run shotmap --game-file "$GAMES/apiweb_1917020902_ELK-at-BEE.json" \
  --format svg --size 900x450 --to maps/ --json
expect_rc 0
expect_file maps/shotmap-1917020902.svg
[ "$(json_get "$OUT" 'j["outputs"][0]["content_type"]')" == "image/svg+xml" ] || fail "$OUT"
[ "$(json_get "$OUT" 'j["status"]')" == "final (SO)" ] || fail "status: $OUT"
/usr/bin/python3 - maps/shotmap-1917020902.svg <<'PY' || fail "not an SVG document"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
assert root.get("width").startswith("900") and root.get("height").startswith("450"), root.attrib
PY
