// Shot-map picture: contour geometry, rink placement by rulebook dimensions, formats,
// edge cases and golden images (tests/golden/shotmap_*.png, reviewed by eye).

#include <cairo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <numbers>
#include <random>

#include "image_compare.h"
#include "lamtool/error.h"
#include "lamtool/render/contour.h"
#include "lamtool/render/shotmap.h"
#include "render/png.h"
#include "svg_summary.h"
#include "temp_dir.h"

namespace lamtool::render {
namespace {

using Scene = ShotMapScene;
constexpr double kPi = std::numbers::pi;
const std::string kGoldenDir = std::string(LAMTOOL_SOURCE_DIR) + "/tests/golden";
const std::string kOutDir = LAMTOOL_TEST_OUTPUT_DIR;

// ---- synthetic but hockey-like games ------------------------------------------------

// Standard normal deviates by Box-Muller over mt19937, whose output the standard fixes
// (std::normal_distribution is implementation-defined, which would make goldens vary).
class Rng {
 public:
  explicit Rng(unsigned seed) : gen_(seed) {}
  double uniform() { return (static_cast<double>(gen_()) + 0.5) / 4294967296.0; }
  double normal() {
    double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * kPi * u2);
  }

 private:
  std::mt19937 gen_;
};

struct Cluster {
  double x, y, sx, sy, weight;
};

// Shots for the team attacking the right net (home); the away team's are mirrored.
// Clusters: the slot, the crease, both faceoff circles, the points near the blue line.
const std::vector<Cluster> kClusters{{78, 0, 5, 5, 0.38},  {85, 0, 2, 3, 0.12},
                                     {68, 20, 5, 5, 0.14}, {68, -20, 5, 5, 0.14},
                                     {36, 26, 5, 6, 0.11}, {36, -26, 5, 6, 0.11}};

std::vector<Scene::Shot> make_shots(Rng& rng, int n, int goals, int missed, bool home) {
  std::vector<Scene::Shot> shots;
  for (int k = 0; k < n; ++k) {
    double r = rng.uniform(), acc = 0;
    const Cluster* c = &kClusters.back();
    for (const Cluster& cl : kClusters) {
      acc += cl.weight;
      if (r <= acc) {
        c = &cl;
        break;
      }
    }
    double x = std::min(c->x + c->sx * rng.normal(), 88.0);
    double y = std::clamp(c->y + c->sy * rng.normal(), -40.0, 40.0);
    Scene::Shot::Kind kind = k < goals            ? Scene::Shot::kGoal
                             : k < goals + missed ? Scene::Shot::kMissed
                                                  : Scene::Shot::kShot;
    shots.push_back({home ? x : -x, y, kind, home});
  }
  return shots;
}

// A Gaussian kernel sum with a fixed 7 ft bandwidth on a 400 x 170 grid over the rink,
// the grid shape DESIGN.md gives for the KDE.
Scene::Density make_density(const std::vector<Scene::Shot>& shots, bool home) {
  Scene::Density d;
  d.grid = Eigen::MatrixXd::Zero(170, 400);
  const double h = 7.0;
  for (Eigen::Index i = 0; i < d.grid.rows(); ++i) {
    double y = d.y0 + static_cast<double>(i) * (d.y1 - d.y0) / 169.0;
    for (Eigen::Index j = 0; j < d.grid.cols(); ++j) {
      double x = d.x0 + static_cast<double>(j) * (d.x1 - d.x0) / 399.0;
      double sum = 0;
      for (const Scene::Shot& s : shots) {
        if (s.home != home) continue;
        double dx = x - s.x, dy = y - s.y;
        sum += std::exp(-(dx * dx + dy * dy) / (2 * h * h));
      }
      d.grid(i, j) = sum;
    }
  }
  d.valid = true;
  return d;
}

Scene base_scene() {
  Scene s;
  s.home_abbrev = "TOR";
  s.away_abbrev = "MTL";
  s.home_name = "Toronto Maple Leafs";
  s.away_name = "Montr\u00e9al Canadiens";
  s.home_score = 3;
  s.away_score = 2;
  s.date = "2024-01-13";
  s.status_text = "final (OT)";
  return s;
}

Scene typical_scene() {
  Scene s = base_scene();
  Rng rng(20240113);
  auto home = make_shots(rng, 44, 3, 12, true);   // 32 on goal incl. 3 goals, 12 missed
  auto away = make_shots(rng, 35, 2, 10, false);  // 25 on goal incl. 2 goals, 10 missed
  s.shots = home;
  s.shots.insert(s.shots.end(), away.begin(), away.end());
  s.home_density = make_density(s.shots, true);
  s.away_density = make_density(s.shots, false);
  s.home_counts = {32, 3, 12, 14};
  s.away_counts = {25, 2, 10, 17};
  return s;
}

Scene no_shots_for_away_scene() {
  Scene s = typical_scene();
  std::erase_if(s.shots, [](const Scene::Shot& shot) { return !shot.home; });
  s.away_density = {};
  s.away_counts = {};
  s.away_score = 0;
  s.status_text = "through period 1";
  return s;
}

Scene too_few_for_density_scene() {
  Scene s = typical_scene();
  std::erase_if(s.shots, [](const Scene::Shot& shot) { return !shot.home; });
  s.shots.push_back({-80, 4, Scene::Shot::kGoal, false});
  s.shots.push_back({-55, -18, Scene::Shot::kMissed, false});
  s.away_density = {};  // valid = false: what the KDE reports for 0-2 shots
  s.away_counts = {1, 1, 1, 0};
  s.away_score = 1;
  s.status_text = "through period 2";
  return s;
}

Scene long_names_scene() {
  Scene s = typical_scene();
  s.home_name = "Saskatoon Northern Lights Professional Hockey Club of the Prairies";
  s.away_name = "Vancouver Island Coastal Mountain Thunderbirds Hockey Association";
  s.home_abbrev = "SNL";
  s.away_abbrev = "VIT";
  s.home_score = 10;
  s.away_score = 11;
  s.status_text = "final (SO)";
  return s;
}

std::string png(const Scene& scene, int w, int h) {
  return render_shotmap(scene, Format::kPng, w, h);
}

// ---- contour geometry ----------------------------------------------------------------

double total_area(const std::vector<Polygon>& polys) {
  double a = 0;
  for (const Polygon& p : polys) a += signed_area(p);
  return a;
}

TEST(Contour, LinearRampGivesExactHalfPlane) {
  // f(x, y) = x on the unit square: edge interpolation of a linear function is exact, so
  // {f >= 0.3} is exactly the strip 0.3 <= x <= 1 of area 0.7.
  Eigen::MatrixXd g(11, 21);
  for (Eigen::Index i = 0; i < g.rows(); ++i) {
    for (Eigen::Index j = 0; j < g.cols(); ++j) g(i, j) = static_cast<double>(j) / 20.0;
  }
  auto polys = superlevel_region(g, {0, 1, 0, 1}, 0.3);
  EXPECT_NEAR(total_area(polys), 0.7, 1e-12);
  ASSERT_EQ(polys.size(), 1u) << "one ring around the strip";
  EXPECT_GT(signed_area(polys[0]), 0) << "outer boundary counter-clockwise";
  for (const Point& pt : polys[0]) EXPECT_GE(pt.x, 0.3 - 1e-12);
}

TEST(Contour, AnnulusHasCounterClockwiseOuterAndClockwiseHole) {
  // f = 1 - |r - 0.5| / 0.5 on [-1, 1]^2 is >= 0.5 for 0.25 <= r <= 0.75: an annulus of
  // area pi (0.75^2 - 0.25^2) = pi / 2; inscribed polygons lose below 0.2% at step 0.01.
  const int n = 201;
  Eigen::MatrixXd g(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      double r = std::hypot(-1 + 2.0 * j / (n - 1), -1 + 2.0 * i / (n - 1));
      g(i, j) = 1 - std::abs(r - 0.5) / 0.5;
    }
  }
  auto polys = superlevel_region(g, {-1, 1, -1, 1}, 0.5);
  ASSERT_EQ(polys.size(), 2u);
  double a = signed_area(polys[0]), b = signed_area(polys[1]);
  EXPECT_NEAR(std::max(a, b), kPi * 0.75 * 0.75, kPi * 0.5625 * 2e-3) << "outer ring";
  EXPECT_NEAR(std::min(a, b), -kPi * 0.25 * 0.25, kPi * 0.0625 * 2e-3) << "hole";
  EXPECT_NEAR(a + b, kPi / 2, kPi / 2 * 2e-3);
}

