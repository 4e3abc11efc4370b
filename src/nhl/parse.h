#pragma once
// Private to src/nhl: the pieces the two format parsers share.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lamtool/nhl.h"

namespace lamtool::nhl::detail {

/// A shot as the file gives it, before the direction is applied.
struct RawShot {
  ShotEvent event;          ///< team, kind, period, strength, event id (x, y unset)
  std::optional<double> x;  ///< raw file coordinates
  std::optional<double> y;
  /// The play's own home defending side (api-web), when given.
  std::optional<bool> home_defends_left;
};

/// What a format parser produces: the game header, raw shots and known rink sides.
struct ParsedFile {
  Game game;  ///< everything but shots and inferred_periods
  std::vector<RawShot> shots;
  std::map<int, bool> period_home_defends_left;  ///< period -> home defends the left end
  bool not_started = false;                      ///< scheduled, pre-game
};

ParsedFile parse_apiweb(const nlohmann::json& doc, const std::string& source);
ParsedFile parse_statsapi(const nlohmann::json& doc, const std::string& source);

/// Applies the attack direction, fills game.shots, checks emptiness.
Game finish_game(ParsedFile parsed, const std::string& source, const ParseOptions& options);

/// The DataError for a field the model needs: "bad NHL play-by-play 'src': <why>".
[[noreturn]] void fail(const std::string& source, std::string_view why);

/// obj[key] (an object member) or DataError "missing field '<where>'".
const nlohmann::json& member(const nlohmann::json& obj, const char* key, const std::string& source,
                             const std::string& where);
/// Optional member: nullptr when absent or null.
const nlohmann::json* find(const nlohmann::json& obj, const char* key);

int int_member(const nlohmann::json& obj, const char* key, const std::string& source,
               const std::string& where);
std::string string_member(const nlohmann::json& obj, const char* key, const std::string& source,
                          const std::string& where);
/// A number member, nullopt when absent or null; DataError when of
/// another type.
std::optional<double> optional_number(const nlohmann::json& obj, const char* key,
                                      const std::string& source, const std::string& where);
/// A string member, nullopt when absent or null; DataError when of another type.
std::optional<std::string> optional_string(const nlohmann::json& obj, const char* key,
                                           const std::string& source, const std::string& where);

/// "left" -> true, "right" -> false, anything else (or empty) -> nullopt.
std::optional<bool> defends_left(const std::optional<std::string>& side);

}  // namespace lamtool::nhl::detail
