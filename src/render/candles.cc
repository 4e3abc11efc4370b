#include "lamtool/render/candles.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>

#include "lamtool/context.h"
#include "lamtool/error.h"
#include "render/cairo_handles.h"
#include "render/picture.h"
#include "render/text.h"

namespace lamtool::render {
namespace {

// ---- styles ---------------------------------------------------------------------------

constexpr Rgb hex(std::uint32_t v) {
  return {static_cast<double>((v >> 16) & 0xff) / 255.0,
          static_cast<double>((v >> 8) & 0xff) / 255.0, static_cast<double>(v & 0xff) / 255.0};
}

struct Style {
  std::string_view name;
  Rgb background;  // the whole picture
  Rgb panel;       // inside the price and volume panels
  Rgb grid;
  Rgb frame;
  Rgb ink;    // title, legend
  Rgb muted;  // axis labels, subtitle
  // Candle bodies are an edge-coloured box with the fill inside it; when the two are the
  // same the candle is solid. Wicks, OHLC bars and bars too thin for a body use the edge.
  Rgb up_fill, up_edge, down_fill, down_edge;
  Rgb volume_up, volume_down;
  Rgb line;  // the close line
  std::array<Rgb, 5> mav;
  bool dashed_mav;  // mono: the averages told apart by dashes as well as shade
  // Up bars drawn as lines (OHLC bars, candles too thin for a body) and the last-price tag
  // of an up bar: where up candles are hollow their black edge would hide the direction.
  Rgb up_line;
};

// default: mplfinance's default style (blue-grey panel, white grid, hollow white up
// candles and solid black down candles, all edged in black), its volume blue split into a
// light shade for up days and a dark one for down days. light and dark: the green/red of
// trading platforms. mono: black on white for print, the averages dashed.
const std::array<Style, 4> kStyles{{
    {"default",
     hex(0xffffff),
     hex(0xdce3ef),
     hex(0xffffff),
     hex(0x9aa4b4),
     hex(0x1d2330),
     hex(0x4a5262),
     hex(0xffffff),
     hex(0x000000),
     hex(0x000000),
     hex(0x000000),
     hex(0x7fa7d0),
     hex(0x1f4e79),
     hex(0x1f77b4),
     {hex(0xe8710a), hex(0x7b3fb0), hex(0x1a9850), hex(0xc2185b), hex(0x00838f)},
     false,
     hex(0x6a7d9c)},
    {"light",
     hex(0xffffff),
     hex(0xffffff),
     hex(0xebedf0),
     hex(0xc9ced6),
     hex(0x131722),
     hex(0x555b66),
     hex(0x26a69a),
     hex(0x26a69a),
     hex(0xef5350),
     hex(0xef5350),
     hex(0x9fd9d3),
     hex(0xf7a9a7),
     hex(0x2962ff),
     {hex(0xff9800), hex(0x2962ff), hex(0x9c27b0), hex(0x795548), hex(0x00bcd4)},
     false,
     hex(0x26a69a)},
    {"dark",
     hex(0x131722),
     hex(0x131722),
     hex(0x262b38),
     hex(0x363c4e),
     hex(0xe6e8ee),
     hex(0x9298a6),
     hex(0x26a69a),
     hex(0x26a69a),
     hex(0xef5350),
     hex(0xef5350),
     hex(0x1f6f69),
     hex(0x8c3533),
     hex(0x4c8dff),
     {hex(0xffb74d), hex(0x64b5f6), hex(0xce93d8), hex(0xfff176), hex(0x80cbc4)},
     false,
     hex(0x26a69a)},
    {"mono",
     hex(0xffffff),
     hex(0xffffff),
     hex(0xe4e4e4),
     hex(0x808080),
     hex(0x000000),
     hex(0x444444),
     hex(0xffffff),
     hex(0x000000),
     hex(0x000000),
     hex(0x000000),
     hex(0xc4c4c4),
     hex(0x505050),
     hex(0x000000),
     {hex(0x000000), hex(0x555555), hex(0x000000), hex(0x555555), hex(0x000000)},
     true,
     hex(0x8c8c8c)},
}};

const Style& find_style(std::string_view name) {
  for (const Style& s : kStyles) {
    if (s.name == name) return s;
  }
  std::string names;
  for (const Style& s : kStyles) names += (names.empty() ? "" : ", ") + std::string(s.name);
  throw UsageError(fmt::format("unknown chart style '{}': expected one of {}", name, names));
}

// ---- dates ----------------------------------------------------------------------------

struct Civil {
  int year, month, day;
  int weekday;  // 0 = Monday
};

// The calendar date of a time, as bars.cc reckons days.
Civil civil_of(std::int64_t time) {
  namespace chr = std::chrono;
  const chr::sys_days day{chr::days{candles::day_of(time)}};
  const chr::year_month_day ymd{day};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())),
          static_cast<int>(chr::weekday{day}.iso_encoding()) - 1};
}

constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string month_day(const Civil& c) { return fmt::format("{} {}", kMonths[c.month - 1], c.day); }

std::string full_date(const Civil& c) { return fmt::format("{}, {}", month_day(c), c.year); }

// ---- numbers --------------------------------------------------------------------------

// A round step (1, 2 or 5 times a power of ten) giving about `target` intervals.
double nice_step(double span, double target) {
  double raw = span / std::max(target, 1.0);
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double f : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (raw <= f * mag) return f * mag;
  }
  return 10 * mag;
}

int decimals_for(double step) {
  int d = 0;
  while (d < 8 && std::abs(step * std::pow(10.0, d) - std::round(step * std::pow(10.0, d))) >
                      1e-6 * std::pow(10.0, d)) {
    ++d;
  }
  return d;
}

// The value with `decimals` digits after the point and commas between thousands.
std::string grouped(double v, int decimals) {
  std::string s = fmt::format("{:.{}f}", std::abs(v), decimals);
  std::size_t dot = s.find('.');
  std::size_t int_end = dot == std::string::npos ? s.size() : dot;
  for (std::size_t k = int_end; k > 3; k -= 3) s.insert(k - 3, ",");
  bool negative = v < 0 && std::round(std::abs(v) * std::pow(10.0, decimals)) != 0;
  return negative ? "\u2212" + s : s;
}

// Volume with a k/M/B suffix, each label in the largest unit it reaches ("500M", "1B",
// "1.5B"), with the digits its value needs.
std::string volume_label(double v) {
  struct Unit {
    double size;
    const char* suffix;
  };
  constexpr std::array<Unit, 4> kUnits{{{1e9, "B"}, {1e6, "M"}, {1e3, "k"}, {1, ""}}};
  for (const Unit& u : kUnits) {
    if (v >= u.size || u.size == 1) {
      double x = v / u.size;
      return grouped(x, std::min(decimals_for(x), 2)) + u.suffix;
    }
  }
  return "0";
}

// ---- layout ---------------------------------------------------------------------------

struct Rect {
  double x, y, w, h;
  double right() const { return x + w; }
  double bottom() const { return y + h; }
};

struct Axis {
  double lo, hi;
  double step;
  int decimals;
};

struct Chart {
  const CandleScene& scene;
  const Style& style;
  const Fonts& fonts;
  double width, height;
  double u;  // 1 at 800 x 575: sizes scale with it
  int n;
  Rect price, volume;
  double slot;  // horizontal pixels per bar
  Axis price_axis{}, volume_axis{};
  std::vector<std::vector<double>> mav;  // one per scene.mav entry, NaN before the window

  double x_of(int i) const { return price.x + (i + 0.5) * slot; }
  double y_of(double v) const {
    return price.bottom() - (v - price_axis.lo) / (price_axis.hi - price_axis.lo) * price.h;
  }
  double vy_of(double v) const {
    return volume.bottom() - v / (volume_axis.hi - volume_axis.lo) * volume.h;
  }
};

bool finite_bar(const candles::Bar& b) {
  return std::isfinite(b.open) && std::isfinite(b.high) && std::isfinite(b.low) &&
         std::isfinite(b.close);
}
bool is_up(const candles::Bar& b) { return b.close >= b.open; }

std::vector<double> moving_average(const std::vector<candles::Bar>& bars, int window) {
  std::vector<double> out(bars.size(), std::numeric_limits<double>::quiet_NaN());
  if (window <= 0) return out;
  double sum = 0;
  int bad = 0;  // non-finite closes in the window: the average is undefined there
  auto w = static_cast<std::size_t>(window);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    double c = bars[i].close;
    if (std::isfinite(c)) {
      sum += c;
    } else {
      ++bad;
    }
    if (i >= w) {
      double old = bars[i - w].close;
      if (std::isfinite(old)) {
        sum -= old;
      } else {
        --bad;
      }
    }
    if (i + 1 >= w && bad == 0) out[i] = sum / window;
  }
  return out;
}

Axis price_axis_for(const Chart& c, double lo, double hi) {
  if (!(lo <= hi)) lo = 0, hi = 1;
  if (hi - lo < 1e-9 * std::max(1.0, std::abs(hi))) {
    double pad = std::max(std::abs(hi) * 0.01, 1e-6);
    lo -= pad;
    hi += pad;
  }
  double pad = (hi - lo) * 0.06;
  lo -= pad;
  hi += pad;
  double step = nice_step(hi - lo, std::clamp(c.price.h / (48 * c.u), 2.0, 10.0));
  return {lo, hi, step, decimals_for(step)};
}

std::string tag_text(const Chart& c) {
  return grouped(c.scene.bars.back().close, std::max(c.price_axis.decimals, 2));
}