TEST(Contour, ConeLevelSetApproximatesDisk) {
  // f = 1 - r: {f >= 0.5} is the disk of radius 0.5, area pi/4. The polygon is inscribed
  // with vertices on the circle; at grid step 0.01 its area error is below 0.1%.
  const int n = 201;
  Eigen::MatrixXd g(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      double x = -1 + 2.0 * j / (n - 1), y = -1 + 2.0 * i / (n - 1);
      g(i, j) = 1 - std::hypot(x, y);
    }
  }
  EXPECT_NEAR(total_area(superlevel_region(g, {-1, 1, -1, 1}, 0.5)), kPi / 4, kPi / 4 * 1e-3);
}

TEST(Contour, SaddleCellIsOneHexagon) {
  // Inside corners (0,0) and (1,1), crossings at the edge midpoints: the unit square less
  // two corner triangles of area 1/8 each, 0.75.
  Eigen::MatrixXd g(2, 2);
  g << 1, 0, 0, 1;
  auto polys = superlevel_region(g, {0, 1, 0, 1}, 0.5);
  ASSERT_EQ(polys.size(), 1u);
  EXPECT_EQ(polys[0].size(), 6u);
  EXPECT_NEAR(signed_area(polys[0]), 0.75, 1e-12);
}

TEST(Contour, DegenerateAndNonFiniteGrids) {
  EXPECT_TRUE(superlevel_region(Eigen::MatrixXd::Ones(1, 5), {0, 1, 0, 1}, 0.5).empty());
  EXPECT_EQ(superlevel_region(Eigen::MatrixXd::Ones(4, 5), {0, 2, 0, 3}, 0.5).size(), 1u)
      << "a full grid is one ring along its border";
  EXPECT_TRUE(superlevel_region(Eigen::MatrixXd::Zero(4, 4), {0, 1, 0, 1}, 0.5).empty());
  EXPECT_NEAR(total_area(superlevel_region(Eigen::MatrixXd::Ones(4, 5), {0, 2, 0, 3}, 0.5)), 6,
              1e-12);
  Eigen::MatrixXd g = Eigen::MatrixXd::Ones(2, 2);
  g(1, 1) = std::nan("");  // counts as below every level: the inside corner snaps
  auto polys = superlevel_region(g, {0, 1, 0, 1}, 0.5);
  ASSERT_EQ(polys.size(), 1u);
  for (const Point& p : polys[0]) EXPECT_TRUE(std::isfinite(p.x) && std::isfinite(p.y));
  EXPECT_LE(signed_area(polys[0]), 1.0);
}

