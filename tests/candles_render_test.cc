// Candlestick picture (DESIGN.md section 4): styles, chart types, the date axis from 5 to
// 2,000 bars, volume, and golden images (tests/golden/candles_*.png, reviewed by eye).

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <random>
#include <utility>

#include "image_compare.h"
#include "lamtool/error.h"
#include "lamtool/render/candles.h"
#include "svg_summary.h"

namespace lamtool::render {
namespace {

using candles::Bar;
const std::string kGoldenDir = std::string(LAMTOOL_SOURCE_DIR) + "/tests/golden";
const std::string kOutDir = LAMTOOL_TEST_OUTPUT_DIR;
constexpr std::int64_t kDay = candles::kSecondsPerDay;

// The S&P 500 in November 2019 (data/candles/SP500_NOV2019_Hist.csv, mplfinance's
// sample): the series of mplfinance's README pictures, so ours can be set beside them.
// Days since 1970: 2019-11-01 is day 18201.
std::vector<Bar> sp500_nov2019() {
  struct Row {
    int day;  // of November
    double open, high, low, close, volume;
  };
  const Row rows[] = {
      {1, 3050.72, 3066.95, 3050.72, 3066.91, 510301237},
      {4, 3078.96, 3085.2, 3074.87, 3078.27, 524848878},
      {5, 3080.8, 3083.95, 3072.15, 3074.62, 585634570},
      {6, 3075.1, 3078.34, 3065.89, 3076.78, 544288522},
      {7, 3087.02, 3097.77, 3080.23, 3085.18, 566117910},
      {8, 3081.25, 3093.09, 3073.58, 3093.08, 460757054},
      {11, 3080.33, 3088.33, 3075.82, 3087.01, 366044400},
      {12, 3089.28, 3102.61, 3084.73, 3091.84, 434953689},
      {13, 3084.18, 3098.06, 3078.8, 3094.04, 454607412},
      {14, 3090.75, 3098.2, 3083.26, 3096.63, 408390424},
      {15, 3107.92, 3120.46, 3104.6, 3120.46, 579104868},
      {18, 3117.91, 3124.17, 3112.06, 3122.03, 521730492},
      {19, 3127.45, 3127.64, 3113.47, 3120.18, 513153035},
      {20, 3114.66, 3118.97, 3091.41, 3108.46, 756408988},
      {21, 3108.49, 3110.11, 3094.55, 3103.54, 476836171},
      {22, 3111.41, 3112.87, 3099.26, 3110.29, 418027927},
      {25, 3117.44, 3133.83, 3117.44, 3133.64, 513728761},
      {26, 3134.85, 3142.69, 3131, 3140.52, 986041660},
      {27, 3145.49, 3154.26, 3143.41, 3153.63, 421853938},
      {29, 3147.18, 3150.3, 3139.34, 3140.98, 286602291},
  };
  std::vector<Bar> bars;
  for (const Row& r : rows) {
    bars.push_back({(18201 + r.day - 1) * kDay, r.open, r.high, r.low, r.close, r.volume});
  }
  return bars;
}

// A random walk of n bars on weekdays (or weeks) from Monday 2015-01-05 (day 16440), by
// Box-Muller over mt19937, whose output the standard fixes (std::normal_distribution is
// implementation-defined, which would make goldens vary).
std::vector<Bar> random_walk(int n, unsigned seed, bool weekly = false) {
  std::mt19937 gen(seed);
  auto uniform = [&] { return (static_cast<double>(gen()) + 0.5) / 4294967296.0; };
  auto normal = [&] {
    double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
  };
  std::vector<Bar> bars;
  double price = 100;
  std::int64_t day = 16440;
  const double vol = weekly ? 0.03 : 0.012;
  for (int i = 0; i < n; ++i) {
    double open = price * (1 + 0.3 * vol * normal());
    double close = open * (1 + vol * normal());
    double high = std::max(open, close) * (1 + 0.5 * vol * std::abs(normal()));
    double low = std::min(open, close) * (1 - 0.5 * vol * std::abs(normal()));
    double volume = 2e6 * (weekly ? 5 : 1) * (1 + 0.4 * std::abs(normal()));
    bars.push_back({day * kDay, open, high, low, close, volume});
    price = close;
    day += weekly ? 7 : ((day + 3) % 7 == 4 ? 3 : 1);  // Friday to Monday
  }
  return bars;
}

CandleScene sp500_scene() {
  CandleScene s;
  s.title = "SP500 NOV2019 Hist";
  s.bars = sp500_nov2019();
  s.mav = {5, 10};
  s.volume = true;
  return s;
}

CandleScene walk_scene(int n, bool weekly = false) {
  CandleScene s;
  s.title = weekly ? "Random walk \u00b7 weekly" : "Random walk";
  s.bars = random_walk(n, 20150105, weekly);
  s.weekly = weekly;
  s.mav = {20, 50};
  s.volume = true;
  return s;
}

// Without averages, so the same bars with open and close exchanged differ only in colour.
CandleScene dark_scene() {
  CandleScene s = sp500_scene();
  s.style = "dark";
  s.mav = {};
  return s;
}

CandleScene five_scene() {
  CandleScene s = sp500_scene();
  s.bars.resize(5);
  s.mav = {3, 200};  // 200 cannot be drawn and is listed as such
  return s;
}

std::string png(const CandleScene& s, int w = 800, int h = 575) {
  return render_candles(s, Format::kPng, w, h);
}

TEST(CandlePicture, SvgIsWellFormedSvgOfTheRequestedSize) {
  test::SvgSummary svg = test::summarise_svg(render_candles(sp500_scene(), Format::kSvg, 640, 480));
  ASSERT_TRUE(svg.well_formed) << svg.error;
  EXPECT_EQ(svg.root, "http://www.w3.org/2000/svg svg");
  EXPECT_EQ(svg.width, "640px");  // pixels, as the PNG: Cairo's default is points
  EXPECT_EQ(svg.height, "480px");
  EXPECT_GT(svg.paths, 10) << "candles, averages and text are vector paths";
  EXPECT_EQ(svg.images, 0) << "no raster fallback";
}

// ---- properties -----------------------------------------------------------------------

struct Colour {
  int r, g, b;
};

bool near(const std::uint8_t* p, Colour c, int tol = 6) {
  return std::abs(p[0] - c.r) <= tol && std::abs(p[1] - c.g) <= tol && std::abs(p[2] - c.b) <= tol;
}

// The longest run of pixels of colour c in row y between x0 and x1.
int longest_run(const test::Image& img, int y, int x0, int x1, Colour c) {
  int best = 0, run = 0;
  for (int x = x0; x < x1; ++x) {
    run = near(img.at(x, y), c) ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

int count_pixels(const test::Image& img, Colour c) {
  int n = 0;
  for (int y = 0; y < img.height; ++y) {
    for (int x = 0; x < img.width; ++x) n += near(img.at(x, y), c, 2) ? 1 : 0;
  }
  return n;
}

// One up candle then one down candle, each body spanning the whole price range, so the
// picture's middle row crosses both bodies: the up body in the left half, the down body in
// the right half.
CandleScene up_then_down(const std::string& style) {
  CandleScene s;
  s.title = "Up, then down";
  s.bars = {{18201 * kDay, 100, 120, 100, 120, 0}, {18202 * kDay, 120, 120, 100, 100, 0}};
  s.style = style;
  return s;
}

TEST(CandlePicture, UpAndDownBodiesHaveTheStyleColours) {
  struct Case {
    const char* style;
    Colour up, down;
  };
  // default: mplfinance's hollow (white) up and black down; light and dark: the trading
  // platforms' teal and red.
  const Case cases[] = {{"default", {255, 255, 255}, {0, 0, 0}},
                        {"light", {0x26, 0xa6, 0x9a}, {0xef, 0x53, 0x50}},
                        {"dark", {0x26, 0xa6, 0x9a}, {0xef, 0x53, 0x50}}};
  for (const Case& c : cases) {
    test::Image img = test::decode_png(png(up_then_down(c.style)));
    // Inside the panel only (the price labels are right of 85% of the width), on two rows
    // 6 px apart: a horizontal grid line, white in the default style, is on one at most.
    const int mid = img.width / 2, right = img.width * 85 / 100;
    auto best_of_rows = [&](auto f) {
      return std::min(f(img.height / 2 - 3), f(img.height / 2 + 3));
    };
    auto run = [&](int x0, int x1, Colour col) {
      return best_of_rows([&](int y) { return longest_run(img, y, x0, x1, col); });
    };
    EXPECT_GE(run(0, mid, c.up), 12) << c.style << ": up body in the left half";
    EXPECT_GE(run(mid, right, c.down), 12) << c.style << ": down body in the right half";
    EXPECT_LT(run(0, mid, c.down), 6) << c.style << ": no down body in the left half";
    EXPECT_LT(run(mid, right, c.up), 6) << c.style << ": no up body in the right half";
  }
}

TEST(CandlePicture, VolumePanelOnlyWhenAsked) {
  // The default style's volume bars: light blue up, dark blue down; nothing else uses them.
  const Colour up{0x7f, 0xa7, 0xd0}, down{0x1f, 0x4e, 0x79};
  CandleScene s = sp500_scene();
  test::Image with = test::decode_png(png(s));
  EXPECT_GT(count_pixels(with, up), 1000);
  EXPECT_GT(count_pixels(with, down), 1000);
  s.volume = false;
  test::Image without = test::decode_png(png(s));
  EXPECT_EQ(count_pixels(without, up), 0);
  EXPECT_EQ(count_pixels(without, down), 0);
}

// The date labels in the strip under the panels, found as clusters of inked columns:
// glyphs of one label are less than 8 px apart, labels at least 12 px (the renderer's gap).
struct LabelStrip {
  int labels = 0;
  int narrowest_gap = 1 << 30;
};

LabelStrip date_labels(const test::Image& img, int y0, int y1) {
  LabelStrip strip;
  const std::uint8_t* bg = img.at(0, img.height - 1);
  int last_ink = -1000;
  for (int x = 0; x < img.width; ++x) {
    bool ink = false;
    for (int y = y0; y < y1 && !ink; ++y) {
      const std::uint8_t* p = img.at(x, y);
      ink = std::abs(p[0] - bg[0]) + std::abs(p[1] - bg[1]) + std::abs(p[2] - bg[2]) > 90;
    }
    if (!ink) continue;
    if (x - last_ink > 8) {
      if (strip.labels > 0) strip.narrowest_gap = std::min(strip.narrowest_gap, x - last_ink - 1);
      ++strip.labels;
    }
    last_ink = x;
  }
  return strip;
}

// At 800 x 575 the labels' glyphs sit between rows 544 and 560 (16 px from the bottom
// edge, 22 px of axis strip under the panels).
LabelStrip date_labels_of(const CandleScene& s) {
  return date_labels(test::decode_png(png(s)), 543, 562);
}

TEST(CandlePicture, DateLabelsAreSpacedAtEveryDensity) {
  CandleScene five = sp500_scene();
  five.bars.resize(5);
  LabelStrip l5 = date_labels_of(five);
  EXPECT_EQ(l5.labels, 5) << "every day labelled";
  LabelStrip l20 = date_labels_of(sp500_scene());
  EXPECT_GE(l20.labels, 4);
  EXPECT_LE(l20.labels, 12);
  for (int n : {60, 250, 800, 2000, 8000}) {  // 8,000 weekdays: 30 years
    LabelStrip l = date_labels_of(walk_scene(n));
    EXPECT_GE(l.labels, 3) << n << " bars";
    EXPECT_LE(l.labels, 16) << n << " bars";
    EXPECT_GE(l.narrowest_gap, 10) << n << " bars: labels too close";
  }
  CandleScene before1970 = walk_scene(2000);  // 1960-1968: days counted below zero
  for (Bar& b : before1970.bars) b.time -= 20000 * kDay;
  LabelStrip old = date_labels_of(before1970);
  EXPECT_GE(old.labels, 3);
  EXPECT_LE(old.labels, 16);
  LabelStrip weekly = date_labels_of(walk_scene(520, true));
  EXPECT_GE(weekly.labels, 3);
  EXPECT_LE(weekly.labels, 16);
}

TEST(CandlePicture, RenderingIsDeterministic) {
  EXPECT_EQ(png(walk_scene(250)), png(walk_scene(250)));
}

TEST(CandlePicture, PngHasTheRequestedSize) {
  test::Image img = test::decode_png(png(sp500_scene(), 400, 300));
  EXPECT_EQ(img.width, 400);
  EXPECT_EQ(img.height, 300);
}

TEST(CandlePicture, RejectsBadSizesStylesAndEmptySeries) {
  EXPECT_THROW(png(sp500_scene(), 100, 575), UsageError);
  EXPECT_THROW(png(sp500_scene(), 800, 9000), UsageError);
  CandleScene s = sp500_scene();
  s.style = "neon";
  EXPECT_THROW(png(s), UsageError);
  s = sp500_scene();
  s.bars.clear();
  EXPECT_THROW(png(s), UsageError);
  EXPECT_THROW(parse_chart_type("heikin-ashi"), UsageError);
  EXPECT_EQ(parse_chart_type("candle"), ChartType::kCandle);
  EXPECT_EQ(parse_chart_type("ohlc"), ChartType::kOhlc);
  EXPECT_EQ(parse_chart_type("line"), ChartType::kLine);
  ASSERT_FALSE(candle_style_names().empty());
  EXPECT_EQ(candle_style_names().front(), "default");
  for (std::string_view name : candle_style_names()) {
    s = sp500_scene();
    s.style = std::string(name);
    EXPECT_NO_THROW(png(s, 300, 150)) << name;
  }
}

TEST(CandlePicture, OddSeriesStillDraw) {
  CandleScene one = sp500_scene();
  one.bars.resize(1);
  one.mav = {5};
  EXPECT_NO_THROW(png(one));
  CandleScene flat = sp500_scene();
  for (Bar& b : flat.bars) b = {b.time, 10, 10, 10, 10, 0};
  EXPECT_NO_THROW(png(flat));
  CandleScene gap = sp500_scene();
  gap.bars[3].close = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NO_THROW(png(gap));
  CandleScene before1970 = walk_scene(30);
  for (Bar& b : before1970.bars) b.time -= 20000 * kDay;
  EXPECT_NO_THROW(png(before1970));
}

// ---- golden images (LAMTOOL_UPDATE_GOLDEN=1 rewrites them) --------------------------
//
// The tolerance is the shot map's (rms 2.0 of 255, 0.5% of pixels off by more than 24):
// what differs between machines is glyph antialiasing (FreeType versions, Cairo's
// rasteriser), a few levels at the edges of the text, which is under 3% of these
// pictures; the candles, wicks, volume bars and grid are whole-pixel boxes and do not
// move. A chart that is visibly different is far outside it (measured, and checked
// below): one candle's close moved to make it a down day gives rms 9.5 and 1.0% of
// pixels (the candle, two averages and a volume bar change); up and down colours swapped
// gives rms 24 and 8%.

std::string golden_scene_png(const std::string& name) {
  if (name == "candles_sp500_800x575") return png(sp500_scene());
  if (name == "candles_sp500_400x300") return png(sp500_scene(), 400, 300);
  if (name == "candles_sp500_ohlc") {
    CandleScene s = sp500_scene();
    s.type = ChartType::kOhlc;
    return png(s);
  }
  if (name == "candles_sp500_line") {
    CandleScene s = sp500_scene();
    s.type = ChartType::kLine;
    s.volume = false;
    return png(s);
  }
  if (name == "candles_sp500_dark") return png(dark_scene());
  if (name == "candles_five_bars") return png(five_scene());
  if (name == "candles_2000_bars") return png(walk_scene(2000));
  if (name == "candles_weekly") return png(walk_scene(120, true));
  ADD_FAILURE() << "no scene " << name;
  return {};
}

class CandleGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(CandleGolden, MatchesReviewedPicture) {
  EXPECT_TRUE(test::matches_golden(golden_scene_png(GetParam()), kGoldenDir, GetParam(), kOutDir));
}

INSTANTIATE_TEST_SUITE_P(Charts, CandleGolden,
                         ::testing::Values("candles_sp500_800x575", "candles_sp500_400x300",
                                           "candles_sp500_ohlc", "candles_sp500_line",
                                           "candles_sp500_dark", "candles_five_bars",
                                           "candles_2000_bars", "candles_weekly"),
                         [](const auto& p) { return std::string(p.param); });

bool updating_goldens() {
  const char* update = std::getenv("LAMTOOL_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

// The comparison must fail on charts that are visibly wrong, or the goldens prove nothing.
TEST(CandleGoldenRejects, OneCandleTurnedIntoADownDay) {
  if (updating_goldens()) GTEST_SKIP() << "would overwrite the golden";
  CandleScene s = sp500_scene();
  s.bars[8].close = 3080.0;  // Nov 13: up 3084.18 -> 3094.04 becomes down to 3080
  auto result = test::matches_golden(png(s), kGoldenDir, "candles_sp500_800x575", kOutDir);
  EXPECT_FALSE(result);
  RecordProperty("comparison", result.message());
}

TEST(CandleGoldenRejects, UpAndDownColoursSwapped) {
  if (updating_goldens()) GTEST_SKIP() << "would overwrite the golden";
  // Open and close exchanged: every body stays where it was and changes colour.
  CandleScene s = dark_scene();
  for (Bar& b : s.bars) std::swap(b.open, b.close);
  s.bars.back().close = dark_scene().bars.back().close;  // the last-price tag unchanged
  s.bars.back().open = s.bars.back().close + (s.bars.back().close - s.bars.back().open);
  auto result = test::matches_golden(png(s), kGoldenDir, "candles_sp500_dark", kOutDir);
  EXPECT_FALSE(result);
  RecordProperty("comparison", result.message());
}

// Writes the variants into <build>/tests/candles-look for looking at:
// candles_render_test --gtest_also_run_disabled_tests --gtest_filter='*WriteSamples'
TEST(CandlePicture, DISABLED_WriteSamples) {
  const std::string dir = kOutDir + "/candles-look";
  std::filesystem::create_directories(dir);
  auto save = [&](const std::string& name, const CandleScene& s) {
    std::ofstream(dir + "/" + name + ".png", std::ios::binary) << png(s);
    std::ofstream(dir + "/" + name + "_400x300.png", std::ios::binary) << png(s, 400, 300);
  };
  CandleScene s = sp500_scene();
  save("sp500", s);
  s.style = "light";
  save("sp500_light", s);
  s.style = "dark";
  save("sp500_dark", s);
  s.style = "mono";
  save("sp500_mono", s);
  s.style = "default";
  s.type = ChartType::kOhlc;
  save("sp500_ohlc", s);
  s.type = ChartType::kLine;
  s.volume = false;
  save("sp500_line", s);
  CandleScene five = sp500_scene();
  five.bars.resize(5);
  five.mav = {3, 200};
  save("five", five);
  save("walk250", walk_scene(250));
  CandleScene dark = walk_scene(250);
  dark.style = "dark";
  save("walk250_dark", dark);
  save("walk2000", walk_scene(2000));
  save("weekly", walk_scene(120, true));
  save("weekly520", walk_scene(520, true));
  save("walk60", walk_scene(60));
  save("walk8000", walk_scene(8000));
  CandleScene before1970 = walk_scene(2000);
  for (Bar& b : before1970.bars) b.time -= 20000 * kDay;
  save("before1970", before1970);
  std::ofstream(dir + "/sp500.svg", std::ios::binary)
      << render_candles(sp500_scene(), Format::kSvg, 800, 575);
}

}  // namespace
}  // namespace lamtool::render
