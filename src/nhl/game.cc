// The model shared by both formats: ids, counts, direction, format dispatch.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lamtool/clock.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/nhl.h"
#include "nhl/parse.h"

namespace lamtool::nhl {

std::string_view to_string(Side side) { return side == Side::kHome ? "home" : "away"; }

std::string_view to_string(ShotKind kind) {
  switch (kind) {
    case ShotKind::kGoal:
      return "goal";
    case ShotKind::kShotOnGoal:
      return "shot-on-goal";
    case ShotKind::kMissed:
      return "missed";
    case ShotKind::kBlocked:
      return "blocked";
  }
  return "?";
}

std::string_view to_string(PeriodType type) {
  switch (type) {
    case PeriodType::kRegular:
      return "REG";
    case PeriodType::kOvertime:
      return "OT";
    case PeriodType::kShootout:
      return "SO";
  }
  return "?";
}

std::string Strength::label() const {
  return fmt::format("{}v{}", shooter_skaters, opponent_skaters);
}

bool Strength::is_5v5() const {
  return shooter_skaters == 5 && opponent_skaters == 5 && shooter_goalie && opponent_goalie;
}

TeamCounts count_shots(const std::vector<ShotEvent>& shots, Side side) {
  TeamCounts c;
  for (const ShotEvent& s : shots) {
    if (s.team != side) continue;
    if (!s.placed) ++c.unplaced;
    switch (s.kind) {
      case ShotKind::kGoal:
        ++c.goals;
        ++c.shots_on_goal;
        break;
      case ShotKind::kShotOnGoal:
        ++c.shots_on_goal;
        break;
      case ShotKind::kMissed:
        ++c.missed;
        break;
      case ShotKind::kBlocked:
        ++c.blocked;
        break;
    }
  }
  return c;
}

TeamCounts Game::counts(Side side) const { return count_shots(shots, side); }

namespace {

int current_year() {
  std::string now = format_rfc3339(process_clock().now());
  return std::stoi(now.substr(0, 4));
}

[[noreturn]] void bad_id(std::string_view id, std::string_view why) {
  throw UsageError(fmt::format("invalid game id '{}': {}", id, why));
}

}  // namespace

void validate_game_id(std::string_view id) {
  if (id.size() != 10 || !std::all_of(id.begin(), id.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      }))
    bad_id(id, "expected 10 digits: season year, game type, game number (e.g. 2024020003)");
  int year = std::stoi(std::string(id.substr(0, 4)));
  int last = current_year() + 1;
  if (year < 1917 || year > last)
    bad_id(id, fmt::format("season year {} is not between 1917 and {}", year, last));
  int type = std::stoi(std::string(id.substr(4, 2)));
  if (type < 1 || type > 4)
    bad_id(id, fmt::format("game type {} is not 01 (preseason), 02 (regular season), "
                           "03 (playoffs) or 04 (all-star)",
                           id.substr(4, 2)));
  int number = std::stoi(std::string(id.substr(6, 4)));
  if (number < 1 || number > 1312)
    bad_id(id, fmt::format("game number {} is not between 0001 and 1312", id.substr(6, 4)));
}

namespace detail {

namespace {

struct MeanX {
  double sum = 0;
  int n = 0;
  std::optional<double> mean() const {
    return n > 0 ? std::optional<double>(sum / n) : std::nullopt;
  }
};

// Home defends left when its shots lie further right than the away team's.
std::optional<bool> infer_side(const MeanX& home, const MeanX& away) {
  auto h = home.mean();
  auto a = away.mean();
  if (h && a) return *h > *a;
  if (h) return *h > 0;
  if (a) return *a < 0;
  return std::nullopt;
}

// Fills sides for periods the file did not describe, from where the shots cluster.
std::set<int> infer_missing_sides(const std::vector<RawShot>& shots, std::map<int, bool>& sides) {
  std::map<int, std::pair<MeanX, MeanX>> by_period;
  for (const RawShot& r : shots) {
    int p = r.event.period;
    if (r.home_defends_left || sides.count(p) || !r.x) continue;
    auto& [home, away] = by_period[p];
    MeanX& m = r.event.team == Side::kHome ? home : away;
    m.sum += *r.x;
    ++m.n;
  }
  std::set<int> inferred;
  for (const auto& [period, means] : by_period) {
    if (auto side = infer_side(means.first, means.second)) {
      sides[period] = *side;
      inferred.insert(period);
    }
  }
  return inferred;
}

}  // namespace

Game finish_game(ParsedFile parsed, const std::string& source, const ParseOptions& options) {
  Game game = std::move(parsed.game);
  std::set<int> inferred = infer_missing_sides(parsed.shots, parsed.period_home_defends_left);
  game.inferred_periods.assign(inferred.begin(), inferred.end());
  for (RawShot& r : parsed.shots) {
    ShotEvent e = r.event;
    auto it = parsed.period_home_defends_left.find(e.period);
    bool side_known = r.home_defends_left || it != parsed.period_home_defends_left.end();
    if (r.x && r.y && side_known) {
      bool left = r.home_defends_left ? *r.home_defends_left : it->second;
      e.placed = true;
      e.x = left ? *r.x : -*r.x;
      e.y = left ? *r.y : -*r.y;
      e.direction_inferred = !r.home_defends_left && inferred.count(e.period) > 0;
    }
    game.shots.push_back(e);
  }
  if (game.shots.empty() && !options.allow_empty) {
    if (parsed.not_started)
      throw DataError(fmt::format("game {} in '{}' has not started (state {}): no shots to map",
                                  game.game_id, source, game.state));
    throw DataError(fmt::format("game {} in '{}' has no shots", game.game_id, source));
  }
  return game;
}

}  // namespace detail

