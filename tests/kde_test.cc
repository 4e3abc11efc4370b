#include "lamtool/kde.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>

#include "lamtool/error.h"
#include "lamtool/jobs/kde.h"
#include "temp_dir.h"

namespace lamtool {
namespace {

using kde::GridSpec;
using kde::Method;
using kde::Points;
using kde::Result;

// ---------------------------------------------------------------------------------------
// Helpers

Points make_points(const std::vector<std::pair<double, double>>& xy,
                   const std::vector<double>& w = {}) {
  Points p;
  const auto n = static_cast<Eigen::Index>(xy.size());
  p.x.resize(n);
  p.y.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    p.x[i] = xy[static_cast<size_t>(i)].first;
    p.y[i] = xy[static_cast<size_t>(i)].second;
  }
  if (!w.empty()) p.w = Eigen::Map<const Eigen::VectorXd>(w.data(), n);
  return p;
}

Points normal_points(int n, unsigned seed, double sx, double sy, double rho) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g;
  Points p;
  p.x.resize(n);
  p.y.resize(n);
  for (int i = 0; i < n; ++i) {
    double a = g(rng), b = g(rng);
    p.x[i] = sx * a;
    p.y[i] = sy * (rho * a + std::sqrt(1 - rho * rho) * b);
  }
  return p;
}

Result run(const Points& p, Method m, GridSpec g = {}, std::optional<double> bw = {}) {
  return kde::estimate(p, g, {.bw = bw, .method = m});
}

double max_abs_diff(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return (a - b).cwiseAbs().maxCoeff();
}

// Riemann sum of the grid: approximates the integral when the density is well inside.
double integral(const Result& r) { return r.density.sum() * r.grid.dx() * r.grid.dy(); }

// ---------------------------------------------------------------------------------------
// scipy reference fixtures (tests/tools/make_kde_refs.py, scipy 1.10.1 gaussian_kde)

struct Reference {
  nlohmann::json doc;
  Points points;
  GridSpec grid;
  std::optional<double> bw;
};

Reference load_reference(const std::string& name) {
  std::string path = std::string(LAMTOOL_FIXTURE_DIR) + "/kde/" + name + ".json";
  Reference r;
  r.doc = nlohmann::json::parse(test::slurp(path));
  std::vector<std::pair<double, double>> xy;
  for (const auto& p : r.doc["points"]) xy.emplace_back(p[0], p[1]);
  std::vector<double> w;
  if (!r.doc["weights"].is_null()) w = r.doc["weights"].get<std::vector<double>>();
  r.points = make_points(xy, w);
  const auto& e = r.doc["extent"];
  r.grid = {.extent = {e[0], e[1], e[2], e[3]}, .nx = r.doc["nx"], .ny = r.doc["ny"]};
  if (!r.doc["bw"].is_null()) r.bw = r.doc["bw"].get<double>();
  return r;
}

Eigen::MatrixXd json_matrix(const nlohmann::json& rows) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(rows.size()),
                    static_cast<Eigen::Index>(rows[0].size()));
  for (Eigen::Index j = 0; j < m.rows(); ++j)
    for (Eigen::Index i = 0; i < m.cols(); ++i)
      m(j, i) = rows[static_cast<size_t>(j)][static_cast<size_t>(i)];
  return m;
}

class ScipyReference : public ::testing::TestWithParam<std::string> {};

TEST_P(ScipyReference, GridNodesAreLinspace) {
  Reference ref = load_reference(GetParam());
  for (int i = 0; i < ref.grid.nx; ++i)
    EXPECT_EQ(ref.grid.x(i), ref.doc["xs"][static_cast<size_t>(i)].get<double>()) << i;
  for (int j = 0; j < ref.grid.ny; ++j)
    EXPECT_EQ(ref.grid.y(j), ref.doc["ys"][static_cast<size_t>(j)].get<double>()) << j;
}

