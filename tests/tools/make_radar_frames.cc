// make_radar_frames: synthetic weather-radar frames for the gif demo and tests, drawn with
// Cairo (the real radar loops in the shared data have no licence to be redistributed).
//
//   lamtool_radar_frames [--frames 12] [--size 512x512] [--out DIR] [--transparent]
//   lamtool_radar_frames --compare DIR_A DIR_B
//
// Frames are DIR/frame-00.png, frame-01.png ...: a fixed map (sea, land inside a smooth
// coastline, range rings 40 km apart around the radar, a city, a title bar and a time
// stamp from 2026-07-19 05:10 UTC, 10 minutes a frame, a rain-rate legend) under a
// precipitation field that drifts with a constant wind while its cells grow and decay.
// Rain is drawn in 14 flat levels of a radar rain-rate palette, in 2 x 2 pixel bins and
// without antialiasing, as radar products are, so a frame has a few hundred colours at
// most. With --transparent a frame is the rain alone on transparent pixels (RGBA), as
// the Bureau of Meteorology's overlay PNGs are. Nothing depends on the time or a random
// device: the same options give the same pixels on every run.
//
// --compare decodes the frame-*.png files of two directories and exits 1 unless both
// hold the same names with the same pixels (tests/tools/check_radar_frames.sh).

#include <cairo.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include "render/cairo_handles.h"
#include "render/png.h"
#include "render/text.h"

namespace {

namespace fs = std::filesystem;
using lamtool::render::Align;
using lamtool::render::Rgb;
using lamtool::render::set_rgb;

constexpr double kPi = std::numbers::pi;
constexpr std::uint32_t kSeed = 0x5eed2026u;

// ---- options ---------------------------------------------------------------------------

struct Options {
  int frames = 12;
  int width = 512;
  int height = 512;
  std::string out = ".";
  bool transparent = false;
  std::string data_dir;
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "make_radar_frames: %s\n"
               "usage: lamtool_radar_frames [--frames N] [--size WxH] [--out DIR] "
               "[--transparent] [--data-dir DIR]\n"
               "       lamtool_radar_frames --compare DIR_A DIR_B\n",
               why.c_str());
  std::exit(2);
}

int parse_int(const std::string& s, int lo, int hi, const char* what) {
  char* end = nullptr;
  long v = std::strtol(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || v < lo || v > hi) {
    usage(fmt::format("{} must be an integer from {} to {}, not '{}'", what, lo, hi, s));
  }
  return static_cast<int>(v);
}

// ---- noise -----------------------------------------------------------------------------

std::uint32_t hash3(int x, int y, int z) {
  std::uint32_t h = static_cast<std::uint32_t>(x) * 0x8da6b343u ^
                    static_cast<std::uint32_t>(y) * 0xd8163841u ^
                    static_cast<std::uint32_t>(z) * 0xcb1ab31fu ^ kSeed;
  h ^= h >> 16;
  h *= 0x7feb352du;
  h ^= h >> 15;
  h *= 0x846ca68bu;
  h ^= h >> 16;
  return h;
}

double lattice(int x, int y, int z) { return (hash3(x, y, z) >> 8) * (1.0 / 16777216.0); }

double smooth(double t) { return t * t * t * (t * (t * 6 - 15) + 10); }

// Value noise in [0, 1) on a unit lattice, smooth in x, y and z.
double value_noise(double x, double y, double z) {
  double fx = std::floor(x), fy = std::floor(y), fz = std::floor(z);
  int ix = static_cast<int>(fx), iy = static_cast<int>(fy), iz = static_cast<int>(fz);
  double tx = smooth(x - fx), ty = smooth(y - fy), tz = smooth(z - fz);
  auto plane = [&](int k) {
    double a = lattice(ix, iy, k) + tx * (lattice(ix + 1, iy, k) - lattice(ix, iy, k));
    double b = lattice(ix, iy + 1, k) + tx * (lattice(ix + 1, iy + 1, k) - lattice(ix, iy + 1, k));
    return a + ty * (b - a);
  };
  double p0 = plane(iz), p1 = plane(iz + 1);
  return p0 + tz * (p1 - p0);
}

