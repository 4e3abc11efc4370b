#include "lamtool/parse.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

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

long long parse_int(std::string_view text, std::string_view flag) {
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    throw UsageError(fmt::format("{} '{}': expected an integer", flag, text));
  return v;
}

int parse_int_in(std::string_view text, std::string_view flag, int min, int max,
                 std::string_view unit) {
  long long v = parse_int(text, flag);
  if (v < min || v > max)
    throw UsageError(fmt::format("{} '{}': expected {} to {}{}{}", flag, text, min, max,
                                 unit.empty() ? "" : " ", unit));
  return static_cast<int>(v);
}

double parse_double(std::string_view text, std::string_view flag) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || !std::isfinite(v))
    throw UsageError(fmt::format("{} '{}': expected a number", flag, text));
  return v;
}

// A loop, not find_first_not_of(" \t\r\n\v\f"), which calls memchr on the set for
// every character: trim runs on every field of CSV files of millions of rows.
std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };  // \t\n\v\f\r
  size_t b = 0, e = s.size();
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

}  // namespace lamtool