TEST_P(ScipyReference, BandwidthMatchesScipy) {
  Reference ref = load_reference(GetParam());
  kde::Bandwidth b = kde::compute_bandwidth(ref.points, {.bw = ref.bw}, ref.grid.extent);
  EXPECT_EQ(b.flags, 0U);
  EXPECT_NEAR(b.factor, ref.doc["factor"].get<double>(), 1e-14);
  EXPECT_NEAR(b.neff / ref.doc["neff"].get<double>(), 1.0, 1e-12);
  Eigen::MatrixXd data_cov = json_matrix(ref.doc["data_covariance"]);
  Eigen::MatrixXd cov = json_matrix(ref.doc["covariance"]);
  // Relative to the matrix's scale: a summation-order difference is ~1e-15.
  EXPECT_LE(max_abs_diff(b.data_covariance, data_cov), 1e-12 * data_cov.cwiseAbs().maxCoeff());
  EXPECT_LE(max_abs_diff(b.covariance, cov), 1e-12 * cov.cwiseAbs().maxCoeff());
}

// The rule: |ours - scipy| <= 1e-9 x max(|scipy|, 1e-10 x peak). That is 1e-9 relative
// wherever the density is at least 1e-10 of its peak; below that (the far tails, where
// exp() of a large argument amplifies last-bit differences of the argument) the bound
// is 1e-19 of the peak.
TEST_P(ScipyReference, ExactMatchesScipyTo1e9Relative) {
  Reference ref = load_reference(GetParam());
  Eigen::MatrixXd want = json_matrix(ref.doc["density"]);
  Result r = run(ref.points, Method::kExact, ref.grid, ref.bw);
  ASSERT_EQ(r.density.rows(), want.rows());
  ASSERT_EQ(r.density.cols(), want.cols());
  const double floor = 1e-10 * want.maxCoeff();
  for (Eigen::Index j = 0; j < want.rows(); ++j)
    for (Eigen::Index i = 0; i < want.cols(); ++i)
      ASSERT_LE(std::abs(r.density(j, i) - want(j, i)),
                1e-9 * std::max(std::abs(want(j, i)), floor))
          << "row " << j << " col " << i << " want " << want(j, i);
}

TEST_P(ScipyReference, FftWithinOnePercentOfPeak) {
  Reference ref = load_reference(GetParam());
  Eigen::MatrixXd want = json_matrix(ref.doc["density"]);
  Result r = run(ref.points, Method::kFft, ref.grid, ref.bw);
  double peak = want.maxCoeff();
  EXPECT_LT(max_abs_diff(r.density, want), 0.01 * peak);
  EXPECT_GE(r.density.minCoeff(), 0.0);
  // Small samples take the direct-sum path; hold the binning path to the same bound.
  Eigen::MatrixXd binned = kde::evaluate_binned(ref.points, kde::normalised_weights(ref.points),
                                                r.bandwidth.covariance, ref.grid);
  EXPECT_LT(max_abs_diff(binned, want), 0.01 * peak);
}

INSTANTIATE_TEST_SUITE_P(Kde, ScipyReference,
                         ::testing::Values("normal", "correlated", "weighted", "tiny", "bw02",
                                           "outside", "small_extent"));

// scipy refuses one point (ValueError), two points and collinear points (LinAlgError);
// the fixtures record its message. We fall back to the documented isotropic kernel.
class ScipyRefuses : public ::testing::TestWithParam<std::string> {};

TEST_P(ScipyRefuses, FallbackKernelFlaggedFiniteAndNormalised) {
  Reference ref = load_reference(GetParam());
  ASSERT_TRUE(ref.doc.contains("scipy_error"));
  // A finer grid than the fixture's, so the Riemann sum resolves the narrow kernel.
  GridSpec fine{.extent = ref.grid.extent, .nx = 801, .ny = 341};
  for (Method m : {Method::kExact, Method::kFft}) {
    Result r = run(ref.points, m, fine);
    EXPECT_TRUE(r.flags() & kde::kFallbackKernel);
    EXPECT_TRUE(r.density.allFinite());
    EXPECT_TRUE(r.bandwidth.covariance.allFinite());
    EXPECT_TRUE(r.bandwidth.data_covariance.allFinite());
    // sigma = 85 / 40 ft, every point well inside the rink: the grid holds all the mass
    // but what lies beyond the fft path's 5-sigma reach, exp(-25/2) = 3.7e-6.
    double s = kde::kFallbackSigmaFraction * 85.0;
    EXPECT_NEAR(r.bandwidth.covariance(0, 0), s * s, 1e-12);
    EXPECT_EQ(r.bandwidth.covariance(0, 1), 0.0);
    EXPECT_NEAR(integral(r), 1.0, 1e-5);
  }
}

