#!/usr/bin/python3
"""Writes the project's own NHL games: play-by-play files made here, not by the NHL.

Run with Debian's /usr/bin/python3 (standard library only) from anywhere:
    /usr/bin/python3 tests/tools/make_nhl_games.py
It rewrites tests/fixtures/nhl/ (the games the tests use), data/nhl/ (the game the
setup demo draws) and tests/fixtures/nhl/totals.json, the generator's own count of what
it put in every file. Same seed, same bytes: rerunning changes nothing, and --check (the
ctest tools.make-nhl-games) says which committed file differs from what it would write.

The real games in ../shared/data/shotmap/ cannot be copied into the repository (their
licence is unclear). These games have the same fields the parsers read, in both formats
(api-web: plays[], typeDescKey, details.xCoord/yCoord/eventOwnerTeamId, situationCode,
homeTeamDefendingSide, periodDescriptor; statsapi: liveData.plays.allPlays[],
result.eventTypeId, coordinates, team (the blocking team for BLOCKED_SHOT), players,
linescore.periods[].home/away.rinkSide, boxscore teamSkaterStats), and shots placed
like a real game's: clustered in front of the net each team attacks, the teams changing
ends every period as in the NHL (periods 1 and 3 alike, 2 and overtime the other way).

Game ids are in the 1917-18 season, which never had a game number past 0100, so no id
here names a real game; the team names say "Synthetic" or "Test".
"""
import json
import os
import random
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURES = os.path.join("tests", "fixtures", "nhl")
DEMO = os.path.join("data", "nhl")
SEED = 20261130

TEAMS = {
    "GUL": dict(id=901, name="Synthetic Gulls", place="Harbour", tz=-5),
    "PIN": dict(id=902, name="Synthetic Pines", place="Lakeside", tz=-6),
    "OWL": dict(id=903, name="Test Owls", place="Northfield", tz=-5),
    "FOX": dict(id=904, name="Test Foxes", place="Southport", tz=-8),
    "ELK": dict(id=905, name="Test Elks", place="Westvale", tz=-7),
    "BEE": dict(id=906, name="Test Bees", place="Eastwick", tz=-5),
}

# ---- where shots come from ----------------------------------------------------------
# Coordinates in feet with the attacked net at x = +89 (the goal line), y across the ice.
ZONES = {  # name: (x, y) sampler
    "crease": lambda r: (89 - r.uniform(3, 11), r.gauss(0, 4)),
    "slot": lambda r: (89 - r.uniform(10, 27), r.gauss(0, 7)),
    "circle": lambda r: (69 + r.gauss(0, 6), r.choice((-1, 1)) * (22 + r.gauss(0, 5))),
    "point": lambda r: (r.uniform(28, 45), r.uniform(-36, 36)),
    "long": lambda r: (r.uniform(-20, 26), r.gauss(0, 14)),
}
ZONE_WEIGHTS = {  # per kind: crease, slot, circle, point, long
    "goal": (40, 40, 15, 5, 0),
    "shot": (15, 33, 27, 22, 3),
    "missed": (8, 30, 30, 30, 2),
    "blocked": (0, 20, 30, 50, 0),
}


def shot_xy(rng, kind):
    zone = rng.choices(list(ZONES), weights=ZONE_WEIGHTS[kind])[0]
    x, y = ZONES[zone](rng)
    if kind == "blocked":  # located where it was blocked: between the shooter and the net
        x = x + (89 - x) * rng.uniform(0.1, 0.4)
    x = min(x, 87.0)
    y = max(-40.0, min(40.0, y))
    if x > 75:  # the rounded corners
        y = max(-30.0, min(30.0, y))
    return int(round(x)), int(round(y))


# ---- one game as a list of events ---------------------------------------------------


