#pragma once
// Cron fields, parsed into sets, and the search for the next matching wall-clock minute.

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lamtool::schedule {

/// How the day-of-month and day-of-week fields combine.
enum class DayMode {
  kDomOnly,  // AWS, day-of-week is '?'
  kDowOnly,  // AWS, day-of-month is '?'
  kBoth,     // crontab with either field starting with '*': both must match
  kEither,   // crontab with both fields restricted (Vixie): either may match
};

struct CronSpec {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<32> dom;            // 1-31
  std::bitset<13> months;         // 1-12
  std::bitset<7> dow;             // 0 = Sunday
  bool dom_last = false;          // L
  bool dom_last_weekday = false;  // LW
  int dom_nearest_weekday = 0;    // nW, 0 = none
  int dow_last_of_month = -1;     // nL: the weekday, -1 = none
  int dow_nth_weekday = -1;       // n#k: the weekday n, -1 = none
  int dow_nth = 0;                // n#k: k
  DayMode day_mode = DayMode::kBoth;
  /// AWS year field (1970-2199); empty for crontab lines, which match every year.
  std::vector<bool> years;

  bool day_matches(int y, unsigned m, unsigned d) const;
};

inline constexpr int kAwsFirstYear = 1970;
inline constexpr int kAwsLastYear = 2199;

/// Thrown by the parsers; Schedule::parse adds the expression to the message.
struct FieldError {
  std::string message;  // `minutes: '61' is out of range 0-59`
};

/// The six fields inside `cron(...)`, AWS rules.
CronSpec parse_aws_cron(const std::vector<std::string_view>& fields);
/// A 5-field crontab line, Vixie cron rules.
CronSpec parse_crontab(const std::vector<std::string_view>& fields);

/// The first whole minute strictly after `after` that matches, searching no later than
/// the end of `last_year`.
std::optional<std::chrono::local_seconds> next_match(const CronSpec& spec,
                                                     std::chrono::local_seconds after,
                                                     int last_year);

}  // namespace lamtool::schedule