INSTANTIATE_TEST_SUITE_P(Kde, ScipyRefuses,
                         ::testing::Values("one_point", "two_points", "collinear"));

// ---------------------------------------------------------------------------------------
// Bandwidth by hand

TEST(Kde, ScottBandwidthOnKnownSample) {
  // 16 copies of (+-1, 0), (0, +-1): mean 0, sum of squares 32 on each axis, no
  // cross term, so the ddof-1 covariance is diag(32/63, 32/63); Scott: 64^(-1/6) = 1/2.
  std::vector<std::pair<double, double>> xy;
  for (int k = 0; k < 16; ++k)
    for (auto p : {std::pair{1.0, 0.0}, {-1.0, 0.0}, {0.0, 1.0}, {0.0, -1.0}}) xy.push_back(p);
  kde::Bandwidth b = kde::compute_bandwidth(make_points(xy), {}, {});
  EXPECT_NEAR(b.factor, 0.5, 1e-15);
  EXPECT_NEAR(b.neff, 64.0, 1e-12);
  EXPECT_NEAR(b.data_covariance(0, 0), 32.0 / 63.0, 1e-15);
  EXPECT_NEAR(b.data_covariance(1, 1), 32.0 / 63.0, 1e-15);
  EXPECT_NEAR(b.data_covariance(0, 1), 0.0, 1e-15);
  EXPECT_NEAR(b.covariance(0, 0), 8.0 / 63.0, 1e-15);
  EXPECT_EQ(b.flags, 0U);
}

TEST(Kde, WeightedNeffAndCovarianceByHand) {
  // Weights 1, 1, 2 normalise to 1/4, 1/4, 1/2: sum w^2 = 3/8, neff = 8/3.
  // Points (0,0), (4,0), (0,4): weighted mean (1, 2); x deviations -1, 3, -1, so the
  // weighted scatter is 1/4 + 9/4 + 1/2 = 3, divided by 1 - 3/8 gives 24/5. y deviations
  // -2, -2, 2: 1 + 1 + 2 = 4 -> 32/5. Cross: 1/2 - 3/2 - 1 = -2 -> -16/5.
  Points p = make_points({{0, 0}, {4, 0}, {0, 4}}, {1, 1, 2});
  kde::Bandwidth b = kde::compute_bandwidth(p, {.bw = 0.5}, {});
  EXPECT_NEAR(b.neff, 8.0 / 3.0, 1e-14);
  EXPECT_EQ(b.factor, 0.5);
  EXPECT_NEAR(b.data_covariance(0, 0), 24.0 / 5.0, 1e-13);
  EXPECT_NEAR(b.data_covariance(1, 1), 32.0 / 5.0, 1e-13);
  EXPECT_NEAR(b.data_covariance(0, 1), -16.0 / 5.0, 1e-13);
  EXPECT_NEAR(b.covariance(0, 1), -16.0 / 5.0 / 4.0, 1e-13);
}

TEST(Kde, BadBandwidthFactorIsUsageError) {
  Points p = normal_points(10, 1, 1, 1, 0);
  EXPECT_THROW(kde::compute_bandwidth(p, {.bw = 0.0}, {}), UsageError);
  EXPECT_THROW(kde::compute_bandwidth(p, {.bw = -1.0}, {}), UsageError);
  EXPECT_THROW(kde::compute_bandwidth(p, {.bw = NAN}, {}), UsageError);
  EXPECT_THROW(kde::compute_bandwidth(p, {.bw = 1e200}, {}), UsageError);   // overflows
  EXPECT_THROW(kde::compute_bandwidth(p, {.bw = 1e-200}, {}), UsageError);  // underflows
}