// Fractal noise in [0, 1): octaves of period `period` map units, halving.
double fbm(double x, double y, double z, double period, int octaves, int salt) {
  double sum = 0, amp = 1, norm = 0, f = 1 / period;
  for (int o = 0; o < octaves; ++o) {
    sum += amp * value_noise(x * f + 17.3 * (o + salt), y * f - 9.1 * (o + salt), z + 31.7 * salt);
    norm += amp;
    amp *= 0.5;
    f *= 2;
  }
  return sum / norm;
}

// A small deterministic generator for the cells' parameters (splitmix64).
struct Random {
  std::uint64_t state;
  double uniform(double lo, double hi) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return lo + (hi - lo) * static_cast<double>(z >> 11) * (1.0 / 9007199254740992.0);
  }
};

// ---- the weather -----------------------------------------------------------------------
// Map units: pixels of a 512 x 512 frame (0.5 km each), origin at the radar, y down.

constexpr double kWindX = 10.0, kWindY = -3.5;  // map units a frame (10 minutes): ~40 km/h

struct Cell {
  double x, y;          // centre at frame 0
  double vx, vy;        // drift a frame
  double sx, sy, turn;  // Gaussian radii and orientation
  double peak;          // mm/h at full strength
  double born, life;    // frames: alive from born to born + life, strongest half-way
};

// A cold front: a wavy band of light rain with convective cells along it, showers behind
// it and a few on land ahead of it.
struct Weather {
  // The band's axis at frame 0, from (ax, ay) to (bx, by).
  double ax = -250, ay = 300, bx = -70, by = -300;
  std::vector<Cell> cells;

  Weather() {
    Random rnd{kSeed};
    auto add = [&](double x, double y, double size, double peak, double born, double life) {
      double e = rnd.uniform(1.0, 2.2);
      cells.push_back({x, y, kWindX + rnd.uniform(-1.5, 1.5), kWindY + rnd.uniform(-1.5, 1.5),
                       size * e, size, rnd.uniform(-0.6, 0.6) + 1.2, peak, born, life});
    };
    for (int k = 0; k < 16; ++k) {  // embedded convection along the front
      double s = (k + rnd.uniform(0.1, 0.9)) / 16.0;
      double x = ax + s * (bx - ax) + rnd.uniform(-22, 22);
      double y = ay + s * (by - ay) + rnd.uniform(-22, 22);
      double peak = rnd.uniform(12, 45) * (k % 5 == 2 ? 2.2 : 1.0);
      add(x, y, rnd.uniform(7, 15), peak, rnd.uniform(-10, 8), rnd.uniform(8, 18));
    }
    for (int k = 0; k < 14; ++k) {  // post-frontal showers, out to sea
      add(rnd.uniform(-420, -200), rnd.uniform(-320, 320), rnd.uniform(8, 18), rnd.uniform(2, 18),
          rnd.uniform(-8, 10), rnd.uniform(6, 14));
    }
    for (int k = 0; k < 4; ++k) {  // showers ahead of the front, dying over land
      add(rnd.uniform(40, 230), rnd.uniform(-220, 220), rnd.uniform(8, 14), rnd.uniform(3, 14),
          rnd.uniform(-10, -4), rnd.uniform(10, 14));
    }
  }

