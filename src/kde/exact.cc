// Exact evaluation, the way scipy's gaussian_kernel_estimate does it: whiten with the
// Cholesky factor L of the kernel covariance (cov = L L^T), so that each term is
// exp(-|L^-1 (node - p)|^2 / 2), and multiply the sum by 1 / (2 pi L00 L11).
//
// L^-1 is lower triangular [[a, 0], [b, c]], so along a grid row (fixed y) the
// exponent is a quadratic in x. Each point touches, per row, only the run of nodes
// where the exponent is below kUnderflowArg: beyond it exp() is exactly 0 in double
// precision, so skipping those nodes changes no bit of the result.
//
// Along the run the terms follow a recurrence instead of one exp() each: with the
// exponent g(u) = k u^2 + b cy u + cy^2 / 2 (k = (a^2 + b^2) / 2, u = x - px) and the
// node spacing h, e(u + h) = e(u) r(u) and r(u + h) = r(u) q, where
// r(u) = exp(-(g(u + h) - g(u))) and q = exp(-2 k h^2): two multiplications per node.
// The walk starts at the node nearest the exponent's minimum (one exp() there) and goes
// outwards both ways, so every factor is at most about 1 and the rounding error grows
// by a few ulp per step: under 1e-12 relative over a row of a few hundred nodes, far
// inside the 1e-9 we promise against scipy (kde_test checks it on scipy's numbers).
//
// The fft evaluator reuses this summation with a much lower cut-off for kernels too
// narrow to bin (see fft.cc).

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <numbers>

#include "direct.h"
#include "lamtool/kde.h"

namespace lamtool::kde {

namespace {

// exp(-x) is exactly 0.0 (not even subnormal) for x > ~745.13.
constexpr double kUnderflowArg = 746.0;

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct Whitening {
  double a, b, c;  // L^-1 = [[a, 0], [b, c]]
  double norm;     // 1 / (2 pi det L)
};

Whitening whitening(const Eigen::Matrix2d& cov) {
  Eigen::LLT<Eigen::Matrix2d> llt(cov);
  Eigen::Matrix2d l = llt.matrixL();
  double l00 = l(0, 0), l10 = l(1, 0), l11 = l(1, 1);
  return {.a = 1.0 / l00,
          .b = -l10 / (l00 * l11),
          .c = 1.0 / l11,
          .norm = 1.0 / (2.0 * std::numbers::pi * l00 * l11)};
}

// The columns [lo, hi) of a row where 0.5 * ((a u)^2 + (b u + cy)^2) <= max_arg,
// u = x_i - px, x_i = x0 + i dx. Empty (lo >= hi) when there are none.
std::pair<int, int> live_columns(const Whitening& wh, double cy, double px, const GridSpec& grid,
                                 double max_arg) {
  double qa = 0.5 * (wh.a * wh.a + wh.b * wh.b);
  double qb = wh.b * cy;
  double qc = 0.5 * cy * cy - max_arg;
  double disc = qb * qb - 4.0 * qa * qc;
  if (disc < 0) return {0, 0};
  double root = std::sqrt(disc);
  double u_lo = (-qb - root) / (2.0 * qa);
  double u_hi = (-qb + root) / (2.0 * qa);
  double x0 = grid.extent.x0, dx = grid.dx();
  double i_lo = std::floor((px + u_lo - x0) / dx);  // one node of margin each side
  double i_hi = std::ceil((px + u_hi - x0) / dx) + 1;
  int lo = static_cast<int>(std::clamp(i_lo, 0.0, static_cast<double>(grid.nx)));
  int hi = static_cast<int>(std::clamp(i_hi, 0.0, static_cast<double>(grid.nx)));
  return {lo, hi};
}

// The rows [lo, hi) that can hold a term: over a row, the smallest exponent is
// dy^2 / (2 cov_yy), so rows with dy^2 > 2 max_arg cov_yy have none.
std::pair<int, int> live_rows(double py, double cov_yy, const GridSpec& grid, double max_arg) {
  double reach = std::sqrt(2.0 * max_arg * cov_yy);
  double j_lo = std::floor((py - reach - grid.extent.y0) / grid.dy());
  double j_hi = std::ceil((py + reach - grid.extent.y0) / grid.dy()) + 1;
  int lo = static_cast<int>(std::clamp(j_lo, 0.0, static_cast<double>(grid.ny)));
  int hi = static_cast<int>(std::clamp(j_hi, 0.0, static_cast<double>(grid.ny)));
  return {lo, hi};
}

// Adds wp * exp(-g(x_i - px)) to row[i] for i in [lo, hi), by the recurrence above.
void add_row_terms(double* row, int lo, int hi, const Whitening& wh, double cy, double px,
                   double wp, const GridSpec& grid) {
  const double h = grid.dx();
  const double k = 0.5 * (wh.a * wh.a + wh.b * wh.b);
  const double lin = wh.b * cy;
  auto g = [&](double u) { return k * u * u + lin * u + 0.5 * cy * cy; };
  // The vertex of g is at u = -lin / (2k); start at the nearest node in the run.
  double vertex = (px - lin / (2.0 * k) - grid.extent.x0) / h;
  int start = static_cast<int>(
      std::clamp(std::round(vertex), static_cast<double>(lo), static_cast<double>(hi - 1)));
  const double u0 = grid.x(start) - px;
  const double q = std::exp(-2.0 * k * h * h);
  const double e0 = wp * std::exp(-g(u0));
  row[start] += e0;
  double e = e0;
  double r = std::exp(-(k * (2.0 * u0 * h + h * h) + lin * h));  // g(u0 + h) - g(u0)
  for (int i = start + 1; i < hi && e > 0; ++i) {
    e *= r;
    r *= q;
    row[i] += e;
  }
  e = e0;
  r = std::exp(-(k * (h * h - 2.0 * u0 * h) - lin * h));  // g(u0 - h) - g(u0)
  for (int i = start - 1; i >= lo && e > 0; --i) {
    e *= r;
    r *= q;
    row[i] += e;
  }
}

}  // namespace

namespace detail {

Eigen::MatrixXd sum_kernels(const Points& pts, const Eigen::VectorXd& w, const Eigen::Matrix2d& cov,
                            const GridSpec& grid, double max_arg) {
  const Whitening wh = whitening(cov);
  RowMajor sum = RowMajor::Zero(grid.ny, grid.nx);
  for (Eigen::Index p = 0; p < pts.size(); ++p) {
    const double px = pts.x[p], py = pts.y[p], wp = w[p];
    if (wp == 0) continue;
    auto [row_lo, row_hi] = live_rows(py, cov(1, 1), grid, max_arg);
    for (int j = row_lo; j < row_hi; ++j) {
      const double cy = wh.c * (grid.y(j) - py);
      auto [lo, hi] = live_columns(wh, cy, px, grid, max_arg);
      if (lo < hi) add_row_terms(sum.row(j).data(), lo, hi, wh, cy, px, wp, grid);
    }
  }
  return Eigen::MatrixXd(sum * wh.norm);
}

}  // namespace detail

Eigen::MatrixXd evaluate_exact(const Points& pts, const Eigen::VectorXd& w,
                               const Eigen::Matrix2d& cov, const GridSpec& grid) {
  return detail::sum_kernels(pts, w, cov, grid, kUnderflowArg);
}

}  // namespace lamtool::kde
