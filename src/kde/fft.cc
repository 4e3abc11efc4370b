// FFT evaluation: linear binning of the weighted points onto a grid of nodes, then a
// circular convolution (via FFT) with the kernel density at node offsets, whose
// transform is known in closed form (kernel_spectrum).
//
// FFT library: Eigen's unsupported FFT module with its default kissfft backend. It is
// header-only and ships in libeigen3-dev (MPL2), which we already depend on; Debian 12
// has no libpocketfft-dev package, and FFTW is GPL. kissfft is slower than FFTW, but
// the transforms here are a few hundred nodes a side and take a few milliseconds.
//
// The binning grid is the output grid, refined by an integer factor per axis when the
// kernel is narrow (linear binning's error grows like (spacing / sigma)^2), and
// extended on each side by the kernel's reach (kKernelReachSigmas marginal standard
// deviations). A point outside the extent therefore still reaches every node within
// that distance: it is binned onto the extended grid like any other point. A point
// beyond the extended grid is at least kKernelReachSigmas Mahalanobis units from every
// output node (the marginal distance bounds the Mahalanobis one), so dropping it
// changes the density by less than exp(-12.5) (4e-6) of its kernel's peak.
// The FFT size per axis is at least the extended length, so that wrapped-around
// contributions come from at least the kernel's reach away, rounded up to a
// 2-3-5-smooth number (even along x, for the real-input transform).

#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <unsupported/Eigen/FFT>
#include <vector>

#include "direct.h"
#include "lamtool/kde.h"

namespace lamtool::kde {

namespace {

// Linear binning moves each point's weight by up to half a cell per axis; the error
// at a node is at most t(1-t) h^2 / 2 |d2K/dx2| <= (h / sigma)^2 / 8 of a kernel's peak
// per axis (h the binning spacing, sigma the conditional standard deviation). With
// sigma >= 6 h that is under 0.35% per axis, 0.7% in all, for one isolated point; many
// points average out further.
constexpr double kMinSigmaCells = 6.0;
// Refinement beyond this many binning cells per output cell (x times y) means a kernel
// narrower than the grid: each point then touches few nodes, and summing its kernel
// directly over them (to kKernelReachSigmas) is both cheaper and exact to truncation.
constexpr double kMaxRefineArea = 64;
// A kernel much wider than the grid would need a huge binning grid for its reach; the
// direct sum (bounded by n x nodes) takes over beyond this many binning nodes.
constexpr double kMaxBinningNodes = 1 << 24;
// evaluate_binned's own cap per axis.
constexpr int kMaxRefine = 32;

using Complex = std::complex<double>;

bool smooth235(int n) {
  for (int f : {2, 3, 5})
    while (n % f == 0) n /= f;
  return n == 1;
}

int fft_size(int n, bool even) {
  int m = std::max(n, 2);
  while (!smooth235(m) || (even && m % 2 != 0)) ++m;
  return m;
}

// One axis of the binning grid.
struct Axis {
  int refine = 1;  // binning cells per output cell
  int reach = 0;   // kernel half-width in binning cells
  int nodes = 0;   // binning nodes: output span refined, plus reach on each side
  int fft = 0;     // transform length
  double h = 0;    // binning spacing
  double origin = 0;