TEST(Contour, PlateauWithPitKeepsBorderAndHole) {
  // f = 1 on a 101 x 41 grid of step 1 except 0 at one interior point: {f >= 0.5} is the
  // 100 x 40 rectangle less the diamond through the four edge midpoints around the pit
  // (half-diagonals 0.5, area 0.5): 3999.5. The grid is many cell blocks wide, so whole
  // blocks inside the region are skipped while the border blocks still give its outline.
  Eigen::MatrixXd g = Eigen::MatrixXd::Ones(41, 101);
  g(20, 50) = 0;
  auto polys = ContourGrid(g, {0, 100, 0, 40}).superlevel_region(0.5);
  ASSERT_EQ(polys.size(), 2u);
  EXPECT_NEAR(total_area(polys), 3999.5, 1e-9);
  EXPECT_NEAR(std::min(signed_area(polys[0]), signed_area(polys[1])), -0.5, 1e-12) << "hole";
}

TEST(Contour, ManyLevelsOfOneGridAreDisks) {
  // f = 1 - r: {f >= L} is the disk of radius 1 - L, area pi (1 - L)^2, for every level
  // traced from the same ContourGrid (inscribed polygons at step 0.01: error below 0.2%
  // down to radius 0.2).
  const int n = 201;
  Eigen::MatrixXd g(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j)
      g(i, j) = 1 - std::hypot(-1 + 2.0 * j / (n - 1), -1 + 2.0 * i / (n - 1));
  }
  ContourGrid contours(g, {-1, 1, -1, 1});
  for (double level : {0.2, 0.5, 0.8, 0.35}) {
    double r = 1 - level;
    EXPECT_NEAR(total_area(contours.superlevel_region(level)), kPi * r * r, kPi * r * r * 2e-3)
        << "level " << level;
  }
  EXPECT_TRUE(contours.superlevel_region(1.5).empty()) << "above the peak";
}

