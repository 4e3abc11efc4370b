#!/usr/bin/env bash
# The project's games (tests/tools/make_nhl_games.py), both formats, and the setup demo's:
# counts equal the files' own totals and the generator's, and a PNG is written.
source "$(dirname "$0")/common.sh"
source "$LAMTOOL_SOURCE_DIR/tests/cli/shotmap_common.sh"
n=0
for f in "$GAMES"/*_*.json "$LAMTOOL_SOURCE_DIR"/data/nhl/*.json; do
  check_game_file "$f"
  # Missed and blocked shots have no total in the files: the generator's own count.
  rel=${f#"$LAMTOOL_SOURCE_DIR"/}
  for side in home away; do
    for what in missed blocked; do
      want=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]][sys.argv[4]])' \
        "$GAMES/totals.json" "$rel" "$side" "$what")
      got=$(json_get "$OUT" "j['$side']['$what']")
      [ "$got" == "$want" ] || fail "$rel $side $what: manifest $got, generator $want"
    done
  done
  n=$((n + 1))
done
[ "$n" -eq 7 ] || fail "expected 7 project games, found $n"