  // Output node o sits at binning node reach + o * refine.
  int index(int o) const { return reach + o * refine; }
};

int refinement(double spacing, double cond_sigma) {
  double want = std::ceil(kMinSigmaCells * spacing / cond_sigma);
  return static_cast<int>(std::clamp(want, 1.0, 1e6));
}

Axis make_axis(double lo, double spacing, int n, int refine, double sigma, bool even) {
  Axis a;
  a.refine = refine;
  a.h = spacing / a.refine;
  a.reach = static_cast<int>(std::ceil(kKernelReachSigmas * sigma / a.h));
  a.nodes = (n - 1) * a.refine + 1 + 2 * a.reach;
  a.fft = fft_size(a.nodes, even);
  a.origin = lo - a.reach * a.h;
  return a;
}

// The binning node at or below coordinate v and v's fractional offset from it.
struct Split {
  int i0;
  double t;
};

Split split(double v, const Axis& a) {
  double f = (v - a.origin) / a.h;
  double fl = std::floor(f);
  return {static_cast<int>(std::clamp(fl, -2.0, static_cast<double>(a.nodes) + 1.0)), f - fl};
}

// Row-major fy x fx array of binned weights (zero-padded).
std::vector<double> bin_points(const Points& pts, const Eigen::VectorXd& w, const Axis& ax,
                               const Axis& ay) {
  std::vector<double> bins(static_cast<size_t>(ax.fft) * static_cast<size_t>(ay.fft), 0.0);
  const auto stride = static_cast<size_t>(ax.fft);
  auto add = [&](int i, int j, double v) {
    if (i >= 0 && i < ax.nodes && j >= 0 && j < ay.nodes)
      bins[static_cast<size_t>(j) * stride + static_cast<size_t>(i)] += v;
  };
  for (Eigen::Index p = 0; p < pts.size(); ++p) {
    auto [i, tx] = split(pts.x[p], ax);
    auto [j, ty] = split(pts.y[p], ay);
    double wp = w[p];
    if (i >= 0 && i + 1 < ax.nodes && j >= 0 && j + 1 < ay.nodes) {  // the common case
      double* b0 = bins.data() + static_cast<size_t>(j) * stride + static_cast<size_t>(i);
      double* b1 = b0 + stride;
      double wy0 = wp * (1 - ty), wy1 = wp * ty;
      b0[0] += wy0 * (1 - tx);
      b0[1] += wy0 * tx;
      b1[0] += wy1 * (1 - tx);
      b1[1] += wy1 * tx;
      continue;
    }
    add(i, j, wp * (1 - tx) * (1 - ty));
    add(i + 1, j, wp * tx * (1 - ty));
    add(i, j + 1, wp * (1 - tx) * ty);
    add(i + 1, j + 1, wp * tx * ty);
  }
  return bins;
}

// The kernel's transform, in the spectrum's layout (fy x (fx/2 + 1), column-major),
// computed analytically instead of by transforming samples. The DFT of the Gaussian
// density sampled at every node offset (a h_x, b h_y), summed over all integers a, b,
// is by Poisson summation (1 / (h_x h_y)) sum_m G(w - m / h), with G(w) =
// exp(-2 pi^2 w^T cov w) the density's Fourier transform and w the frequency of bin
// (k, j). The aliased terms (m != 0) are below exp(-pi^2 sigma^2 / (2 h^2)), nothing
// once sigma >= 6 h. Summing over all offsets makes the kernel periodic: the images of
// a point lie at least `reach` nodes (kKernelReachSigmas marginal sigmas) beyond any
// output node, so they add less than exp(-12.5) of a kernel's peak, as truncation would.
Eigen::ArrayXXd kernel_spectrum(const Eigen::Matrix2d& cov, const Axis& ax, const Axis& ay) {
  const int half = ax.fft / 2 + 1;
  Eigen::ArrayXd wy(ay.fft);
  for (int j = 0; j < ay.fft; ++j) wy[j] = (j <= ay.fft / 2 ? j : j - ay.fft) / (ay.fft * ay.h);
  const double c = 2.0 * std::numbers::pi * std::numbers::pi;
  Eigen::ArrayXXd spec(ay.fft, half);
  for (int k = 0; k < half; ++k) {
    double wx = k / (ax.fft * ax.h);
    spec.col(k) =
        (-c * (cov(0, 0) * wx * wx + 2.0 * cov(0, 1) * wx * wy + cov(1, 1) * wy.square())).exp();
  }
  return spec / (ax.h * ay.h);
}

// 2-D transforms of a row-major fy x fx real array; the spectrum is column-major
// fy x (fx/2 + 1), so that each column transform runs over contiguous memory.
class Fft2 {
 public:
  Fft2(int fx, int fy) : fx_(fx), fy_(fy), half_(fx / 2 + 1) {
    fft_.SetFlag(Eigen::FFT<double>::HalfSpectrum);
  }

  // Rows that are all zero transform to zero and are skipped. Rows go through in
  // blocks of kBlock so that the transposed writes fill whole cache lines.
  Eigen::MatrixXcd forward(const std::vector<double>& a) {
    constexpr int kBlock = 4;
    Eigen::MatrixXcd s = Eigen::MatrixXcd::Zero(fy_, half_);
    Eigen::Matrix<Complex, kBlock, Eigen::Dynamic> block(kBlock, half_);
    for (int j0 = 0; j0 < fy_; j0 += kBlock) {
      int rows = std::min(kBlock, fy_ - j0);
      bool any = false;
      for (int r = 0; r < rows; ++r) {
        const double* src = a.data() + static_cast<size_t>(j0 + r) * static_cast<size_t>(fx_);
        if (std::all_of(src, src + fx_, [](double v) { return v == 0.0; })) {
          block.row(r).setZero();
          continue;
        }
        any = true;
        fft_.fwd(row_.data(), src, fx_);
        for (int k = 0; k < half_; ++k) block(r, k) = row_[static_cast<size_t>(k)];
      }
      if (any) s.middleRows(j0, rows) = block.topRows(rows);
    }
    transform_columns(s, false);
    return s;
  }

  // Inverse transform; returns only the rows listed, each of fx real values.
  std::vector<std::vector<double>> inverse(Eigen::MatrixXcd& s, const std::vector<int>& rows) {
    transform_columns(s, true);
    std::vector<std::vector<double>> out;
    std::vector<Complex> row(static_cast<size_t>(half_));
    for (int j : rows) {
      for (int k = 0; k < half_; ++k) row[static_cast<size_t>(k)] = s(j, k);
      out.emplace_back(static_cast<size_t>(fx_));
      fft_.inv(out.back().data(), row.data(), fx_);
    }
    return out;
  }

