#pragma once
// Schedule expressions: AWS EventBridge `cron(...)` and `rate(...)`, and classic
// 5-field crontab lines. Parses, validates and expands them into fire times, in UTC or
// in a time zone read from the system's TZif database (/usr/share/zoneinfo).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lamtool/clock.h"
#include "lamtool/context.h"

namespace lamtool::schedule {

/// Local wall-clock time counted like UTC seconds (no zone attached).
using LocalSeconds = std::chrono::local_seconds;

/// One zone of the time-zone database: the TZif transition table and its POSIX TZ
/// footer, which gives the offset for times past the table.
class TimeZone {
 public:
  /// The zone `name` (`America/New_York`) from `TZDIR`, or /usr/share/zoneinfo when
  /// unset. UsageError naming the zone when it is unknown or not a TZif file.
  static TimeZone load(std::string_view name);
  /// The zone `name` from the TZif file under `dir`.
  static TimeZone load(std::string_view name, const std::string& dir);
  /// Coordinated Universal Time (offset 0, no file read).
  static TimeZone utc();
  /// A zone from TZif bytes (`name` only labels errors). DataError if malformed.
  static TimeZone from_tzif(std::string_view name, std::string_view bytes);

  TimeZone(TimeZone&&) noexcept;
  TimeZone& operator=(TimeZone&&) noexcept;
  ~TimeZone();

  const std::string& name() const { return name_; }
  /// Offset from UTC in seconds (local = UTC + offset) at instant `t`.
  int offset_at(Seconds t) const;
  /// The UTC instant of wall-clock time `local`, following EventBridge Scheduler: a
  /// time that falls in a gap (clocks spring forward) gives nullopt, and a time that
  /// occurs twice (clocks fall back) gives its first occurrence.
  std::optional<Seconds> to_utc(LocalSeconds local) const;

 private:
  struct Rules;
  TimeZone(std::string name, std::unique_ptr<Rules> rules);
  std::string name_;
  std::unique_ptr<Rules> rules_;
};

/// A parsed, validated schedule expression.
class Schedule {
 public:
  /// Parses `cron(...)`, `rate(...)`, a 5-field crontab line or an `@daily`-style
  /// macro. UsageError `invalid schedule 'EXPR': <field>: <why>` on any bad field.
  static Schedule parse(std::string_view expression);

  Schedule(Schedule&&) noexcept;
  Schedule& operator=(Schedule&&) noexcept;
  ~Schedule();

  const std::string& expression() const { return expression_; }
  bool is_rate() const;

  /// The first fire time strictly after `after`, with cron fields read as wall-clock
  /// time in `zone`; nullopt when there is none (the year range is exhausted, or the
  /// expression can never match). A rate fires at `origin` + k * period, k >= 1.
  std::optional<Seconds> next_after(Seconds after, Seconds origin, const TimeZone& zone) const;

 private:
  struct Impl;
  Schedule(std::string expression, std::unique_ptr<Impl> impl);
  std::string expression_;
  std::unique_ptr<Impl> impl_;
};

/// One fire time, with the zone's offset at that instant.
struct FireTime {
  Seconds utc;
  int offset_seconds = 0;
};

/// The first `count` fire times strictly after `from` (rates count from `from`).
/// Fewer when the schedule runs out; UsageError when there is none at all, saying
/// whether the expression never fires or only has no time after `from`.
std::vector<FireTime> next_fire_times(const Schedule& s, Seconds from, int count,
                                      const TimeZone& zone);

/// `2026-11-20T12:00:00Z`, or with `with_local` also the wall-clock time:
/// `2026-11-20T12:00:00Z  2026-11-20T07:00:00-05:00`.
std::string format_fire_time(const FireTime& f, bool with_local);

}  // namespace lamtool::schedule