  // Rain rate in mm/h at (x, y), frame t.
  double rate(double x, double y, double t) const {
    // Edges ragged by a smooth warp of the position, drifting with the wind.
    const double wx = x - kWindX * t, wy = y - kWindY * t;
    x += 36 * (fbm(wx, wy, t * 0.1, 60, 3, 1) - 0.5);
    y += 36 * (fbm(wx, wy, t * 0.1, 60, 3, 2) - 0.5);
    // Stratiform band.
    const double px = x - kWindX * t - ax, py = y - kWindY * t - ay;
    const double dx = bx - ax, dy = by - ay, len = std::hypot(dx, dy);
    const double s = (px * dx + py * dy) / (len * len);
    double d = (px * dy - py * dx) / len;  // signed distance across the axis
    d -= 30 * std::sin(kPi * (1.6 * s + 0.05 * t)) + 12 * std::sin(kPi * 4.1 * s);
    double along = s < 0.08 ? s / 0.08 : s > 0.92 ? (1 - s) / 0.08 : 1.0;
    along = std::clamp(along, 0.0, 1.0);
    const double width = 30 + 12 * std::sin(kPi * 2.3 * s + 1.0);
    const double band = 2.4 * smooth(along) * std::exp(-d * d / (2 * width * width)) *
                        (0.85 + 0.3 * std::sin(0.25 * t + 3 * s));
    // Texture: blotches and, finer, speckle, both carried by the wind and evolving.
    const double blotch = fbm(wx, wy, t * 0.18, 26, 4, 3);
    const double speckle = fbm(wx, wy, t * 0.5, 7, 2, 4);
    const double grain = 0.55 + 0.9 * speckle;
    double r = band * (0.05 + 3.2 * blotch * blotch) * grain;
    for (const Cell& c : cells) {
      double age = (t - c.born) / c.life;
      if (age <= 0 || age >= 1) continue;
      double cx = x - (c.x + c.vx * t), cy = y - (c.y + c.vy * t);
      double u = cx * std::cos(c.turn) + cy * std::sin(c.turn);
      double v = -cx * std::sin(c.turn) + cy * std::cos(c.turn);
      double q = (u * u) / (c.sx * c.sx) + (v * v) / (c.sy * c.sy);
      if (q > 30) continue;
      r += c.peak * std::sin(kPi * age) * std::exp(-0.5 * q) * (0.2 + 1.6 * blotch) * grain;
    }
    return r;
  }
};

// ---- palette ---------------------------------------------------------------------------

struct Level {
  double from;  // mm/h
  std::uint8_t r, g, b;
};
// Light blue through green, yellow, orange and red, as the BoM and MeteoSwiss scales go.
constexpr std::array<Level, 14> kLevels{{{0.2, 200, 222, 255},
                                         {0.5, 150, 190, 255},
                                         {1, 90, 140, 250},
                                         {2, 30, 90, 230},
                                         {3, 0, 175, 185},
                                         {5, 0, 155, 80},
                                         {8, 90, 200, 50},
                                         {12, 200, 230, 30},
                                         {18, 255, 220, 0},
                                         {25, 255, 165, 0},
                                         {35, 255, 105, 0},
                                         {50, 230, 25, 15},
                                         {75, 165, 0, 25},
                                         {100, 190, 0, 165}}};

int level_of(double rate) {
  int k = -1;
  while (k + 1 < static_cast<int>(kLevels.size()) && rate >= kLevels[k + 1].from) ++k;
  return k;
}

std::string level_label(double from) {
  return from < 1 ? fmt::format("{:.1f}", from) : fmt::format("{:.0f}", from);
}

// ---- the map ---------------------------------------------------------------------------

constexpr Rgb kSea{0.80, 0.88, 0.95};
constexpr Rgb kLand{0.93, 0.91, 0.85};
constexpr Rgb kCoast{0.55, 0.52, 0.45};
constexpr Rgb kRing{0.50, 0.53, 0.58};
constexpr Rgb kInk{0.13, 0.15, 0.19};
constexpr Rgb kBar{0.11, 0.15, 0.23};
constexpr Rgb kBarInk{0.96, 0.97, 0.99};
constexpr Rgb kBarMuted{0.70, 0.74, 0.80};

struct Point {
  double x, y;
};

// The coast, west to east across the bottom and back along the sea (map units): a closed
// Catmull-Rom curve whose points east of the frame close the land.
const std::vector<Point> kMainland{{-20, -340}, {-34, -250}, {-12, -190}, {-48, -140}, {-70, -96},
                                   {-44, -52},  {-30, -8},   {-52, 34},   {-96, 62},   {-104, 86},
                                   {-70, 96},   {-36, 120},  {-24, 170},  {-50, 220},  {-40, 280},
                                   {-30, 360},  {420, 380},  {420, -360}};
const std::vector<Point> kIsland{{-168, -38}, {-150, -58}, {-126, -52},
                                 {-118, -30}, {-134, -12}, {-160, -16}};

// Adds the closed curve through the points as Bezier segments (Catmull-Rom, tension 1/2).
void add_closed_curve(cairo_t* cr, const std::vector<Point>& p) {
  const std::size_t n = p.size();
  cairo_move_to(cr, p[0].x, p[0].y);
  for (std::size_t i = 0; i < n; ++i) {
    const Point& p0 = p[(i + n - 1) % n];
    const Point& p1 = p[i];
    const Point& p2 = p[(i + 1) % n];
    const Point& p3 = p[(i + 2) % n];
    cairo_curve_to(cr, p1.x + (p2.x - p0.x) / 6, p1.y + (p2.y - p0.y) / 6, p2.x - (p3.x - p1.x) / 6,
                   p2.y - (p3.y - p1.y) / 6, p2.x, p2.y);
  }
  cairo_close_path(cr);
}

