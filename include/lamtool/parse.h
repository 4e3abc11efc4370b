#pragma once
// Parsing of flag values shared by several commands.

#include <string_view>
#include <utility>

namespace lamtool {

/// Parses `WIDTHxHEIGHT` (e.g. `1200x600`, `400x170`) with both sides in [min, max];
/// UsageError naming `flag`, the value and the expected `form` otherwise.
std::pair<int, int> parse_dimensions(std::string_view text, std::string_view flag, int min, int max,
                                     std::string_view form = "WIDTHxHEIGHT");

}  // namespace lamtool
