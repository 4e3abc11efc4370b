#pragma once
// The POSIX TZ string that ends a TZif v2+ file (RFC 8536 section 3.3), such as
// `EST5EDT,M3.2.0,M11.1.0`: the zone's rule for every time past the transition table.

#include <cstdint>
#include <optional>
#include <string_view>

namespace lamtool::schedule {

/// A day-of-year rule: `Jn` (1-365, Feb 29 never counted), `n` (0-365), or `Mm.w.d`
/// (day d of week w of month m, week 5 meaning the last), at `time` seconds of local
/// time (-167h to 167h, default 02:00).
struct PosixDateRule {
  char kind = 'M';  // 'J', 'n' or 'M'
  int day = 0;      // J and n forms
  int month = 0;    // M form, 1-12
  int week = 0;     // M form, 1-5
  int weekday = 0;  // M form, 0 = Sunday
  int time = 2 * 3600;
};

struct PosixTz {
  int std_offset = 0;  // seconds east of UTC (the POSIX sign inverted)
  bool has_dst = false;
  int dst_offset = 0;
  PosixDateRule start;  // standard -> daylight, in local standard time
  PosixDateRule end;    // daylight -> standard, in local daylight time

  /// Offset east of UTC at `utc` (seconds since the epoch).
  int offset_at(std::int64_t utc) const;
};

/// nullopt when `text` is not a valid POSIX TZ string.
std::optional<PosixTz> parse_posix_tz(std::string_view text);

}  // namespace lamtool::schedule