struct Layout {
  int width, height;
  double unit;      // pixels per map unit
  int top, bottom;  // the map's rows: [top, bottom)
  double cx, cy;    // the radar, in pixels
  int bin;          // rain bin, pixels
  explicit Layout(int w, int h, bool transparent) : width(w), height(h) {
    unit = std::min(w, h) / 512.0;
    top = transparent ? 0 : static_cast<int>(std::lround(26 * unit));
    bottom = transparent ? h : h - static_cast<int>(std::lround(30 * unit));
    cx = w / 2.0;
    cy = (top + bottom) / 2.0;
    bin = std::max(1, static_cast<int>(std::lround(2 * unit)));
  }
};

// Draws with `draw` into an alpha mask, rounds its coverage to kSteps steps and paints
// `colour` through it: antialiased edges and text, but with three shades between two
// colours, not 254, so a frame keeps to a few hundred colours and a GIF of it is exact.
constexpr unsigned kSteps = 4;

template <typename Draw>
void paint_stepped(cairo_t* cr, const Rgb& colour, Draw&& draw) {
  cairo_surface_t* target = cairo_get_target(cr);
  const int w = cairo_image_surface_get_width(target), h = cairo_image_surface_get_height(target);
  lamtool::render::SurfacePtr mask(cairo_image_surface_create(CAIRO_FORMAT_A8, w, h));
  lamtool::render::check_surface(mask.get(), "a mask");
  {
    auto m = lamtool::render::make_cairo(mask.get());
    lamtool::render::set_portable_font_options(m.get());
    draw(m.get());
    lamtool::render::check_cairo(m.get(), "drawing a mask");
  }
  cairo_surface_flush(mask.get());
  unsigned char* data = cairo_image_surface_get_data(mask.get());
  const int stride = cairo_image_surface_get_stride(mask.get());
  for (int y = 0; y < h; ++y) {
    unsigned char* row = data + static_cast<std::ptrdiff_t>(y) * stride;
    for (int x = 0; x < w; ++x) {
      const unsigned q = (row[x] * kSteps + 127) / 255;
      row[x] = static_cast<unsigned char>(q * 255 / kSteps);
    }
  }
  cairo_surface_mark_dirty(mask.get());
  set_rgb(cr, colour);
  cairo_mask_surface(cr, mask.get(), 0, 0);
}

void draw_map(cairo_t* cr, const Layout& l) {
  set_rgb(cr, kSea);
  cairo_paint(cr);
  for (const auto* shape : {&kMainland, &kIsland}) {
    auto path = [&](cairo_t* m) {  // in map units
      cairo_translate(m, l.cx, l.cy);
      cairo_scale(m, l.unit, l.unit);
      add_closed_curve(m, *shape);
      cairo_identity_matrix(m);
    };
    paint_stepped(cr, kLand, [&](cairo_t* m) {
      path(m);
      cairo_fill(m);
    });
    paint_stepped(cr, kCoast, [&](cairo_t* m) {
      path(m);
      cairo_set_line_width(m, 1.2 * std::max(1.0, l.unit));
      cairo_stroke(m);
    });
  }
}

