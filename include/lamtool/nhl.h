#pragma once
// NHL games for `lamtool shotmap`: game ids, the two play-by-play formats (api-web and
// the legacy statsapi) parsed into one model, the shot selection, the attack direction,
// and fetching by id from the NHL API with a local cache.
//
// Coordinates are in feet, centre ice at (0, 0), in one frame for the whole game: the
// home team attacks right (+x), the away team left (-x). A period in which the home team
// defended the right end is turned by 180 degrees (x -> -x, y -> -y), which is the same
// rink seen from the other side, so a shot from the left circle stays in the left circle
// from the shooter's point of view.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lamtool/http.h"

namespace lamtool {
class Logger;
}

namespace lamtool::nhl {

/// Which team; for a shot, always the SHOOTER's team (also for blocked shots).
enum class Side { kHome, kAway };

enum class ShotKind {
  kGoal,        ///< a goal (also a shot on goal)
  kShotOnGoal,  ///< saved shot on goal
  kMissed,      ///< missed the net (wide, high, posts, crossbar)
  kBlocked,     ///< blocked by a skater; located where it was blocked
};

enum class PeriodType { kRegular, kOvertime, kShootout };

enum class SourceFormat { kApiWeb, kStatsApi };

/// "home" / "away"; "goal", "shot-on-goal", "missed", "blocked"; "REG", "OT", "SO".
std::string_view to_string(Side side);
std::string_view to_string(ShotKind kind);
std::string_view to_string(PeriodType type);

struct Team {
  int id = 0;
  std::string abbrev;  ///< "SEA"
  std::string name;    ///< "Kraken" (api-web) or "Seattle Kraken" (statsapi)
};

/// Skaters and goalies on the ice at a shot, from the shooter's point of view. Known
/// for every api-web event (situationCode); statsapi files do not say it.
struct Strength {
  int shooter_skaters = 5;
  int opponent_skaters = 5;
  bool shooter_goalie = true;   ///< false when the shooting team pulled its goalie
  bool opponent_goalie = true;  ///< false for a shot at an empty net
  /// "5v5", "5v4", "6v5", ...: skaters only.
  std::string label() const;
  /// Five skaters and a goalie on each side.
  bool is_5v5() const;
};

struct ShotEvent {
  Side team = Side::kHome;  ///< the shooter's team
  ShotKind kind = ShotKind::kShotOnGoal;
  /// False when the file gives no coordinates: the shot is counted but not placed,
  /// and x, y are 0.
  bool placed = false;
  double x = 0;  ///< feet, in the game frame (home attacks +x)
  double y = 0;  ///< feet, in the game frame
  int period = 1;
  PeriodType period_type = PeriodType::kRegular;
  std::optional<Strength> strength;
  /// True when the period's rink side was missing and was inferred (see Game).
  bool direction_inferred = false;
  int event_id = 0;  ///< the file's own event id, for messages
};

/// Per-team counts; shots_on_goal includes goals (as the NHL counts them).
struct TeamCounts {
  int shots_on_goal = 0;
  int missed = 0;
  int blocked = 0;   ///< shots by this team that were blocked
  int goals = 0;     ///< goals scored before the shootout
  int unplaced = 0;  ///< of the above, shots without coordinates
};

struct Game {
  std::string game_id;  ///< "2024020003"
  std::string date;     ///< local game date "2024-10-08" (statsapi: UTC start date)
  SourceFormat format = SourceFormat::kApiWeb;
  Team home;
  Team away;
  /// The official score, including the one goal a shootout winner is credited with.
  int home_score = 0;
  int away_score = 0;
  int last_period = 0;  ///< last period reached (5 for a shootout)
  PeriodType last_period_type = PeriodType::kRegular;
  bool final = false;  ///< the game is over (api-web OFF/FINAL, statsapi Final)
  std::string state;   ///< the file's own state word ("OFF", "LIVE", "Final", ...)
  /// Shots on goal, goals, missed and blocked shots, in file order; no shootout.
  std::vector<ShotEvent> shots;
  int shootout_attempts = 0;  ///< dropped shootout shots and goals
  /// Periods whose rink side the file did not give. Direction there is inferred:
  /// the team whose shots have the larger mean raw x is taken to attack right.
  std::vector<int> inferred_periods;

  /// Counts for one team, over all of `shots`.
  TeamCounts counts(Side side) const;
  const Team& team(Side side) const { return side == Side::kHome ? home : away; }
};

/// Per-team counts over `shots` (shots_on_goal includes goals; blocked shots count for
/// the shooter's team). Game::counts is this over the whole game.
TeamCounts count_shots(const std::vector<ShotEvent>& shots, Side side);

/// Checks a game id: 10 digits, season start year 1917..(this year + 1), game type
/// 01 (preseason) to 04 (all-star), game number 0001..1312. UsageError naming the part
/// that is wrong.
void validate_game_id(std::string_view id);

struct ParseOptions {
  /// Accept a game with no shots (not started, or nothing recorded yet).
  bool allow_empty = false;
};

/// Parses either format, recognised by its keys. `source` names the file or URL in
/// messages. DataError when the text is not JSON, not an NHL play-by-play, misses a
/// field the model needs, or (unless allow_empty) has no shots.
Game parse_game(std::string_view text, const std::string& source, const ParseOptions& options = {});

/// Reads and parses a file (`-` = stdin). InputError (66) when it cannot be read.
Game read_game_file(const std::string& path, const ParseOptions& options = {});

struct FetchOptions {
  std::string api_url = "https://api-web.nhle.com";  ///< no trailing slash needed
  /// Where play-by-play files are kept; empty = no cache.
  std::string cache_dir;
  RetryPolicy retry;
  ParseOptions parse;
  Logger* log = nullptr;  ///< debug lines for retries and cache use; may be null
};

/// Options from the environment: LAMTOOL_NHL_API_URL, and the cache directory
/// LAMTOOL_CACHE_DIR, else $XDG_CACHE_HOME/lamtool, else $HOME/.cache/lamtool
/// (the files go in its nhl/ folder).
FetchOptions fetch_options_from_env();

struct FetchedGame {
  Game game;
  std::string source;  ///< the URL, or the cache file when read from the cache
  bool from_cache = false;
};

/// The cache file for a game id: <cache_dir>/nhl/<id>-play-by-play.json.
std::string cache_path(const std::string& cache_dir, std::string_view game_id);

/// Fetches /v1/gamecenter/{id}/play-by-play with retries, or reads it from the cache.
/// A finished game is written to the cache (atomically) and reused for good; a game in
/// progress is never reused. UsageError for a bad id (before any request);
/// ServiceError (69) "game not found" on 404, "NHL API refused" on another 4xx;
/// NetworkError (75) when no answer, or 5xx/429 after the retries; DataError when the
/// body is not a usable game or is another game. A failure to write the cache is a
/// warning on options.log, not an error.
FetchedGame fetch_game(HttpClient& client, std::string_view game_id, const FetchOptions& options);

}  // namespace lamtool::nhl
