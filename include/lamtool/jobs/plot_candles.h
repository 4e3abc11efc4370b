#pragma once
// `lamtool plot-candles`: daily and weekly candlestick charts of price histories
// (DESIGN.md section 4), from DynamoDB Streams events of a price table, OHLC(V) CSVs,
// or raw ticks (CSV or JSON Lines).

#include <optional>
#include <string>
#include <vector>

#include "lamtool/candles/bars.h"
#include "lamtool/job.h"
#include "lamtool/jobs/picture.h"
#include "lamtool/render/candles.h"

namespace lamtool::jobs::plot_candles {

enum class Period { kDaily, kWeekly, kBoth };

struct Options {
  std::string in = "-";
  std::optional<std::string> to;  ///< default: the current directory
  Period period = Period::kBoth;
  candles::WeekAnchor anchor = candles::WeekAnchor::kMonday;
  /// nullopt: candles, but a line for a daily chart of one price per day.
  std::optional<render::ChartType> chart;
  std::vector<int> mav;
  bool volume = false;
  std::string style = "default";
  PictureOptions picture{.format = render::Format::kPng, .width = 800, .height = 575};
  std::optional<std::string> bars_out;  ///< where the bars go as CSV, same keys as the charts
  std::optional<std::string> name;      ///< a price file's name; default: the file's stem
};

/// --in, --to, --period, --week-anchor, --chart, --mav, --volume, --style, --size,
/// --format, --bars-out, --name.
void declare(FlagSink& flags, Options& opts);

/// `--mav 5,25`: whole numbers from 2 to 1000, at most 7 of them; UsageError otherwise.
std::vector<int> parse_mav(const std::string& text);

/// Reads the input, rolls it up into bars, and writes one chart per period per item
/// (`daily/<name>.png`, `weekly/<name>.png` under a directory or S3 prefix). In a
/// DynamoDB event, an item that cannot be drawn is reported on stderr and in the
/// manifest (`errors`, `batchItemFailures` by sequence number) and the others are
/// still drawn; the exit code is then 65. REMOVE records are skipped and counted.
Manifest run(Context& ctx, const Options& opts);

}  // namespace lamtool::jobs::plot_candles
