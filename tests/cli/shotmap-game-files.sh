#!/usr/bin/env bash
# Each shared game, both formats: the manifest's per-team shots on goal and goals equal
# the totals the game file itself reports, and a PNG of the right size is written.
source "$(dirname "$0")/common.sh"
games="$LAMTOOL_SHARED_DATA_DIR/shotmap"
# The file's own totals, read independently of lamtool: statsapi boxscore team stats;
# api-web team sog and score, less the one goal credited to a shootout winner.
totals() {
  /usr/bin/python3 - "$1" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
if "liveData" in g:
    t = g["liveData"]["boxscore"]["teams"]
    for side in ("home", "away"):
        s = t[side]["teamStats"]["teamSkaterStats"]
        print(side, s["shots"], s["goals"])
else:
    so = g.get("gameOutcome", {}).get("lastPeriodType") == "SO"
    hs, as_ = g["homeTeam"]["score"], g["awayTeam"]["score"]
    for side, team, won in (("home", g["homeTeam"], hs > as_), ("away", g["awayTeam"], as_ > hs)):
        print(side, team["sog"], team["score"] - (1 if so and won else 0))
PY
}
for f in "$games"/apiweb_*.json "$games"/statsapi_*.json; do
  name=$(basename "$f" .json)
  run shotmap --game-file "$f" --json --to "out/$name.png"
  expect_rc 0
  while read -r side sog goals; do
    got_sog=$(json_get "$OUT" "j['$side']['shots_on_goal']")
    got_goals=$(json_get "$OUT" "j['$side']['goals']")
    [ "$got_sog" == "$sog" ] || fail "$name $side shots on goal: manifest $got_sog, file $sog"
    [ "$got_goals" == "$goals" ] || fail "$name $side goals: manifest $got_goals, file $goals"
  done < <(totals "$f")
  [ "$(json_get "$OUT" 'j["outputs"][0]["content_type"]')" == "image/png" ] || fail "$name type"
  # PNG signature and IHDR size 1200 x 600.
  [ "$(head -c 8 "out/$name.png" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ] || fail "$name: not a PNG"
  [ "$(/usr/bin/python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print(*struct.unpack(">II", d[16:24]))' "out/$name.png")" == "1200 600" ] || fail "$name: size"
done
