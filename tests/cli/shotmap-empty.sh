#!/usr/bin/env bash
# A game with no shots: exit 65 with a clear message, or an empty rink with --allow-empty.
source "$(dirname "$0")/common.sh"
/usr/bin/python3 - "$GAMES/apiweb_1917020901_OWL-at-FOX.json" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
shots = {"shot-on-goal", "goal", "missed-shot", "blocked-shot"}
g["plays"] = [p for p in g["plays"] if p.get("typeDescKey") not in shots]
json.dump(g, open("noshots.json", "w"))
PY
mkdir out
run shotmap --game-file noshots.json --to out/
expect_rc 65
expect_one_error_line
expect_err_contains "no shots"
expect_empty_dir out
run shotmap --game-file noshots.json --allow-empty --to out/empty.png --json
expect_rc 0
[ "$(json_get "$OUT" 'j["home"]["shots_on_goal"] + j["away"]["shots_on_goal"]')" == "0" ] || fail "$OUT"
[ "$(json_get "$OUT" 'j["kde"]["home"]["flags"]')" == "['no_points']" ] || fail "$OUT"
expect_file out/empty.png