class Game:
    """The events of one game in a neutral form; the writers turn it into a format."""

    def __init__(self, spec):
        self.spec = spec
        self.rng = random.Random(f"{SEED}-{spec['id']}")
        self.away = dict(TEAMS[spec["away"]], abbrev=spec["away"])
        self.home = dict(TEAMS[spec["home"]], abbrev=spec["home"])
        self.roster = {side: self.make_roster(side) for side in ("home", "away")}
        self.events = []  # dicts: period, ptype, t, side, kind, x, y (home attacks +x), ...
        self.shootout = []  # dicts: side, result (goal, shot or missed), x, y, shooter, goalie
        for number, period in enumerate(spec["periods"], start=1):
            self.add_period(number, period)
        self.add_shootout(spec.get("shootout", []))
        self.events.sort(key=lambda e: (e["period"], e["t"]))

    def make_roster(self, side):
        team = self.home if side == "home" else self.away
        base = 8_900_000 + team["id"] * 100
        players = [dict(id=base + n, number=n, pos="G" if n in (1, 30) else "F" if n < 20
                        else "D") for n in (1, 30, *range(2, 20), *range(20, 26))]
        for p in players:
            p["first"], p["last"] = team["place"], f"Skater {p['number']}"
        return players

    def skater(self, side):
        return self.rng.choice([p for p in self.roster[side] if p["pos"] != "G"])

    def goalie(self, side):
        return self.roster[side][0]

    def add_period(self, number, period):
        ptype = "REG" if number <= 3 else "OT"
        length = 1200 if ptype == "REG" or self.spec["game_type"] == 3 else 300
        end = period.get("until", length)
        three_on_three = ptype == "OT" and self.spec["game_type"] == 2
        for side in ("home", "away"):
            counts = period[side]
            kinds = (["goal"] * counts.get("goals", 0) + ["shot"] * counts.get("saved", 0)
                     + ["missed"] * counts.get("missed", 0)
                     + ["blocked"] * counts.get("blocked", 0))
            power_play = counts.get("pp", 0)  # attempts 4, 11, 18 ... are on a power play
            for i, kind in enumerate(kinds):
                x, y = shot_xy(self.rng, kind)
                skaters = (5, 5)
                if three_on_three:
                    skaters = (3, 3)
                elif i % 7 == 3 and power_play:
                    skaters = (5, 4)
                    power_play -= 1
                self.events.append(dict(
                    period=number, ptype=ptype, t=self.rng.randint(5, end - 5), side=side,
                    kind=kind, x=x if side == "home" else -x, y=y if side == "home" else -y,
                    shooter=self.skater(side), blocker=self.skater(other(side)),
                    goalie=self.goalie(other(side)), skaters=skaters))
        for e in self.events:  # an overtime goal ends the game: it is the period's last play
            if e["period"] == number and e["kind"] == "goal" and ptype == "OT":
                e["t"] = end - 1
        self.periods_played = number

    def add_shootout(self, attempts):
        for side, result in attempts:
            x, y = 89 - self.rng.uniform(8, 14), self.rng.gauss(0, 3)
            self.shootout.append(dict(side=side, result=result, x=int(round(x)),
                                      y=int(round(y)), shooter=self.skater(side),
                                      goalie=self.goalie(other(side))))

    # -- facts every writer and the totals use --

    def home_defends_left(self, period):
        """Periods 1 and 3 one way, 2 and overtime the other; the shootout as period 1."""
        first = self.spec["home_defends_left_p1"]
        return first if period % 2 == 1 else not first

    def goals(self, side):
        return sum(1 for e in self.events if e["side"] == side and e["kind"] == "goal")

    def shootout_winner(self):
        if not self.shootout:
            return None
        score = {s: sum(1 for a in self.shootout if a["side"] == s and a["result"] == "goal")
                 for s in ("home", "away")}
        return "home" if score["home"] > score["away"] else "away"

    def score(self, side):
        return self.goals(side) + (1 if self.shootout_winner() == side else 0)

    def last_period(self):
        return self.periods_played + (1 if self.shootout else 0)

    def last_period_type(self):
        if self.shootout:
            return "SO"
        return "OT" if self.periods_played > 3 else "REG"

    def file_xy(self, e, period):
        """Rink coordinates as the NHL files give them: turned when home defends right."""
        if self.home_defends_left(period):
            return e["x"], e["y"]
        return -e["x"], -e["y"]

    def totals(self):
        out = {}
        for side in ("home", "away"):
            mine = [e for e in self.events if e["side"] == side]
            count = lambda k: sum(1 for e in mine if e["kind"] == k)
            out[side] = dict(
                abbrev=(self.home if side == "home" else self.away)["abbrev"],
                shots_on_goal=count("goal") + count("shot"), goals=count("goal"),
                missed=count("missed"), blocked=count("blocked"),
                drawn=len(mine) - count("blocked"),
                drawn_5v5=sum(1 for e in mine if e["kind"] != "blocked" and e["skaters"] == (5, 5)),
                y_zero=sum(1 for e in mine if e["y"] == 0),
                attacking_half=sum(1 for e in mine
                                   if (e["x"] > 0 if side == "home" else e["x"] < 0)),
                overtime=sum(1 for e in mine if e["ptype"] == "OT"),
                score=self.score(side))
        out["shootout_attempts"] = len(self.shootout)
        out["last_period"] = self.last_period()
        out["last_period_type"] = self.last_period_type()
        out["final"] = self.spec["state"] == "final"
        out["game_id"] = str(self.spec["id"])
        out["format"] = self.spec["format"]
        return out