// Room right of the panels: the widest price or volume label, or the last-price tag.
double axis_room(cairo_t* cr, const Chart& c) {
  const double size = 11 * c.u;
  const Axis& a = c.price_axis;
  double w = 0;
  for (double v : {std::ceil(a.lo / a.step) * a.step, std::floor(a.hi / a.step) * a.step}) {
    w = std::max(w, text_width(cr, c.fonts.regular.get(), size, grouped(v, a.decimals)));
  }
  if (c.scene.volume) {
    const Axis& va = c.volume_axis;
    w = std::max(w, text_width(cr, c.fonts.regular.get(), size,
                               volume_label(std::floor(va.hi / va.step) * va.step)));
  }
  w += 8 * c.u;
  if (std::isfinite(c.scene.bars.back().close)) {
    w = std::max(w, text_width(cr, c.fonts.bold.get(), size, tag_text(c)) + 13 * c.u);
  }
  return w;
}

// ---- header: title, subtitle, legend -------------------------------------------------

struct LegendItem {
  std::string label;
  Rgb colour;
  bool drawn;
  int index;
};

std::vector<LegendItem> legend_items(const Chart& c) {
  std::vector<LegendItem> items;
  if (c.scene.type == ChartType::kLine) items.push_back({"Close", c.style.line, true, -1});
  const char* unit = c.scene.weekly ? " wk" : "";
  const char* bars = c.scene.weekly ? "weeks" : "bars";
  for (std::size_t k = 0; k < c.scene.mav.size(); ++k) {
    int w = c.scene.mav[k];
    Rgb colour = c.style.mav[k % c.style.mav.size()];
    bool drawn = w > 0 && w <= c.n;
    std::string label = fmt::format("MA {}{}", w, unit);
    if (w <= 0) {
      label += " (not a window)";
    } else if (!drawn) {
      label += fmt::format(" (needs {} {})", w, bars);
    }
    items.push_back({label, colour, drawn, static_cast<int>(k)});
  }
  return items;
}

void mav_dash(cairo_t* cr, const Chart& c, int index) {
  if (!c.style.dashed_mav || index <= 0) {
    cairo_set_dash(cr, nullptr, 0, 0);
    return;
  }
  std::array<double, 2> dash{(index % 2 == 1 ? 6.0 : 2.0) * c.u, 3.0 * c.u};
  cairo_set_dash(cr, dash.data(), 2, 0);
}

double legend_width(cairo_t* cr, const Chart& c, const std::vector<LegendItem>& items) {
  double w = 0;
  for (const LegendItem& it : items) {
    w += 22 * c.u + text_width(cr, c.fonts.regular.get(), 11.5 * c.u, it.label) + 14 * c.u;
  }
  return items.empty() ? 0 : w - 14 * c.u;
}

