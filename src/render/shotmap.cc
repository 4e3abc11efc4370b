#include "lamtool/render/shotmap.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include "lamtool/context.h"
#include "lamtool/error.h"
#include "lamtool/render/contour.h"
#include "render/cairo_handles.h"
#include "render/picture.h"
#include "render/rink.h"
#include "render/text.h"

namespace lamtool::render {
namespace {

using Scene = ShotMapScene;
constexpr double kPi = std::numbers::pi;
constexpr int kBands = 10;              // levels at 0.1 ... 0.9 of the peak; band 0 stays clear
constexpr double kHeatAlpha = 0.78;     // band colours composited over the ice at this
constexpr double kDefaultScale = 5.39;  // px per ft at 1200 x 600, the size markers are tuned at

constexpr Rgb kInk{0.13, 0.15, 0.19};
constexpr Rgb kMuted{0.42, 0.45, 0.50};
constexpr Rgb kBackground{0.95, 0.96, 0.97};
constexpr Rgb kHomeInk{0.74, 0.09, 0.16};
constexpr Rgb kAwayInk{0.07, 0.32, 0.68};

// Colour ramps for the bands, light to dark, sampled by linear interpolation.
constexpr std::array<Rgb, 4> kReds{
    {{0.996, 0.898, 0.851}, {0.988, 0.573, 0.447}, {0.871, 0.176, 0.149}, {0.502, 0.000, 0.071}}};
constexpr std::array<Rgb, 4> kBlues{
    {{0.871, 0.922, 0.969}, {0.565, 0.761, 0.886}, {0.161, 0.478, 0.761}, {0.024, 0.176, 0.447}}};

Rgb ramp_colour(const std::array<Rgb, 4>& ramp, double t) {
  t = std::clamp(t, 0.0, 1.0) * static_cast<double>(ramp.size() - 1);
  auto k = std::min(static_cast<std::size_t>(t), ramp.size() - 2);
  double f = t - static_cast<double>(k);
  const Rgb& a = ramp[k];
  const Rgb& b = ramp[k + 1];
  return {a.r + f * (b.r - a.r), a.g + f * (b.g - a.g), a.b + f * (b.b - a.b)};
}

// Colour of visible band k (1 .. kBands-1).
Rgb band_colour(const std::array<Rgb, 4>& ramp, int k) {
  return ramp_colour(ramp, static_cast<double>(k - 1) / (kBands - 2));
}

struct Team {
  const std::string& abbrev;
  const Scene::Density& density;
  const Scene::Counts& counts;
  const std::array<Rgb, 4>& ramp;
  Rgb ink;
  bool home;
  int shots_drawn;
  double peak;  // the density's highest value, 0 if it cannot be drawn
};

struct Layout {
  double width, height;
  double unit;  // 1 at 1200 x 600: font sizes and margins scale with it
  RinkFrame frame;
  double marker;  // marker size factor
  double rink_left() const { return frame.x_px - rink::kHalfLength * frame.scale; }
  double rink_right() const { return frame.x_px + rink::kHalfLength * frame.scale; }
  double rink_top() const { return frame.y_px - rink::kHalfWidth * frame.scale; }
  double rink_bottom() const { return frame.y_px + rink::kHalfWidth * frame.scale; }
};

constexpr double kMargin = 24, kHeader = 80, kFooter = 66;

double unit_for(int width, int height) {
  return std::min(static_cast<double>(width) / 1200.0, static_cast<double>(height) / 600.0);
}

Layout make_layout(int width, int height) {
  Layout l{static_cast<double>(width), static_cast<double>(height), unit_for(width, height),
           rink_frame(width, height), 1.0};
  l.marker = l.frame.scale / kDefaultScale;
  return l;
}

void use_rink_space(cairo_t* cr, const RinkFrame& f) {
  cairo_translate(cr, f.x_px, f.y_px);
  cairo_scale(cr, f.scale, -f.scale);
}

// ---- heat map -------------------------------------------------------------------------

// The highest finite value, at least 0. NaN fails both comparisons, so no isfinite().
double finite_max(const Eigen::MatrixXd& grid) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double m = 0;
  for (Eigen::Index i = 0; i < grid.size(); ++i) {
    double v = grid.data()[i];
    if (v > m && v < kInf) m = v;
  }
  return m;
}

// The density's peak if it can be drawn as bands, else 0.
double drawable_peak(const Scene::Density& d) {
  bool ok = d.valid && d.grid.rows() >= 2 && d.grid.cols() >= 2 &&
            std::isfinite(d.x0 + d.x1 + d.y0 + d.y1) && d.x1 != d.x0 && d.y1 != d.y0;
  return ok ? finite_max(d.grid) : 0.0;
}

void add_polygons(cairo_t* cr, const std::vector<Polygon>& polys) {
  for (const Polygon& poly : polys) {
    cairo_move_to(cr, poly[0].x, poly[0].y);
    for (std::size_t k = 1; k < poly.size(); ++k) cairo_line_to(cr, poly[k].x, poly[k].y);
    cairo_close_path(cr);
  }
}

// Band colours are the ramp composited over the ice at kHeatAlpha, painted opaque and
// nested (each level over the one below), so every pixel gets exactly one band colour and
// no seams; the rink markings are drawn over them afterwards. (A translucent group would
// avoid precompositing, but Cairo 1.16's SVG surface leaks every group it is given.)
void draw_density(cairo_t* cr, const Layout& l, const Team& team) {
  if (!(team.peak > 0)) return;
  const Scene::Density& d = team.density;
  const double peak = team.peak;
  cairo_save(cr);
  use_rink_space(cr, l.frame);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
  // Neighbouring bands differ by a few levels per channel, so the coarser antialiasing of
  // CAIRO_ANTIALIAS_FAST (4 x 4 samples a pixel) moves their edges by at most 13/255,
  // for a fifth less of the fills' work.
  cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
  ContourGrid contours(d.grid, {d.x0, d.x1, d.y0, d.y1});
  for (int k = 1; k < kBands; ++k) {
    double level = peak * k / kBands;
    add_polygons(cr, contours.superlevel_region(level));
    Rgb c = band_colour(team.ramp, k);
    auto over_ice = [](double v) { return kHeatAlpha * v + (1 - kHeatAlpha); };
    cairo_set_source_rgb(cr, over_ice(c.r), over_ice(c.g), over_ice(c.b));
    cairo_fill(cr);
  }
  cairo_restore(cr);
}

// ---- markers --------------------------------------------------------------------------

void star_path(cairo_t* cr, double x, double y, double r) {
  for (int k = 0; k < 10; ++k) {
    double a = -kPi / 2 + k * kPi / 5;
    double rr = (k % 2 == 0) ? r : r * 0.45;
    double px = x + rr * std::cos(a), py = y + rr * std::sin(a);
    if (k == 0) {
      cairo_move_to(cr, px, py);
    } else {
      cairo_line_to(cr, px, py);
    }
  }
  cairo_close_path(cr);
}

void draw_marker(cairo_t* cr, Scene::Shot::Kind kind, double x, double y, const Rgb& ink,
                 double m) {
  cairo_new_path(cr);
  // The round markers are what a stroked circle covers, drawn as fills of the circles at
  // the stroke's edges: the same pixels, for a fraction of the stroker's work.
  switch (kind) {
    case Scene::Shot::kMissed:  // a ring: radius 3.4, line 1.5
      cairo_arc(cr, x, y, (3.4 + 0.75) * m, 0, 2 * kPi);
      cairo_new_sub_path(cr);
      cairo_arc_negative(cr, x, y, (3.4 - 0.75) * m, 2 * kPi, 0);
      set_rgb(cr, ink);
      cairo_fill(cr);
      break;
    case Scene::Shot::kShot:  // a dot of radius 3.8 edged in white 1.0 wide
      cairo_arc(cr, x, y, (3.8 + 0.5) * m, 0, 2 * kPi);
      cairo_set_source_rgb(cr, 1, 1, 1);
      cairo_fill(cr);
      cairo_arc(cr, x, y, (3.8 - 0.5) * m, 0, 2 * kPi);
      set_rgb(cr, ink);
      cairo_fill(cr);
      break;
    case Scene::Shot::kGoal:
      star_path(cr, x, y, 9.5 * m);
      cairo_set_source_rgb(cr, 1.0, 0.80, 0.15);
      cairo_fill_preserve(cr);
      set_rgb(cr, ink);
      cairo_set_line_width(cr, 1.8 * m);
      cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
      cairo_stroke(cr);
      break;
  }
}

void draw_shots(cairo_t* cr, const Layout& l, const Scene& scene) {
  // Misses first, goals last, so goals are never hidden.
  for (auto kind : {Scene::Shot::kMissed, Scene::Shot::kShot, Scene::Shot::kGoal}) {
    for (const Scene::Shot& s : scene.shots) {
      if (s.kind != kind || !std::isfinite(s.x) || !std::isfinite(s.y)) continue;
      double x = l.frame.x_px + l.frame.scale * s.x;
      double y = l.frame.y_px - l.frame.scale * s.y;
      draw_marker(cr, kind, x, y, s.home ? kHomeInk : kAwayInk, l.marker);
    }
  }
}

// ---- title, legend, notes ----------------------------------------------------------

std::string display_name(const std::string& name, const std::string& abbrev) {
  return name.empty() ? abbrev : name;
}

std::string capitalised(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text;
}

// Away name, score, home name, shrunk (down to 60%) and then shortened to fit.
void draw_title(cairo_t* cr, const Layout& l, const Scene& scene, const Fonts& fonts) {
  std::string away = display_name(scene.away_name, scene.away_abbrev);
  std::string home = display_name(scene.home_name, scene.home_abbrev);
  std::string score = fmt::format("  {} \u2013 {}  ", scene.away_score, scene.home_score);
  double max_w = l.width - 2 * kMargin * l.unit;
  double size = 28 * l.unit;
  auto runs = [&] {
    return std::vector<TextRun>{{away, fonts.bold.get(), kAwayInk},
                                {score, fonts.bold.get(), kInk},
                                {home, fonts.bold.get(), kHomeInk}};
  };
  double w = runs_width(cr, runs(), size);
  if (w > max_w) size = std::max(size * max_w / w, size * 0.6);
  while (runs_width(cr, runs(), size) > max_w && (away.size() > 4 || home.size() > 4)) {
    std::string& longer = away.size() >= home.size() ? away : home;
    if (longer.ends_with("\u2026")) longer.resize(longer.size() - 3);
    pop_utf8_char(longer);
    while (!longer.empty() && longer.back() == ' ') longer.pop_back();
    longer += "\u2026";
  }
  double top = l.rink_top();
  draw_runs(cr, runs(), size, l.width / 2, top - 38 * l.unit, Align::kCenter);
  std::string sub = "Shot map";
  if (!scene.date.empty()) sub += "  \u00b7  " + scene.date;
  if (!scene.status_text.empty()) sub += "  \u00b7  " + capitalised(scene.status_text);
  draw_text(cr, fonts.regular.get(), 15 * l.unit, kMuted, sub, l.width / 2, top - 13 * l.unit,
            Align::kCenter);
}

// A filled triangle pointing left (dir -1) or right (dir +1), its base centred at (x, y).
void arrow(cairo_t* cr, double x, double y, double size, double dir, const Rgb& ink) {
  cairo_move_to(cr, x + dir * size, y);
  cairo_line_to(cr, x, y - size * 0.6);
  cairo_line_to(cr, x, y + size * 0.6);
  cairo_close_path(cr);
  set_rgb(cr, ink);
  cairo_fill(cr);
}

std::string counts_text(const Scene::Counts& c) {
  return fmt::format("Shots {} \u00b7 Goals {} \u00b7 Missed {} \u00b7 Blocked {}", c.shots_on_goal,
                     c.goals, c.missed, c.blocked);
}

// Draws the ramp swatches from x to the right; returns their width.
double draw_ramp(cairo_t* cr, const std::array<Rgb, 4>& ramp, double x, double y, double u) {
  const double sw = 11 * u, sh = 11 * u;
  for (int k = 1; k < kBands; ++k) {
    cairo_rectangle(cr, x + (k - 1) * sw, y - sh, sw, sh);
    set_rgb(cr, band_colour(ramp, k));
    cairo_fill(cr);
  }
  cairo_rectangle(cr, x, y - sh, sw * (kBands - 1), sh);
  cairo_set_source_rgba(cr, 0, 0, 0, 0.25);
  cairo_set_line_width(cr, 0.8 * u);
  cairo_stroke(cr);
  return sw * (kBands - 1);
}

// One team's legend: arrow and abbreviation, colour ramp (or why there is none), counts.
// The away block hangs from the rink's left edge, the home block from its right edge.
void draw_team_legend(cairo_t* cr, const Layout& l, const Team& t, const Fonts& fonts) {
  const double u = l.unit;
  const double row_a = l.rink_bottom() + 26 * u, row_b = row_a + 21 * u;
  const double dir = t.home ? 1.0 : -1.0;
  const Align align = t.home ? Align::kRight : Align::kLeft;
  double x = t.home ? l.rink_right() : l.rink_left();
  arrow(cr, t.home ? x - 12 * u : x, row_a - 6 * u, 12 * u, dir, t.ink);
  x -= dir * 18 * u;
  x -= dir * draw_text(cr, fonts.bold.get(), 17 * u, t.ink, t.abbrev, x, row_a, align);
  x -= dir * 12 * u;
  std::string note;
  if (t.shots_drawn == 0) {
    note = "no shots";
  } else if (!(t.peak > 0)) {
    note = "too few shots for a density map";
  }
  if (note.empty()) {
    double rw = 11.0 * u * (kBands - 1);
    double rx = t.home ? x - rw : x;
    draw_ramp(cr, t.ramp, rx, row_a - 1 * u, u);
    draw_text(cr, fonts.regular.get(), 11 * u, kMuted, "shot density",
              t.home ? rx - 8 * u : rx + rw + 8 * u, row_a - 2 * u, align);
  } else {
    draw_text(cr, fonts.regular.get(), 13 * u, kMuted, note, x, row_a - 1 * u, align);
  }
  draw_text(cr, fonts.regular.get(), 13 * u, kInk, counts_text(t.counts),
            t.home ? l.rink_right() : l.rink_left(), row_b, align);
}

// Marker key in the middle of the first legend row, credit under it.
void draw_key(cairo_t* cr, const Layout& l, const Scene& scene, const Fonts& fonts) {
  const double u = l.unit, m = l.marker;
  const double row_a = l.rink_bottom() + 26 * u, row_b = row_a + 21 * u;
  const double size = 13 * u, gap = 18 * u, mark = 20 * u;
  struct Item {
    Scene::Shot::Kind kind;
    const char* label;
  };
  const std::array<Item, 3> items{{{Scene::Shot::kGoal, "Goal"},
                                   {Scene::Shot::kShot, "Shot on goal"},
                                   {Scene::Shot::kMissed, "Missed"}}};
  double total = 0;
  for (const Item& it : items) total += mark + text_width(cr, fonts.regular.get(), size, it.label);
  total += gap * (items.size() - 1);
  double x = l.width / 2 - total / 2;
  for (const Item& it : items) {
    draw_marker(cr, it.kind, x + mark / 2 - 3 * u, row_a - 4.5 * u, kMuted, m);
    x += mark;
    x += draw_text(cr, fonts.regular.get(), size, kInk, it.label, x, row_a, Align::kLeft) + gap;
  }
  draw_text(cr, fonts.regular.get(), 11.5 * u, kMuted, scene.credit, l.width / 2, row_b,
            Align::kCenter);
}

// "No shots by X" in the middle of the half the team attacks.
void draw_no_shots_note(cairo_t* cr, const Layout& l, const Team& t, const Fonts& fonts) {
  if (t.shots_drawn > 0) return;
  double x = l.frame.x_px + (t.home ? 1 : -1) * 57 * l.frame.scale;
  std::string text = t.abbrev.empty() ? "No shots" : "No shots by " + t.abbrev;
  draw_text(cr, fonts.regular.get(), 17 * l.unit, kMuted, text, x, l.frame.y_px + 6 * l.unit,
            Align::kCenter);
}

int count_drawn(const Scene& scene, bool home) {
  return static_cast<int>(std::count_if(scene.shots.begin(), scene.shots.end(),
                                        [home](const Scene::Shot& s) { return s.home == home; }));
}

void draw_scene(cairo_t* cr, const Scene& scene, int width, int height, const Fonts& fonts) {
  Layout l = make_layout(width, height);
  Team away{scene.away_abbrev,
            scene.away_density,
            scene.away_counts,
            kBlues,
            kAwayInk,
            false,
            count_drawn(scene, false),
            drawable_peak(scene.away_density)};
  Team home{scene.home_abbrev,
            scene.home_density,
            scene.home_counts,
            kReds,
            kHomeInk,
            true,
            count_drawn(scene, true),
            drawable_peak(scene.home_density)};
  set_portable_font_options(cr);
  set_rgb(cr, kBackground);
  cairo_paint(cr);
  // 1. Ice, 2. heat maps, 3. markings, nets and boards, 4. shots, 5. text.
  cairo_save(cr);
  use_rink_space(cr, l.frame);
  rink::draw_ice(cr);
  cairo_restore(cr);
  draw_density(cr, l, away);
  draw_density(cr, l, home);
  cairo_save(cr);
  use_rink_space(cr, l.frame);
  rink::draw_markings(cr, l.frame.scale);
  // Heat maps and markings are drawn unclipped and what they spill past the rounded
  // corners is painted over: clipped to the rink, each of their fills and strokes cost a
  // polygon intersection, a quarter of the drawing. The boards' stroke (2 px or more)
  // covers the seam, so the pixels are those of the clipped drawing.
  rink::outside_path(cr, 2.0);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  set_rgb(cr, kBackground);
  cairo_fill(cr);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
  rink::draw_nets_and_boards(cr, l.frame.scale);
  cairo_restore(cr);
  draw_no_shots_note(cr, l, away, fonts);
  draw_no_shots_note(cr, l, home, fonts);
  draw_shots(cr, l, scene);
  draw_title(cr, l, scene, fonts);
  draw_team_legend(cr, l, away, fonts);
  draw_team_legend(cr, l, home, fonts);
  draw_key(cr, l, scene, fonts);
  check_cairo(cr, "drawing the shot map");
}

}  // namespace

RinkFrame rink_frame(int width, int height) {
  double u = unit_for(width, height);
  double avail_w = width - 2 * kMargin * u;
  double avail_h = height - (kHeader + kFooter) * u;
  double scale = std::min(avail_w / (2 * rink::kHalfLength), avail_h / (2 * rink::kHalfWidth));
  return {width / 2.0, kHeader * u + avail_h / 2, scale};
}

std::string render_shotmap(const ShotMapScene& scene, Format format, int width, int height) {
  check_size(width, height);
  Fonts fonts = load_fonts(Context::data_dir());
  return render_picture(format, width, height,
                        [&](cairo_t* cr) { draw_scene(cr, scene, width, height, fonts); });
}

}  // namespace lamtool::render
