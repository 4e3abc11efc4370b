// Schedule expressions: cron(...), rate(...), crontab lines and @macros, parsed and then
// expanded into a few fire times in UTC.
#include <chrono>

#include "fuzz.h"
#include "lamtool/error.h"
#include "lamtool/schedule.h"

LAMTOOL_FUZZ_TARGET(schedule) {
  using namespace lamtool::schedule;
  try {
    Schedule s = Schedule::parse(lamtool::fuzz::as_text(data, size));
    lamtool::Seconds from{std::chrono::seconds(1'700'000'000)};
    auto zone = TimeZone::utc();
    for (const auto& f : next_fire_times(s, from, 3, zone)) (void)format_fire_time(f, true);
  } catch (const lamtool::Error&) {
  }
  return 0;
}
