// Time-zone files (TZif, with their POSIX TZ footer) as schedule --tz reads them, then
// offsets and conversions at a few instants.
#include <chrono>

#include "fuzz.h"
#include "lamtool/error.h"
#include "lamtool/schedule.h"

LAMTOOL_FUZZ_TARGET(tzif) {
  using namespace lamtool::schedule;
  try {
    TimeZone zone = TimeZone::from_tzif("Fuzz/Zone", lamtool::fuzz::as_text(data, size));
    for (long long t : {-4'000'000'000LL, 0LL, 1'700'000'000LL, 4'200'000'000LL}) {
      (void)zone.offset_at(lamtool::Seconds{std::chrono::seconds(t)});
      (void)zone.to_utc(LocalSeconds{std::chrono::seconds(t)});
    }
    Schedule s = Schedule::parse("cron(30 2 * * ? *)");
    (void)next_fire_times(s, lamtool::Seconds{std::chrono::seconds(1'700'000'000)}, 2, zone);
  } catch (const lamtool::Error&) {
  }
  return 0;
}
