// Price files for plot-candles: OHLC(V) CSV, tick CSV and tick JSON Lines, read line by
// line into DailyBars so memory follows the number of days, not of rows.

#include "lamtool/candles/input.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <optional>

#include "lamtool/csv.h"
#include "lamtool/error.h"
#include "lamtool/json_scan.h"
#include "lamtool/parse.h"
#include "lamtool/stream.h"

namespace lamtool::candles {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kNeed = "(need date, open, high, low, close; or time and price)";
constexpr size_t kNone = std::numeric_limits<size_t>::max();

/// Where a row is, for messages; the text is made only when one is thrown.
struct Place {
  const InputStream& in;
  size_t line;
  [[noreturn]] void fail(std::string_view what) const {
    throw DataError(fmt::format("{}: {}", in.at_line(line), what));
  }
  [[noreturn]] void fail_field(std::string_view field, std::string_view what) const {
    fail(fmt::format("field '{}': {}", field, what));
  }
};

/// A price or volume `v`, read from `text`: finite and not negative.
double checked_amount(double v, std::string_view text, std::string_view field, const Place& at) {
  if (!std::isfinite(v)) at.fail_field(field, fmt::format("'{}' is not a finite number", text));
  if (v < 0) at.fail_field(field, fmt::format("'{}' is negative", text));
  return v;
}

double amount(std::string_view text, std::string_view field, const Place& at) {
  double v = 0;
  if (!csv::parse_number(text, v)) at.fail_field(field, fmt::format("'{}' is not a number", text));
  return checked_amount(v, text, field, at);
}

std::int64_t time_field(std::string_view text, std::string_view field, const Place& at) {
  std::int64_t t = 0;
  if (!parse_time(text, t)) at.fail_field(field, fmt::format("'{}' is not a date or time", text));
  return t;
}

/// A bar whose high and low do not hold its open and close is a column mix-up or a typo.
/// The tolerance lets through prices rounded apart in the last digit.
void check_bar(const Bar& b, const Place& at) {
  const double eps = 1e-9 * std::max({std::abs(b.open), std::abs(b.close), std::abs(b.high)});
  if (b.high < b.low - eps) at.fail(fmt::format("high {} is below low {}", b.high, b.low));
  const double top = std::max(b.open, b.close);
  const double bottom = std::min(b.open, b.close);
  const char* top_name = b.open > b.close ? "open" : "close";
  const char* bottom_name = b.open < b.close ? "open" : "close";
  if (b.high < top - eps) at.fail(fmt::format("high {} is below the {} {}", b.high, top_name, top));
  if (b.low > bottom + eps)
    at.fail(fmt::format("low {} is above the {} {}", b.low, bottom_name, bottom));
}

// ---- CSV -----------------------------------------------------------------------------------

/// Where the header puts each column we use (kNone: absent), and the names for messages.
struct Columns {
  enum Index { kTime, kOpen, kHigh, kLow, kClose, kPrice, kVolume, kCount };
  std::array<size_t, kCount> at;
  std::vector<std::string> names;  ///< every header field, lower case
  bool bars = false;

