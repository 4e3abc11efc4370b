// Price bars: times read from the forms price files use, ticks rolled up into days,
// days into weeks, and bars written as CSV. Ticks come by the ten million, so times are
// read with hand-written digit loops (no regex, sscanf or streams, no allocation), and a
// day is found by looking at the last one first: most files are in time order.

#include "lamtool/candles/bars.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iterator>

namespace lamtool::candles {

namespace {

namespace chr = std::chrono;

/// Exactly `n` decimal digits at `p` into `out`, moving `p` past them.
bool fixed_digits(std::string_view s, size_t& p, size_t n, int& out) {
  if (s.size() - p < n) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const unsigned d = static_cast<unsigned char>(s[p + i]) - unsigned{'0'};
    if (d > 9) return false;
    v = v * 10 + static_cast<int>(d);
  }
  p += n;
  out = v;
  return true;
}

/// One or two digits at `p` (US months, days and hours are written without a zero).
bool short_digits(std::string_view s, size_t& p, int& out) {
  if (!fixed_digits(s, p, 1, out)) return false;
  int second = 0;
  if (fixed_digits(s, p, 1, second)) out = out * 10 + second;
  return true;
}

bool skip_char(std::string_view s, size_t& p, char c) {
  if (p >= s.size() || s[p] != c) return false;
  ++p;
  return true;
}

/// The midnight of a real date (not 2019-02-30), in seconds.
bool civil_midnight(int year, int month, int day, std::int64_t& out) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                                chr::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return false;
  out = days_from_civil(year, month, day);
  return true;
}

/// `HH:MM[:SS]` at `p` (the hour in one or two digits when `short_hour`), as seconds.
bool clock_time(std::string_view s, size_t& p, bool short_hour, std::int64_t& out) {
  int h = 0, m = 0, sec = 0;
  if (!(short_hour ? short_digits(s, p, h) : fixed_digits(s, p, 2, h))) return false;
  if (!skip_char(s, p, ':') || !fixed_digits(s, p, 2, m)) return false;
  if (skip_char(s, p, ':') && !fixed_digits(s, p, 2, sec)) return false;
  // No leap second 60: it would carry 23:59:60 into the next day's bar.
  if (h > 23 || m > 59 || sec > 59) return false;
  out = std::int64_t{h} * 3600 + m * 60 + sec;
  return true;
}

/// `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]][Z|+HH:MM|-HH:MM]]`; the zone is checked but not
/// applied, as the market's wall clock is what places a price in its day.
bool parse_iso(std::string_view s, std::int64_t& out) {
  size_t p = 0;
  int y = 0, mo = 0, d = 0;
  if (!fixed_digits(s, p, 4, y) || !skip_char(s, p, '-') || !fixed_digits(s, p, 2, mo) ||
      !skip_char(s, p, '-') || !fixed_digits(s, p, 2, d) || !civil_midnight(y, mo, d, out))
    return false;
  if (p == s.size()) return true;
  if (s[p] != 'T' && s[p] != 't' && s[p] != ' ') return false;
  std::int64_t secs = 0;
  ++p;
  if (!clock_time(s, p, false, secs)) return false;
  if (skip_char(s, p, '.')) {
    const size_t start = p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
    if (p == start) return false;
  }
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    int oh = 0, om = 0;
    ++p;
    if (!fixed_digits(s, p, 2, oh) || !skip_char(s, p, ':') || !fixed_digits(s, p, 2, om) ||
        oh > 23 || om > 59)
      return false;
  }
  if (p != s.size()) return false;
  out += secs;
  return true;
}

/// `M/D/YYYY[ H:MM[:SS]]`, as Excel and mplfinance's sample files write them.
bool parse_us(std::string_view s, std::int64_t& out) {
  size_t p = 0;
  int y = 0, mo = 0, d = 0;
  if (!short_digits(s, p, mo) || !skip_char(s, p, '/') || !short_digits(s, p, d) ||
      !skip_char(s, p, '/') || !fixed_digits(s, p, 4, y) || !civil_midnight(y, mo, d, out))
    return false;
  if (p == s.size()) return true;
  std::int64_t secs = 0;
  if (!skip_char(s, p, ' ') || !clock_time(s, p, true, secs) || p != s.size()) return false;
  out += secs;
  return true;
}

/// `[-]digits[.digits]`: seconds since 1970, or milliseconds from 13 integer digits on
/// (a millisecond stamp of today has 13, a second stamp 10). Fractions are dropped, toward
/// the earlier second.
bool parse_epoch(std::string_view s, std::int64_t& out) {
  size_t p = 0;
  const bool negative = skip_char(s, p, '-');
  const size_t start = p;
  std::int64_t whole = 0;
  for (; p < s.size() && s[p] >= '0' && s[p] <= '9'; ++p) {
    // 18 digits stay inside int64; more is no time anyway.
    if (p - start == 18) return false;
    whole = whole * 10 + (s[p] - '0');
  }
  const size_t digits = p - start;
  if (digits == 0) return false;
  bool fraction = false;
  if (skip_char(s, p, '.')) {
    const size_t frac_start = p;
    for (; p < s.size() && s[p] >= '0' && s[p] <= '9'; ++p)
      if (s[p] != '0') fraction = true;
    if (p == frac_start) return false;
  }
  if (p != s.size()) return false;
  const std::int64_t unit = digits >= 13 ? 1000 : 1;
  std::int64_t q = whole / unit;
  const bool below = whole % unit != 0 || fraction;
  if (negative) q = below ? -q - 1 : -q;
  out = q;
  return true;
}