// ---------------------------------------------------------------------------------------
// Evaluators

TEST(Kde, SinglePointPeakIsTheFallbackGaussianPeak) {
  // One point on a grid node: the density there is the kernel's peak 1 / (2 pi s^2).
  GridSpec g;  // rink, 400 x 170
  Points p = make_points({{g.x(123), g.y(45)}});
  double s = kde::kFallbackSigmaFraction * 85.0;
  for (Method m : {Method::kExact, Method::kFft}) {
    Result r = run(p, m, g);
    EXPECT_EQ(r.flags() & ~kde::kDirectSum, kde::kTooFewPoints | kde::kFallbackKernel);
    EXPECT_NEAR(r.density(45, 123), 1.0 / (2 * std::numbers::pi * s * s), 1e-12);
    EXPECT_EQ(r.density.maxCoeff(), r.density(45, 123));
  }
}

TEST(Kde, DensityIntegratesToOne) {
  // Independent reason: a probability density. Points well inside a wide extent.
  Points p = normal_points(500, 7, 10, 6, 0.6);
  GridSpec g{.extent = {-80, 80, -50, 50}, .nx = 321, .ny = 201};
  EXPECT_NEAR(integral(run(p, Method::kExact, g)), 1.0, 1e-6);
  EXPECT_NEAR(integral(run(p, Method::kFft, g)), 1.0, 1e-4);
}

TEST(Kde, FftNarrowKernelOnCoarseGridWithinOnePercent) {
  // sigma ~ 0.05 x 20 = 1 ft against 5 ft grid cells: the fft evaluator must refine its
  // binning grid to stay within 1% of the peak.
  Points p = normal_points(400, 3, 20, 12, -0.8);
  GridSpec g{.extent = {-60, 60, -40, 40}, .nx = 25, .ny = 17};
  Result exact = run(p, Method::kExact, g, 0.05);
  Result fft = run(p, Method::kFft, g, 0.05);
  EXPECT_LT(max_abs_diff(exact.density, fft.density), 0.01 * exact.density.maxCoeff());
}

TEST(Kde, FftMatchesExactOnDefaultRinkGrid) {
  Points p = normal_points(2000, 11, 30, 15, 0.3);
  Result exact = run(p, Method::kExact);
  Result fft = run(p, Method::kFft);
  EXPECT_LT(max_abs_diff(exact.density, fft.density), 0.01 * exact.density.maxCoeff());
}

TEST(Kde, FftOfFewPointsWithWideKernelsIsExact) {
  // A shot map's case: 30 points in one half of the rink, Scott's factor, the rink
  // grid. The fft evaluator sums kernels this wide whole, as one matrix product, so it
  // agrees with the exact evaluator to rounding, far tails included (the rule of
  // ExactMatchesScipyTo1e9Relative); a sum cut at 5 sigma would miss up to 4e-6 of a
  // kernel's peak there.
  Points p = normal_points(30, 5, 15, 12, 0.4);
  p.x.array() += 60;
  Result exact = run(p, Method::kExact);
  Result fft = run(p, Method::kFft);
  EXPECT_TRUE(fft.flags() & kde::kDirectSum);
  const double floor = 1e-10 * exact.density.maxCoeff();
  for (Eigen::Index j = 0; j < exact.density.rows(); ++j)
    for (Eigen::Index i = 0; i < exact.density.cols(); ++i)
      ASSERT_LE(std::abs(fft.density(j, i) - exact.density(j, i)),
                1e-9 * std::max(exact.density(j, i), floor))
          << "row " << j << " col " << i;
  // The original's --bw 0.2 makes kernels too narrow for that: summed to 5 sigma.
  Result narrow = run(p, Method::kFft, {}, 0.2);
  Result narrow_exact = run(p, Method::kExact, {}, 0.2);
  EXPECT_TRUE(narrow.flags() & kde::kDirectSum);
  EXPECT_LT(max_abs_diff(narrow.density, narrow_exact.density),
            1e-5 * narrow_exact.density.maxCoeff());
}

