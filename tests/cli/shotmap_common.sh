# Sourced by the tests/cli/shotmap-*.sh that draw whole game files (after common.sh).

# check_game_file FILE: draws FILE with --json; the manifest's per-team shots on goal and
# goals must equal the totals the game file itself reports (read by Python, not by
# lamtool: statsapi boxscore team stats; api-web team sog and score, less the one goal
# credited to a shootout winner), and a 1200 x 600 PNG must be written. Sets OUT.
check_game_file() {
  local f=$1 name side sog goals got_sog got_goals
  name=$(basename "$f" .json)
  run shotmap --game-file "$f" --json --to "out/$name.png"
  expect_rc 0
  while read -r side sog goals; do
    got_sog=$(json_get "$OUT" "j['$side']['shots_on_goal']")
    got_goals=$(json_get "$OUT" "j['$side']['goals']")
    [ "$got_sog" == "$sog" ] || fail "$name $side shots on goal: manifest $got_sog, file $sog"
    [ "$got_goals" == "$goals" ] || fail "$name $side goals: manifest $got_goals, file $goals"
  done < <(/usr/bin/python3 - "$f" <<'PY'
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
  )
  [ "$(json_get "$OUT" 'j["outputs"][0]["content_type"]')" == "image/png" ] || fail "$name type"
  # PNG signature and IHDR size 1200 x 600.
  [ "$(head -c 8 "out/$name.png" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ] || fail "$name: not a PNG"
  [ "$(/usr/bin/python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print(*struct.unpack(">II", d[16:24]))' "out/$name.png")" == "1200 600" ] || fail "$name: size"
}
