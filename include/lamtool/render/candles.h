#pragma once
// The candlestick chart (DESIGN.md section 4, "Picture"): candles, OHLC bars or a close
// line on a date axis without gaps for missing days, moving averages with a legend, an
// optional volume panel, drawn with Cairo as PNG or SVG. Cairo stays inside src/render/.

#include <string>
#include <string_view>
#include <vector>

#include "lamtool/candles/bars.h"
#include "lamtool/render/format.h"

namespace lamtool::render {

enum class ChartType { kCandle, kOhlc, kLine };

/// "candle", "ohlc" or "line"; UsageError otherwise.
ChartType parse_chart_type(std::string_view name);

/// The named styles, the default first: "default" (close to mplfinance's default),
/// "light", "dark", ...
const std::vector<std::string_view>& candle_style_names();

struct CandleScene {
  /// Shown at the top, e.g. "SP500 NOV2019 Hist · daily".
  std::string title;
  /// The bars to draw, in time order, one per period (each at a distinct day).
  std::vector<candles::Bar> bars;
  /// Weekly bars: axis labels and the legend say weeks.
  bool weekly = false;
  ChartType type = ChartType::kCandle;
  /// Moving averages of the close over these many bars, each with its own colour and a
  /// legend entry ("MA 5"); a line starts at its first full window.
  std::vector<int> mav;
  /// A volume panel under the prices.
  bool volume = false;
  /// One of candle_style_names().
  std::string style = "default";
};

/// Renders the chart; PNG or SVG bytes of width x height pixels. UsageError for a size
/// outside the limits, an unknown style, or no bars; ConfigError when a font is
/// missing; IoError when Cairo fails.
std::string render_candles(const CandleScene& scene, Format format, int width = 800,
                           int height = 575);

}  // namespace lamtool::render