// The rain, bin by bin, straight into the surface's pixels: no antialiasing anywhere.
void draw_rain(cairo_surface_t* surface, const Layout& l, const Weather& w, int frame) {
  cairo_surface_flush(surface);
  unsigned char* data = cairo_image_surface_get_data(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const double t = frame;
  for (int y0 = l.top; y0 < l.bottom; y0 += l.bin) {
    for (int x0 = 0; x0 < l.width; x0 += l.bin) {
      double mx = (x0 + l.bin / 2.0 - l.cx) / l.unit, my = (y0 + l.bin / 2.0 - l.cy) / l.unit;
      int k = level_of(w.rate(mx, my, t));
      if (k < 0) continue;
      const Level& c = kLevels[static_cast<std::size_t>(k)];
      const std::uint32_t px = 0xff000000u | static_cast<std::uint32_t>(c.r) << 16 |
                               static_cast<std::uint32_t>(c.g) << 8 | c.b;
      for (int y = y0; y < std::min(y0 + l.bin, l.bottom); ++y) {
        for (int x = x0; x < std::min(x0 + l.bin, l.width); ++x) {
          std::memcpy(data + static_cast<std::ptrdiff_t>(y) * stride + 4 * x, &px, 4);
        }
      }
    }
  }
  cairo_surface_mark_dirty(surface);
}

void draw_rings(cairo_t* cr, const Layout& l) {
  cairo_save(cr);
  cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
  cairo_rectangle(cr, 0, l.top, l.width, l.bottom - l.top);
  cairo_clip(cr);
  set_rgb(cr, kRing);
  cairo_set_line_width(cr, std::max(1.0, std::round(l.unit)));
  const double dash[2] = {4 * l.unit, 3 * l.unit};
  cairo_set_dash(cr, dash, 2, 0);
  for (int k = 1; k <= 4; ++k) {  // 40 km = 80 map units
    cairo_new_sub_path(cr);
    cairo_arc(cr, std::floor(l.cx) + 0.5, std::floor(l.cy) + 0.5, 80 * k * l.unit, 0, 2 * kPi);
  }
  cairo_stroke(cr);
  cairo_restore(cr);
}

// A place: a dot and its name on a white tag (so the text is never over the rain).
void draw_place(cairo_t* cr, const Layout& l, const lamtool::render::Fonts& fonts,
                const std::string& name, double mx, double my, bool radar) {
  const double u = l.unit, size = 11 * u;
  const double x = std::round(l.cx + mx * u), y = std::round(l.cy + my * u);
  const double tw = lamtool::render::text_width(cr, fonts.bold.get(), size, name);
  const double tx = x + std::round(7 * u), ty = y - std::round(7 * u);
  cairo_save(cr);
  cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
  const double pad = std::round(3 * u);
  cairo_rectangle(cr, tx - pad - 1, ty - std::round(10 * u) - 1, std::round(tw) + 2 * pad + 2,
                  std::round(14 * u) + 2);
  set_rgb(cr, kRing);
  cairo_fill(cr);
  cairo_rectangle(cr, tx - pad, ty - std::round(10 * u), std::round(tw) + 2 * pad,
                  std::round(14 * u));
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill(cr);
  if (radar) {  // a small square, as radar maps mark the site
    const double r = std::round(4 * u);
    cairo_rectangle(cr, x - r, y - r, 2 * r, 2 * r);
    set_rgb(cr, kInk);
    cairo_fill(cr);
    const double e = std::max(1.0, std::round(1.5 * u));
    cairo_rectangle(cr, x - r + e, y - r + e, 2 * (r - e), 2 * (r - e));
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill(cr);
  }
  cairo_restore(cr);
  paint_stepped(cr, kInk, [&](cairo_t* m) {
    lamtool::render::draw_text(m, fonts.bold.get(), size, kInk, name, tx, ty, Align::kLeft);
  });
  if (!radar) {
    paint_stepped(cr, {1, 1, 1}, [&](cairo_t* m) {
      cairo_arc(m, x, y, 4.8 * u, 0, 2 * kPi);
      cairo_fill(m);
    });
    paint_stepped(cr, kInk, [&](cairo_t* m) {
      cairo_arc(m, x, y, 3.6 * u, 0, 2 * kPi);
      cairo_fill(m);
    });
  }
}

std::string time_stamp(int frame) {
  using namespace std::chrono;
  const sys_time<minutes> t =
      sys_days{year{2026} / July / 19} + hours{5} + minutes{10 + 10 * frame};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<minutes> hms{t - day};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count());
}

