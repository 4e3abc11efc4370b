#include "schedule/cron.h"

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace lamtool::schedule {

using namespace std::chrono;

namespace {

constexpr std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kDayNames = {"SUN", "MON", "TUE", "WED",
                                                       "THU", "FRI", "SAT"};

/// One field's grammar: its name in messages, its range, and its names if any.
struct FieldDef {
  std::string_view name;
  int min;
  int max;
  const std::string_view* names = nullptr;  // names[i] stands for name_base + i
  size_t name_count = 0;
  int name_base = 0;
  bool allow_step = true;
};

[[noreturn]] void fail(const FieldDef& f, const std::string& why) {
  throw FieldError{fmt::format("{}: {}", f.name, why)};
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) != b[i]) return false;
  return true;
}

std::string range_text(const FieldDef& f) {
  if (f.names == nullptr) return fmt::format("{}-{}", f.min, f.max);
  return fmt::format("{}-{} or {}-{}", f.min, f.max, f.names[0], f.names[f.name_count - 1]);
}

int parse_value(const FieldDef& f, std::string_view tok) {
  if (all_digits(tok)) {
    int v = tok.size() > 5 ? f.max + 1 : std::stoi(std::string(tok));
    if (v < f.min || v > f.max) fail(f, fmt::format("'{}' is out of range {}", tok, range_text(f)));
    return v;
  }
  for (size_t i = 0; i < f.name_count; ++i)
    if (iequals(tok, f.names[i])) return f.name_base + static_cast<int>(i);
  if (tok.empty()) fail(f, "a value is missing");
  fail(f, fmt::format("'{}' is not a valid value ({})", tok, range_text(f)));
}

int parse_step(const FieldDef& f, std::string_view step, std::string_view item) {
  if (!f.allow_step) fail(f, fmt::format("steps ('/') are not allowed, in '{}'", item));
  int span = f.max - f.min + 1;
  if (!all_digits(step) || step.size() > 5 || std::stoi(std::string(step)) < 1 ||
      std::stoi(std::string(step)) > span)
    fail(f, fmt::format("step '{}' in '{}' must be an integer from 1 to {}", step, item, span));
  return std::stoi(std::string(step));
}

/// Parses a list of `*`, `a`, `a-b`, each with an optional `/step`, into `out`
/// (indexed by value).
template <size_t N>
void parse_list(const FieldDef& f, std::string_view text, std::bitset<N>& out) {
  size_t pos = 0;
  while (true) {
    size_t comma = text.find(',', pos);
    std::string_view item =
        text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos);
    if (item.empty()) fail(f, fmt::format("empty item in list '{}'", text));
    size_t slash = item.find('/');
    std::string_view base = item.substr(0, slash);
    int step = slash == std::string_view::npos ? 1 : parse_step(f, item.substr(slash + 1), item);
    int lo = f.min, hi = f.max;
    if (base == "?") fail(f, "'?' is only allowed as the whole day-of-month or day-of-week field");
    if (base != "*") {
      size_t dash = base.find('-');
      lo = parse_value(f, base.substr(0, dash));
      hi = dash != std::string_view::npos    ? parse_value(f, base.substr(dash + 1))
           : slash != std::string_view::npos ? f.max
                                             : lo;
      if (hi < lo)
        fail(f, fmt::format("range '{}' is reversed (write the smaller value first)", base));
    }
    for (int v = lo; v <= hi; v += step) out.set(static_cast<size_t>(v));
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
}

bool has_any(std::string_view text, std::string_view chars) {
  return text.find_first_of(chars) != std::string_view::npos;
}

const FieldDef kMinutes{"minutes", 0, 59};
const FieldDef kHours{"hours", 0, 23};
const FieldDef kDom{"day-of-month", 1, 31};
const FieldDef kMonth{"month", 1, 12, kMonthNames.data(), kMonthNames.size(), 1};
const FieldDef kAwsDow{"day-of-week", 1, 7, kDayNames.data(), kDayNames.size(), 1, false};
const FieldDef kCrontabDow{"day-of-week", 0, 7, kDayNames.data(), kDayNames.size(), 0};
const FieldDef kYear{"year", kAwsFirstYear, kAwsLastYear};

// AWS day-of-month: `?`, `L`, `LW`, `nW`, or a list.
void parse_aws_dom(std::string_view text, CronSpec& c) {
  if (text == "?") return;
  if (!has_any(text, "LWlw")) return parse_list(kDom, text, c.dom);
  if (has_any(text, ",-/*"))
    fail(kDom, fmt::format("'L' and 'W' must stand alone (no list, range or step), in '{}'", text));
  if (iequals(text, "L")) {
    c.dom_last = true;
  } else if (iequals(text, "LW")) {
    c.dom_last_weekday = true;
  } else if (text.size() >= 2 && (text.back() == 'W' || text.back() == 'w') &&
             all_digits(text.substr(0, text.size() - 1))) {
    c.dom_nearest_weekday = parse_value(kDom, text.substr(0, text.size() - 1));
  } else {
    fail(kDom, fmt::format("'{}' is not a valid value (1-31, L, LW or nW such as 15W)", text));
  }
}

