// The legacy NHL statsapi feed (statsapi.web.nhl.com/api/v1/game/{id}/feed/live, shut
// down in 2023). For BLOCKED_SHOT the event's `team` is the BLOCKING team: in both
// fixtures each team's boxscore "blocked" (blocks made) equals the number of
// BLOCKED_SHOT events naming it, and the event's "Blocker" player is on that team.
// The shooter's team is therefore the other one.

#include <fmt/format.h>

#include "lamtool/clock.h"
#include "lamtool/error.h"
#include "nhl/parse.h"

namespace lamtool::nhl::detail {

using nlohmann::json;

namespace {

std::optional<ShotKind> shot_kind(const std::string& id) {
  if (id == "GOAL") return ShotKind::kGoal;
  if (id == "SHOT") return ShotKind::kShotOnGoal;
  if (id == "MISSED_SHOT") return ShotKind::kMissed;
  if (id == "BLOCKED_SHOT") return ShotKind::kBlocked;
  return std::nullopt;
}

PeriodType period_type(const std::optional<std::string>& type, int number, bool regular_season) {
  if (type == "SHOOTOUT") return PeriodType::kShootout;
  if (type == "OVERTIME") return PeriodType::kOvertime;
  if (type == "REGULAR") return PeriodType::kRegular;
  if (number == 5 && regular_season) return PeriodType::kShootout;
  return number <= 3 ? PeriodType::kRegular : PeriodType::kOvertime;
}

Team parse_team(const json& teams, const char* key, const std::string& source) {
  std::string where = std::string("gameData.teams.") + key;
  const json& t = member(teams, key, source, where);
  Team team;
  team.id = int_member(t, "id", source, where + ".id");
  auto abbrev = optional_string(t, "abbreviation", source, where + ".abbreviation");
  team.abbrev = abbrev ? *abbrev : string_member(t, "triCode", source, where + ".triCode");
  team.name = optional_string(t, "name", source, where + ".name").value_or(team.abbrev);
  return team;
}

// The game's date at the home arena: the UTC start plus the home venue's UTC offset
// (gameData.teams.home.venue.timeZone.offset, hours); the UTC date when it is absent.
std::string local_date(const json& gd, const std::string& source) {
  const json* dt = find(gd, "datetime");
  if (!dt) return "";
  std::string start =
      optional_string(*dt, "dateTime", source, "gameData.datetime.dateTime").value_or("");
  auto t = parse_rfc3339(start);
  if (!t) return start.substr(0, 10);
  const json* tz = find(gd, "teams");
  for (const char* key : {"home", "venue", "timeZone"}) tz = tz ? find(*tz, key) : nullptr;
  if (const json* offset = tz ? find(*tz, "offset") : nullptr; offset && offset->is_number())
    *t += std::chrono::seconds(static_cast<long long>(offset->get<double>() * 3600));
  return format_rfc3339(*t).substr(0, 10);
}

void parse_header(const json& doc, const std::string& source, ParsedFile& out) {
  Game& g = out.game;
  g.format = SourceFormat::kStatsApi;
  const json& gd = member(doc, "gameData", source, "gameData");
  const json& game = member(gd, "game", source, "gameData.game");
  g.game_id = std::to_string(int_member(game, "pk", source, "gameData.game.pk"));
  g.date = local_date(gd, source);
  const json& status = member(gd, "status", source, "gameData.status");
  g.state = string_member(status, "abstractGameState", source, "gameData.status.abstractGameState");
  g.final = g.state == "Final";
  out.not_started = g.state == "Preview";
  const json& teams = member(gd, "teams", source, "gameData.teams");
  g.home = parse_team(teams, "home", source);
  g.away = parse_team(teams, "away", source);
}

// linescore.teams.<side>.goals: the official score (a shootout winner gets one).
int score(const json& teams, const char* side, const std::string& source) {
  std::string where = std::string("liveData.linescore.teams.") + side;
  const json& team = member(teams, side, source, where);
  return static_cast<int>(optional_number(team, "goals", source, where + ".goals").value_or(0));
}

// Whether home defends the left end in one linescore period: home.rinkSide, else the
// opposite of away.rinkSide, else unknown.
std::optional<bool> home_defends_left(const json& period, const std::string& source,
                                      const std::string& where) {
  if (const json* home = find(period, "home")) {
    auto side = optional_string(*home, "rinkSide", source, where + ".home.rinkSide");
    if (auto left = defends_left(side)) return left;
  }
  if (const json* away = find(period, "away")) {
    auto side = optional_string(*away, "rinkSide", source, where + ".away.rinkSide");
    if (auto left = defends_left(side)) return !*left;
  }
  return std::nullopt;
}

// Scores, last period and each period's rink side from liveData.linescore.
void parse_linescore(const json& ls, const std::string& source, bool regular_season,
                     ParsedFile& out) {
  Game& g = out.game;
  if (const json* teams = find(ls, "teams")) {
    g.home_score = score(*teams, "home", source);
    g.away_score = score(*teams, "away", source);
  }
  g.last_period = static_cast<int>(
      optional_number(ls, "currentPeriod", source, "liveData.linescore.currentPeriod").value_or(0));
  const json* periods = find(ls, "periods");
  if (periods && !periods->is_array())
    fail(source, "field 'liveData.linescore.periods' is not an array");
  std::optional<std::string> last_type;
  for (size_t i = 0; periods && i < periods->size(); ++i) {
    const json& p = (*periods)[i];
    std::string where = fmt::format("liveData.linescore.periods[{}]", i);
    int num = int_member(p, "num", source, where + ".num");
    auto type = optional_string(p, "periodType", source, where + ".periodType");
    if (num == g.last_period) last_type = type;
    if (auto left = home_defends_left(p, source, where)) out.period_home_defends_left[num] = *left;
  }
  auto ordinal = optional_string(ls, "currentPeriodOrdinal", source,
                                 "liveData.linescore.currentPeriodOrdinal");
  if (ordinal == "SO") last_type = "SHOOTOUT";
  g.last_period_type = period_type(last_type, g.last_period, regular_season);
}

RawShot parse_shot(const json& play, ShotKind kind, const Game& g, int period, PeriodType type,
                   const std::string& source, const std::string& where) {
  const json& team = member(play, "team", source, where + ".team");
  int id = int_member(team, "id", source, where + ".team.id");
  if (id != g.home.id && id != g.away.id)
    fail(source, fmt::format("field '{}.team.id' is {}, neither team ({} or {})", where, id,
                             g.home.id, g.away.id));
  Side named = id == g.home.id ? Side::kHome : Side::kAway;
  RawShot r;
  // A blocked shot names the blocking team; the shooter is on the other one.
  if (kind == ShotKind::kBlocked) named = named == Side::kHome ? Side::kAway : Side::kHome;
  r.event.team = named;
  r.event.kind = kind;
  r.event.period = period;
  r.event.period_type = type;
  if (const json* about = find(play, "about");
      about && find(*about, "eventId") && (*about)["eventId"].is_number_integer())
    r.event.event_id = (*about)["eventId"].get<int>();
  if (const json* c = find(play, "coordinates")) {
    r.x = optional_number(*c, "x", source, where + ".coordinates.x");
    r.y = optional_number(*c, "y", source, where + ".coordinates.y");
  }
  return r;
}

}  // namespace

ParsedFile parse_statsapi(const json& doc, const std::string& source) {
  ParsedFile out;
  parse_header(doc, source, out);
  const json& game = doc["gameData"]["game"];
  bool regular_season = optional_string(game, "type", source, "gameData.game.type") == "R";
  const json& live = member(doc, "liveData", source, "liveData");
  parse_linescore(member(live, "linescore", source, "liveData.linescore"), source, regular_season,
                  out);
  const json& plays = member(member(live, "plays", source, "liveData.plays"), "allPlays", source,
                             "liveData.plays.allPlays");
  if (!plays.is_array()) fail(source, "field 'liveData.plays.allPlays' is not an array");
  for (size_t i = 0; i < plays.size(); ++i) {
    const json& play = plays[i];
    std::string where = fmt::format("liveData.plays.allPlays[{}]", i);
    const json& result = member(play, "result", source, where + ".result");
    auto kind =
        shot_kind(string_member(result, "eventTypeId", source, where + ".result.eventTypeId"));
    if (!kind) continue;
    const json& about = member(play, "about", source, where + ".about");
    int period = int_member(about, "period", source, where + ".about.period");
    PeriodType type =
        period_type(optional_string(about, "periodType", source, where + ".about.periodType"),
                    period, regular_season);
    if (type == PeriodType::kShootout) {
      ++out.game.shootout_attempts;
      continue;
    }
    out.shots.push_back(parse_shot(play, *kind, out.game, period, type, source, where));
  }
  return out;
}

}  // namespace lamtool::nhl::detail