 private:
  void transform_columns(Eigen::MatrixXcd& s, bool inverse) {
    std::vector<Complex> tmp(static_cast<size_t>(fy_));
    for (int k = 0; k < half_; ++k) {
      Complex* col = s.col(k).data();
      if (inverse)
        fft_.inv(tmp.data(), col, fy_);
      else
        fft_.fwd(tmp.data(), col, fy_);
      std::copy(tmp.begin(), tmp.end(), col);
    }
  }

  int fx_, fy_, half_;
  Eigen::FFT<double> fft_;
  std::vector<Complex> row_ = std::vector<Complex>(static_cast<size_t>(half_));
};

}  // namespace

Eigen::MatrixXd evaluate_binned(const Points& pts, const Eigen::VectorXd& w,
                                const Eigen::Matrix2d& cov, const GridSpec& grid) {
  // 1. Binning axes: conditional sigmas (1 / sqrt of the precision's diagonal) set the
  //    refinement, marginal sigmas the reach.
  Eigen::Matrix2d prec = cov.inverse();
  int rx = std::min(refinement(grid.dx(), 1.0 / std::sqrt(prec(0, 0))), kMaxRefine);
  int ry = std::min(refinement(grid.dy(), 1.0 / std::sqrt(prec(1, 1))), kMaxRefine);
  Axis ax = make_axis(grid.extent.x0, grid.dx(), grid.nx, rx, std::sqrt(cov(0, 0)), true);
  Axis ay = make_axis(grid.extent.y0, grid.dy(), grid.ny, ry, std::sqrt(cov(1, 1)), false);

  // 2. Bin, convolve with the kernel.
  Fft2 fft(ax.fft, ay.fft);
  Eigen::MatrixXcd spec = fft.forward(bin_points(pts, w, ax, ay));
  spec.array() *= kernel_spectrum(cov, ax, ay).cast<Complex>();
  std::vector<int> rows(static_cast<size_t>(grid.ny));
  for (int j = 0; j < grid.ny; ++j) rows[static_cast<size_t>(j)] = ay.index(j);
  std::vector<std::vector<double>> conv = fft.inverse(spec, rows);

  // 3. Pick the output nodes; round-off can leave tiny negatives where the density is ~0.
  Eigen::MatrixXd out(grid.ny, grid.nx);
  for (int j = 0; j < grid.ny; ++j)
    for (int i = 0; i < grid.nx; ++i)
      out(j, i) = std::max(0.0, conv[static_cast<size_t>(j)][static_cast<size_t>(ax.index(i))]);
  return out;
}

Eigen::MatrixXd evaluate_fft(const Points& pts, const Eigen::VectorXd& w,
                             const Eigen::Matrix2d& cov, const GridSpec& grid, unsigned* flags) {
  // Binning needs refinement rx x ry; summing touches ~`touched` nodes per point.
  Eigen::Matrix2d prec = cov.inverse();
  double rx = refinement(grid.dx(), 1.0 / std::sqrt(prec(0, 0)));
  double ry = refinement(grid.dy(), 1.0 / std::sqrt(prec(1, 1)));
  const double r = kKernelReachSigmas;
  double reach_x = r * std::sqrt(cov(0, 0)) / grid.dx();  // in grid cells
  double reach_y = r * std::sqrt(cov(1, 1)) / grid.dy();
  double touched =
      std::min(std::numbers::pi * r * r * std::sqrt(cov.determinant()) / (grid.dx() * grid.dy()) +
                   2 * reach_x + 2 * reach_y + 1,
               static_cast<double>(grid.nx) * grid.ny);
  double f = (grid.nx * rx + 2 * reach_x * rx) * (grid.ny * ry + 2 * reach_y * ry);
  double n = static_cast<double>(pts.size());
  // Rough costs in nanoseconds on one core, measured with tests/bench/kde_bench.cc:
  // ~2 per binning node and log2 level for the transforms, ~20 per binned point
  // (scattered writes); ~80 per grid row a point touches (three exp() calls) and ~1.5
  // per directly summed term (exact.cc's recurrence).
  // The low-rank product: ~5 per exp() of n (nx + ny) factors, ~0.2 per multiply-add
  // of n nx ny.
  double rows = std::min(2 * reach_y + 1, static_cast<double>(grid.ny));
  double fft_cost = 2.0 * f * std::log2(f) + 20.0 * n;
  double direct_cost = n * (80.0 * rows + 1.5 * touched);
  double nodes = static_cast<double>(grid.nx) * grid.ny;
  double low_rank_cost = n * (5.0 * (grid.nx + grid.ny) + 0.2 * nodes);
  bool binning_too_big = rx * ry > kMaxRefineArea || f > kMaxBinningNodes;
  if (low_rank_cost < direct_cost && (binning_too_big || low_rank_cost < fft_cost)) {
    if (auto sum = detail::sum_low_rank(pts, w, cov, grid)) {
      if (flags) *flags |= kDirectSum;
      return *std::move(sum);
    }
  }
  if (binning_too_big || direct_cost < fft_cost) {
    if (flags) *flags |= kDirectSum;
    return detail::sum_kernels(pts, w, cov, grid, 0.5 * r * r);
  }
  return evaluate_binned(pts, w, cov, grid);
}

}  // namespace lamtool::kde