TEST(Kde, KernelFarWiderThanGridStaysBounded) {
  // Points a million feet apart: the fft evaluator must not size a binning grid for a
  // kernel that reaches millions of cells; it sums directly and agrees with exact.
  Points p = make_points({{-1e6, 0}, {1e6, 3e5}, {2e5, -7e5}, {5, 5}});
  GridSpec g{.extent = {-100, 100, -42.5, 42.5}, .nx = 40, .ny = 17};
  Result fft = run(p, Method::kFft, g);
  Result exact = run(p, Method::kExact, g);
  EXPECT_TRUE(fft.flags() & kde::kDirectSum);
  EXPECT_LT(max_abs_diff(fft.density, exact.density), 1e-6 * exact.density.maxCoeff());
}

TEST(Kde, NoPointsGiveZeroGridFlagged) {
  for (Method m : {Method::kExact, Method::kFft}) {
    Result r = run(Points{}, m);
    EXPECT_EQ(r.flags(), kde::kNoPoints);
    EXPECT_EQ(r.density.rows(), 170);
    EXPECT_EQ(r.density.cols(), 400);
    EXPECT_EQ(r.density.cwiseAbs().maxCoeff(), 0.0);
    EXPECT_EQ(r.bandwidth.factor, 0.0);
    EXPECT_EQ(r.flag_names(), std::vector<std::string>{"no_points"});
  }
}

TEST(Kde, CoincidentPointsAndOneHeavyPointFallBack) {
  Points same = make_points({{1, 2}, {1, 2}, {1, 2}});
  Points heavy = make_points({{1, 2}, {5, 3}, {-4, 7}}, {0, 3, 0});
  for (const Points& p : {same, heavy}) {
    Result r = run(p, Method::kFft);
    EXPECT_EQ(r.flags() & ~kde::kDirectSum, kde::kSingularCovariance | kde::kFallbackKernel);
    EXPECT_TRUE(r.density.allFinite());
    EXPECT_TRUE(r.bandwidth.data_covariance.allFinite());
  }
}

TEST(Kde, NonFiniteCoordinateRejectedNamingThePoint) {
  Points p = make_points({{1, 2}, {3, 4}, {NAN, 1}});
  try {
    run(p, Method::kFft);
    FAIL() << "no DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("point 3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(run(make_points({{INFINITY, 2}}), Method::kExact), DataError);
  EXPECT_THROW(run(make_points({{1, 2}, {3, 1}}, {1, -1}), Method::kExact), DataError);
  EXPECT_THROW(run(make_points({{1, 2}, {3, 1}}, {0, 0}), Method::kExact), DataError);
}

TEST(Kde, BadGridIsUsageError) {
  Points p = normal_points(10, 1, 1, 1, 0);
  EXPECT_THROW(run(p, Method::kFft, {.extent = {}, .nx = 1, .ny = 10}), UsageError);
  EXPECT_THROW(run(p, Method::kFft, {.extent = {1, 1, 0, 1}, .nx = 10, .ny = 10}), UsageError);
}

// ---------------------------------------------------------------------------------------
// Files

TEST(KdeCsv, ParsesHeaderWeightsAndBlankLines) {
  Points p = kde::parse_points_csv("x,y,w\n1,2,3\r\n\n-4.5, 6e1 ,0\n", "f.csv", true);
  ASSERT_EQ(p.size(), 2);
  EXPECT_EQ(p.x[1], -4.5);
  EXPECT_EQ(p.y[1], 60.0);
  EXPECT_EQ(p.w[0], 3.0);
  Points q = kde::parse_points_csv("1,2,3\n4,5\n", "f.csv", false);
  EXPECT_EQ(q.size(), 2);
  EXPECT_FALSE(q.weighted());
}

TEST(KdeCsv, ErrorsNameFileAndLine) {
  auto message = [](std::string_view text, bool w) {
    try {
      kde::parse_points_csv(text, "pts.csv", w);
    } catch (const DataError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("x,y\n1,2\n3,abc\n", false), "'pts.csv' line 3: field 2 'abc' is not a number");
  EXPECT_EQ(message("1,2\nnan,2\n", false), "'pts.csv' line 2: field 1 'nan' is not finite");
  EXPECT_EQ(message("1,2\n3,4\n", true), "'pts.csv' line 1: expected 3 (x,y,w) fields, got 2");
  EXPECT_EQ(message("1,2,-1\n", true), "'pts.csv' line 1: weight -1 is negative");
  EXPECT_EQ(message("1,2,3,4\n", false),
            "'pts.csv' line 1: expected 2 or 3 (x,y[,w]) fields, got 4");
  // A header is only the first line: a word later is an error.
  EXPECT_EQ(message("1,2\nx,y\n", false), "'pts.csv' line 2: field 1 'x' is not a number");
}

TEST(KdeCsv, GridCsvHasCoordinatesInFirstRowAndColumn) {
  GridSpec g{.extent = {0, 3, 10, 11}, .nx = 4, .ny = 2};
  Result r = run(make_points({{1, 10.5}}), Method::kExact, g);
  std::string csv = kde::format_grid_csv(r);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), ",0,1,2,3");
  size_t second = csv.find('\n') + 1;
  EXPECT_EQ(csv.substr(second, 3), "10,");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), ','), 3 * 4);
}

