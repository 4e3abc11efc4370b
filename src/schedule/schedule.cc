#include "lamtool/schedule.h"

#include <fmt/format.h>

#include <cctype>

#include "lamtool/error.h"
#include "lamtool/parse.h"
#include "schedule/cron.h"

namespace lamtool::schedule {

using namespace std::chrono;

namespace {

// The latest time printed: RFC 3339 has four-digit years.
constexpr int kLastYear = 9999;
// A crontab line's days repeat every 400 years (the Gregorian cycle), so a search
// that finds nothing in 401 years will never find anything.
constexpr int kCrontabSearchYears = 401;

std::vector<std::string_view> split_fields(std::string_view s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < s.size()) {
    while (pos < s.size() && std::isspace(static_cast<unsigned char>(s[pos])) != 0) ++pos;
    size_t start = pos;
    while (pos < s.size() && std::isspace(static_cast<unsigned char>(s[pos])) == 0) ++pos;
    if (pos > start) out.push_back(s.substr(start, pos - start));
  }
  return out;
}

bool starts_with_call(std::string_view s, std::string_view name) {
  return s.size() > name.size() && s.substr(0, name.size()) == name &&
         (s[name.size()] == '(' || std::isspace(static_cast<unsigned char>(s[name.size()])) != 0);
}

// `rate(5 minutes)` -> the period in seconds.
std::int64_t parse_rate(std::string_view body) {
  auto f = split_fields(body);
  if (f.size() != 2) throw FieldError{"rate() needs a value and a unit, such as rate(5 minutes)"};
  std::string_view value = f[0], unit = f[1];
  bool digits = !value.empty() && value.size() <= 9 && value.front() != '0';
  for (char c : value) digits = digits && std::isdigit(static_cast<unsigned char>(c)) != 0;
  if (!digits) throw FieldError{fmt::format("value: '{}' must be a positive integer", value)};
  std::int64_t n = std::stoll(std::string(value));
  struct Unit {
    std::string_view singular, plural;
    std::int64_t seconds;
  };
  for (Unit u :
       {Unit{"minute", "minutes", 60}, Unit{"hour", "hours", 3600}, Unit{"day", "days", 86400}}) {
    if (unit != u.singular && unit != u.plural) continue;
    if (n == 1 && unit != u.singular)
      throw FieldError{
          fmt::format("unit: '{}' must be singular for 1: use rate(1 {})", unit, u.singular)};
    if (n != 1 && unit != u.plural)
      throw FieldError{
          fmt::format("unit: '{}' must be plural for {}: use rate({} {})", unit, n, n, u.plural)};
    return n * u.seconds;
  }
  throw FieldError{fmt::format("unit: '{}' is not minute(s), hour(s) or day(s)", unit)};
}

// `@daily` and friends, as Vixie cron defines them.
std::optional<std::string_view> macro(std::string_view s) {
  if (s == "@yearly" || s == "@annually") return "0 0 1 1 *";
  if (s == "@monthly") return "0 0 1 * *";
  if (s == "@weekly") return "0 0 * * 0";
  if (s == "@daily" || s == "@midnight") return "0 0 * * *";
  if (s == "@hourly") return "0 * * * *";
  return std::nullopt;
}

}  // namespace

struct Schedule::Impl {
  std::int64_t rate_seconds = 0;  // > 0 for rate()
  CronSpec cron;
};

Schedule::Schedule(std::string expression, std::unique_ptr<Impl> impl)
    : expression_(std::move(expression)), impl_(std::move(impl)) {}
Schedule::Schedule(Schedule&&) noexcept = default;
Schedule& Schedule::operator=(Schedule&&) noexcept = default;
Schedule::~Schedule() = default;

bool Schedule::is_rate() const { return impl_->rate_seconds > 0; }

