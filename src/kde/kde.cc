// The estimate's bookkeeping: grid, validation, weights, scipy's bandwidth and the
// fallback kernel, and the dispatch to an evaluator.

#include "lamtool/kde.h"

#include <fmt/format.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>

#include "lamtool/error.h"

namespace lamtool::kde {

double GridSpec::x(int i) const {
  // np.linspace puts the last node exactly on the end point.
  return i == nx - 1 ? extent.x1 : extent.x0 + i * dx();
}

double GridSpec::y(int j) const { return j == ny - 1 ? extent.y1 : extent.y0 + j * dy(); }

void GridSpec::validate() const {
  if (nx < 2 || ny < 2)
    throw UsageError(fmt::format("grid {}x{}: needs at least 2 nodes each way", nx, ny));
  if (static_cast<long long>(nx) * ny > kMaxGridNodes)
    throw UsageError(fmt::format("grid {}x{}: more than {} nodes in all", nx, ny, kMaxGridNodes));
  const Extent& e = extent;
  bool finite = std::isfinite(e.x1 - e.x0) && std::isfinite(e.y1 - e.y0);
  if (!finite || !(e.x0 < e.x1) || !(e.y0 < e.y1))
    throw UsageError(fmt::format("extent {},{},{},{}: needs finite x0 < x1 and y0 < y1", e.x0, e.x1,
                                 e.y0, e.y1));
}

Method parse_method(std::string_view text) {
  if (text == "fft") return Method::kFft;
  if (text == "exact") return Method::kExact;
  throw UsageError(fmt::format("method '{}': expected fft or exact", text));
}

std::string_view method_name(Method m) { return m == Method::kFft ? "fft" : "exact"; }

std::vector<std::string> Result::flag_names() const {
  static constexpr std::pair<Flag, const char*> kNames[] = {
      {kNoPoints, "no_points"},
      {kTooFewPoints, "too_few_points"},
      {kSingularCovariance, "singular_covariance"},
      {kFallbackKernel, "fallback_kernel"},
      {kDirectSum, "direct_sum"},
  };
  std::vector<std::string> out;
  for (const auto& [flag, name] : kNames)
    if (flags() & flag) out.emplace_back(name);
  return out;
}

void validate(const Points& pts) {
  if (pts.y.size() != pts.x.size() || (pts.weighted() && pts.w.size() != pts.x.size()))
    throw DataError(fmt::format("points: {} x, {} y and {} weights do not match", pts.x.size(),
                                pts.y.size(), pts.w.size()));
  for (Eigen::Index i = 0; i < pts.size(); ++i) {
    if (!std::isfinite(pts.x[i]) || !std::isfinite(pts.y[i]))
      throw DataError(
          fmt::format("point {}: coordinates ({}, {}) are not finite", i + 1, pts.x[i], pts.y[i]));
    if (pts.weighted() && !(std::isfinite(pts.w[i]) && pts.w[i] >= 0))
      throw DataError(
          fmt::format("point {}: weight {} is not a finite non-negative number", i + 1, pts.w[i]));
  }
}

Eigen::VectorXd normalised_weights(const Points& pts) {
  const Eigen::Index n = pts.size();
  if (!pts.weighted()) return Eigen::VectorXd::Constant(n, 1.0 / static_cast<double>(n));
  double sum = pts.w.sum();
  if (n > 0 && !(sum > 0)) throw DataError("points: the weights sum to zero");
  return pts.w / sum;
}

namespace {

// np.cov(aweights=w, bias=False) with w summing to 1: the weighted scatter divided by
// 1 - sum w^2 (scipy's formula). NaN-free only when sum w^2 < 1.
Eigen::Matrix2d weighted_covariance(const Points& pts, const Eigen::VectorXd& w) {
  const Eigen::VectorXd& x = pts.x;
  const Eigen::VectorXd& y = pts.y;
  double mx = w.dot(x);
  double my = w.dot(y);
  double sxx = 0, sxy = 0, syy = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    double dx = x[i] - mx, dy = y[i] - my;
    sxx += w[i] * dx * dx;
    sxy += w[i] * dx * dy;
    syy += w[i] * dy * dy;
  }
  double norm = 1.0 - w.squaredNorm();
  Eigen::Matrix2d c;
  c << sxx / norm, sxy / norm, sxy / norm, syy / norm;
  return c;
}

bool is_singular(const Eigen::Matrix2d& c) {
  if (!c.allFinite()) return true;
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> es(c, Eigen::EigenvaluesOnly);
  double lo = es.eigenvalues()[0];
  double hi = es.eigenvalues()[1];
  return !(hi > 0) || !(lo > kSingularRatio * hi);
}

Eigen::Matrix2d fallback_covariance(const Extent& e) {
  double sigma = kFallbackSigmaFraction * std::min(e.x1 - e.x0, e.y1 - e.y0);
  return Eigen::Matrix2d::Identity() * sigma * sigma;
}

// compute_bandwidth with the normalised weights at hand.
Bandwidth bandwidth(const Points& pts, const Eigen::VectorXd& w, const Options& opts,
                    const Extent& extent) {
  Bandwidth b;
  if (opts.bw && !(std::isfinite(*opts.bw) && *opts.bw > 0))
    throw UsageError(fmt::format("bandwidth factor {}: must be a positive number", *opts.bw));
  if (pts.size() == 0) {
    b.flags = kNoPoints;
    return b;
  }
  b.neff = 1.0 / w.squaredNorm();
  b.factor = opts.bw ? *opts.bw : std::pow(b.neff, -1.0 / 6.0);  // Scott, d = 2
  if (pts.size() < 2) {
    b.flags = kTooFewPoints | kFallbackKernel;
  } else {
    b.data_covariance = weighted_covariance(pts, w);
    if (is_singular(b.data_covariance)) b.flags = kSingularCovariance | kFallbackKernel;
  }
  if (b.flags & kFallbackKernel) {
    if (!b.data_covariance.allFinite()) b.data_covariance.setZero();
    b.covariance = fallback_covariance(extent);
  } else {
    b.covariance = b.data_covariance * b.factor * b.factor;
    if (is_singular(b.covariance))  // only an extreme --bw over- or underflows it
      throw UsageError(
          fmt::format("bandwidth factor {}: the kernel covariance is not usable", b.factor));
  }
  return b;
}

}  // namespace

Bandwidth compute_bandwidth(const Points& pts, const Options& opts, const Extent& extent) {
  return bandwidth(pts, normalised_weights(pts), opts, extent);
}

Result estimate(const Points& pts, const GridSpec& grid, const Options& opts) {
  grid.validate();
  validate(pts);
  Result r;
  r.grid = grid;
  r.method = opts.method;
  r.points = pts.size();
  Eigen::VectorXd w = normalised_weights(pts);
  r.bandwidth = bandwidth(pts, w, opts, grid.extent);
  if (r.flags() & kNoPoints) {
    r.density = Eigen::MatrixXd::Zero(grid.ny, grid.nx);
    return r;
  }
  r.density = opts.method == Method::kExact
                  ? evaluate_exact(pts, w, r.bandwidth.covariance, grid)
                  : evaluate_fft(pts, w, r.bandwidth.covariance, grid, &r.bandwidth.flags);
  return r;
}

}  // namespace lamtool::kde
