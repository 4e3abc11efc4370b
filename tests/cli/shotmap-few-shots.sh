#!/usr/bin/env bash
# Early in live games (project games, both formats), teams with 0, 1 and 2 drawn shots:
# no density can be estimated, the map still draws the points and the manifest says why.
source "$(dirname "$0")/common.sh"
# drawn GAME SIDE: the generator's count of shots drawn (all but blocked ones).
drawn() {
  /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]]["drawn"])' \
    "$GAMES/totals.json" "tests/fixtures/nhl/$1" "$2"
}
for game in apiweb_1917020905_BEE-at-OWL.json statsapi_1917020906_PIN-at-GUL.json; do
  run shotmap --game-file "$GAMES/$game" --json --to "out/$game.png"
  expect_rc 0
  expect_file "out/$game.png"
  [ "$(json_get "$OUT" 'j["status"]')" == "through period 1" ] || fail "$game status: $OUT"
  for side in home away; do
    n=$(drawn "$game" "$side")
    [ "$(json_get "$OUT" "j['kde']['$side']['points']")" == "$n" ] || fail "$game $side points, want $n: $OUT"
    [ "$(json_get "$OUT" "j['kde']['$side']['drawn']")" == "False" ] || fail "$game $side density drawn: $OUT"
    flags=$(json_get "$OUT" "j['kde']['$side']['flags']")
    case $n in
      0) [[ "$flags" == *no_points* ]] || fail "$game $side flags: $flags" ;;
      *) [[ "$flags" == *too_few_points* ]] || fail "$game $side flags: $flags" ;;
    esac
  done
done
# Together the two games hold teams with 0, 1 and 2 drawn shots.
[ "$(drawn apiweb_1917020905_BEE-at-OWL.json away) $(drawn apiweb_1917020905_BEE-at-OWL.json home)" == "0 2" ] || fail "game 905 changed"
[ "$(drawn statsapi_1917020906_PIN-at-GUL.json home) $(drawn statsapi_1917020906_PIN-at-GUL.json away)" == "1 2" ] || fail "game 906 changed"
