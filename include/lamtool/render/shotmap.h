#pragma once
// The shot-map picture: an NHL rink to scale with per-team shot density bands and shot
// markers, drawn as vectors with Cairo (DESIGN.md section 2, "Picture"). Cairo and
// FreeType stay inside src/render/.

#include <Eigen/Core>
#include <string>
#include <string_view>
#include <vector>

#include "lamtool/render/format.h"

namespace lamtool::render {

/// Everything the shot map shows. Rink coordinates are in feet, as the NHL API gives
/// them: x from -100 (left end boards) to +100, y from -42.5 to +42.5, drawn with +y up.
/// The home team attacks the right (+x) net, the away team the left.
struct ShotMapScene {
  struct Shot {
    enum Kind { kGoal, kShot, kMissed };
    double x = 0;
    double y = 0;
    Kind kind = kShot;
    bool home = false;
  };
  /// A density on a regular grid. grid(i, j) is the value at
  /// x = x0 + j * (x1 - x0) / (cols - 1), y = y0 + i * (y1 - y0) / (rows - 1), so the
  /// corner samples sit exactly on the extent (numpy linspace / meshgrid convention).
  /// Scale does not matter: bands are drawn at fractions of the grid's maximum.
  struct Density {
    Eigen::MatrixXd grid;
    double x0 = -100, x1 = 100, y0 = -42.5, y1 = 42.5;
    /// False when there is no usable density (0-2 shots, singular covariance): the
    /// team's shots are drawn as points only and the legend says so.
    bool valid = false;
  };
  /// Per-team totals for the legend; shots_on_goal includes goals.
  struct Counts {
    int shots_on_goal = 0;
    int goals = 0;
    int missed = 0;
    int blocked = 0;
  };

  std::string home_abbrev, away_abbrev;
  std::string home_name, away_name;
  int home_score = 0;
  int away_score = 0;
  /// Shown as given, e.g. "2024-01-13".
  std::string date;
  /// Shown as given, e.g. "final", "final (OT)", "through period 2".
  std::string status_text;
  std::vector<Shot> shots;
  Density home_density, away_density;
  Counts home_counts, away_counts;
  /// Source credit at the bottom right, e.g. "Data: NHL · lamtool".
  std::string credit = "Data: NHL \u00b7 lamtool";
};

/// Renders the scene and returns the bytes of a PNG or SVG file of width x height pixels
/// (SVG: points). Fonts come from <Context::data_dir()>/fonts (DejaVu Sans), so a picture
/// is the same on every machine. Throws UsageError for a size outside the limits,
/// ConfigError when a font file is missing or unreadable, IoError when Cairo fails.
std::string render_shotmap(const ShotMapScene& scene, Format format, int width = 1200,
                           int height = 600);

/// Where the rink lands in a width x height picture: device x = x_px + scale * rink_x,
/// device y = y_px - scale * rink_y (pixels; centre ice at (x_px, y_px)).
struct RinkFrame {
  double x_px = 0;
  double y_px = 0;
  double scale = 1;
};

/// The rink placement render_shotmap uses for this size.
RinkFrame rink_frame(int width, int height);

}  // namespace lamtool::render