// AWS day-of-week: `?`, `L` (Saturday), `nL`, `n#k`, or a list (1 = SUN).
void parse_aws_dow(std::string_view text, CronSpec& c) {
  if (text == "?") return;
  bool last = text.size() >= 2 && (text.back() == 'L' || text.back() == 'l') && !iequals(text, "L");
  size_t hash = text.find('#');
  if (iequals(text, "L")) {
    c.dow.set(6);
  } else if ((last || hash != std::string_view::npos) && has_any(text, ",-/*")) {
    fail(kAwsDow, fmt::format("'L' and '#' must stand alone (no list or range), in '{}'", text));
  } else if (last) {
    c.dow_last_of_month = parse_value(kAwsDow, text.substr(0, text.size() - 1)) - 1;
  } else if (hash != std::string_view::npos) {
    c.dow_nth_weekday = parse_value(kAwsDow, text.substr(0, hash)) - 1;
    std::string_view k = text.substr(hash + 1);
    if (!all_digits(k) || k.size() > 1 || k[0] < '1' || k[0] > '5')
      fail(kAwsDow,
           fmt::format("'{}' in '{}' is out of range 1-5 (the week of the month)", k, text));
    c.dow_nth = k[0] - '0';
  } else {
    std::bitset<8> one_based;
    parse_list(kAwsDow, text, one_based);
    for (size_t d = 1; d <= 7; ++d) c.dow.set(d - 1, one_based.test(d));
  }
}

std::string cron_text(const std::vector<std::string_view>& f, std::string_view dom,
                      std::string_view dow) {
  return fmt::format("cron({} {} {} {} {} {})", f[0], f[1], dom, f[3], dow, f[5]);
}

// The six fields with exactly one day field '?': `cron(0 6 * * MON-FRI *)` ->
// `cron(0 6 ? * MON-FRI *)`; when both days are restricted, day-of-month is kept.
std::string with_one_question_mark(const std::vector<std::string_view>& f) {
  bool dom_q = f[2] == "?", dow_q = f[4] == "?";
  if (dom_q != dow_q) return cron_text(f, f[2], f[4]);
  if (dom_q) return cron_text(f, "*", "?");
  if (f[2] == "*" && f[4] != "*") return cron_text(f, "?", f[4]);
  return cron_text(f, f[2], "?");
}

// A 5-field cron() with the year added, and a '?' day if needed.
std::string with_year(std::vector<std::string_view> f) {
  f.push_back("*");
  return with_one_question_mark(f);
}

std::string both_days_error(const std::vector<std::string_view>& f) {
  std::string head = "day-of-month and day-of-week cannot both be given; one of them must be '?'";
  if (f[2] == "*" || f[4] == "*")
    return fmt::format("{}: use '{}'", head, with_one_question_mark(f));
  return fmt::format("{}: use '{}' or '{}' (two rules if you need both)", head,
                     cron_text(f, f[2], "?"), cron_text(f, "?", f[4]));
}

unsigned last_day_of(int y, unsigned m) {
  return static_cast<unsigned>(year_month_day_last{year{y} / month{m} / last}.day());
}

unsigned weekday_of(int y, unsigned m, unsigned d) {
  return weekday{sys_days{year{y} / month{m} / day{d}}}.c_encoding();
}

// The weekday nearest to day n of the month, never leaving the month; 0 if no day n.
unsigned nearest_weekday(int y, unsigned m, unsigned n) {
  unsigned last_day = last_day_of(y, m);
  if (n > last_day) return 0;
  unsigned wd = weekday_of(y, m, n);
  if (wd == 6) return n == 1 ? 3 : n - 1;             // Saturday: Friday, or Monday the 3rd
  if (wd == 0) return n == last_day ? n - 2 : n + 1;  // Sunday: Monday, or Friday
  return n;
}

}  // namespace

bool CronSpec::day_matches(int y, unsigned m, unsigned d) const {
  unsigned last_day = last_day_of(y, m);
  bool dom_ok = dom.test(d) || (dom_last && d == last_day) ||
                (dom_nearest_weekday > 0 &&
                 d == nearest_weekday(y, m, static_cast<unsigned>(dom_nearest_weekday)));
  if (dom_last_weekday) dom_ok = dom_ok || d == nearest_weekday(y, m, last_day);
  if (day_mode == DayMode::kDomOnly) return dom_ok;
  unsigned wd = weekday_of(y, m, d);
  int iwd = static_cast<int>(wd);
  bool dow_ok = dow.test(wd) || (dow_last_of_month == iwd && d + 7 > last_day) ||
                (dow_nth_weekday == iwd && static_cast<int>((d - 1) / 7 + 1) == dow_nth);
  switch (day_mode) {
    case DayMode::kDowOnly:
      return dow_ok;
    case DayMode::kEither:
      return dom_ok || dow_ok;
    default:
      return dom_ok && dow_ok;
  }
}