def other(side):
    return "away" if side == "home" else "home"


# ---- api-web (api-web.nhle.com/v1/gamecenter/{id}/play-by-play) ----------------------

APIWEB_KEYS = {"goal": ("goal", 505), "shot": ("shot-on-goal", 506),
               "missed": ("missed-shot", 507), "blocked": ("blocked-shot", 508)}


def clock(t, length):
    return f"{t // 60:02d}:{t % 60:02d}", f"{(length - t) // 60:02d}:{(length - t) % 60:02d}"


def situation(e):
    away, home = (e["skaters"][1], e["skaters"][0]) if e["side"] == "home" else e["skaters"]
    return f"1{away}{home}1"


def apiweb(game):
    spec, plays = game.spec, []
    team_id = {"home": game.home["id"], "away": game.away["id"]}
    event_id = iter(range(51, 100000))

    def play(period, ptype, t, length, key, code, situation_code, details=None):
        time_in, remaining = clock(t, length)
        p = {"eventId": next(event_id),
             "periodDescriptor": {"number": period, "periodType": ptype,
                                  "maxRegulationPeriods": 3},
             "timeInPeriod": time_in, "timeRemaining": remaining,
             "situationCode": situation_code,
             "homeTeamDefendingSide": "left" if game.home_defends_left(period) else "right",
             "typeCode": code, "typeDescKey": key, "sortOrder": len(plays) * 3 + 8}
        if details is not None:
            p["details"] = details
        plays.append(p)

    sog = {"home": 0, "away": 0}
    score = {"home": 0, "away": 0}
    for period in range(1, game.periods_played + 1):
        ptype = "REG" if period <= 3 else "OT"
        length = 1200 if ptype == "REG" or spec["game_type"] == 3 else 300
        even = "1331" if ptype == "OT" and spec["game_type"] == 2 else "1551"
        play(period, ptype, 0, length, "period-start", 520, even)
        play(period, ptype, 0, length, "faceoff", 502, even,
             {"eventOwnerTeamId": team_id["home"], "xCoord": 0, "yCoord": 0, "zoneCode": "N"})
        for e in (e for e in game.events if e["period"] == period):
            x, y = game.file_xy(e, period)
            key, code = APIWEB_KEYS[e["kind"]]
            d = {"xCoord": x, "yCoord": y, "zoneCode": "O" if e["kind"] != "blocked" else "D"}
            if e["kind"] == "goal":
                score[e["side"]] += 1
                sog[e["side"]] += 1
                d.update(shotType="wrist", scoringPlayerId=e["shooter"]["id"],
                         eventOwnerTeamId=team_id[e["side"]], goalieInNetId=e["goalie"]["id"],
                         awayScore=score["away"], homeScore=score["home"])
            elif e["kind"] == "blocked":
                d.update(blockingPlayerId=e["blocker"]["id"], shootingPlayerId=e["shooter"]["id"],
                         eventOwnerTeamId=team_id[e["side"]], reason="blocked")
            else:
                d.update(shotType="wrist", shootingPlayerId=e["shooter"]["id"],
                         goalieInNetId=e["goalie"]["id"], eventOwnerTeamId=team_id[e["side"]])
                if e["kind"] == "shot":
                    sog[e["side"]] += 1
                    d.update(awaySOG=sog["away"], homeSOG=sog["home"])
            play(period, ptype, e["t"], length, key, code, situation(e), d)
        if spec["state"] == "final" or period < game.periods_played:
            # A period ends at its full length, an overtime also at its goal.
            goals = [e["t"] for e in game.events if e["period"] == period and e["kind"] == "goal"]
            ended = goals[-1] if ptype == "OT" and goals else length
            play(period, ptype, ended, length, "period-end", 521, even)
    if game.shootout:
        so = game.periods_played + 1
        play(so, "SO", 0, 0, "period-start", 520, "1010")
        for a in game.shootout:
            key, code = APIWEB_KEYS[a["result"]]
            x, y = (a["x"], a["y"]) if game.home_defends_left(so) else (-a["x"], -a["y"])
            d = {"xCoord": x, "yCoord": y, "zoneCode": "O", "shotType": "wrist",
                 "eventOwnerTeamId": team_id[a["side"]], "goalieInNetId": a["goalie"]["id"]}
            player = "scoringPlayerId" if a["result"] == "goal" else "shootingPlayerId"
            d[player] = a["shooter"]["id"]
            play(so, "SO", 0, 0, key, code, "1010", d)
        play(so, "SO", 0, 0, "shootout-complete", 523, "1010")
        play(so, "SO", 0, 0, "period-end", 521, "1010")
    if spec["state"] == "final":
        last = game.last_period()
        play(last, game.last_period_type(), 0, 0, "game-end", 524, "1551")

    def team(side):
        t = game.home if side == "home" else game.away
        return {"id": t["id"], "name": {"default": t["name"]}, "abbrev": t["abbrev"],
                "score": game.score(side), "sog": sog[side], "placeName": {"default": t["place"]}}

    doc = {
        "id": spec["id"], "season": 19171918, "gameType": spec["game_type"],
        "limitedScoring": False, "gameDate": spec["date"],
        "venue": {"default": f"{game.home['place']} Arena (synthetic)"},
        "venueLocation": {"default": game.home["place"]},
        "startTimeUTC": spec["start"], "easternUTCOffset": "-05:00",
        "venueUTCOffset": f"{game.home['tz']:03d}:00",
        "gameState": "OFF" if spec["state"] == "final" else "LIVE", "gameScheduleState": "OK",
        "periodDescriptor": {"number": game.last_period(), "periodType": game.last_period_type(),
                             "maxRegulationPeriods": 3},
        "awayTeam": team("away"), "homeTeam": team("home"),
        "shootoutInUse": spec["game_type"] == 2, "otInUse": True, "regPeriods": 3,
    }
    if spec["state"] == "final":
        doc["gameOutcome"] = {"lastPeriodType": game.last_period_type()}
    doc["plays"] = plays
    doc["rosterSpots"] = [
        {"teamId": (game.home if side == "home" else game.away)["id"], "playerId": p["id"],
         "firstName": {"default": p["first"]}, "lastName": {"default": p["last"]},
         "sweaterNumber": p["number"], "positionCode": p["pos"]}
        for side in ("home", "away") for p in game.roster[side]]
    return doc


