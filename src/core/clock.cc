#include "lamtool/clock.h"

#include <fmt/format.h>

#include <cstdlib>
#include <memory>

#include "lamtool/error.h"

namespace lamtool {

using namespace std::chrono;

Seconds SystemClock::now() const { return floor<seconds>(system_clock::now()); }

namespace {

// Reads exactly `n` digits at `pos`; advances `pos`.
std::optional<int> digits(std::string_view s, size_t& pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

bool expect(std::string_view s, size_t& pos, std::string_view chars) {
  if (pos >= s.size() || chars.find(s[pos]) == std::string_view::npos) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<Seconds> parse_rfc3339(std::string_view s) {
  size_t p = 0;
  auto y = digits(s, p, 4);
  if (!y || !expect(s, p, "-")) return std::nullopt;
  auto mo = digits(s, p, 2);
  if (!mo || !expect(s, p, "-")) return std::nullopt;
  auto d = digits(s, p, 2);
  if (!d || !expect(s, p, "Tt ")) return std::nullopt;
  auto h = digits(s, p, 2);
  if (!h || !expect(s, p, ":")) return std::nullopt;
  auto mi = digits(s, p, 2);
  if (!mi || !expect(s, p, ":")) return std::nullopt;
  auto se = digits(s, p, 2);
  if (!se) return std::nullopt;
  if (p < s.size() && s[p] == '.') {
    ++p;
    size_t start = p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
    if (p == start) return std::nullopt;
  }
  int offset_min = 0;
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    int sign = s[p] == '-' ? -1 : 1;
    ++p;
    auto oh = digits(s, p, 2);
    if (!oh || !expect(s, p, ":")) return std::nullopt;
    auto om = digits(s, p, 2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    offset_min = sign * (*oh * 60 + *om);
  } else {
    return std::nullopt;
  }
  if (p != s.size()) return std::nullopt;
  // 60 is allowed by RFC 3339 for leap seconds; it folds into the next minute.
  if (*h > 23 || *mi > 59 || *se > 60) return std::nullopt;
  year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd} + hours{*h} + minutes{*mi} + seconds{*se} - minutes{offset_min};
}

std::string format_rfc3339(Seconds t) {
  auto day_point = floor<days>(t);
  year_month_day ymd{day_point};
  hh_mm_ss hms{t - day_point};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::string format_key_time(Seconds t) {
  std::string s = format_rfc3339(t);
  for (char& c : s)
    if (c == ':') c = '-';
  return s;
}

const Clock& real_clock() {
  static const SystemClock clock;
  return clock;
}

const Clock& process_clock() {
  static const std::unique_ptr<Clock> clock = []() -> std::unique_ptr<Clock> {
    const char* now = std::getenv("LAMTOOL_NOW");
    if (now == nullptr || *now == '\0') return std::make_unique<SystemClock>();
    auto t = parse_rfc3339(now);
    if (!t)
      throw ConfigError(fmt::format(
          "invalid LAMTOOL_NOW '{}': expected an RFC 3339 time such as 2026-11-20T07:00:00Z", now));
    return std::make_unique<FixedClock>(*t);
  }();
  return *clock;
}

}  // namespace lamtool