// ---- where things land: rink coordinates checked on decoded pixels -------------------

struct Probe {
  test::Image img;
  RinkFrame frame;
  const std::uint8_t* at(double x_ft, double y_ft) const {
    int px = static_cast<int>(std::lround(frame.x_px + frame.scale * x_ft - 0.5));
    int py = static_cast<int>(std::lround(frame.y_px - frame.scale * y_ft - 0.5));
    return img.at(px, py);
  }
};

Probe probe(const Scene& scene, int w = 1200, int h = 600) {
  return {test::decode_png(png(scene, w, h)), rink_frame(w, h)};
}

std::string rgb(const std::uint8_t* p) {
  return "rgb(" + std::to_string(p[0]) + "," + std::to_string(p[1]) + "," + std::to_string(p[2]) +
         ")";
}

bool is_ice(const std::uint8_t* p) { return p[0] >= 250 && p[1] >= 250 && p[2] >= 250; }
bool is_reddish(const std::uint8_t* p) { return p[0] > p[1] + 60 && p[0] > p[2] + 50; }
bool is_bluish(const std::uint8_t* p) { return p[2] > p[0] + 40; }
// The page background, #f2f5f7, outside the boards.
bool is_background(const std::uint8_t* p) {
  return std::abs(p[0] - 242) <= 2 && std::abs(p[1] - 245) <= 2 && std::abs(p[2] - 247) <= 2;
}

TEST(ShotMapPicture, RulebookMarkingsLandWhereTheyShould) {
  // Positions from the NHL rulebook (DESIGN.md section 2), colours from NHL convention:
  // red centre line, goal lines and faceoff spots; blue lines and centre spot.
  Probe p = probe(base_scene());
  EXPECT_TRUE(is_reddish(p.at(0, 30))) << rgb(p.at(0, 30)) << "centre red line at x = 0";
  EXPECT_TRUE(is_bluish(p.at(25, 30))) << rgb(p.at(25, 30)) << "blue line at x = +25";
  EXPECT_TRUE(is_bluish(p.at(-25, -30))) << rgb(p.at(-25, -30)) << "blue line at x = -25";
  EXPECT_TRUE(is_bluish(p.at(0, 0))) << rgb(p.at(0, 0)) << "centre faceoff spot";
  for (double sx : {-1.0, 1.0}) {
    for (double sy : {-1.0, 1.0}) {
      EXPECT_TRUE(is_reddish(p.at(sx * 69, sy * 22)))
          << rgb(p.at(sx * 69, sy * 22)) << "end-zone spot " << sx << "," << sy;
      EXPECT_TRUE(is_reddish(p.at(sx * 20, sy * 22)))
          << rgb(p.at(sx * 20, sy * 22)) << "neutral-zone spot " << sx << "," << sy;
    }
  }
  EXPECT_TRUE(is_ice(p.at(45, 30))) << rgb(p.at(45, 30));
  EXPECT_TRUE(is_ice(p.at(-45, -30))) << rgb(p.at(-45, -30));
  EXPECT_TRUE(is_ice(p.at(7, 7))) << rgb(p.at(7, 7)) << " inside the centre circle, off its lines";
  // Corner radius 28: at x = 98 the boards reach only y = 14.5 + sqrt(28^2 - 26^2) = 24.9,
  // so (98, 41) is outside the rink, while (80, 38) is 24.8 ft from the corner's centre.
  EXPECT_TRUE(is_background(p.at(98, 41))) << rgb(p.at(98, 41));
  EXPECT_TRUE(is_background(p.at(-98, -41))) << rgb(p.at(-98, -41));
  EXPECT_TRUE(is_ice(p.at(80, 38))) << rgb(p.at(80, 38));
  EXPECT_TRUE(is_background(p.at(0, 44)))
      << rgb(p.at(0, 44)) << "beyond the side boards at y = 42.5";
}

