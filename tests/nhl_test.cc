// The NHL data layer against the project's own games (tests/tools/make_nhl_games.py),
// small games built here, and the four real games in the shared data (read in place:
// their licence does not allow copying them; skipped when they are absent).

#include "lamtool/nhl.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "lamtool/error.h"
#include "nhl_games.h"
#include "shared_data.h"
#include "temp_dir.h"

namespace lamtool::nhl {
namespace {

using nlohmann::json;

json load(const std::string& path) { return json::parse(test::slurp(path)); }

// The real games, from ../shared/data/shotmap (or $LAMTOOL_SHARED_DATA_DIR/shotmap).
class NhlRealGames : public test::SharedDataTest {
 protected:
  std::string folder() const override { return "shotmap"; }
  std::string stl() const { return path("apiweb_2024020003_STL-at-SEA.json"); }
  std::string sea() const { return path("apiweb_2024020033_SEA-at-MIN.json"); }
  std::string mtl() const { return path("statsapi_2017020006_MTL-at-BUF.json"); }
  std::string dal() const { return path("statsapi_2022030236_DAL-at-SEA.json"); }
  std::vector<std::string> all() const { return {stl(), sea(), mtl(), dal()}; }
};

// The project's full games (the live ones have too few shots for statistics).
std::vector<test::ProjectGame> full_project_games() {
  std::vector<test::ProjectGame> out;
  for (test::ProjectGame& g : test::project_games())
    if (g.totals["final"].get<bool>()) out.push_back(std::move(g));
  return out;
}

// ---- game ids ---------------------------------------------------------------------

TEST(NhlGameId, AcceptsValidIds) {
  for (const char* id : {"2024020003", "2017020006", "2022030236", "1917020001", "2023041312",
                         "2024021290", "2024010001"})
    EXPECT_NO_THROW(validate_game_id(id)) << id;
}

std::string id_error(const std::string& id) {
  try {
    validate_game_id(id);
  } catch (const UsageError& e) {
    EXPECT_EQ(e.exit_code(), 64);
    return e.what();
  }
  return "(accepted)";
}

TEST(NhlGameId, SaysWhichPartIsWrong) {
  EXPECT_NE(id_error("202402003").find("10 digits"), std::string::npos);
  EXPECT_NE(id_error("20240200a3").find("10 digits"), std::string::npos);
  EXPECT_NE(id_error("1916020001").find("season year 1916"), std::string::npos);
  EXPECT_NE(id_error("3024020001").find("season year 3024"), std::string::npos);
  EXPECT_NE(id_error("2024050001").find("game type 05"), std::string::npos);
  EXPECT_NE(id_error("2024000001").find("game type 00"), std::string::npos);
  EXPECT_NE(id_error("2024020000").find("game number 0000"), std::string::npos);
  EXPECT_NE(id_error("2024021313").find("game number 1313"), std::string::npos);
  EXPECT_NE(id_error("2024021313").find("'2024021313'"), std::string::npos);
}

// ---- counts equal the files' own totals ----------------------------------------------

struct Expected {
  int sog, goals, missed, blocked;
};

void expect_counts(const Game& g, Side side, const Expected& e) {
  TeamCounts c = g.counts(side);
  SCOPED_TRACE(std::string(to_string(side)));
  EXPECT_EQ(c.shots_on_goal, e.sog);
  EXPECT_EQ(c.goals, e.goals);
  EXPECT_EQ(c.missed, e.missed);
  EXPECT_EQ(c.blocked, e.blocked);
  EXPECT_EQ(c.unplaced, 0);  // every shot in these files has coordinates
}

// statsapi: the boxscore's shots and goals; blocked shots of one team are the other
// team's boxscore "blocked" (blocks made). Missed shots have no published total: the
// numbers come from an independent count (Python, or the generator's own).
void check_statsapi(const std::string& path, int home_missed, int away_missed) {
  SCOPED_TRACE(path);
  Game g = read_game_file(path);
  json f = load(path);
  const json& box = f["liveData"]["boxscore"]["teams"];
  auto stats = [&](const char* s) { return box[s]["teamStats"]["teamSkaterStats"]; };
  expect_counts(g, Side::kHome,
                {stats("home")["shots"].get<int>(), stats("home")["goals"].get<int>(), home_missed,
                 stats("away")["blocked"].get<int>()});
  expect_counts(g, Side::kAway,
                {stats("away")["shots"].get<int>(), stats("away")["goals"].get<int>(), away_missed,
                 stats("home")["blocked"].get<int>()});
  // The linescore's per-period shots on goal, summed, agree too.
  int home = 0, away = 0;
  for (const json& p : f["liveData"]["linescore"]["periods"]) {
    home += p["home"]["shotsOnGoal"].get<int>();
    away += p["away"]["shotsOnGoal"].get<int>();
  }
  EXPECT_EQ(g.counts(Side::kHome).shots_on_goal, home);
  EXPECT_EQ(g.counts(Side::kAway).shots_on_goal, away);
}

// api-web: shots on goal are homeTeam.sog / awayTeam.sog; goals are the running score
// in the last goal play before any shootout (details.homeScore / awayScore).
void check_apiweb(const std::string& path, Expected home, Expected away) {
  SCOPED_TRACE(path);
  Game g = read_game_file(path);
  json f = load(path);
  int home_goals = 0, away_goals = 0;
  for (const json& p : f["plays"])
    if (p["typeDescKey"] == "goal" && p["periodDescriptor"]["periodType"] != "SO") {
      home_goals = p["details"]["homeScore"].get<int>();
      away_goals = p["details"]["awayScore"].get<int>();
    }
  home.sog = f["homeTeam"]["sog"].get<int>();
  away.sog = f["awayTeam"]["sog"].get<int>();
  home.goals = home_goals;
  away.goals = away_goals;
  expect_counts(g, Side::kHome, home);
  expect_counts(g, Side::kAway, away);
  EXPECT_EQ(g.home_score, f["homeTeam"]["score"].get<int>());
  EXPECT_EQ(g.away_score, f["awayTeam"]["score"].get<int>());
}

TEST(NhlProjectGames, CountsEqualTheFilesAndTheGeneratorsTotals) {
  for (const test::ProjectGame& pg : test::project_games()) {
    const json& t = pg.totals;
    auto missed = [&](const char* side) { return t[side]["missed"].get<int>(); };
    if (t["format"] == "statsapi")
      check_statsapi(pg.path, missed("home"), missed("away"));
    else
      check_apiweb(pg.path, {0, 0, missed("home"), t["home"]["blocked"].get<int>()},
                   {0, 0, missed("away"), t["away"]["blocked"].get<int>()});
    // And every count equals the generator's own.
    SCOPED_TRACE(pg.path);
    Game g = read_game_file(pg.path);
    for (Side side : {Side::kHome, Side::kAway}) {
      const json& e = t[std::string(to_string(side))];
      expect_counts(g, side,
                    {e["shots_on_goal"].get<int>(), e["goals"].get<int>(), e["missed"].get<int>(),
                     e["blocked"].get<int>()});
      EXPECT_EQ(side == Side::kHome ? g.home_score : g.away_score, e["score"].get<int>());
      EXPECT_EQ((side == Side::kHome ? g.home : g.away).abbrev, e["abbrev"].get<std::string>());
    }
    EXPECT_EQ(g.game_id, t["game_id"].get<std::string>());
    EXPECT_EQ(g.format, t["format"] == "apiweb" ? SourceFormat::kApiWeb : SourceFormat::kStatsApi);
    EXPECT_EQ(g.shootout_attempts, t["shootout_attempts"].get<int>());
    EXPECT_EQ(g.last_period, t["last_period"].get<int>());
    EXPECT_EQ(to_string(g.last_period_type), t["last_period_type"].get<std::string>());
    EXPECT_EQ(g.final, t["final"].get<bool>());
    EXPECT_TRUE(g.inferred_periods.empty());
  }
}

TEST(NhlProjectGames, OvertimeAndShootout) {
  for (const char* id : {"1917020902", "1917020903", "1917030411"}) {
    test::ProjectGame pg = test::project_game(id);
    SCOPED_TRACE(pg.path);
    Game g = read_game_file(pg.path);
    int overtime = 0, three_on_three = 0;
    for (const ShotEvent& s : g.shots) {
      EXPECT_NE(s.period_type, PeriodType::kShootout);
      if (s.period_type != PeriodType::kOvertime) continue;
      ++overtime;
      EXPECT_EQ(s.period, 4);
      three_on_three += s.strength && s.strength->label() == "3v3";
    }
    EXPECT_EQ(overtime,
              pg.totals["home"]["overtime"].get<int>() + pg.totals["away"]["overtime"].get<int>());
    EXPECT_GT(overtime, 0);
    // Regular-season overtime is 3 on 3 (situationCode 1331); statsapi has no strength.
    if (g.format == SourceFormat::kApiWeb) {
      EXPECT_EQ(three_on_three, overtime);
    }
  }
  // The shootout winner is credited one goal in the score, not in the goals.
  Game so = read_game_file(test::project_game("1917020902").path);
  EXPECT_EQ(so.last_period_type, PeriodType::kShootout);
  EXPECT_EQ(so.away_score, so.counts(Side::kAway).goals + 1);
  EXPECT_EQ(so.home_score, so.counts(Side::kHome).goals);
  Game playoff = read_game_file(test::project_game("1917030411").path);
  EXPECT_EQ(playoff.last_period_type, PeriodType::kOvertime);
  EXPECT_EQ(playoff.shootout_attempts, 0);
}

TEST(NhlProjectGames, LiveGamesWithZeroOneAndTwoShots) {
  Game a = read_game_file(test::project_game("1917020905").path);
  EXPECT_FALSE(a.final);
  EXPECT_EQ(a.last_period, 1);
  EXPECT_EQ(a.counts(Side::kAway).shots_on_goal + a.counts(Side::kAway).missed, 0);
  EXPECT_EQ(a.counts(Side::kHome).shots_on_goal + a.counts(Side::kHome).missed, 2);
  Game b = read_game_file(test::project_game("1917020906").path);
  EXPECT_FALSE(b.final);
  EXPECT_EQ(b.counts(Side::kHome).shots_on_goal + b.counts(Side::kHome).missed, 1);
  EXPECT_EQ(b.counts(Side::kAway).shots_on_goal + b.counts(Side::kAway).missed, 2);
}

TEST_F(NhlRealGames, MtlAtBufMatchesBoxscoreAndDropsShootout) {
  // Missed: BUF 9+6+1, MTL 2+2+3+1 (periods 1, 2, 3, OT).
  check_statsapi(mtl(), 16, 8);
  Game g = read_game_file(mtl());
  EXPECT_EQ(g.game_id, "2017020006");
  EXPECT_EQ(g.format, SourceFormat::kStatsApi);
  EXPECT_EQ(g.home.abbrev, "BUF");
  EXPECT_EQ(g.away.abbrev, "MTL");
  // data/README.md: shots on goal MTL 40, BUF 45, and a shootout win.
  EXPECT_EQ(g.counts(Side::kAway).shots_on_goal, 40);
  EXPECT_EQ(g.counts(Side::kHome).shots_on_goal, 45);
  EXPECT_EQ(g.counts(Side::kHome).goals, 2);
  EXPECT_EQ(g.counts(Side::kAway).goals, 2);
  // Official score 3-2 MTL: the shootout winner is credited one goal.
  EXPECT_EQ(g.away_score, 3);
  EXPECT_EQ(g.home_score, 2);
  EXPECT_EQ(g.shootout_attempts, 5);  // 3 BUF + 2 MTL attempts (linescore.shootoutInfo)
  EXPECT_EQ(g.last_period, 5);
  EXPECT_EQ(g.last_period_type, PeriodType::kShootout);
  EXPECT_TRUE(g.final);
  EXPECT_EQ(g.date, "2017-10-05");
  for (const ShotEvent& s : g.shots) EXPECT_NE(s.period_type, PeriodType::kShootout);
}

TEST_F(NhlRealGames, DalAtSeaMatchesBoxscore) {
  // Missed: SEA 4+6+4, DAL 6+9+6.
  check_statsapi(dal(), 14, 21);
  Game g = read_game_file(dal());
  EXPECT_EQ(g.home.abbrev, "SEA");
  EXPECT_EQ(g.date, "2023-05-13");  // 23:00Z is 16:00 in Seattle
  EXPECT_EQ(g.home_score, 6);
  EXPECT_EQ(g.away_score, 3);
  EXPECT_EQ(g.last_period, 3);
  EXPECT_EQ(g.last_period_type, PeriodType::kRegular);
  EXPECT_EQ(g.shootout_attempts, 0);
}

TEST_F(NhlRealGames, StlAtSeaMatchesPublishedTotals) {
  // Missed and blocked by an independent Python count (typeDescKey, eventOwnerTeamId).
  check_apiweb(stl(), {0, 0, 18, 20}, {0, 0, 16, 17});
  Game g = read_game_file(stl());
  EXPECT_EQ(g.counts(Side::kHome).shots_on_goal, 32);  // SEA, homeTeam.sog
  EXPECT_EQ(g.counts(Side::kAway).shots_on_goal, 25);  // STL, awayTeam.sog
  EXPECT_EQ(g.home.name, "Kraken");
  EXPECT_EQ(g.away.id, 19);
  EXPECT_EQ(g.date, "2024-10-08");
  EXPECT_TRUE(g.final);
  EXPECT_EQ(g.last_period, 3);
  EXPECT_EQ(g.format, SourceFormat::kApiWeb);
}

TEST_F(NhlRealGames, SeaAtMinDropsShootoutGoals) {
  // Missed: MIN 7 + 1 (OT), SEA 9 + 3; blocked: MIN 17, SEA 8 + 2.
  check_apiweb(sea(), {0, 0, 8, 17}, {0, 0, 12, 10});
  Game g = read_game_file(sea());
  // SEA won 5-4 in the shootout: 4-4 after overtime plus the shootout goal.
  EXPECT_EQ(g.counts(Side::kAway).goals, 4);
  EXPECT_EQ(g.counts(Side::kHome).goals, 4);
  EXPECT_EQ(g.away_score, 5);
  EXPECT_EQ(g.shootout_attempts, 5);  // SEA 2 goals; MIN 1 goal, 1 saved, 1 missed
  EXPECT_EQ(g.last_period_type, PeriodType::kShootout);
  int overtime = 0;
  for (const ShotEvent& s : g.shots) {
    EXPECT_NE(s.period_type, PeriodType::kShootout);
    overtime += s.period_type == PeriodType::kOvertime;
    ASSERT_TRUE(s.strength.has_value());
  }
  EXPECT_EQ(overtime, 10);  // 4 saved, 4 missed, 2 blocked in the 3-on-3 overtime
}

TEST_F(NhlRealGames, ApiWebStrengthFromSituationCode) {
  Game g = read_game_file(sea());
  int three_on_three = 0;
  for (const ShotEvent& s : g.shots)
    if (s.period_type == PeriodType::kOvertime && s.strength->label() == "3v3") ++three_on_three;
  EXPECT_EQ(three_on_three, 10);  // regular-season overtime is 3 on 3 (situationCode 1331)
}

// Blocked shots belong to the shooter's team. The files name the shooter; the shooter's
// team comes from the file's own roster: api-web rosterSpots, statsapi boxscore players.
// Returns how many blocked shots were checked.
int check_blocked_shooters(const std::string& path) {
  Game g = read_game_file(path);
  json f = load(path);
  std::map<int, Side> roster;  // player id -> side
  std::map<int, int> shooter;  // event id -> shooting player id
  if (f.contains("plays")) {
    int home_id = f["homeTeam"]["id"].get<int>();
    for (const json& r : f["rosterSpots"])
      roster[r["playerId"].get<int>()] = r["teamId"] == home_id ? Side::kHome : Side::kAway;
    for (const json& p : f["plays"])
      if (p["typeDescKey"] == "blocked-shot")
        shooter[p["eventId"].get<int>()] = p["details"]["shootingPlayerId"].get<int>();
  } else {
    for (const char* side : {"home", "away"})
      for (const auto& [key, player] : f["liveData"]["boxscore"]["teams"][side]["players"].items())
        roster[player["person"]["id"].get<int>()] = side[0] == 'h' ? Side::kHome : Side::kAway;
    for (const json& p : f["liveData"]["plays"]["allPlays"])
      if (p["result"]["eventTypeId"] == "BLOCKED_SHOT")
        for (const json& who : p["players"])
          if (who["playerType"] == "Shooter")
            shooter[p["about"]["eventId"].get<int>()] = who["player"]["id"].get<int>();
  }
  int checked = 0;
  for (const ShotEvent& s : g.shots) {
    if (s.kind != ShotKind::kBlocked) continue;
    EXPECT_TRUE(shooter.count(s.event_id)) << path << " event " << s.event_id;
    EXPECT_TRUE(roster.count(shooter[s.event_id])) << path << " event " << s.event_id;
    EXPECT_EQ(s.team, roster[shooter[s.event_id]]) << path << " event " << s.event_id;
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(shooter.size())) << path;
  return checked;
}

TEST_F(NhlRealGames, BlockedShotsBelongToTheShootersTeam) {
  for (const std::string& path : all()) EXPECT_GT(check_blocked_shooters(path), 20) << path;
}

TEST(NhlProjectGames, BlockedShotsBelongToTheShootersTeam) {
  for (const test::ProjectGame& pg : test::project_games())
    EXPECT_EQ(check_blocked_shooters(pg.path),
              pg.totals["home"]["blocked"].get<int>() + pg.totals["away"]["blocked"].get<int>())
        << pg.path;
}

// ---- direction: each team's shots land in its attacking half -------------------------

// Per side, the number of placed shots and of those in the side's attacking half.
std::map<Side, std::pair<int, int>> attacking_half(const std::string& path) {
  Game g = read_game_file(path);
  EXPECT_TRUE(g.inferred_periods.empty()) << path;
  std::map<Side, std::pair<int, int>> out;
  for (const ShotEvent& s : g.shots) {
    if (!s.placed) continue;
    auto& [n, in_half] = out[s.team];
    ++n;
    in_half += s.team == Side::kHome ? s.x > 0 : s.x < 0;
    EXPECT_FALSE(s.direction_inferred);
  }
  return out;
}

TEST_F(NhlRealGames, MostShotsLandInTheAttackingHalf) {
  for (const std::string& path : all()) {
    for (const auto& [side, counts] : attacking_half(path)) {
      ASSERT_GT(counts.first, 30) << path;
      // Shots from the own half are rare (dump-ins at an empty net): at least 95%.
      EXPECT_GE(counts.second, counts.first * 95 / 100) << path << " " << to_string(side);
    }
  }
}

TEST(NhlProjectGames, ShotsLandInTheAttackingHalf) {
  for (const test::ProjectGame& pg : test::project_games()) {
    for (const auto& [side, counts] : attacking_half(pg.path)) {
      const json& t = pg.totals[std::string(to_string(side))];
      EXPECT_EQ(counts.first, t["drawn"].get<int>() + t["blocked"].get<int>()) << pg.path;
      EXPECT_EQ(counts.second, t["attacking_half"].get<int>()) << pg.path;
    }
  }
}

int shots_on_the_centre_line(const std::string& path) {
  int zero = 0;
  for (const ShotEvent& s : read_game_file(path).shots) zero += s.placed && s.y == 0;
  return zero;
}

TEST_F(NhlRealGames, KeepsShotsOnTheCentreLine) {
  // Shots at y = 0 (counted with Python): 3 + 3 in the statsapi, 2 + 4 in the api-web games.
  EXPECT_EQ(shots_on_the_centre_line(mtl()), 3);
  EXPECT_EQ(shots_on_the_centre_line(dal()), 3);
  EXPECT_EQ(shots_on_the_centre_line(stl()), 2);
  EXPECT_EQ(shots_on_the_centre_line(sea()), 4);
}

TEST(NhlProjectGames, KeepsShotsOnTheCentreLine) {
  int total = 0;
  for (const test::ProjectGame& pg : test::project_games()) {
    int expected = pg.totals["home"]["y_zero"].get<int>() + pg.totals["away"]["y_zero"].get<int>();
    EXPECT_EQ(shots_on_the_centre_line(pg.path), expected) << pg.path;
    total += expected;
  }
  EXPECT_GT(total, 10);
}

// Removes every rink side from a game: the fallback (mean x of each team's shots per
// period) must place every shot exactly where the file's sides put it.
void check_inference(const std::string& path) {
  json doc = load(path);
  if (doc.contains("plays")) {
    for (json& p : doc["plays"]) p.erase("homeTeamDefendingSide");
  } else {
    for (json& p : doc["liveData"]["linescore"]["periods"]) {
      p["home"].erase("rinkSide");
      p["away"].erase("rinkSide");
    }
  }
  Game with = read_game_file(path);
  Game without = parse_game(doc.dump(), path);
  EXPECT_EQ(
      without.inferred_periods.size(),
      static_cast<size_t>(with.last_period_type == PeriodType::kShootout ? 4 : with.last_period))
      << path;
  ASSERT_EQ(with.shots.size(), without.shots.size());
  for (size_t i = 0; i < with.shots.size(); ++i) {
    EXPECT_TRUE(without.shots[i].direction_inferred);
    EXPECT_EQ(with.shots[i].x, without.shots[i].x) << path << " shot " << i;
    EXPECT_EQ(with.shots[i].y, without.shots[i].y) << path << " shot " << i;
  }
}

TEST_F(NhlRealGames, InferenceReproducesTheFilesOwnSides) {
  for (const std::string& path : all()) check_inference(path);
}

TEST(NhlProjectGames, InferenceReproducesTheFilesOwnSides) {
  for (const test::ProjectGame& pg : full_project_games()) check_inference(pg.path);
}

// ---- small games built here ---------------------------------------------------------

json apiweb_play(int id, const char* type, int period, const char* side, int owner, json xy) {
  json play = {
      {"eventId", id},
      {"typeDescKey", type},
      {"situationCode", "1551"},
      {"periodDescriptor", {{"number", period}, {"periodType", period <= 3 ? "REG" : "OT"}}},
      {"details", {{"eventOwnerTeamId", owner}}}};
  if (side) play["homeTeamDefendingSide"] = side;
  if (!xy.is_null()) {
    play["details"]["xCoord"] = xy[0];
    play["details"]["yCoord"] = xy[1];
  }
  return play;
}

json apiweb_game(json plays, const char* state = "OFF") {
  return {
      {"id", 2024020999},
      {"gameType", 2},
      {"gameDate", "2024-11-01"},
      {"gameState", state},
      {"homeTeam", {{"id", 1}, {"abbrev", "HOM"}, {"score", 1}, {"name", {{"default", "Home"}}}}},
      {"awayTeam", {{"id", 2}, {"abbrev", "AWY"}, {"score", 0}}},
      {"periodDescriptor", {{"number", 2}, {"periodType", "REG"}}},
      {"plays", std::move(plays)}};
}

TEST(NhlSmallGames, TurnsPeriodsWhereHomeDefendsRight) {
  json plays = json::array({apiweb_play(1, "shot-on-goal", 1, "left", 1, {80, 10}),
                            apiweb_play(2, "shot-on-goal", 2, "right", 1, {-80, 10}),
                            apiweb_play(3, "missed-shot", 2, "right", 2, {70, -5})});
  Game g = parse_game(apiweb_game(plays).dump(), "small.json");
  ASSERT_EQ(g.shots.size(), 3u);
  EXPECT_EQ(g.shots[0].x, 80);
  EXPECT_EQ(g.shots[0].y, 10);
  // Period 2: home defends the right end, so the rink is turned: (-80, 10) -> (80, -10).
  EXPECT_EQ(g.shots[1].x, 80);
  EXPECT_EQ(g.shots[1].y, -10);
  EXPECT_EQ(g.shots[2].team, Side::kAway);
  EXPECT_EQ(g.shots[2].x, -70);
  EXPECT_EQ(g.shots[2].y, 5);
  EXPECT_EQ(g.home.name, "Home");
  EXPECT_EQ(g.away.name, "AWY");  // no name given: the abbreviation
}

TEST(NhlSmallGames, InfersAMissingSideFromWhereShotsCluster) {
  // Period 2 names no side: home shoots at x ~ -75, away at ~ +60, so home attacks
  // left there, i.e. defends the right end, and its shots are turned to +x.
  json plays = json::array({apiweb_play(1, "shot-on-goal", 1, "left", 1, {80, 0}),
                            apiweb_play(2, "shot-on-goal", 2, nullptr, 1, {-70, 3}),
                            apiweb_play(3, "goal", 2, nullptr, 1, {-80, -2}),
                            apiweb_play(4, "missed-shot", 2, nullptr, 2, {60, 1})});
  Game g = parse_game(apiweb_game(plays).dump(), "small.json");
  EXPECT_EQ(g.inferred_periods, std::vector<int>{2});
  EXPECT_FALSE(g.shots[0].direction_inferred);
  EXPECT_TRUE(g.shots[1].direction_inferred);
  EXPECT_EQ(g.shots[1].x, 70);
  EXPECT_EQ(g.shots[2].x, 80);
  EXPECT_EQ(g.shots[3].x, -60);
}

TEST(NhlSmallGames, UsesThePeriodSideWhenOnePlayLacksIt) {
  json plays = json::array({apiweb_play(1, "faceoff", 2, "right", 1, nullptr),
                            apiweb_play(2, "shot-on-goal", 2, nullptr, 1, {-70, 3})});
  plays[0].erase("details");
  Game g = parse_game(apiweb_game(plays).dump(), "small.json");
  EXPECT_TRUE(g.inferred_periods.empty());
  EXPECT_EQ(g.shots[0].x, 70);
}

TEST(NhlSmallGames, CountsShotsWithoutCoordinatesButDoesNotPlaceThem) {
  json plays = json::array({apiweb_play(1, "shot-on-goal", 1, "left", 1, {80, 0}),
                            apiweb_play(2, "goal", 1, "left", 1, nullptr)});
  Game g = parse_game(apiweb_game(plays).dump(), "small.json");
  TeamCounts c = g.counts(Side::kHome);
  EXPECT_EQ(c.shots_on_goal, 2);
  EXPECT_EQ(c.goals, 1);
  EXPECT_EQ(c.unplaced, 1);
  EXPECT_FALSE(g.shots[1].placed);
}

TEST(NhlSmallGames, StatsapiBlockedShotBelongsToTheShooter) {
  auto play = [](const char* type, int team, int x) {
    return json{{"result", {{"eventTypeId", type}}},
                {"about", {{"period", 1}, {"periodType", "REGULAR"}, {"eventId", x}}},
                {"coordinates", {{"x", x}, {"y", 1}}},
                {"team", {{"id", team}}}};
  };
  json doc = {
      {"gameData",
       {{"game", {{"pk", 2017020001}, {"type", "R"}}},
        {"status", {{"abstractGameState", "Live"}}},
        {"teams",
         {{"home", {{"id", 7}, {"abbreviation", "BUF"}, {"name", "Buffalo Sabres"}}},
          {"away", {{"id", 8}, {"triCode", "MTL"}}}}}}},
      {"liveData",
       {{"linescore",
         {{"currentPeriod", 1},
          {"periods", json::array({{{"num", 1},
                                    {"periodType", "REGULAR"},
                                    {"home", json::object()},
                                    {"away", {{"rinkSide", "left"}}}}})}}},
        {"plays",
         {{"allPlays", json::array({play("BLOCKED_SHOT", 7, -60), play("SHOT", 7, -80)})}}}}}};
  Game g = parse_game(doc.dump(), "old.json");
  // team 7 (BUF, home) blocked the shot: the shooter is MTL. Away defends left, so home
  // defends right and the rink is turned.
  EXPECT_EQ(g.shots[0].team, Side::kAway);
  EXPECT_EQ(g.shots[0].kind, ShotKind::kBlocked);
  EXPECT_EQ(g.shots[0].x, 60);
  EXPECT_EQ(g.shots[1].team, Side::kHome);
  EXPECT_EQ(g.shots[1].x, 80);
  EXPECT_FALSE(g.final);
  EXPECT_EQ(g.away.abbrev, "MTL");
  EXPECT_FALSE(g.shots[0].strength.has_value());
}

// ---- bad input ----------------------------------------------------------------------

std::string data_error(const std::string& text, const ParseOptions& options = {}) {
  try {
    parse_game(text, "game.json", options);
  } catch (const DataError& e) {
    EXPECT_EQ(e.exit_code(), 65);
    return e.what();
  }
  return "(accepted)";
}

TEST(NhlBadInput, TruncatedFileIsDataErrorNamingIt) {
  std::string text = test::slurp(test::project_game("1917020901").path);
  std::string msg = data_error(text.substr(0, text.size() / 2));
  EXPECT_NE(msg.find("'game.json'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("malformed JSON"), std::string::npos) << msg;
}

TEST(NhlBadInput, NonNhlJsonIsDataError) {
  EXPECT_NE(data_error(R"({"Records": []})").find("not an NHL play-by-play"), std::string::npos);
  EXPECT_NE(data_error("[1, 2]").find("not a JSON object"), std::string::npos);
}

TEST(NhlBadInput, MissingFieldIsNamed) {
  json doc = apiweb_game(json::array({apiweb_play(1, "shot-on-goal", 1, "left", 1, {80, 0})}));
  doc["plays"][0]["details"].erase("eventOwnerTeamId");
  EXPECT_NE(data_error(doc.dump()).find("missing field 'plays[0].details.eventOwnerTeamId'"),
            std::string::npos);
  doc = apiweb_game(json::array());
  doc["homeTeam"].erase("abbrev");
  EXPECT_NE(data_error(doc.dump()).find("missing field 'homeTeam.abbrev'"), std::string::npos);
  doc = apiweb_game(json::array({apiweb_play(1, "goal", 1, "left", 99, {80, 0})}));
  EXPECT_NE(data_error(doc.dump()).find("is 99, neither team"), std::string::npos);
  json old = load(test::project_game("1917020903").path);
  old["liveData"]["plays"]["allPlays"][3]["result"].erase("eventTypeId");
  EXPECT_NE(data_error(old.dump()).find("'liveData.plays.allPlays[3].result.eventTypeId'"),
            std::string::npos);
}

TEST(NhlBadInput, GameNotStartedOrWithoutShots) {
  json fut = apiweb_game(json::array(), "FUT");
  EXPECT_NE(
      data_error(fut.dump()).find("game 2024020999 in 'game.json' has not started (state FUT)"),
      std::string::npos);
  json live = apiweb_game(json::array({apiweb_play(1, "faceoff", 1, "left", 1, nullptr)}), "LIVE");
  EXPECT_NE(data_error(live.dump()).find("has no shots"), std::string::npos);
  Game g = parse_game(fut.dump(), "game.json", {.allow_empty = true});
  EXPECT_TRUE(g.shots.empty());
  EXPECT_FALSE(g.final);
}

TEST(NhlBadInput, MissingFileIsInputError) {
  EXPECT_THROW(read_game_file("/nonexistent/game.json"), InputError);
}

}  // namespace
}  // namespace lamtool::nhl