Schedule Schedule::parse(std::string_view expression) {
  std::string_view s = trim(expression);
  auto impl = std::make_unique<Impl>();
  try {
    bool is_cron = starts_with_call(s, "cron"), is_rate = starts_with_call(s, "rate");
    if (is_cron || is_rate) {
      size_t open = s.find('(');
      if (open == std::string_view::npos || s.back() != ')' || open != 4)
        throw FieldError{
            fmt::format("write {}(...) with the fields inside the parentheses", s.substr(0, 4))};
      std::string_view body = s.substr(5, s.size() - 6);
      if (is_rate)
        impl->rate_seconds = parse_rate(body);
      else
        impl->cron = parse_aws_cron(split_fields(body));
    } else if (!s.empty() && s.front() == '@') {
      auto line = macro(s);
      if (!line)
        throw FieldError{fmt::format(
            "'{}' is not @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly", s)};
      impl->cron = parse_crontab(split_fields(*line));
    } else if (s.empty()) {
      throw FieldError{"the expression is empty"};
    } else {
      impl->cron = parse_crontab(split_fields(s));
    }
  } catch (const FieldError& e) {
    throw UsageError(fmt::format("invalid schedule '{}': {}", s, e.message));
  }
  return Schedule(std::string(s), std::move(impl));
}

std::optional<Seconds> Schedule::next_after(Seconds after, Seconds origin,
                                            const TimeZone& zone) const {
  const Seconds limit = sys_days{year{kLastYear} / December / 31} + hours{23} + minutes{59};
  if (impl_->rate_seconds > 0) {
    std::int64_t period = impl_->rate_seconds;
    std::int64_t since = (after - origin).count();
    std::int64_t k = since < 0 ? 1 : since / period + 1;
    if (k > (limit - origin).count() / period) return std::nullopt;
    return origin + seconds{k * period};
  }
  if (after >= limit) return std::nullopt;
  local_seconds local{(after + seconds{zone.offset_at(after)}).time_since_epoch()};
  int local_year =
      static_cast<int>(year_month_day{floor<days>(sys_seconds{local.time_since_epoch()})}.year());
  int last_year = impl_->cron.years.empty() ? std::min(kLastYear, local_year + kCrontabSearchYears)
                                            : kAwsLastYear;
  // Walk wall-clock matches: skip those in a spring-forward gap, and those whose first
  // occurrence is not after `after` (the second pass of a fall-back hour).
  while (auto match = next_match(impl_->cron, local, last_year)) {
    if (auto utc = zone.to_utc(*match); utc && *utc > after) return utc;
    local = *match;
  }
  return std::nullopt;
}

std::vector<FireTime> next_fire_times(const Schedule& s, Seconds from, int count,
                                      const TimeZone& zone) {
  std::vector<FireTime> out;
  Seconds t = from;
  while (static_cast<int>(out.size()) < count) {
    auto next = s.next_after(t, from, zone);
    if (!next) break;
    out.push_back({*next, zone.offset_at(*next)});
    t = *next;
  }
  if (!out.empty()) return out;
  Seconds epoch_start = sys_days{year{kAwsFirstYear} / January / 1} - days{2};
  if (!s.is_rate() && !s.next_after(epoch_start, from, zone))
    throw UsageError(fmt::format(
        "invalid schedule '{}': it never fires (no date matches its day and month fields)",
        s.expression()));
  throw UsageError(
      fmt::format("schedule '{}' has no fire time after {}", s.expression(), format_rfc3339(from)));
}

std::string format_fire_time(const FireTime& f, bool with_local) {
  std::string utc = format_rfc3339(f.utc);
  if (!with_local) return utc;
  std::string local = format_rfc3339(f.utc + seconds{f.offset_seconds});
  local.pop_back();  // the 'Z'
  int off = f.offset_seconds < 0 ? -f.offset_seconds : f.offset_seconds;
  std::string zone =
      fmt::format("{}{:02}:{:02}", f.offset_seconds < 0 ? '-' : '+', off / 3600, off / 60 % 60);
  if (off % 60 != 0) zone += fmt::format(":{:02}", off % 60);
  return fmt::format("{}  {}{}", utc, local, zone);
}

}  // namespace lamtool::schedule