# ---- statsapi (statsapi.web.nhl.com/api/v1/game/{id}/feed/live, shut down in 2023) ----

STATSAPI_KEYS = {"goal": ("GOAL", "Goal"), "shot": ("SHOT", "Shot"),
                 "missed": ("MISSED_SHOT", "Missed Shot"),
                 "blocked": ("BLOCKED_SHOT", "Blocked Shot")}
STATSAPI_PERIOD = {"REG": "REGULAR", "OT": "OVERTIME", "SO": "SHOOTOUT"}
ORDINAL = {1: "1st", 2: "2nd", 3: "3rd", 4: "OT", 5: "SO"}


def statsapi(game):
    spec, plays = game.spec, []
    ref = {side: {"id": t["id"], "name": t["name"], "link": f"/api/v1/teams/{t['id']}",
                  "triCode": t["abbrev"]}
           for side, t in (("home", game.home), ("away", game.away))}
    score = {"home": 0, "away": 0}

    def person(p, kind):
        return {"player": {"id": p["id"], "fullName": f"{p['first']} {p['last']}",
                           "link": f"/api/v1/people/{p['id']}"}, "playerType": kind}

    def add(kind, period, ptype, t, team_side, x, y, players, extra=None):
        type_id, name = STATSAPI_KEYS[kind]
        result = {"event": name, "eventCode": f"S{len(plays) + 1}", "eventTypeId": type_id}
        result.update(extra or {})
        plays.append({
            "players": players, "result": result,
            "about": {"eventIdx": len(plays), "eventId": len(plays) + 51, "period": period,
                      "periodType": STATSAPI_PERIOD[ptype], "ordinalNum": ORDINAL[period],
                      "periodTime": clock(t, 1200)[0],
                      "goals": dict(score)},
            "coordinates": {"x": float(x), "y": float(y)}, "team": ref[team_side]})

    for e in game.events:
        x, y = game.file_xy(e, e["period"])
        if e["kind"] == "goal":
            score[e["side"]] += 1
            players = [person(e["shooter"], "Scorer"), person(e["goalie"], "Goalie")]
            extra = {"strength": {"code": "EVEN" if e["skaters"][0] == e["skaters"][1] else "PPG"}}
            add("goal", e["period"], e["ptype"], e["t"], e["side"], x, y, players, extra)
        elif e["kind"] == "blocked":  # the event names the BLOCKING team
            players = [person(e["blocker"], "Blocker"), person(e["shooter"], "Shooter")]
            add("blocked", e["period"], e["ptype"], e["t"], other(e["side"]), x, y, players)
        else:
            players = [person(e["shooter"], "Shooter")]
            if e["kind"] == "shot":
                players.append(person(e["goalie"], "Goalie"))
            add(e["kind"], e["period"], e["ptype"], e["t"], e["side"], x, y, players)
    so = game.periods_played + 1
    for a in game.shootout:
        x, y = (a["x"], a["y"]) if game.home_defends_left(so) else (-a["x"], -a["y"])
        players = [person(a["shooter"], "Scorer" if a["result"] == "goal" else "Shooter"),
                   person(a["goalie"], "Goalie")]
        add(a["result"], so, "SO", 0, a["side"], x, y, players)

    def period_line(n):
        ptype = "REG" if n <= 3 else "OT"
        line = {"periodType": STATSAPI_PERIOD[ptype], "num": n, "ordinalNum": ORDINAL[n]}
        for side in ("home", "away"):
            mine = [e for e in game.events if e["period"] == n and e["side"] == side]
            left = game.home_defends_left(n) == (side == "home")
            line[side] = {"goals": sum(1 for e in mine if e["kind"] == "goal"),
                          "shotsOnGoal": sum(1 for e in mine if e["kind"] in ("goal", "shot")),
                          "rinkSide": "left" if left else "right"}
        return line

    def skater_stats(side):
        mine = [e for e in game.events if e["side"] == side]
        return {"goals": game.goals(side),
                "shots": sum(1 for e in mine if e["kind"] in ("goal", "shot")),
                "blocked": sum(1 for e in game.events
                               if e["side"] == other(side) and e["kind"] == "blocked")}

    def team_data(side):
        t = game.home if side == "home" else game.away
        return {"id": t["id"], "name": t["name"], "link": f"/api/v1/teams/{t['id']}",
                "venue": {"name": f"{t['place']} Arena (synthetic)", "city": t["place"],
                          "timeZone": {"id": "Etc/GMT", "offset": t["tz"], "tz": "ST"}},
                "abbreviation": t["abbrev"], "triCode": t["abbrev"], "teamName": t["name"],
                "locationName": t["place"]}

    linescore = {
        "currentPeriod": game.last_period(),
        "currentPeriodOrdinal": ORDINAL[game.last_period()],
        "currentPeriodTimeRemaining": "Final" if spec["state"] == "final" else "12:34",
        "periods": [period_line(n) for n in range(1, game.periods_played + 1)],
        "teams": {side: {"team": ref[side], "goals": game.score(side),
                         "shotsOnGoal": skater_stats(side)["shots"]} for side in ("home", "away")},
        "hasShootout": bool(game.shootout),
    }
    if game.shootout:
        linescore["shootoutInfo"] = {
            side: {"scores": sum(1 for a in game.shootout if a["side"] == side
                                 and a["result"] == "goal"),
                   "attempts": sum(1 for a in game.shootout if a["side"] == side)}
            for side in ("away", "home")}
    boxscore = {"teams": {side: {
        "team": ref[side], "teamStats": {"teamSkaterStats": skater_stats(side)},
        "players": {f"ID{p['id']}": {"person": {"id": p["id"],
                                                "fullName": f"{p['first']} {p['last']}"},
                                     "jerseyNumber": str(p["number"]),
                                     "position": {"code": p["pos"]}}
                    for p in game.roster[side]}} for side in ("home", "away")}}
    state = "Final" if spec["state"] == "final" else "Live"
    return {
        "copyright": "Synthetic game made by lamtool's tests/tools/make_nhl_games.py; "
                     "not NHL data.",
        "gamePk": spec["id"],
        "gameData": {
            "game": {"pk": spec["id"], "season": "19171918",
                     "type": {2: "R", 3: "P"}[spec["game_type"]]},
            "datetime": {"dateTime": spec["start"]},
            "status": {"abstractGameState": state, "detailedState": state},
            "teams": {"away": team_data("away"), "home": team_data("home")},
        },
        "liveData": {"plays": {"allPlays": plays}, "linescore": linescore, "boxscore": boxscore},
    }


