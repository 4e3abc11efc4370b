#include "schedule/posix_tz.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>

namespace lamtool::schedule {

using namespace std::chrono;

namespace {

constexpr int kHour = 3600;

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool done() const { return pos_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[pos_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }

  // `<+0330>` or at least three letters.
  bool name() {
    if (eat('<')) {
      size_t close = s_.find('>', pos_);
      if (close == std::string_view::npos || close - pos_ < 3) return false;
      pos_ = close + 1;
      return true;
    }
    size_t start = pos_;
    while (!done() && std::isalpha(static_cast<unsigned char>(peek())) != 0) ++pos_;
    return pos_ - start >= 3;
  }

  std::optional<int> number(int max) {
    size_t start = pos_;
    int v = 0;
    while (!done() && std::isdigit(static_cast<unsigned char>(peek())) != 0) {
      v = v * 10 + (peek() - '0');
      if (v > max) return std::nullopt;
      ++pos_;
    }
    if (pos_ == start) return std::nullopt;
    return v;
  }

  // [+-]hh[:mm[:ss]] in seconds, hours up to `max_hours`.
  std::optional<int> clock_time(int max_hours) {
    int sign = 1;
    if (eat('-'))
      sign = -1;
    else
      eat('+');
    auto h = number(max_hours);
    if (!h) return std::nullopt;
    int total = *h * kHour;
    for (int unit : {60, 1}) {
      if (!eat(':')) break;
      auto part = number(59);
      if (!part) return std::nullopt;
      total += *part * unit;
    }
    return sign * total;
  }

  std::optional<PosixDateRule> date_rule() {
    PosixDateRule r;
    if (eat('J')) {
      r.kind = 'J';
      auto d = number(365);
      if (!d || *d < 1) return std::nullopt;
      r.day = *d;
    } else if (eat('M')) {
      auto m = number(12);
      auto w = m && eat('.') ? number(5) : std::nullopt;
      auto d = w && eat('.') ? number(6) : std::nullopt;
      if (!d || *m < 1 || *w < 1) return std::nullopt;
      r.month = *m;
      r.week = *w;
      r.weekday = *d;
    } else {
      r.kind = 'n';
      auto d = number(365);
      if (!d) return std::nullopt;
      r.day = *d;
    }
    if (eat('/')) {
      auto t = clock_time(167);
      if (!t) return std::nullopt;
      r.time = *t;
    }
    return r;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// Local seconds since the epoch at which `r` falls in `y`.
std::int64_t rule_local_time(const PosixDateRule& r, int y) {
  sys_days jan1{year{y} / January / 1};
  sys_days day_point;
  if (r.kind == 'J') {
    day_point = jan1 + days{r.day - 1};
    if (year{y}.is_leap() && r.day >= 60) day_point += days{1};
  } else if (r.kind == 'n') {
    day_point = jan1 + days{r.day};
  } else {
    auto first = year{y} / month{static_cast<unsigned>(r.month)} / 1;
    sys_days first_day{first};
    int first_wd = static_cast<int>(weekday{first_day}.c_encoding());
    day_point = first_day + days{(r.weekday - first_wd + 7) % 7 + (r.week - 1) * 7};
    sys_days last_day{year{y} / month{static_cast<unsigned>(r.month)} / last};
    while (day_point > last_day) day_point -= days{7};
  }
  return day_point.time_since_epoch().count() * 86400LL + r.time;
}

}  // namespace

int PosixTz::offset_at(std::int64_t utc) const {
  if (!has_dst) return std_offset;
  int y = static_cast<int>(year_month_day{floor<days>(sys_seconds{seconds{utc}})}.year());
  // Transitions of the surrounding years; at equal instants the change to standard time
  // sorts first, so a zone in daylight time all year (`J365/25` ending) stays there.
  struct Event {
    std::int64_t at;
    int order;
    int offset;
  };
  std::array<Event, 6> events{};
  size_t n = 0;
  for (int yy = y - 1; yy <= y + 1; ++yy) {
    events[n++] = {rule_local_time(start, yy) - std_offset, 1, dst_offset};
    events[n++] = {rule_local_time(end, yy) - dst_offset, 0, std_offset};
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.at != b.at ? a.at < b.at : a.order < b.order;
  });
  int offset = events[0].offset == dst_offset ? std_offset : dst_offset;
  for (const Event& e : events)
    if (e.at <= utc) offset = e.offset;
  return offset;
}

std::optional<PosixTz> parse_posix_tz(std::string_view text) {
  Reader r(text);
  PosixTz tz;
  if (!r.name()) return std::nullopt;
  auto std_off = r.clock_time(24);
  if (!std_off) return std::nullopt;
  tz.std_offset = -*std_off;
  if (r.done()) return tz;
  if (!r.name()) return std::nullopt;
  tz.has_dst = true;
  tz.dst_offset = tz.std_offset + kHour;
  if (!r.done() && r.peek() != ',') {
    auto dst_off = r.clock_time(24);
    if (!dst_off) return std::nullopt;
    tz.dst_offset = -*dst_off;
  }
  if (r.done()) {
    // POSIX leaves the default rule to the implementation; glibc uses the US one.
    tz.start = {.kind = 'M', .month = 3, .week = 2, .weekday = 0};
    tz.end = {.kind = 'M', .month = 11, .week = 1, .weekday = 0};
    return tz;
  }
  if (!r.eat(',')) return std::nullopt;
  auto start = r.date_rule();
  if (!start || !r.eat(',')) return std::nullopt;
  auto end = r.date_rule();
  if (!end || !r.done()) return std::nullopt;
  tz.start = *start;
  tz.end = *end;
  return tz;
}

}  // namespace lamtool::schedule
