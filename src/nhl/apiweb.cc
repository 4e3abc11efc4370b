// The current NHL API (api-web.nhle.com): /v1/gamecenter/{id}/play-by-play.
// Checked against the two api-web fixtures: for every blocked-shot play,
// details.eventOwnerTeamId is the team of details.shootingPlayerId (rosterSpots), and
// the play lies in that team's attacking half, so the owner is the shooter's team.

#include <fmt/format.h>

#include "lamtool/error.h"
#include "nhl/parse.h"

namespace lamtool::nhl::detail {

using nlohmann::json;

namespace {

std::optional<ShotKind> shot_kind(const std::string& key) {
  if (key == "goal") return ShotKind::kGoal;
  if (key == "shot-on-goal") return ShotKind::kShotOnGoal;
  if (key == "missed-shot") return ShotKind::kMissed;
  if (key == "blocked-shot") return ShotKind::kBlocked;
  return std::nullopt;
}

Team parse_team(const json& doc, const char* key, const std::string& source) {
  const json& t = member(doc, key, source, key);
  std::string where = key;
  Team team;
  team.id = int_member(t, "id", source, where + ".id");
  team.abbrev = string_member(t, "abbrev", source, where + ".abbrev");
  if (const json* name = find(t, "name"))
    team.name = optional_string(*name, "default", source, where + ".name.default").value_or("");
  if (team.name.empty()) team.name = team.abbrev;
  return team;
}

PeriodType period_type(const std::optional<std::string>& type, int number, int game_type) {
  if (type == "SO") return PeriodType::kShootout;
  if (type == "OT") return PeriodType::kOvertime;
  if (type == "REG") return PeriodType::kRegular;
  // No type given: a fifth period of a regular-season game is the shootout.
  if (number == 5 && game_type == 2) return PeriodType::kShootout;
  return number <= 3 ? PeriodType::kRegular : PeriodType::kOvertime;
}

// situationCode "1551": away goalie, away skaters, home skaters, home goalie.
std::optional<Strength> strength(const std::optional<std::string>& code, Side shooter) {
  if (!code || code->size() != 4) return std::nullopt;
  for (char c : *code)
    if (c < '0' || c > '9') return std::nullopt;
  bool away_goalie = (*code)[0] == '1';
  int away_skaters = (*code)[1] - '0';
  int home_skaters = (*code)[2] - '0';
  bool home_goalie = (*code)[3] == '1';
  if (shooter == Side::kHome) return Strength{home_skaters, away_skaters, home_goalie, away_goalie};
  return Strength{away_skaters, home_skaters, away_goalie, home_goalie};
}

struct Context {
  const std::string& source;
  const Game& game;
  int game_type = 2;
};

std::pair<int, PeriodType> play_period(const json& play, const Context& ctx,
                                       const std::string& where) {
  const json& pd = member(play, "periodDescriptor", ctx.source, where + ".periodDescriptor");
  int number = int_member(pd, "number", ctx.source, where + ".periodDescriptor.number");
  auto type = optional_string(pd, "periodType", ctx.source, where + ".periodDescriptor.periodType");
  return {number, period_type(type, number, ctx.game_type)};
}

RawShot parse_shot(const json& play, ShotKind kind, const Context& ctx, const std::string& where) {
  const json& details = member(play, "details", ctx.source, where + ".details");
  int owner =
      int_member(details, "eventOwnerTeamId", ctx.source, where + ".details.eventOwnerTeamId");
  RawShot r;
  if (owner == ctx.game.home.id)
    r.event.team = Side::kHome;
  else if (owner == ctx.game.away.id)
    r.event.team = Side::kAway;
  else
    fail(ctx.source, fmt::format("field '{}.details.eventOwnerTeamId' is {}, neither team "
                                 "({} or {})",
                                 where, owner, ctx.game.home.id, ctx.game.away.id));
  r.event.kind = kind;
  std::tie(r.event.period, r.event.period_type) = play_period(play, ctx, where);
  r.event.event_id =
      find(play, "eventId") && play["eventId"].is_number_integer() ? play["eventId"].get<int>() : 0;
  r.event.strength = strength(
      optional_string(play, "situationCode", ctx.source, where + ".situationCode"), r.event.team);
  r.x = optional_number(details, "xCoord", ctx.source, where + ".details.xCoord");
  r.y = optional_number(details, "yCoord", ctx.source, where + ".details.yCoord");
  r.home_defends_left = defends_left(
      optional_string(play, "homeTeamDefendingSide", ctx.source, where + ".homeTeamDefendingSide"));
  return r;
}

void parse_header(const json& doc, const std::string& source, ParsedFile& out) {
  Game& g = out.game;
  g.format = SourceFormat::kApiWeb;
  g.game_id = std::to_string(int_member(doc, "id", source, "id"));
  g.date = optional_string(doc, "gameDate", source, "gameDate").value_or("");
  g.state = string_member(doc, "gameState", source, "gameState");
  g.final = g.state == "OFF" || g.state == "FINAL";
  out.not_started = g.state == "FUT" || g.state == "PRE";
  g.home = parse_team(doc, "homeTeam", source);
  g.away = parse_team(doc, "awayTeam", source);
  g.home_score = static_cast<int>(
      optional_number(doc["homeTeam"], "score", source, "homeTeam.score").value_or(0));
  g.away_score = static_cast<int>(
      optional_number(doc["awayTeam"], "score", source, "awayTeam.score").value_or(0));
}

// Counts, per period, the plays saying home defends left (first) or right (second).
using SideVotes = std::map<int, std::pair<int, int>>;

// A period's side is what most of its plays say (they agree in the fixtures).
void decide_sides(const SideVotes& votes, ParsedFile& out) {
  for (const auto& [period, v] : votes) out.period_home_defends_left[period] = v.first >= v.second;
}

// The game's own periodDescriptor: the period it has reached (or ended in).
void parse_current_period(const json& doc, const Context& ctx, Game& g) {
  const json* pd = find(doc, "periodDescriptor");
  if (!pd) return;
  g.last_period = int_member(*pd, "number", ctx.source, "periodDescriptor.number");
  auto type = optional_string(*pd, "periodType", ctx.source, "periodDescriptor.periodType");
  g.last_period_type = period_type(type, g.last_period, ctx.game_type);
}

}  // namespace

ParsedFile parse_apiweb(const json& doc, const std::string& source) {
  ParsedFile out;
  parse_header(doc, source, out);
  Context ctx{source, out.game};
  if (const json* gt = find(doc, "gameType"); gt && gt->is_number_integer())
    ctx.game_type = gt->get<int>();
  const json& plays = member(doc, "plays", source, "plays");
  if (!plays.is_array()) fail(source, "field 'plays' is not an array");
  SideVotes votes;
  for (size_t i = 0; i < plays.size(); ++i) {
    const json& play = plays[i];
    std::string where = fmt::format("plays[{}]", i);
    auto key = string_member(play, "typeDescKey", source, where + ".typeDescKey");
    auto [number, type] = play_period(play, ctx, where);
    if (number >= out.game.last_period) out.game.last_period_type = type;
    out.game.last_period = std::max(out.game.last_period, number);
    auto side = defends_left(
        optional_string(play, "homeTeamDefendingSide", source, where + ".homeTeamDefendingSide"));
    if (side) ++(*side ? votes[number].first : votes[number].second);
    auto kind = shot_kind(key);
    if (!kind) continue;
    if (type == PeriodType::kShootout) {
      ++out.game.shootout_attempts;
      continue;
    }
    out.shots.push_back(parse_shot(play, *kind, ctx, where));
  }
  decide_sides(votes, out);
  parse_current_period(doc, ctx, out.game);
  return out;
}

}  // namespace lamtool::nhl::detail