  Columns() { at.fill(kNone); }
  bool has(Index i) const { return at[i] != kNone; }
  const std::string& name(Index i) const { return names[at[i]]; }
};

Columns read_header(std::string_view line, const Place& place) {
  static constexpr std::array<std::string_view, Columns::kCount> kNames = {
      "", "open", "high", "low", "close", "price", "volume"};
  static constexpr std::array<std::string_view, 4> kTimeNames = {"date", "datetime", "time",
                                                                 "timestamp"};
  Columns c;
  for (std::string_view field : csv::split_fields(line)) {
    std::string name(field);
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const size_t index = c.names.size();
    c.names.push_back(name);
    // The first column of a name counts; a repeat is ignored like any other column.
    if (!c.has(Columns::kTime) &&
        std::find(kTimeNames.begin(), kTimeNames.end(), name) != kTimeNames.end())
      c.at[Columns::kTime] = index;
    for (size_t k = 1; k < kNames.size(); ++k)
      if (name == kNames[k] && c.at[k] == kNone) c.at[k] = index;
  }
  const std::array<Columns::Index, 4> ohlc = {Columns::kOpen, Columns::kHigh, Columns::kLow,
                                              Columns::kClose};
  const auto missing = std::find_if(ohlc.begin(), ohlc.end(), [&](auto i) { return !c.has(i); });
  const bool any_ohlc = std::any_of(ohlc.begin(), ohlc.end(), [&](auto i) { return c.has(i); });
  c.bars = missing == ohlc.end();
  if (!c.bars && !c.has(Columns::kPrice)) {
    if (any_ohlc) place.fail(fmt::format("no '{}' column {}", kNames[*missing], kNeed));
    place.fail(fmt::format("no 'close' or 'price' column {}", kNeed));
  }
  if (!c.has(Columns::kTime))
    place.fail(fmt::format("no '{}' column {}", c.bars ? "date" : "time", kNeed));
  return c;
}

void read_csv(LineReader& lines, std::string_view header, const InputStream& in, DailyBars& days,
              Series& series) {
  const Columns c = read_header(header, {in, lines.line_number()});
  series.kind = c.bars ? Series::Kind::kBars : Series::Kind::kTicks;
  series.has_volume = c.has(Columns::kVolume);
  std::vector<std::string_view> fields;
  while (auto line = lines.next_line()) {
    if (trim(*line).empty()) continue;
    const Place at{in, lines.line_number()};
    csv::split_fields(*line, fields);
    if (fields.size() != c.names.size())
      at.fail(
          fmt::format("expected {} fields as the header, got {}", c.names.size(), fields.size()));
    auto number = [&](Columns::Index i) {
      return c.has(i) ? amount(fields[c.at[i]], c.name(i), at) : 0.0;
    };
    const std::int64_t time = time_field(fields[c.at[Columns::kTime]], c.name(Columns::kTime), at);
    if (c.bars) {
      const Bar bar{time,
                    number(Columns::kOpen),
                    number(Columns::kHigh),
                    number(Columns::kLow),
                    number(Columns::kClose),
                    number(Columns::kVolume)};
      check_bar(bar, at);
      days.add_bar(bar);
    } else {
      days.add_tick(time, number(Columns::kPrice), number(Columns::kVolume));
    }
    ++series.rows;
  }
}

// ---- JSON Lines ------------------------------------------------------------------------------

/// A member that is not of the kind `want`: a syntax error (false, the cursor failed)
/// when it is no JSON value at all, else a DataError naming the field.
bool wrong_kind(json_scan::Cursor& c, std::string_view field, std::string_view want,
                const Place& at) {
  const json_scan::Kind kind = c.peek_kind();
  if (!c.skip_value()) return false;
  at.fail_field(field, fmt::format("expected {}, got {}", want, json_scan::describe(kind)));
}

/// One `{"timestamp": T, "price": P[, "volume": V]}` line into `days`; false when it
/// has no volume.
bool read_json_tick(std::string_view line, const Place& at, DailyBars& days) {
  json_scan::Cursor c(line);
  std::optional<std::int64_t> time;
  std::optional<double> price;
  std::optional<double> volume;
  auto number = [&](std::string_view field) {
    std::string_view raw;
    double v = 0;
    if (c.peek_kind() != json_scan::Kind::kNumber) {
      wrong_kind(c, field, "a number", at);
      return std::optional<double>();
    }
    if (!c.number(raw, v)) return std::optional<double>();
    return std::optional<double>(checked_amount(v, raw, field, at));
  };
  const bool ok = c.object([&](std::string_view key, bool escaped) {
    if (json_scan::key_equals(key, escaped, "price")) return (price = number("price")).has_value();
    if (json_scan::key_equals(key, escaped, "volume"))
      return (volume = number("volume")).has_value();
    if (!json_scan::key_equals(key, escaped, "timestamp")) return c.skip_value();
    std::string_view raw;
    bool raw_escaped = false;
    double ignored = 0;
    std::string decoded;
    switch (c.peek_kind()) {
      case json_scan::Kind::kString:
        if (!c.string(raw, raw_escaped)) return false;
        if (raw_escaped && json_scan::unescape(raw, decoded)) raw = decoded;
        break;
      case json_scan::Kind::kNumber:
        if (!c.number(raw, ignored)) return false;
        break;
      default:
        return wrong_kind(c, "timestamp", "a string or a number", at);
    }
    time = time_field(raw, "timestamp", at);
    return true;
  }) && c.end();
  if (!ok) at.fail(c.error());
  if (!time) at.fail("no 'timestamp' field");
  if (!price) at.fail("no 'price' field");
  days.add_tick(*time, *price, volume.value_or(0));
  return volume.has_value();
}

void read_json_lines(LineReader& lines, std::string_view first, const InputStream& in,
                     DailyBars& days, Series& series) {
  series.kind = Series::Kind::kTicks;
  series.has_volume = read_json_tick(first, {in, lines.line_number()}, days);
  series.rows = 1;
  while (auto line = lines.next_line()) {
    if (trim(*line).empty()) continue;
    if (read_json_tick(*line, {in, lines.line_number()}, days)) series.has_volume = true;
    ++series.rows;
  }
}

}  // namespace

Series read_prices(const std::string& path) {
  InputStream in = InputStream::open(path);
  LineReader lines(in, kMaxPriceLine);
  return read_prices(in, lines);
}

Series read_prices(InputStream& in, LineReader& lines) {
  Series series;
  DailyBars days;
  // The first line that is not blank tells JSON Lines (an object) from a CSV header.
  std::optional<std::string_view> first;
  while ((first = lines.next_line())) {
    if (lines.line_number() == 1 && first->starts_with(kBom)) first->remove_prefix(kBom.size());
    if (!trim(*first).empty()) break;
  }
  if (!first) throw DataError(fmt::format("{}: no prices", in.describe()));
  if (trim(*first).starts_with('{'))
    read_json_lines(lines, *first, in, days, series);
  else
    read_csv(lines, *first, in, days, series);
  if (series.rows == 0) throw DataError(fmt::format("{}: no prices", in.describe()));
  series.daily = days.bars();
  return series;
}

}  // namespace lamtool::candles