void draw_legend(cairo_t* cr, const Chart& c, const std::vector<LegendItem>& items, double x,
                 double y) {
  const double u = c.u;
  for (const LegendItem& it : items) {
    cairo_move_to(cr, x, y - 4 * u);
    cairo_line_to(cr, x + 16 * u, y - 4 * u);
    cairo_set_line_width(cr, 2.2 * u);
    set_rgb(cr, it.colour);
    if (!it.drawn) {
      std::array<double, 2> dash{2 * u, 2 * u};
      cairo_set_dash(cr, dash.data(), 2, 0);
      cairo_set_source_rgba(cr, it.colour.r, it.colour.g, it.colour.b, 0.5);
    } else {
      mav_dash(cr, c, it.index);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    x += 22 * u;
    x += draw_text(cr, c.fonts.regular.get(), 11.5 * u, it.drawn ? c.style.ink : c.style.muted,
                   it.label, x, y, Align::kLeft);
    x += 14 * u;
  }
}

std::string subtitle(const Chart& c) {
  Civil first = civil_of(c.scene.bars.front().time);
  Civil last = civil_of(c.scene.bars.back().time);
  std::string range = first.year == last.year
                          ? fmt::format("{} \u2013 {}", month_day(first), full_date(last))
                          : fmt::format("{} \u2013 {}", full_date(first), full_date(last));
  if (c.n == 1) range = full_date(first);
  const char* what = c.scene.weekly ? (c.n == 1 ? "week" : "weeks") : (c.n == 1 ? "day" : "days");
  return fmt::format("{}  \u00b7  {}  \u00b7  {} {}", c.scene.weekly ? "Weekly" : "Daily", range,
                     c.n, what);
}

// Shortens the text with an ellipsis until it fits max_w at the size.
std::string fitted(cairo_t* cr, cairo_font_face_t* face, double size, std::string text,
                   double max_w) {
  if (text_width(cr, face, size, text) <= max_w) return text;
  while (!text.empty() && text_width(cr, face, size, text + "\u2026") > max_w) {
    pop_utf8_char(text);
  }
  return text + "\u2026";
}

// ---- date axis ------------------------------------------------------------------------

struct Tick {
  int index;
  std::string label;
  double label_x = 0;  // centre of the label: under the tick, or moved in from the edge
};

enum class Level { kEveryBar, kWeek, kMonth, kQuarter, kYear, kYear2, kYear5, kYear10 };

// Key of the period holding the date at a level; a tick goes where the key changes.
std::int64_t period_key(Level level, const Civil& d, std::int64_t day) {
  switch (level) {
    case Level::kEveryBar:
      return day;
    case Level::kWeek:
      // Monday-based weeks (1970-01-01 was a Thursday), floored for days before 1970.
      return day + 3 >= 0 ? (day + 3) / 7 : (day + 3 - 6) / 7;
    case Level::kMonth:
      return d.year * 12 + d.month - 1;
    case Level::kQuarter:
      return d.year * 4 + (d.month - 1) / 3;
    case Level::kYear:
      return d.year;
    case Level::kYear2:
      return d.year / 2;
    case Level::kYear5:
      return d.year / 5;
    case Level::kYear10:
      return d.year / 10;
  }
  return day;
}

// Whether the series' first bar is close enough to its period's start to be labelled as
// it: within the first days of a month (a weekend or holiday may come first), within the
// first week for weekly bars.
bool starts_period(Level level, const Civil& d, bool weekly) {
  const int slack = weekly ? 7 : 3;
  switch (level) {
    case Level::kEveryBar:
      return true;
    case Level::kWeek:
      return d.weekday <= 1;
    case Level::kMonth:
      return d.day <= slack;
    case Level::kQuarter:
      return (d.month - 1) % 3 == 0 && d.day <= slack;
    case Level::kYear:
      return d.month == 1 && d.day <= slack + 1;
    case Level::kYear2:
      return d.month == 1 && d.day <= slack + 1 && d.year % 2 == 0;
    case Level::kYear5:
      return d.month == 1 && d.day <= slack + 1 && d.year % 5 == 0;
    case Level::kYear10:
      return d.month == 1 && d.day <= slack + 1 && d.year % 10 == 0;
  }
  return false;
}

std::string tick_label(Level level, const Civil& d) {
  if (level <= Level::kWeek) return month_day(d);
  if (level <= Level::kQuarter && d.month != 1) return kMonths[d.month - 1];
  return fmt::format("{}", d.year);
}

std::vector<Tick> ticks_at(const Chart& c, Level level) {
  std::vector<Tick> ticks;
  std::int64_t prev = 0;
  for (int i = 0; i < c.n; ++i) {
    std::int64_t t = c.scene.bars[static_cast<std::size_t>(i)].time;
    std::int64_t day = (t >= 0 ? t : t - (candles::kSecondsPerDay - 1)) / candles::kSecondsPerDay;
    Civil d = civil_of(t);
    std::int64_t key = period_key(level, d, day);
    bool tick = i == 0 ? starts_period(level, d, c.scene.weekly) : key != prev;
    if (tick) ticks.push_back({i, tick_label(level, d)});
    prev = key;
  }
  return ticks;
}

// The finest level whose labels all fit between their neighbours and the plot's ends.
std::vector<Tick> choose_ticks(cairo_t* cr, const Chart& c) {
  const double size = 11 * c.u, gap = 12 * c.u;
  std::vector<Tick> best;
  for (int l = 0; l <= static_cast<int>(Level::kYear10); ++l) {
    auto level = static_cast<Level>(l);
    if (c.scene.weekly && level == Level::kWeek) continue;
    std::vector<Tick> ticks = ticks_at(c, level);
    bool fits = true;
    double prev_right = -1e300;
    for (Tick& t : ticks) {
      double w = text_width(cr, c.fonts.regular.get(), size, t.label);
      double x = std::clamp(c.x_of(t.index), w / 2 + 4 * c.u, c.width - w / 2 - 4 * c.u);
      t.label_x = x;
      if (x - w / 2 < prev_right + gap) {
        fits = false;
        break;
      }
      prev_right = x + w / 2;
    }
    if (fits && !ticks.empty()) return ticks;
    if (fits && best.empty()) best = ticks;
  }
  return best;
}

// ---- drawing --------------------------------------------------------------------------

// Pixel edges for a bar's body: whole pixels when a body is at least 2 px wide, so edges
// are crisp and Cairo takes its fast path for pixel-aligned boxes.
struct Span {
  double x0, x1;
};

double body_width(const Chart& c) {
  // 70% of the slot, at most 26 px at the default size so 5 bars stay candles.
  return std::min(c.slot * 0.7, 26 * c.u);
}

Span body_span(const Chart& c, int i) {
  double x = c.x_of(i), w = body_width(c);
  if (w >= 2) {  // the same whole number of pixels for every bar
    w = std::round(w);
    double x0 = std::round(x - w / 2);
    return {x0, x0 + w};
  }
  return {x - w / 2, x + w / 2};
}

Span wick_span(const Chart& c, int i) {
  double w = std::max(1.0, std::round(c.u));
  double x = c.x_of(i);
  if (body_width(c) < 2) {  // thin bars: the wick is the whole bar
    double bw = std::max(body_width(c), std::min(c.slot, 1.0) * 0.9);
    return {x - bw / 2, x + bw / 2};
  }
  double x0 = std::round(x - w / 2);
  return {x0, x0 + w};
}

void rect(cairo_t* cr, double x0, double y0, double x1, double y1) {
  cairo_rectangle(cr, x0, std::min(y0, y1), x1 - x0, std::abs(y1 - y0));
}

// Vertical pixel rows of a value range, at least 1 px tall.
std::pair<double, double> rows(const Chart& c, double a, double b) {
  double y0 = std::round(c.y_of(std::max(a, b))), y1 = std::round(c.y_of(std::min(a, b)));
  if (y1 - y0 < 1) y1 = y0 + 1;
  return {y0, y1};
}

void draw_candles(cairo_t* cr, const Chart& c) {
  const auto& bars = c.scene.bars;
  bool thin = body_width(c) < 3;
  // Wicks first (edge colour), then each body as an edge box with its fill inset by a
  // pixel; one path per colour so 2,000 bars are a handful of fills.
  for (bool up : {true, false}) {
    for (int i = 0; i < c.n; ++i) {
      const candles::Bar& b = bars[static_cast<std::size_t>(i)];
      if (!finite_bar(b) || is_up(b) != up) continue;
      Span s = wick_span(c, i);
      double hi = std::max({b.high, b.open, b.close}), lo = std::min({b.low, b.open, b.close});
      auto [y0, y1] = rows(c, hi, lo);
      rect(cr, s.x0, y0, s.x1, y1);
      if (!thin) {
        Span body = body_span(c, i);
        auto [b0, b1] = rows(c, b.open, b.close);
        rect(cr, body.x0, b0, body.x1, b1);
      }
    }
    set_rgb(cr, up ? (thin ? c.style.up_line : c.style.up_edge) : c.style.down_edge);
    cairo_fill(cr);
  }
  if (thin) return;
  const double inset = std::max(1.0, std::round(c.u));
  for (bool up : {true, false}) {
    const Rgb& fill = up ? c.style.up_fill : c.style.down_fill;
    const Rgb& edge = up ? c.style.up_edge : c.style.down_edge;
    if (fill.r == edge.r && fill.g == edge.g && fill.b == edge.b) continue;
    for (int i = 0; i < c.n; ++i) {
      const candles::Bar& b = bars[static_cast<std::size_t>(i)];
      if (!finite_bar(b) || is_up(b) != up) continue;
      Span body = body_span(c, i);
      auto [b0, b1] = rows(c, b.open, b.close);
      if (body.x1 - body.x0 > 2 * inset && b1 - b0 > 2 * inset) {
        rect(cr, body.x0 + inset, b0 + inset, body.x1 - inset, b1 - inset);
      }
    }
    set_rgb(cr, fill);
    cairo_fill(cr);
  }
}

void draw_ohlc(cairo_t* cr, const Chart& c) {
  const double tick = std::max(1.0, std::round(c.u));
  for (bool up : {true, false}) {
    for (int i = 0; i < c.n; ++i) {
      const candles::Bar& b = c.scene.bars[static_cast<std::size_t>(i)];
      if (!finite_bar(b) || is_up(b) != up) continue;
      Span s = wick_span(c, i);
      double hi = std::max({b.high, b.open, b.close}), lo = std::min({b.low, b.open, b.close});
      auto [y0, y1] = rows(c, hi, lo);
      rect(cr, s.x0, y0, s.x1, y1);
      Span body = body_span(c, i);
      if (body.x1 - body.x0 >= 3) {  // room for the open and close ticks
        double yo = std::round(c.y_of(b.open) - tick / 2);
        double yc = std::round(c.y_of(b.close) - tick / 2);
        rect(cr, body.x0, yo, s.x0, yo + tick);
        rect(cr, s.x1, yc, body.x1, yc + tick);
      }
    }
    set_rgb(cr, up ? c.style.up_line : c.style.down_edge);
    cairo_fill(cr);
  }
}

// A polyline through the finite values, broken where a value is missing.
void polyline(cairo_t* cr, const Chart& c, const std::vector<double>& v) {
  bool pen = false;
  for (int i = 0; i < c.n; ++i) {
    double y = v[static_cast<std::size_t>(i)];
    if (!std::isfinite(y)) {
      pen = false;
      continue;
    }
    if (pen) {
      cairo_line_to(cr, c.x_of(i), c.y_of(y));
    } else {
      cairo_move_to(cr, c.x_of(i), c.y_of(y));
      pen = true;
    }
  }
}

// Long polylines are most of the drawing time at 2,000 bars: bevel joins (round ones are
// arcs at every vertex, invisible at this width) and Cairo's 4 x 4 antialiasing, which
// halved the time of two averages over 2,000 bars and looks the same on a line this thin.
void stroke_settings(cairo_t* cr, double width) {
  cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
  cairo_set_line_width(cr, width);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
}

void draw_close_line(cairo_t* cr, const Chart& c) {
  std::vector<double> closes;
  closes.reserve(c.scene.bars.size());
  for (const candles::Bar& b : c.scene.bars) closes.push_back(b.close);
  polyline(cr, c, closes);
  set_rgb(cr, c.style.line);
  stroke_settings(cr, 1.8 * c.u);
  cairo_stroke(cr);
  if (c.n <= 40) {  // few points: mark each close so single days can be read
    for (int i = 0; i < c.n; ++i) {
      double v = closes[static_cast<std::size_t>(i)];
      if (!std::isfinite(v)) continue;
      cairo_new_sub_path(cr);
      cairo_arc(cr, c.x_of(i), c.y_of(v), 2.6 * c.u, 0, 2 * 3.141592653589793);
    }
    cairo_fill(cr);
  }
}

void draw_mavs(cairo_t* cr, const Chart& c) {
  stroke_settings(cr, 1.6 * c.u);
  for (std::size_t k = 0; k < c.mav.size(); ++k) {
    polyline(cr, c, c.mav[k]);
    set_rgb(cr, c.style.mav[k % c.style.mav.size()]);
    mav_dash(cr, c, static_cast<int>(k));
    cairo_stroke(cr);
  }
  cairo_set_dash(cr, nullptr, 0, 0);
}

void draw_volume(cairo_t* cr, const Chart& c) {
  double w = std::max(body_width(c), std::min(c.slot, 1.0) * 0.9);
  for (bool up : {true, false}) {
    for (int i = 0; i < c.n; ++i) {
      const candles::Bar& b = c.scene.bars[static_cast<std::size_t>(i)];
      if (!std::isfinite(b.volume) || b.volume <= 0 || is_up(b) != up) continue;
      double x0 = c.x_of(i) - w / 2;
      if (w >= 2) x0 = std::round(x0);
      double x1 = x0 + (w >= 2 ? std::round(w) : w);
      double y = std::round(c.vy_of(b.volume));
      rect(cr, x0, std::min(y, c.volume.bottom() - 1), x1, c.volume.bottom());
    }
    set_rgb(cr, up ? c.style.volume_up : c.style.volume_down);
    cairo_fill(cr);
  }
}

void draw_panel(cairo_t* cr, const Chart& c, const Rect& r) {
  set_rgb(cr, c.style.panel);
  cairo_rectangle(cr, r.x, r.y, r.w, r.h);
  cairo_fill(cr);
}

void draw_frame(cairo_t* cr, const Chart& c, const Rect& r) {
  cairo_rectangle(cr, r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
  set_rgb(cr, c.style.frame);
  cairo_set_line_width(cr, 1);
  cairo_stroke(cr);
}

double snap(double v) { return std::floor(v) + 0.5; }

void draw_price_grid(cairo_t* cr, const Chart& c) {
  const Axis& a = c.price_axis;
  double first = std::ceil(a.lo / a.step) * a.step;
  for (double v = first; v <= a.hi; v += a.step) {
    double y = snap(c.y_of(v));
    cairo_move_to(cr, c.price.x, y);
    cairo_line_to(cr, c.price.right(), y);
  }
  if (c.scene.volume) {
    const Axis& va = c.volume_axis;
    for (double v = va.step; v <= va.hi; v += va.step) {
      double y = snap(c.vy_of(v));
      cairo_move_to(cr, c.volume.x, y);
      cairo_line_to(cr, c.volume.right(), y);
    }
  }
  set_rgb(cr, c.style.grid);
  cairo_set_line_width(cr, 1);
  cairo_stroke(cr);
}

double tag_height(const Chart& c) { return 18 * c.u; }

// The tag's centre: at the last close, kept inside the price panel.
double tag_y(const Chart& c) {
  double h = tag_height(c);
  return std::clamp(c.y_of(c.scene.bars.back().close), c.price.y + h / 2, c.price.bottom() - h / 2);
}

void draw_price_labels(cairo_t* cr, const Chart& c) {
  const Axis& a = c.price_axis;
  const double size = 11 * c.u, x = c.price.right() + 7 * c.u;
  // Labels the last-price tag would half cover are left out.
  const bool tag = std::isfinite(c.scene.bars.back().close);
  double first = std::ceil(a.lo / a.step) * a.step;
  for (double v = first; v <= a.hi; v += a.step) {
    double y = c.y_of(v);
    if (y < c.price.y + 4 * c.u) continue;
    if (tag && std::abs(y - tag_y(c)) < tag_height(c) / 2 + size * 0.5) continue;
    draw_text(cr, c.fonts.regular.get(), size, c.style.muted, grouped(v, a.decimals), x,
              y + 0.36 * size, Align::kLeft);
  }
  if (c.scene.volume) {
    const Axis& va = c.volume_axis;
    for (double v = va.step; v <= va.hi; v += va.step) {
      double y = c.vy_of(v);
      if (y < c.volume.y + 4 * c.u) continue;
      draw_text(cr, c.fonts.regular.get(), size, c.style.muted, volume_label(v), x, y + 0.36 * size,
                Align::kLeft);
    }
    draw_text(cr, c.fonts.regular.get(), 10 * c.u, c.style.muted, "Volume", c.volume.x + 6 * c.u,
              c.volume.y + 13 * c.u, Align::kLeft);
  }
}

// The last close as a tag on the price axis, in the last bar's colour.
void draw_last_tag(cairo_t* cr, const Chart& c) {
  const candles::Bar& b = c.scene.bars.back();
  if (!std::isfinite(b.close)) return;
  const double size = 11 * c.u;
  std::string text = tag_text(c);
  double w = text_width(cr, c.fonts.bold.get(), size, text) + 10 * c.u;
  double h = tag_height(c);
  double y = tag_y(c);
  double x = c.price.right() + 3 * c.u;
  bool up = is_up(b);
  Rgb fill = up ? c.style.up_line : c.style.down_edge;
  if (c.scene.type == ChartType::kLine) fill = c.style.line;
  set_rgb(cr, fill);
  cairo_rectangle(cr, std::round(x), std::round(y - h / 2), std::round(w), std::round(h));
  cairo_fill(cr);
  double lum = 0.299 * fill.r + 0.587 * fill.g + 0.114 * fill.b;
  Rgb ink = lum > 0.6 ? Rgb{0, 0, 0} : Rgb{1, 1, 1};
  draw_text(cr, c.fonts.bold.get(), size, ink, text, x + 5 * c.u, y + 0.36 * size, Align::kLeft);
  // A dotted line from the last bar to the tag.
  std::array<double, 2> dash{1.5 * c.u, 2.5 * c.u};
  cairo_set_dash(cr, dash.data(), 2, 0);
  cairo_move_to(cr, c.x_of(c.n - 1) + body_width(c) / 2 + 2 * c.u, snap(c.y_of(b.close)));
  cairo_line_to(cr, c.price.right(), snap(c.y_of(b.close)));
  cairo_set_source_rgba(cr, fill.r, fill.g, fill.b, 0.7);
  cairo_set_line_width(cr, 1);
  cairo_stroke(cr);
  cairo_set_dash(cr, nullptr, 0, 0);
}

void draw_date_axis(cairo_t* cr, const Chart& c, const std::vector<Tick>& ticks) {
  const Rect& bottom = c.scene.volume ? c.volume : c.price;
  for (const Tick& t : ticks) {
    double x = snap(c.x_of(t.index));
    cairo_move_to(cr, x, c.price.y);
    cairo_line_to(cr, x, c.price.bottom());
    if (c.scene.volume) {
      cairo_move_to(cr, x, c.volume.y);
      cairo_line_to(cr, x, c.volume.bottom());
    }
  }
  set_rgb(cr, c.style.grid);
  cairo_set_line_width(cr, 1);
  cairo_stroke(cr);
  const double size = 11 * c.u;
  for (const Tick& t : ticks) {
    double x = c.x_of(t.index);
    cairo_move_to(cr, snap(x), bottom.bottom());
    cairo_line_to(cr, snap(x), bottom.bottom() + 4 * c.u);
    set_rgb(cr, c.style.frame);
    cairo_stroke(cr);
    draw_text(cr, c.fonts.regular.get(), size, c.style.muted, t.label, t.label_x,
              bottom.bottom() + 6 * c.u + size, Align::kCenter);
  }
}

void draw_chart(cairo_t* cr, const CandleScene& scene, const Style& style, const Fonts& fonts,
                int width, int height) {
  set_portable_font_options(cr);
  const double u = std::clamp(std::min(width / 800.0, height / 575.0), 0.75, 4.0);
  Chart c{scene,
          style,
          fonts,
          static_cast<double>(width),
          static_cast<double>(height),
          u,
          static_cast<int>(scene.bars.size()),
          {},
          {},
          1.0,
          {},
          {},
          {}};
  for (int w : scene.mav) c.mav.push_back(moving_average(scene.bars, w));

  // Value ranges: every finite price drawn, including the averages.
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, vmax = 0;
  for (const candles::Bar& b : scene.bars) {
    if (!finite_bar(b)) continue;
    if (scene.type == ChartType::kLine) {
      lo = std::min(lo, b.close);
      hi = std::max(hi, b.close);
    } else {
      lo = std::min({lo, b.low, b.open, b.close});
      hi = std::max({hi, b.high, b.open, b.close});
    }
    if (std::isfinite(b.volume)) vmax = std::max(vmax, b.volume);
  }
  for (const auto& m : c.mav) {
    for (double v : m) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }

  // Header: title, then subtitle with the legend on its right (or on a row of its own).
  const double margin = 16 * u;
  auto items = legend_items(c);
  std::string sub = subtitle(c);
  double title_y = margin + 17 * u;
  double sub_y = title_y + 22 * u;
  double sub_w = text_width(cr, fonts.regular.get(), 12 * u, sub);
  double leg_w = legend_width(cr, c, items);
  bool legend_row = !items.empty() && sub_w + 24 * u + leg_w > width - 2 * margin;
  double header = sub_y + (legend_row ? 22 * u : 0) + 14 * u;

  // Heights first: the axes' steps depend on them, the labels' widths on the steps.
  double left = std::round(margin);
  double bottom = std::round(height - margin - 22 * u);
  double top = std::round(header);
  double plot_h = bottom - top;
  if (scene.volume) {
    double gap = std::round(10 * u);
    double vol_h = std::round((plot_h - gap) * 0.24);
    c.price = {left, top, 0, plot_h - gap - vol_h};
    c.volume = {left, top + plot_h - vol_h, 0, vol_h};
  } else {
    c.price = {left, top, 0, plot_h};
    c.volume = {left, bottom, 0, 0};
  }
  c.price_axis = price_axis_for(c, lo, hi);
  if (scene.volume) {
    double vhi = vmax > 0 ? vmax * 1.2 : 1;  // headroom for the panel's name
    double step = nice_step(vhi, c.volume.h >= 90 * u ? 3 : 2);
    c.volume_axis = {0, vhi, step, decimals_for(step)};
  }
  double right = std::round(width - margin - axis_room(cr, c));
  c.price.w = c.volume.w = right - left;
  c.slot = c.price.w / std::max(c.n, 1);

  set_rgb(cr, style.background);
  cairo_paint(cr);
  std::string title = fitted(cr, fonts.bold.get(), 17 * u, scene.title, width - 2 * margin);
  draw_text(cr, fonts.bold.get(), 17 * u, style.ink, title, margin, title_y, Align::kLeft);
  draw_text(cr, fonts.regular.get(), 12 * u, style.muted, sub, margin, sub_y, Align::kLeft);
  if (!items.empty()) {
    double lx = legend_row ? margin : width - margin - leg_w;
    draw_legend(cr, c, items, lx, legend_row ? sub_y + 22 * u : sub_y);
  }

  draw_panel(cr, c, c.price);
  if (scene.volume) draw_panel(cr, c, c.volume);
  std::vector<Tick> ticks = choose_ticks(cr, c);
  draw_price_grid(cr, c);
  draw_date_axis(cr, c, ticks);

  cairo_save(cr);
  cairo_rectangle(cr, c.price.x, c.price.y, c.price.w, c.price.h);
  cairo_clip(cr);
  switch (scene.type) {
    case ChartType::kCandle:
      draw_candles(cr, c);
      break;
    case ChartType::kOhlc:
      draw_ohlc(cr, c);
      break;
    case ChartType::kLine:
      draw_close_line(cr, c);
      break;
  }
  draw_mavs(cr, c);
  cairo_restore(cr);
  if (scene.volume) draw_volume(cr, c);

  draw_frame(cr, c, c.price);
  if (scene.volume) draw_frame(cr, c, c.volume);
  draw_price_labels(cr, c);
  draw_last_tag(cr, c);
}

}  // namespace

ChartType parse_chart_type(std::string_view name) {
  if (name == "candle") return ChartType::kCandle;
  if (name == "ohlc") return ChartType::kOhlc;
  if (name == "line") return ChartType::kLine;
  throw UsageError(fmt::format("unknown chart type '{}': expected candle, ohlc or line", name));
}

const std::vector<std::string_view>& candle_style_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const Style& s : kStyles) v.push_back(s.name);
    return v;
  }();
  return names;
}

std::string render_candles(const CandleScene& scene, Format format, int width, int height) {
  check_size(width, height);
  const Style& style = find_style(scene.style);
  if (scene.bars.empty()) throw UsageError("no bars to draw: the chart needs at least one bar");
  Fonts fonts = load_fonts(Context::data_dir());
  return render_picture(format, width, height,
                        [&](cairo_t* cr) { draw_chart(cr, scene, style, fonts, width, height); });
}

}  // namespace lamtool::render
