#include "lamtool/parse.h"

#include <fmt/format.h>

#include <charconv>

#include "lamtool/error.h"

namespace lamtool {

namespace {

bool parse_side(std::string_view s, int& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

}  // namespace

std::pair<int, int> parse_dimensions(std::string_view text, std::string_view flag, int min, int max,
                                     std::string_view form) {
  size_t x = text.find_first_of("xX");
  int w = 0;
  int h = 0;
  if (x == std::string_view::npos || !parse_side(text.substr(0, x), w) ||
      !parse_side(text.substr(x + 1), h) || w < min || h < min || w > max || h > max)
    throw UsageError(
        fmt::format("{} '{}': expected {} with sides from {} to {}", flag, text, form, min, max));
  return {w, h};
}

}  // namespace lamtool