void draw_bars(cairo_t* cr, const Layout& l, const lamtool::render::Fonts& fonts, int frame) {
  using lamtool::render::draw_text;
  const double u = l.unit, w = l.width;
  cairo_save(cr);
  cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
  cairo_rectangle(cr, 0, 0, w, l.top);
  cairo_rectangle(cr, 0, l.bottom, w, l.height - l.bottom);
  set_rgb(cr, kBar);
  cairo_fill(cr);
  // Legend: the levels as swatches, every other one labelled.
  const double sw = std::round(21 * u), sh = std::round(9 * u), y = l.bottom + std::round(5 * u);
  const double x0 = std::round(9 * u) +
                    std::round(lamtool::render::text_width(cr, fonts.bold.get(), 10 * u, "mm/h")) +
                    std::round(8 * u);
  for (std::size_t k = 0; k < kLevels.size(); ++k) {
    const Level& c = kLevels[k];
    cairo_rectangle(cr, x0 + static_cast<double>(k) * sw, y, sw, sh);
    cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
    cairo_fill(cr);
  }
  cairo_restore(cr);
  const double base = l.top - 8.5 * u;
  paint_stepped(cr, kBarInk, [&](cairo_t* m) {
    draw_text(m, fonts.bold.get(), 13 * u, kBarInk, "Synthetic radar \u2014 lamtool demo", 9 * u,
              base, Align::kLeft);
    draw_text(m, fonts.regular.get(), 13 * u, kBarInk, time_stamp(frame), w - 9 * u, base,
              Align::kRight);
    draw_text(m, fonts.bold.get(), 10 * u, kBarInk, "mm/h", std::round(9 * u), y + 8 * u,
              Align::kLeft);
  });
  paint_stepped(cr, kBarMuted, [&](cairo_t* m) {
    for (std::size_t k = 0; k < kLevels.size(); k += 2) {
      draw_text(m, fonts.regular.get(), 8.5 * u, kBarMuted, level_label(kLevels[k].from),
                x0 + static_cast<double>(k) * sw, y + sh + 9 * u, Align::kLeft);
    }
    draw_text(m, fonts.regular.get(), 10 * u, kBarMuted, "rings 40 km", w - 9 * u, y + 8 * u,
              Align::kRight);
  });
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

cairo_status_t append_chunk(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string frame_name(int k, int frames) {
  int digits = frames > 100 ? static_cast<int>(std::to_string(frames - 1).size()) : 2;
  return fmt::format("frame-{:0{}}.png", k, digits);
}

void make_frames(const Options& o) {
  const Layout l(o.width, o.height, o.transparent);
  const Weather weather;
  lamtool::render::Fonts fonts;
  lamtool::render::SurfacePtr base;
  if (!o.transparent) {
    fonts = lamtool::render::load_fonts(o.data_dir);
    base.reset(cairo_image_surface_create(CAIRO_FORMAT_RGB24, o.width, o.height));
    lamtool::render::check_surface(base.get(), "the map");
    auto cr = lamtool::render::make_cairo(base.get());
    draw_map(cr.get(), l);
    lamtool::render::check_cairo(cr.get(), "drawing the map");
  }
  fs::create_directories(o.out);
  for (int k = 0; k < o.frames; ++k) {
    lamtool::render::SurfacePtr s(cairo_image_surface_create(
        o.transparent ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, o.width, o.height));
    lamtool::render::check_surface(s.get(), "a frame");
    auto cr = lamtool::render::make_cairo(s.get());
    if (base) {
      cairo_set_source_surface(cr.get(), base.get(), 0, 0);
      cairo_set_operator(cr.get(), CAIRO_OPERATOR_SOURCE);
      cairo_paint(cr.get());
      cairo_set_operator(cr.get(), CAIRO_OPERATOR_OVER);
    }
    draw_rain(s.get(), l, weather, k);
    std::string png;
    if (o.transparent) {
      cairo_surface_write_to_png_stream(s.get(), append_chunk, &png);
    } else {
      lamtool::render::set_portable_font_options(cr.get());
      draw_rings(cr.get(), l);
      draw_place(cr.get(), l, fonts, "Lamport", -46, 22, false);
      draw_place(cr.get(), l, fonts, "Radar", 0, 0, true);
      draw_bars(cr.get(), l, fonts, k);
      lamtool::render::check_cairo(cr.get(), "drawing a frame");
      png = lamtool::render::png_bytes(s.get(), {.level = 12});
    }
    write_file(fs::path(o.out) / frame_name(k, o.frames), png);
  }
}

// ---- --compare -------------------------------------------------------------------------

struct Decoded {
  int width = 0, height = 0;
  std::vector<std::uint32_t> argb;  // premultiplied, opaque pixels with alpha 0xff
};

cairo_status_t read_chunk(void* closure, unsigned char* out, unsigned int length) {
  auto* in = static_cast<std::ifstream*>(closure);
  return in->read(reinterpret_cast<char*>(out), length) ? CAIRO_STATUS_SUCCESS
                                                        : CAIRO_STATUS_READ_ERROR;
}

Decoded decode(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  lamtool::render::SurfacePtr s(cairo_image_surface_create_from_png_stream(read_chunk, &in));
  if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error(path.string() + ": not a PNG Cairo can read");
  }
  Decoded d;
  d.width = cairo_image_surface_get_width(s.get());
  d.height = cairo_image_surface_get_height(s.get());
  const bool alpha = cairo_image_surface_get_format(s.get()) == CAIRO_FORMAT_ARGB32;
  const int stride = cairo_image_surface_get_stride(s.get());
  const unsigned char* data = cairo_image_surface_get_data(s.get());
  d.argb.resize(static_cast<std::size_t>(d.width) * static_cast<std::size_t>(d.height));
  for (int y = 0; y < d.height; ++y) {
    for (int x = 0; x < d.width; ++x) {
      std::uint32_t p;
      std::memcpy(&p, data + static_cast<std::ptrdiff_t>(y) * stride + 4 * x, 4);
      d.argb[static_cast<std::size_t>(y) * static_cast<std::size_t>(d.width) +
             static_cast<std::size_t>(x)] = alpha ? p : (p | 0xff000000u);
    }
  }
  return d;
}

std::vector<std::string> frame_files(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    if (n.starts_with("frame-") && n.ends_with(".png")) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

int compare_dirs(const fs::path& a, const fs::path& b) {
  const auto names = frame_files(a);
  if (names != frame_files(b)) {
    std::fprintf(stderr, "make_radar_frames: %s and %s hold different frame-*.png files\n",
                 a.c_str(), b.c_str());
    return 1;
  }
  if (names.empty()) {
    std::fprintf(stderr, "make_radar_frames: no frame-*.png in %s\n", a.c_str());
    return 1;
  }
  int bad = 0;
  for (const auto& n : names) {
    Decoded da = decode(a / n), db = decode(b / n);
    if (da.width != db.width || da.height != db.height) {
      std::fprintf(stderr, "%s: %dx%d against %dx%d\n", n.c_str(), da.width, da.height, db.width,
                   db.height);
      ++bad;
      continue;
    }
    std::size_t diff = 0, first = 0;
    for (std::size_t i = 0; i < da.argb.size(); ++i) {
      if (da.argb[i] != db.argb[i] && diff++ == 0) first = i;
    }
    if (diff) {
      std::fprintf(stderr, "%s: %zu pixels differ, the first at (%zu, %zu)\n", n.c_str(), diff,
                   first % static_cast<std::size_t>(da.width),
                   first / static_cast<std::size_t>(da.width));
      ++bad;
    }
  }
  std::printf("%zu frames compared, %d differ\n", names.size(), bad);
  return bad ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Options o;
    if (const char* d = std::getenv("LAMTOOL_DATA_DIR")) o.data_dir = d;
    if (o.data_dir.empty()) o.data_dir = LAMTOOL_SOURCE_DIR "/data";
    std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      auto value = [&]() -> const std::string& {
        if (i + 1 >= args.size()) usage(a + " needs a value");
        return args[++i];
      };
      if (a == "--compare") {
        if (args.size() != 3 || i != 0) usage("--compare takes two directories and nothing else");
        return compare_dirs(args[1], args[2]);
      } else if (a == "--frames") {
        o.frames = parse_int(value(), 1, 1000, "--frames");
      } else if (a == "--size") {
        const std::string& v = value();
        auto x = v.find('x');
        if (x == std::string::npos) usage("--size is WxH, e.g. 512x512");
        o.width = parse_int(v.substr(0, x), 64, 4096, "--size width");
        o.height = parse_int(v.substr(x + 1), 64, 4096, "--size height");
      } else if (a == "--out") {
        o.out = value();
      } else if (a == "--data-dir") {
        o.data_dir = value();
      } else if (a == "--transparent") {
        o.transparent = true;
      } else if (a == "--help" || a == "-h") {
        usage("synthetic weather-radar frames");
      } else {
        usage("unknown argument '" + a + "'");
      }
    }
    make_frames(o);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_radar_frames: %s\n", e.what());
    return 1;
  }
}
