#!/usr/bin/env bash
# shotmap --tweet posts the map with alt text made from the game. The alt text's figures
# are checked against the play-by-play read here in Python (teams, score, counts, and the
# distance of each unblocked attempt to the net its team attacks, from
# homeTeamDefendingSide), not against lamtool's own numbers. Also gif --tweet, an SVG map
# (posted as PNG), --text without --tweet (64) and the dry run.
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
start_x_server --check-after 0
game="$GAMES/apiweb_1917020901_OWL-at-FOX.json"
mkdir out

# Two games, whose attempts lean differently (the Owls' and Foxes' have no leading
# distance, the Gulls' lean close in).
for pair in "$game|OWL 3 at FOX 2, 2025-11-08 (final): where the shots came from" \
  "$LAMTOOL_SOURCE_DIR/data/nhl/apiweb_1917020900_GUL-at-PIN.json|GUL 2 at PIN 4, 2026-01-17 (final): where the shots came from"; do
g=${pair%%|*}
text=${pair#*|}
run shotmap --game-file "$g" --to out/shotmap.png --tweet --json -v
expect_rc 0
expect_no_x_secrets "$OUT$ERR"
url=$(json_get "$OUT" 'j["tweet"]["url"]')
expect_err_contains "posted $url"
state=$(x_state)
/usr/bin/python3 - "$state" "$g" out/shotmap.png "$text" <<'PY'
import hashlib, json, math, sys
state, game = json.loads(sys.argv[1]), json.load(open(sys.argv[2]))
png = open(sys.argv[3], "rb").read()
tweet = state["tweets"][-1]
assert tweet["text"] == sys.argv[4], tweet["text"]
media = state["media"][tweet["media_ids"][0]]
assert media["sha256"] == hashlib.sha256(png).hexdigest(), "posted bytes are not the map"
alt = media["alt_text"]
assert len(alt) <= 1000, len(alt)
home, away = game["homeTeam"], game["awayTeam"]
name = lambda t: t["name"]["default"]
assert alt.startswith(f"Shot map of {name(away)} ({away['abbrev']}) at {name(home)} ({home['abbrev']}), "
                      f"{game['gameDate']}, final: {away['abbrev']} {away['score']}, {home['abbrev']} {home['score']}."), alt
assert f"{name(home)} shoot at the right-hand net, in red, and {name(away)} at the left-hand net" in alt
kinds = {"shot-on-goal": "sog", "goal": "goal", "missed-shot": "missed", "blocked-shot": "blocked"}
for team in (home, away):
    is_home = team is home
    c = {"sog": 0, "goal": 0, "missed": 0, "blocked": 0}
    bins, goals = [0, 0, 0], []
    for p in game["plays"]:
        kind = kinds.get(p["typeDescKey"])
        if kind is None or p["periodDescriptor"]["periodType"] == "SO":
            continue
        d = p["details"]
        # api-web names the shooter's team, blocked shots included.
        if (d["eventOwnerTeamId"] == home["id"]) != is_home:
            continue
        c[kind] += 1
        if kind == "blocked" or "xCoord" not in d:
            continue
        home_attacks_right = p["homeTeamDefendingSide"] == "left"
        goal_x = 89 if home_attacks_right == is_home else -89
        dist = math.hypot(d["xCoord"] - goal_x, d["yCoord"])
        bins[0 if dist < 20 else 1 if dist < 40 else 2] += 1
        if kind == "goal":
            goals.append(int(dist + 0.5))
    sog = c["sog"] + c["goal"]
    want = (f"{name(team)}: {sog} shots on goal, {c['goal']} goal{'s' if c['goal'] != 1 else ''}, "
            f"{c['missed']} missed shots, {c['blocked']} blocked shots. Of {sum(bins)} located "
            f"unblocked attempts, {bins[0]} came from within 20 feet of the net, {bins[1]} from "
            f"20 to 40 feet and {bins[2]} from farther out")
    n = sum(bins)
    if 2 * bins[0] > n:
        want += ", most of them close in"
    elif 2 * bins[2] > n:
        want += ", most of them from distance"
    elif bins[0] > max(bins[1], bins[2]):
        want += ", the largest share close in"
    elif bins[2] > max(bins[0], bins[1]):
        want += ", the largest share from distance"
    want += "."
    assert want in alt, f"\nwant: {want}\nalt:  {alt}"
    assert sog == team["sog"], (sog, team["sog"])
    goals.sort()
    feet = ", ".join(map(str, goals[:-1])) + f" and {goals[-1]}" if len(goals) > 1 else str(goals[0])
    assert f"from {feet} feet." in alt, (feet, alt)
print("alt text ok")
PY
done

# An SVG map is posted as a PNG of the same picture size.
run shotmap --game-file "$game" --format svg --to out/map.svg --tweet --text 'SVG map' --json
expect_rc 0
state=$(x_state)
[ "$(json_get "$state" 'j["tweets"][-1]["text"]')" = 'SVG map' ] || fail "--text not used"
[ "$(json_get "$state" 'j["media"][j["tweets"][-1]["media_ids"][0]]["media_type"]')" = image/png ] ||
  fail "SVG map not posted as PNG"
head -c 5 out/map.svg | grep -q '<' || fail "the file written is not the SVG"

# --text without --tweet is a usage error; the dry run sends nothing and says so on stderr.
run shotmap --game-file "$game" --to out/x.png --text 'no tweet'
expect_rc 64
expect_err_contains "--text: the post's text needs --tweet"
before=$(json_get "$(x_state)" 'sum(r["path"].startswith("/2/") for r in j["requests"])')
run shotmap --game-file "$game" --to out/dry.png --tweet --dry-run
expect_rc 0
expect_err_contains "Would post to X:"
expect_err_contains "alt text: Shot map of Test Owls (OWL) at Test Foxes (FOX)"
[ "$(json_get "$(x_state)" 'sum(r["path"].startswith("/2/") for r in j["requests"])')" = "$before" ] || fail "the dry run sent a request"

# gif --tweet: the weather loop in chunks, with its default alt text.
run gif "$LAMTOOL_SOURCE_DIR"/data/gif/demo/*.png --to out/loop.gif --tweet --json
expect_rc 0
state=$(x_state)
gif_media=$(json_get "$state" 'j["tweets"][-1]["media_ids"][0]')
[ "$(json_get "$state" 'j["media"][sys.argv[3]]["upload"]' "$gif_media")" = chunked ] || fail "GIF upload"
[ "$(json_get "$state" 'j["media"][sys.argv[3]]["sha256"]' "$gif_media")" = "$(sha256sum out/loop.gif | cut -d' ' -f1)" ] ||
  fail "posted GIF differs from out/loop.gif"
[ "$(json_get "$state" 'j["media"][sys.argv[3]]["alt_text"]' "$gif_media")" = \
  "Animated weather map of 12 frames, 250 ms apart, looping." ] || fail "GIF alt text"
[[ "$(json_get "$state" 'j["tweets"][-1]["text"]')" == "Weather loop: 12 frames, "* ]] || fail "GIF text"
echo ok