/// The first day of the week holding `day`: the Monday on or before it, or the start of
/// its 7-day block counted from `first`.
std::int64_t week_start(std::int64_t day, WeekAnchor anchor, std::int64_t first) {
  // 1970-01-01 (day 0) was a Thursday, so day + 3 counts from a Monday.
  const std::int64_t from = anchor == WeekAnchor::kMonday ? -3 : first;
  std::int64_t offset = (day - from) % 7;
  if (offset < 0) offset += 7;
  return day - offset;
}

}  // namespace

std::int64_t day_of(std::int64_t time) {
  std::int64_t q = time / kSecondsPerDay;
  if (time % kSecondsPerDay < 0) --q;
  return q;
}

std::string format_date(std::int64_t time) {
  const chr::year_month_day ymd{chr::sys_days{chr::days{day_of(time)}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::int64_t days_from_civil(int year, int month, int day) {
  const chr::sys_days d{chr::year{year} / chr::month{static_cast<unsigned>(month)} /
                        chr::day{static_cast<unsigned>(day)}};
  return std::int64_t{d.time_since_epoch().count()} * kSecondsPerDay;
}

bool parse_time(std::string_view text, std::int64_t& out) {
  if (text.size() >= 10 && text[4] == '-') return parse_iso(text, out);
  if (text.find('/') != std::string_view::npos) return parse_us(text, out);
  return parse_epoch(text, out);
}

// ---- DailyBars ---------------------------------------------------------------------------

void DailyBars::add_tick(std::int64_t time, double price, double volume) {
  add_bar({time, price, price, price, price, volume});
}

void DailyBars::add_bar(const Bar& bar) {
  ++added_;
  const std::int64_t day = day_of(bar.time);
  auto it = days_.end();
  if (days_.empty() || days_.back().day < day) {
    days_.push_back({day, bar.time, bar.time, bar.open, bar.high, bar.low, bar.close, bar.volume});
    return;
  }
  if (days_.back().day == day) {
    it = std::prev(days_.end());
  } else {
    it = std::lower_bound(days_.begin(), days_.end(), day,
                          [](const Day& d, std::int64_t v) { return d.day < v; });
    if (it->day != day) {
      days_.insert(it,
                   {day, bar.time, bar.time, bar.open, bar.high, bar.low, bar.close, bar.volume});
      return;
    }
  }
  Day& d = *it;
  // Ties: an equal time keeps the open it has and takes the new close.
  if (bar.time < d.open_time) {
    d.open_time = bar.time;
    d.open = bar.open;
  }
  if (bar.time >= d.close_time) {
    d.close_time = bar.time;
    d.close = bar.close;
  }
  d.high = std::max(d.high, bar.high);
  d.low = std::min(d.low, bar.low);
  d.volume += bar.volume;
}

std::size_t DailyBars::days() const { return days_.size(); }

std::vector<Bar> DailyBars::bars() const {
  std::vector<Bar> out;
  out.reserve(days_.size());
  for (const Day& d : days_)
    out.push_back({d.day * kSecondsPerDay, d.open, d.high, d.low, d.close, d.volume});
  return out;
}

// ---- Weeks and CSV ------------------------------------------------------------------------

std::vector<Bar> weekly_bars(const std::vector<Bar>& daily, WeekAnchor anchor) {
  std::vector<Bar> weeks;
  if (daily.empty()) return weeks;
  const std::int64_t first = day_of(daily.front().time);
  std::int64_t current = 0;
  for (const Bar& b : daily) {
    const std::int64_t start = week_start(day_of(b.time), anchor, first);
    if (weeks.empty() || start != current) {
      current = start;
      weeks.push_back(b);
      weeks.back().time = start * kSecondsPerDay;
      continue;
    }
    Bar& w = weeks.back();
    w.high = std::max(w.high, b.high);
    w.low = std::min(w.low, b.low);
    w.close = b.close;
    w.volume += b.volume;
  }
  return weeks;
}

std::string bars_csv(const std::vector<Bar>& bars) {
  fmt::memory_buffer buf;
  fmt::format_to(std::back_inserter(buf), "date,open,high,low,close,volume\n");
  for (const Bar& b : bars)
    fmt::format_to(std::back_inserter(buf), "{},{},{},{},{},{}\n", format_date(b.time), b.open,
                   b.high, b.low, b.close, b.volume);
  return fmt::to_string(buf);
}

}  // namespace lamtool::candles