namespace {

// Every object key that apiweb.cc and statsapi.cc read, at whatever depth: a parser that
// reads another must add it here. Sorted, for binary search.
// clang-format off
constexpr std::string_view kReadKeys[] = {
    "abbrev", "abbreviation", "about", "abstractGameState", "allPlays", "away", "awayTeam",
    "coordinates", "currentPeriod", "dateTime", "datetime", "default", "details", "eventId",
    "eventOwnerTeamId", "eventTypeId", "game", "gameData", "gameDate", "gameState", "gameType",
    "goals", "home", "homeTeam", "homeTeamDefendingSide", "id", "linescore", "liveData", "name",
    "num", "number", "offset", "period", "periodDescriptor", "periodType", "periods", "pk",
    "plays", "result", "rinkSide", "score", "situationCode", "status", "team", "teams",
    "timeZone", "triCode", "type", "typeDescKey", "venue", "x", "xCoord", "y", "yCoord"
};
// clang-format on

// A DOM of only the members named in kReadKeys, built from nlohmann's SAX events. A
// play-by-play is mostly what no parser reads (rosters, clocks, player ids,
// descriptions), and building that was most of the time spent parsing; here the values
// of other members are skipped as they are read. (A parse callback would not do: it
// drops values only after building them.)
class ReadKeysDom {
 public:
  using json = nlohmann::json;
  explicit ReadKeysDom(json& root) : root_(root) {}

  bool null() { return value(nullptr); }
  bool boolean(bool v) { return value(v); }
  bool number_integer(json::number_integer_t v) { return value(v); }
  bool number_unsigned(json::number_unsigned_t v) { return value(v); }
  bool number_float(json::number_float_t v, const json::string_t& /*text*/) { return value(v); }
  bool string(json::string_t& v) { return value(std::move(v)); }
  bool binary(json::binary_t& v) { return value(std::move(v)); }
  bool start_object(std::size_t /*size*/) { return open(json::value_t::object); }
  bool start_array(std::size_t /*size*/) { return open(json::value_t::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(json::string_t& k) {
    keep_key_ = skipping_ == 0 &&
                std::binary_search(std::begin(kReadKeys), std::end(kReadKeys), std::string_view(k));
    if (keep_key_) key_ = std::move(k);
    return true;
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const json::exception& /*error*/) {
    return false;
  }

 private:
  // Where the next value goes, or nullptr when it is skipped. An open container's own
  // parent is not written to until it closes, so the pointers on open_ stay valid.
  json* slot() {
    if (skipping_ > 0) return nullptr;
    if (open_.empty()) return &root_;
    json* parent = open_.back();
    if (parent->is_array()) return &parent->emplace_back();
    return keep_key_ ? &(*parent)[key_] : nullptr;
  }
  template <typename Value>
  bool value(Value&& v) {
    if (json* s = slot()) *s = json(std::forward<Value>(v));
    return true;
  }
  bool open(json::value_t type) {
    json* s = slot();
    if (s == nullptr) {
      ++skipping_;
    } else {
      *s = json(type);
      open_.push_back(s);
    }
    return true;
  }
  bool close() {
    if (skipping_ > 0)
      --skipping_;
    else
      open_.pop_back();
    return true;
  }

  json& root_;
  std::vector<json*> open_;  // the containers being filled, innermost last
  int skipping_ = 0;         // depth inside a skipped value
  bool keep_key_ = false;
  std::string key_;
};

}  // namespace

Game parse_game(std::string_view text, const std::string& source, const ParseOptions& options) {
  nlohmann::json doc;
  ReadKeysDom dom(doc);
  if (!nlohmann::json::sax_parse(text, &dom)) {
    // Parse again with exceptions for the position of the error.
    try {
      doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      throw DataError(
          fmt::format("cannot parse NHL play-by-play '{}': malformed JSON at "
                      "byte {}",
                      source, e.byte));
    } catch (const nlohmann::json::out_of_range& e) {  // a number such as 1e999
      std::string_view what = e.what();  // "[json.exception.out_of_range.406] number ..."
      what.remove_prefix(std::min(what.size(), what.find("] ") + 2));
      throw DataError(
          fmt::format("cannot parse NHL play-by-play '{}': malformed JSON: {}", source, what));
    }
  }
  if (!doc.is_object())
    detail::fail(source, "not an NHL play-by-play: the top level is not a JSON object");
  if (doc.contains("plays") && doc.contains("homeTeam"))
    return detail::finish_game(detail::parse_apiweb(doc, source), source, options);
  if (doc.contains("liveData") && doc.contains("gameData"))
    return detail::finish_game(detail::parse_statsapi(doc, source), source, options);
  detail::fail(source,
               "not an NHL play-by-play: neither api-web ('plays', 'homeTeam') nor statsapi "
               "('gameData', 'liveData')");
}

Game read_game_file(const std::string& path, const ParseOptions& options) {
  std::string source = path == "-" ? "<stdin>" : path;
  return parse_game(read_file(path), source, options);
}

}  // namespace lamtool::nhl
