// Every kernel over every node as one matrix product. With u = x - px, v = y - py and the
// whitening of exact.cc (L^-1 = [[a, 0], [b, c]]), a term is exp(-g) with
// g = k u^2 + m u v + s v^2, k = (a^2 + b^2) / 2, m = b c, s = c^2 / 2. Expanding
// u v = x y - x py - px y + px py splits it into three factors:
//
//   exp(-g) = E(x, y) A_p(x) B_p(y),  E = exp(-m x y),
//   A_p(x) = exp(-k u^2 + m py u),     B_p(y) = exp(-s v^2 + m px y),
//
// E being the same for every point. So the density is E (elementwise) times B^T W A, a
// product of an ny x n and an n x nx matrix: n (nx + ny) exp() calls and a GEMM instead
// of one term per point and node. Coordinates are taken from the grid's centre so that
// the exponents stay small.
//
// The split is exact in real numbers; in doubles each factor is an exp() of an exponent
// rounded to a few ulp of its size, so a term's relative error is about
// (|eA| + |eB| + |eE|) x 1e-16. When those exponents may exceed kMaxExponent in all (a
// kernel narrow against the grid), a factor could overflow or underflow where the
// term does not; then the caller sums directly instead. Below the bound every term is
// kept (none is cut at a reach), with a relative error of 1e-13 near the peak and at
// most about 1e-11 in the far tails, and the sum of positive terms keeps it: inside the
// 1e-9 that exact.cc promises against scipy (kde_test checks the two agree).

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <numbers>

#include "direct.h"
#include "lamtool/kde.h"

namespace lamtool::kde::detail {

namespace {

// exp() is finite and normal for |z| < 708; the three factors' exponents must sum below.
constexpr double kMaxExponent = 600.0;

// Exponents of one factor, n rows (points) by `nodes` columns; returns max |exponent|.
template <typename Exponent>
double fill_exponents(Eigen::MatrixXd& out, Eigen::Index n, int nodes, Exponent exponent) {
  out.resize(n, nodes);
  double worst = 0;
  for (int i = 0; i < nodes; ++i)
    for (Eigen::Index p = 0; p < n; ++p) {
      double e = exponent(p, i);
      out(p, i) = e;
      worst = std::max(worst, std::abs(e));
    }
  return worst;
}

}  // namespace

std::optional<Eigen::MatrixXd> sum_low_rank(const Points& pts, const Eigen::VectorXd& w,
                                            const Eigen::Matrix2d& cov, const GridSpec& grid) {
  Eigen::LLT<Eigen::Matrix2d> llt(cov);
  Eigen::Matrix2d l = llt.matrixL();
  const double a = 1.0 / l(0, 0), b = -l(1, 0) / (l(0, 0) * l(1, 1)), c = 1.0 / l(1, 1);
  const double k = 0.5 * (a * a + b * b), m = b * c, s = 0.5 * c * c;
  const double norm = 1.0 / (2.0 * std::numbers::pi * l(0, 0) * l(1, 1));
  const Extent& e = grid.extent;
  const double xc = 0.5 * (e.x0 + e.x1), yc = 0.5 * (e.y0 + e.y1);
  const Eigen::Index n = pts.size();

  // 1. The exponents, and the bound that keeps every factor finite and normal. Their
  //    values at the grid's edges alone (4n of them) bound it from below, which turns
  //    down a kernel too narrow before the n (nx + ny) are filled.
  auto exp_a = [&](Eigen::Index p, int i) {
    double u = grid.x(i) - pts.x[p];
    return -k * u * u + m * (pts.y[p] - yc) * u;
  };
  auto exp_b = [&](Eigen::Index p, int j) {
    double v = grid.y(j) - pts.y[p];
    return -s * v * v + m * (pts.x[p] - xc) * (grid.y(j) - yc);
  };
  double worst_e = std::abs(m) * std::max(std::abs(e.x0 - xc), std::abs(e.x1 - xc)) *
                   std::max(std::abs(e.y0 - yc), std::abs(e.y1 - yc));
  double edge_a = 0, edge_b = 0;
  for (Eigen::Index p = 0; p < n; ++p) {
    edge_a = std::max({edge_a, std::abs(exp_a(p, 0)), std::abs(exp_a(p, grid.nx - 1))});
    edge_b = std::max({edge_b, std::abs(exp_b(p, 0)), std::abs(exp_b(p, grid.ny - 1))});
  }
  if (!(edge_a + edge_b + worst_e < kMaxExponent)) return std::nullopt;
  Eigen::MatrixXd ea, eb;
  double worst_a = fill_exponents(ea, n, grid.nx, exp_a);
  double worst_b = fill_exponents(eb, n, grid.ny, exp_b);
  if (!(worst_a + worst_b + worst_e < kMaxExponent)) return std::nullopt;

  // 2. sum_p w_p B_p(y) A_p(x) for every node, as one product.
  Eigen::MatrixXd bw_t = (eb.array().exp().colwise() * w.array()).transpose();
  Eigen::MatrixXd sum(grid.ny, grid.nx);
  sum.noalias() = bw_t * ea.array().exp().matrix();

  // 3. Times norm E(x, y). Down a column E is geometric in y (y_j = y0 + j dy):
  //    one exp() per column, then a multiplication per node.
  for (int i = 0; i < grid.nx; ++i) {
    const double mx = -m * (grid.x(i) - xc);
    const double step = std::exp(mx * grid.dy());
    double f = norm * std::exp(mx * (e.y0 - yc));
    for (int j = 0; j < grid.ny; ++j, f *= step) sum(j, i) *= f;
  }
  return sum;
}

}  // namespace lamtool::kde::detail
