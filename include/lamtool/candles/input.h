#pragma once
// Price files for plot-candles (DESIGN.md section 4): CSV of OHLC(V) bars with columns
// found by header name, and CSV or JSON Lines of raw ticks, read as a stream and rolled
// up into daily bars. DynamoDB Streams items are read by the job (jobs/plot_candles).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lamtool/candles/bars.h"
#include "lamtool/stream.h"

namespace lamtool::candles {

/// The longest line read: a price row is under a hundred bytes, so anything near this
/// is not a price file.
inline constexpr std::size_t kMaxPriceLine = 1 << 20;

/// What a price file held, rolled up into daily bars.
struct Series {
  std::vector<Bar> daily;   ///< one bar per day, in date order
  bool has_volume = false;  ///< a volume column or field was present
  enum class Kind { kBars, kTicks } kind = Kind::kBars;
  std::uint64_t rows = 0;  ///< bars or ticks read
};

/// Reads `path` (`-`: stdin) line by line in memory bounded by the number of days:
/// - CSV with a header naming a date column (date, datetime, time, timestamp; any case)
///   and open, high, low, close (and optionally volume; other columns ignored) in any
///   order: bars, daily or intraday;
/// - CSV with a header naming a time column and price (and optionally volume): ticks;
/// - JSON Lines of ticks `{"timestamp": T, "price": P[, "volume": V]}` where T is a
///   string or a number as parse_time() takes it.
/// Rows may come in any order. InputError (66) when the file is missing; DataError (65)
/// naming the file, line and field for a bad row (unparseable date, non-numeric, NaN,
/// infinite or negative price or volume, high below low or not around open and close),
/// a header without the needed columns, or no rows at all.
Series read_prices(const std::string& path);

/// The same from lines already opened, for a caller that looked at the start of the
/// input first (and gave it back with LineReader::unread()).
Series read_prices(InputStream& in, LineReader& lines);

}  // namespace lamtool::candles
