// Shot-map picture: contour geometry, rink placement by rulebook dimensions, formats,
// edge cases and golden images (tests/golden/shotmap_*.png, reviewed by eye).

#include <expat.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <numbers>
#include <random>

#include "image_compare.h"
#include "lamtool/error.h"
#include "lamtool/render/contour.h"
#include "lamtool/render/shotmap.h"
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
const std::vector<Cluster> kClusters{{78, 0, 5, 5, 0.38}, {85, 0, 2, 3, 0.12},
                                     {68, 20, 5, 5, 0.14}, {68, -20, 5, 5, 0.14},
                                     {36, 26, 5, 6, 0.11}, {36, -26, 5, 6, 0.11}};

std::vector<Scene::Shot> make_shots(Rng& rng, int n, int goals, int missed, bool home) {
  std::vector<Scene::Shot> shots;
  for (int k = 0; k < n; ++k) {
    double r = rng.uniform(), acc = 0;
    const Cluster* c = &kClusters.back();
    for (const Cluster& cl : kClusters) {
      acc += cl.weight;
      if (r <= acc) { c = &cl; break; }
    }
    double x = std::min(c->x + c->sx * rng.normal(), 88.0);
    double y = std::clamp(c->y + c->sy * rng.normal(), -40.0, 40.0);
    Scene::Shot::Kind kind = k < goals ? Scene::Shot::kGoal
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

void save(const std::string& name, const std::string& bytes) {
  std::ofstream(kOutDir + "/" + name, std::ios::binary) << bytes;
}

TEST(ShotMapPicture, WritesSamples) {
  save("sample_1200x600.png", render_shotmap(typical_scene(), Format::kPng, 1200, 600));
}

}  // namespace
}  // namespace lamtool::render