TEST(ShotMapPicture, HeatMapIsClippedToTheBoards) {
  Scene s = base_scene();
  s.shots.push_back({70, 0, Scene::Shot::kShot, true});
  s.home_density.grid = Eigen::MatrixXd::Ones(3, 3);  // covers more than the whole rink
  s.home_density.x0 = -120, s.home_density.x1 = 120;
  s.home_density.y0 = -60, s.home_density.y1 = 60;
  s.home_density.valid = true;
  Probe p = probe(s);
  EXPECT_TRUE(is_reddish(p.at(50, 10))) << rgb(p.at(50, 10)) << "top band painted on the ice";
  EXPECT_TRUE(is_reddish(p.at(-50, -10))) << rgb(p.at(-50, -10));
  EXPECT_TRUE(is_background(p.at(98, 41)))
      << rgb(p.at(98, 41)) << "nothing painted outside the rounded corner";
  EXPECT_TRUE(is_background(p.at(-50, 44)))
      << rgb(p.at(-50, 44)) << "nothing painted beyond the side boards";
}

TEST(ShotMapPicture, MarkersSitAtShotPositions) {
  Scene s = base_scene();
  s.shots.push_back({60, -10, Scene::Shot::kGoal, true});
  s.shots.push_back({-60, 10, Scene::Shot::kShot, false});
  s.shots.push_back({-50, -5, Scene::Shot::kMissed, false});
  Probe p = probe(s);
  const std::uint8_t* goal = p.at(60, -10);
  EXPECT_TRUE(goal[0] > 200 && goal[1] > 150 && goal[2] < 100) << "gold goal star";
  EXPECT_TRUE(is_bluish(p.at(-60, 10))) << rgb(p.at(-60, 10)) << "filled away shot";
  EXPECT_TRUE(is_ice(p.at(-50, -5))) << rgb(p.at(-50, -5)) << " a missed shot is a hollow ring";
  // The ring's radius is 3.4 px at this size, 3.4 / 5.39 ft.
  EXPECT_TRUE(is_bluish(p.at(-50 + 3.4 / 5.39, -5)) || is_bluish(p.at(-50 - 3.4 / 5.39, -5)))
      << "ring of the missed shot";
}

// ---- formats and errors --------------------------------------------------------------

TEST(ShotMapPicture, PngHasTheRequestedSize) {
  for (auto [w, h] : {std::pair{600, 300}, std::pair{1000, 700}, std::pair{1200, 600}}) {
    test::Image img = test::decode_png(png(typical_scene(), w, h));
    EXPECT_EQ(img.width, w);
    EXPECT_EQ(img.height, h);
  }
}

TEST(ShotMapPicture, RenderingIsDeterministic) {
  EXPECT_EQ(png(typical_scene(), 600, 300), png(typical_scene(), 600, 300));
}

TEST(ShotMapPicture, SvgIsXmlWithSvgRootAndVectorsOnly) {
  test::SvgSummary svg =
      test::summarise_svg(render_shotmap(typical_scene(), Format::kSvg, 1200, 600));
  ASSERT_TRUE(svg.well_formed) << svg.error;
  EXPECT_EQ(svg.root, "http://www.w3.org/2000/svg svg");
  EXPECT_GT(svg.paths, 50) << "rink, bands and markers are vector paths";
  EXPECT_EQ(svg.images, 0) << "no raster fallback";
}

TEST(ShotMapPicture, RejectsBadSizesAndFormats) {
  EXPECT_THROW(png(base_scene(), 100, 600), UsageError);
  EXPECT_THROW(png(base_scene(), 1200, 0), UsageError);
  EXPECT_THROW(png(base_scene(), 9000, 600), UsageError);
  EXPECT_EQ(parse_format("png"), Format::kPng);
  EXPECT_EQ(parse_format("svg"), Format::kSvg);
  EXPECT_THROW(parse_format("jpeg"), UsageError);
}

