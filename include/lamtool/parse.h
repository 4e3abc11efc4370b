#pragma once
// Parsing of flag values shared by several commands.

#include <string_view>
#include <utility>

namespace lamtool {

/// Parses `WIDTHxHEIGHT` (e.g. `1200x600`, `400x170`) with both sides in [min, max];
/// UsageError naming `flag`, the value and the expected `form` otherwise.
std::pair<int, int> parse_dimensions(std::string_view text, std::string_view flag, int min, int max,
                                     std::string_view form = "WIDTHxHEIGHT");

/// `text` as a whole decimal integer; UsageError "FLAG 'TEXT': expected an integer".
long long parse_int(std::string_view text, std::string_view flag);
/// parse_int within [min, max]; UsageError "FLAG 'TEXT': expected MIN to MAX[ UNIT]".
int parse_int_in(std::string_view text, std::string_view flag, int min, int max,
                 std::string_view unit = {});
/// `text` as a finite number; UsageError "FLAG 'TEXT': expected a number".
double parse_double(std::string_view text, std::string_view flag);

/// `s` without leading and trailing spaces, tabs, CR and LF.
std::string_view trim(std::string_view s);

}  // namespace lamtool