# ---- the games ----------------------------------------------------------------------


def p(home, away, **kw):
    """One period: per team goals, saved shots, missed, blocked (and power-play shots)."""
    names = ("goals", "saved", "missed", "blocked", "pp")
    return dict(home=dict(zip(names, home)), away=dict(zip(names, away)), **kw)


GAMES = [
    # The setup demo: a full regulation game, home wins 4-2.
    dict(dir=DEMO, format="apiweb", id=1917020900, away="GUL", home="PIN", game_type=2,
         state="final", date="2026-01-17", start="2026-01-18T01:00:00Z",
         home_defends_left_p1=False,
         periods=[p((1, 10, 5, 6, 2), (1, 8, 4, 5, 0)), p((2, 11, 4, 5, 0), (0, 9, 6, 7, 2)),
                  p((1, 9, 6, 4, 2), (1, 12, 5, 6, 0))]),
    # Regulation, api-web, home defends left in period 1.
    dict(dir=FIXTURES, format="apiweb", id=1917020901, away="OWL", home="FOX", game_type=2,
         state="final", date="2025-11-08", start="2025-11-09T03:00:00Z",
         home_defends_left_p1=True,
         periods=[p((1, 9, 5, 6, 2), (0, 10, 4, 5, 2)), p((1, 12, 6, 7, 0), (2, 8, 5, 6, 2)),
                  p((0, 11, 4, 5, 2), (1, 7, 6, 4, 0))]),
    # Overtime (3 on 3) and a shootout, api-web: 3-3 after overtime, away wins the shootout.
    dict(dir=FIXTURES, format="apiweb", id=1917020902, away="ELK", home="BEE", game_type=2,
         state="final", date="2025-12-02", start="2025-12-03T00:30:00Z",
         home_defends_left_p1=False,
         periods=[p((1, 10, 4, 5, 2), (1, 9, 5, 6, 0)), p((1, 8, 5, 7, 0), (2, 10, 3, 4, 2)),
                  p((1, 11, 5, 6, 2), (0, 9, 4, 5, 0)), p((0, 3, 2, 1), (0, 4, 2, 1))],
         shootout=[("home", "goal"), ("away", "goal"), ("home", "shot"), ("away", "goal"),
                   ("home", "missed")]),
    # Overtime and a shootout, statsapi: 2-2, home wins the shootout.
    dict(dir=FIXTURES, format="statsapi", id=1917020903, away="OWL", home="BEE", game_type=2,
         state="final", start="2017-10-21T23:00:00Z",
         home_defends_left_p1=True,
         periods=[p((1, 11, 5, 6), (0, 9, 4, 5)), p((0, 9, 6, 7), (1, 12, 5, 6)),
                  p((1, 10, 4, 5), (1, 8, 6, 4)), p((0, 3, 1, 1), (0, 2, 2, 0))],
         shootout=[("away", "shot"), ("home", "goal"), ("away", "missed"), ("home", "shot"),
                   ("away", "shot")]),
    # A playoff game won in (5 on 5, 20-minute) overtime, statsapi.
    dict(dir=FIXTURES, format="statsapi", id=1917030411, away="FOX", home="ELK", game_type=3,
         state="final", start="2023-05-13T23:00:00Z",
         home_defends_left_p1=False,
         periods=[p((1, 9, 4, 6), (0, 11, 5, 5)), p((1, 10, 5, 7), (2, 9, 4, 6)),
                  p((1, 8, 6, 4), (1, 10, 5, 5)), p((0, 4, 2, 2), (1, 3, 1, 1), until=600)]),
    # Early in a live game: away has no shot at all, home two (a singular covariance).
    dict(dir=FIXTURES, format="apiweb", id=1917020905, away="BEE", home="OWL", game_type=2,
         state="live", date="2026-02-03", start="2026-02-04T00:00:00Z",
         home_defends_left_p1=True, periods=[p((0, 1, 1, 0), (0, 0, 0, 0), until=240)]),
    # Early in a live game, statsapi: home one shot, away two (and one blocked shot each,
    # counted but not drawn).
    dict(dir=FIXTURES, format="statsapi", id=1917020906, away="PIN", home="GUL", game_type=2,
         state="live", start="2026-02-06T00:00:00Z",
         home_defends_left_p1=False, periods=[p((0, 1, 0, 1), (0, 1, 1, 1), until=300)]),
]


def file_name(spec, game):
    return f"{spec['format']}_{spec['id']}_{game.away['abbrev']}-at-{game.home['abbrev']}.json"


def json_text(doc):
    return json.dumps(doc, indent=1, ensure_ascii=True) + "\n"


def main():
    check = sys.argv[1:] == ["--check"]
    if sys.argv[1:] and not check:
        sys.exit("usage: make_nhl_games.py [--check]")
    files, totals = {}, {}
    for spec in GAMES:
        game = Game(spec)
        path = os.path.join(spec["dir"], file_name(spec, game))
        files[path] = json_text(apiweb(game) if spec["format"] == "apiweb" else statsapi(game))
        totals[path] = game.totals()
    files[os.path.join(FIXTURES, "totals.json")] = json_text(totals)
    stale = []
    for path, text in files.items():
        full = os.path.join(ROOT, path)
        if check:
            try:
                with open(full, encoding="utf-8") as f:
                    same = f.read() == text
            except OSError:
                same = False
            if not same:
                stale.append(path)
            continue
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)
    if stale:
        sys.exit("not what make_nhl_games.py writes (run it and commit): " + " ".join(stale))


if __name__ == "__main__":
    main()