CronSpec parse_aws_cron(const std::vector<std::string_view>& f) {
  if (f.size() != 6)
    throw FieldError{fmt::format(
        "cron() needs 6 fields (minutes hours day-of-month month day-of-week year), got {}{}",
        f.size(),
        f.size() == 5 ? fmt::format("; add the year: '{}'{}", with_year(f),
                                    has_any(f[4], "0123456789")
                                        ? " (note: day-of-week 1 is SUN in AWS but MON "
                                          "in crontab)"
                                        : "")
                      : "")};
  CronSpec c;
  parse_list(kMinutes, f[0], c.minutes);
  parse_list(kHours, f[1], c.hours);
  parse_aws_dom(f[2], c);
  parse_list(kMonth, f[3], c.months);
  parse_aws_dow(f[4], c);
  std::bitset<kAwsLastYear + 1> years;
  parse_list(kYear, f[5], years);
  c.years.assign(kAwsLastYear + 1, false);
  for (size_t y = kAwsFirstYear; y <= kAwsLastYear; ++y) c.years[y] = years.test(y);
  bool dom_q = f[2] == "?", dow_q = f[4] == "?";
  if (dom_q && dow_q)
    throw FieldError{
        fmt::format("day-of-month and day-of-week cannot both be '?'; give one of them, e.g. '{}'",
                    with_one_question_mark(f))};
  if (!dom_q && !dow_q) throw FieldError{both_days_error(f)};
  c.day_mode = dom_q ? DayMode::kDowOnly : DayMode::kDomOnly;
  return c;
}

CronSpec parse_crontab(const std::vector<std::string_view>& f) {
  if (f.size() != 5)
    throw FieldError{fmt::format(
        "a crontab line needs 5 fields (minutes hours day-of-month month day-of-week), got {}{}",
        f.size(), f.size() == 6 ? "; write AWS expressions as cron(...)" : "")};
  const FieldDef* defs[] = {&kMinutes, &kHours, &kDom, &kMonth, &kCrontabDow};
  for (size_t i = 0; i < f.size(); ++i)
    if (has_any(f[i], "?"))
      fail(*defs[i],
           fmt::format("'?' in '{}' is only for AWS cron(...) expressions; use '*'", f[i]));
  CronSpec c;
  parse_list(kMinutes, f[0], c.minutes);
  parse_list(kHours, f[1], c.hours);
  parse_list(kDom, f[2], c.dom);
  parse_list(kMonth, f[3], c.months);
  std::bitset<8> dow;
  parse_list(kCrontabDow, f[4], dow);
  for (size_t d = 0; d < 7; ++d) c.dow.set(d, dow.test(d));
  if (dow.test(7)) c.dow.set(0);
  // Vixie cron: a field that starts with '*' is unrestricted, even `*/2`.
  bool dom_star = f[2].front() == '*', dow_star = f[4].front() == '*';
  c.day_mode = dom_star || dow_star ? DayMode::kBoth : DayMode::kEither;
  return c;
}

namespace {

template <size_t N>
std::optional<unsigned> first_at_or_after(const std::bitset<N>& set, unsigned from) {
  for (size_t i = from; i < N; ++i)
    if (set.test(i)) return static_cast<unsigned>(i);
  return std::nullopt;
}

}  // namespace

std::optional<local_seconds> next_match(const CronSpec& c, local_seconds after, int last_year) {
  local_seconds start = floor<minutes>(after) + minutes{1};
  local_days day_point = floor<days>(start);
  year_month_day ymd{sys_days{day_point.time_since_epoch()}};
  hh_mm_ss hms{start - day_point};
  int y = static_cast<int>(ymd.year());
  unsigned m = static_cast<unsigned>(ymd.month()), d = static_cast<unsigned>(ymd.day());
  auto h = static_cast<unsigned>(hms.hours().count());
  auto mi = static_cast<unsigned>(hms.minutes().count());
  auto next_day = [&] { ++d, h = 0, mi = 0; };
  while (y <= last_year) {
    bool year_ok = c.years.empty() ||
                   (y >= kAwsFirstYear && y <= kAwsLastYear && c.years[static_cast<size_t>(y)]);
    if (m > 12 || !year_ok) {
      y = m <= 12 && y < kAwsFirstYear ? kAwsFirstYear : y + 1;
      m = 1, d = 1, h = 0, mi = 0;
    } else if (!c.months.test(m) || d > last_day_of(y, m)) {
      ++m, d = 1, h = 0, mi = 0;
    } else if (!c.day_matches(y, m, d)) {
      next_day();
    } else if (auto hour = first_at_or_after(c.hours, h); !hour) {
      next_day();
    } else if (*hour != h) {
      h = *hour, mi = 0;
    } else if (auto minute = first_at_or_after(c.minutes, mi); !minute) {
      ++h, mi = 0;
      if (h > 23) next_day();
    } else {
      local_days date{sys_days{year{y} / month{m} / day{d}}.time_since_epoch()};
      return date + hours{h} + minutes{*minute};
    }
  }
  return std::nullopt;
}

}  // namespace lamtool::schedule