TEST(ShotMapPicture, MissingFontIsConfigError) {
  test::TempDir dir;
  const char* old = std::getenv("LAMTOOL_DATA_DIR");
  std::string saved = old ? old : "";
  setenv("LAMTOOL_DATA_DIR", dir.path().c_str(), 1);
  try {
    png(base_scene(), 600, 300);
    ADD_FAILURE() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("fonts/DejaVuSans.ttf"), std::string::npos) << e.what();
  }
  if (old) {
    setenv("LAMTOOL_DATA_DIR", saved.c_str(), 1);
  } else {
    unsetenv("LAMTOOL_DATA_DIR");
  }
}

void save(const std::string& name, const std::string& bytes) {
  std::ofstream(kOutDir + "/" + name, std::ios::binary) << bytes;
}

// Writes every scene at 1200 x 600 into the build tree for looking at:
// render_test --gtest_also_run_disabled_tests --gtest_filter='*WriteSamples'
TEST(ShotMapPicture, DISABLED_WriteSamples) {
  save("sample_typical.png", png(typical_scene(), 1200, 600));
  save("sample_no_away_shots.png", png(no_shots_for_away_scene(), 1200, 600));
  save("sample_points_only.png", png(too_few_for_density_scene(), 1200, 600));
  save("sample_long_names.png", png(long_names_scene(), 1200, 600));
  save("sample_typical.svg", render_shotmap(typical_scene(), Format::kSvg, 1200, 600));
}

// ---- PNG encoder ----------------------------------------------------------------------

// Fills an RGB24 surface with a different colour at each pixel, encodes it and checks the
// decoded pixels, for widths around the encoder's four-pixel steps.
void expect_png_round_trip(const PngOptions& options) {
  auto colour = [](int x, int y, int c) {
    return static_cast<std::uint8_t>(37 * x + 91 * y + 113 * c + 7);
  };
  for (int width = 1; width <= 11; ++width) {
    const int height = 3;
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    ASSERT_EQ(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(surface);
    unsigned char* data = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        std::uint32_t p = 0xff000000u | (std::uint32_t{colour(x, y, 0)} << 16) |
                          (std::uint32_t{colour(x, y, 1)} << 8) | colour(x, y, 2);
        std::memcpy(data + y * stride + 4 * x, &p, sizeof p);
      }
    }
    cairo_surface_mark_dirty(surface);
    test::Image img = test::decode_png(png_bytes(surface, options));
    cairo_surface_destroy(surface);
    ASSERT_EQ(img.width, width);
    ASSERT_EQ(img.height, height);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        for (int c = 0; c < 3; ++c) {
          EXPECT_EQ(img.at(x, y)[c], colour(x, y, c)) << width << " wide, at " << x << "," << y;
        }
        EXPECT_EQ(img.at(x, y)[3], 255);
      }
    }
  }
}

TEST(PngBytes, EveryWidthRoundTripsPixelForPixel) { expect_png_round_trip({}); }

TEST(PngBytes, RowsConvertedInsideTheSurfaceRoundTripToo) {
  expect_png_round_trip({.reuse_surface = true});
}

// ---- golden images (LAMTOOL_UPDATE_GOLDEN=1 rewrites them) --------------------------

TEST(ShotMapGolden, Typical1200x600) {
  EXPECT_TRUE(test::matches_golden(png(typical_scene(), 1200, 600), kGoldenDir,
                                   "shotmap_typical_1200x600", kOutDir));
}

TEST(ShotMapGolden, Typical600x300) {
  EXPECT_TRUE(test::matches_golden(png(typical_scene(), 600, 300), kGoldenDir,
                                   "shotmap_typical_600x300", kOutDir));
}

TEST(ShotMapGolden, NoShotsForAway600x300) {
  EXPECT_TRUE(test::matches_golden(png(no_shots_for_away_scene(), 600, 300), kGoldenDir,
                                   "shotmap_no_away_shots_600x300", kOutDir));
}

TEST(ShotMapGolden, TooFewShotsForDensity600x300) {
  EXPECT_TRUE(test::matches_golden(png(too_few_for_density_scene(), 600, 300), kGoldenDir,
                                   "shotmap_points_only_600x300", kOutDir));
}

TEST(ShotMapGolden, LongTeamNames600x300) {
  EXPECT_TRUE(test::matches_golden(png(long_names_scene(), 600, 300), kGoldenDir,
                                   "shotmap_long_names_600x300", kOutDir));
}

}  // namespace
}  // namespace lamtool::render
