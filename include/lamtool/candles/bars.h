#pragma once
// Price bars and their aggregation (DESIGN.md section 4): ticks or intraday bars to
// daily bars, daily bars to weekly bars, and the bars as CSV. Times are wall-clock
// times of the market, counted in seconds from 1970-01-01T00:00 with no zone applied:
// a price stamped `2019-11-05 15:59` belongs to 5 November whatever the machine's zone.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lamtool::candles {

/// One bar. A daily or weekly bar's time is the midnight its period starts.
struct Bar {
  std::int64_t time = 0;
  double open = 0;
  double high = 0;
  double low = 0;
  double close = 0;
  double volume = 0;
};

inline constexpr std::int64_t kSecondsPerDay = 86400;

/// The day of a time: days since 1970-01-01 (floor, so times before 1970 work).
std::int64_t day_of(std::int64_t time);
/// `YYYY-MM-DD` of the day holding `time`.
std::string format_date(std::int64_t time);
/// Seconds at midnight of the civil date; no range check beyond the calendar's.
std::int64_t days_from_civil(int year, int month, int day);

/// Parses a bar or tick time: `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` with an
/// optional `Z` or `+HH:MM`/`-HH:MM` (kept as written: the wall-clock time counts),
/// US `M/D/YYYY[ H:MM[:SS]]`, or a number of seconds since 1970 UTC (milliseconds when
/// it has 13 or more digits). False when `text` is none of these or not a real date.
bool parse_time(std::string_view text, std::int64_t& out);

/// Rolls ticks and intraday bars up into daily bars, in any input order, in memory
/// proportional to the number of days: open = the price at the earliest time of the
/// day, close = the price at the latest (ties: the first given wins the open, the last
/// given the close), high = max, low = min, volume = sum.
class DailyBars {
 public:
  void add_tick(std::int64_t time, double price, double volume = 0);
  /// An intraday or daily bar; `bar.time` picks the day and orders open and close.
  void add_bar(const Bar& bar);
  /// Ticks and bars added so far.
  std::uint64_t added() const { return added_; }
  /// Days seen so far.
  std::size_t days() const;
  /// The daily bars in date order, each stamped at its midnight.
  std::vector<Bar> bars() const;

 private:
  // Defined here, not in bars.cc: the implicit constructor, copy and destructor of
  // DailyBars, compiled wherever it is used, need the element type complete.
  struct Day {
    std::int64_t day = 0;         // days since 1970-01-01
    std::int64_t open_time = 0;   // time of the price that opens the day so far
    std::int64_t close_time = 0;  // time of the price that closes it so far
    double open = 0, high = 0, low = 0, close = 0, volume = 0;
  };
  std::vector<Day> days_;  // kept sorted by day; most input arrives in order
  std::uint64_t added_ = 0;
};

enum class WeekAnchor {
  kMonday,     ///< calendar weeks, Monday to Sunday
  kFirstDate,  ///< 7-day blocks counted from the first bar's date (the original's grouping)
};

/// Weekly bars from daily bars (sorted, one per day): open = first day's open, high =
/// max, low = min, close = last day's close, volume = sum; stamped at the week's first
/// day (the Monday, or the block's first date). Weeks with no bars are left out; weeks
/// with few bars are kept.
std::vector<Bar> weekly_bars(const std::vector<Bar>& daily, WeekAnchor anchor);

/// The bars as CSV: a header `date,open,high,low,close,volume`, then one line per bar,
/// the date as YYYY-MM-DD and numbers in their shortest exact form.
std::string bars_csv(const std::vector<Bar>& bars);

}  // namespace lamtool::candles