TEST(KdeTool, GridAndExtentFlags) {
  EXPECT_EQ(jobs::kde_tool::parse_grid("400x170"), (std::pair{400, 170}));
  EXPECT_THROW(jobs::kde_tool::parse_grid("400"), UsageError);
  EXPECT_THROW(jobs::kde_tool::parse_grid("1x170"), UsageError);
  EXPECT_THROW(jobs::kde_tool::parse_grid("40x17x3"), UsageError);
  kde::Extent e = jobs::kde_tool::parse_extent("-1,2.5,-3,4");
  EXPECT_EQ(e.x1, 2.5);
  EXPECT_EQ(e.y0, -3);
  EXPECT_THROW(jobs::kde_tool::parse_extent("1,0,0,1"), UsageError);
  EXPECT_THROW(jobs::kde_tool::parse_extent("0,1,0"), UsageError);
  EXPECT_THROW(jobs::kde_tool::parse_extent("0,1,0,1,5"), UsageError);
  EXPECT_THROW(jobs::kde_tool::parse_extent("0,1,0,inf"), UsageError);
}

struct KdeToolFixture : ::testing::Test {
  test::TempDir dir;
  Logger log{Verbosity::kQuiet};
  FixedClock clock{*parse_rfc3339("2026-11-20T07:00:00Z")};
  Context ctx{log, clock};
};

TEST_F(KdeToolFixture, WritesGridFileAndManifest) {
  test::spit(dir / "pts.csv", "x,y\n0,0\n10,5\n-5,8\n3,-7\n");
  jobs::kde_tool::Options o;
  o.in = dir / "pts.csv";
  o.grid.nx = 20;
  o.grid.ny = 10;
  o.grid.extent = {-20, 20, -10, 10};
  o.kde.method = kde::Method::kExact;
  o.to = dir / "out/grid.csv";
  ctx.json = true;
  Manifest m = jobs::kde_tool::run(ctx, o);
  std::string csv = test::slurp(dir / "out/grid.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 11);
  EXPECT_EQ(m.json()["points"], 4);
  EXPECT_EQ(m.json()["grid"], nlohmann::json({20, 10}));
  EXPECT_EQ(m.json()["flags"], nlohmann::json::array());
  EXPECT_NEAR(m.json()["factor"].get<double>(), std::pow(4.0, -1.0 / 6.0), 1e-15);
}

TEST_F(KdeToolFixture, MissingInputAndJsonToStdoutFail) {
  jobs::kde_tool::Options o;
  o.in = dir / "nope.csv";
  o.to = dir / "g.csv";
  EXPECT_THROW(jobs::kde_tool::run(ctx, o), InputError);
  test::spit(dir / "pts.csv", "0,0\n1,1\n");
  jobs::kde_tool::Options j;
  j.in = dir / "pts.csv";
  j.to = "-";
  ctx.json = true;
  EXPECT_THROW(jobs::kde_tool::run(ctx, j), UsageError);
}

}  // namespace
}  // namespace lamtool
