#pragma once
// Two-dimensional Gaussian kernel density estimation with scipy's `gaussian_kde`
// semantics (DESIGN.md section 2, "KDE"), evaluated on a regular grid either exactly
// (O(n x grid)) or by linear binning and FFT convolution (O(n + G log G)).
//
// Semantics, as scipy 1.10 `gaussian_kde`:
// - weights are normalised to sum 1; unweighted points weigh 1/n each;
// - data covariance = np.cov(aweights=w, bias=False), i.e.
//   sum w (p - mean)(p - mean)^T / (1 - sum w^2), which is ddof 1 when unweighted;
// - neff = 1 / sum w^2 (= n unweighted); Scott's factor = neff^(-1/6) in 2-D;
// - kernel covariance = data covariance x factor^2;
// - density(x) = sum_i w_i N(x; p_i, kernel covariance), which integrates to 1.
//
// Where scipy raises (fewer than 2 points, singular covariance) we do not: the kernel
// falls back to an isotropic Gaussian of standard deviation
// kFallbackSigmaFraction x min(extent width, extent height) (the factor does not apply
// to it), and the result's flags say so. No points gives a zero grid, flagged.

#include <Eigen/Core>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lamtool::kde {

/// The fallback kernel's standard deviation as a share of the extent's smaller side
/// (2.125 ft on the NHL rink).
inline constexpr double kFallbackSigmaFraction = 1.0 / 40.0;
/// A covariance whose eigenvalue ratio (smallest / largest) is below this is singular.
inline constexpr double kSingularRatio = 1e-12;
/// The fft evaluator's reach in kernel standard deviations: its binning grid extends
/// this many marginal sigmas beyond the extent (a point outside the extent still
/// contributes to the nodes within reach), and its direct-sum path sums each kernel
/// out to this Mahalanobis distance.
inline constexpr double kKernelReachSigmas = 5.0;

/// The rectangle the grid spans; nodes sit on its edges (np.linspace semantics).
struct Extent {
  double x0 = -100.0;
  double x1 = 100.0;
  double y0 = -42.5;
  double y1 = 42.5;
};

/// A regular grid: nx nodes from x0 to x1 inclusive, ny from y0 to y1 inclusive.
/// Default: the NHL rink (200 x 85 ft) at about half-foot spacing.
/// The most grid nodes lamtool evaluates (each side may be longer, the product not): the
/// densities, the FFT's padded planes and the CSV of a grid this size stay within a few
/// hundred megabytes, and a larger grid is refused before anything is allocated.
inline constexpr long long kMaxGridNodes = 4'000'000;

struct GridSpec {
  Extent extent;
  int nx = 400;
  int ny = 170;

  double x(int i) const;  ///< coordinate of column i
  double y(int j) const;  ///< coordinate of row j
  double dx() const { return (extent.x1 - extent.x0) / (nx - 1); }
  double dy() const { return (extent.y1 - extent.y0) / (ny - 1); }
  /// UsageError unless nx, ny >= 2, nx * ny <= kMaxGridNodes and the extent is finite
  /// with x0 < x1, y0 < y1.
  void validate() const;
};

/// The sample. `w` is empty (unweighted) or holds one non-negative weight per point.
struct Points {
  Eigen::VectorXd x;
  Eigen::VectorXd y;
  Eigen::VectorXd w;

  Eigen::Index size() const { return x.size(); }
  bool weighted() const { return w.size() > 0; }
};

enum class Method { kFft, kExact };

/// "fft" or "exact"; UsageError otherwise.
Method parse_method(std::string_view text);
std::string_view method_name(Method m);

struct Options {
  /// The bandwidth factor (scipy's bw_method as a scalar); Scott's rule when absent.
  std::optional<double> bw;
  Method method = Method::kFft;
};

/// Result flags (a bit set), for the manifest.
enum Flag : unsigned {
  kNoPoints = 1U << 0,            ///< empty sample (or every weight zero): zero grid
  kTooFewPoints = 1U << 1,        ///< one point: no covariance, fallback kernel
  kSingularCovariance = 1U << 2,  ///< collinear or coincident points: fallback kernel
  kFallbackKernel = 1U << 3,      ///< the isotropic fallback kernel was used
  kDirectSum = 1U << 4,           ///< fft: few points or a narrow kernel, summed directly
};

/// What the estimate used and produced.
struct Bandwidth {
  Eigen::Matrix2d data_covariance = Eigen::Matrix2d::Zero();  ///< zero when unknown
  Eigen::Matrix2d covariance = Eigen::Matrix2d::Zero();       ///< the kernel's
  double factor = 0.0;  ///< the factor applied (Scott's or --bw); 0 with no points
  double neff = 0.0;    ///< effective number of points, 1 / sum w^2
  unsigned flags = 0;
};

struct Result {
  /// Density at the grid nodes: rows = y (row 0 at y0), cols = x (col 0 at x0).
  Eigen::MatrixXd density;
  Bandwidth bandwidth;
  GridSpec grid;
  Method method = Method::kFft;
  Eigen::Index points = 0;

  unsigned flags() const { return bandwidth.flags; }
  /// The set flags by name ("no_points", "too_few_points", "singular_covariance",
  /// "fallback_kernel", "direct_sum"); empty when all is well.
  std::vector<std::string> flag_names() const;
};

/// DataError naming the point (1-based) when a coordinate or weight is not finite or
/// a weight is negative, or when the weights do not match the points.
void validate(const Points& pts);

/// Normalised weights (sum 1): w / sum w, or 1/n each when unweighted. DataError when
/// weights are given and sum to zero with at least one point.
Eigen::VectorXd normalised_weights(const Points& pts);

/// scipy's covariance, factor and neff, or the documented fallback.
Bandwidth compute_bandwidth(const Points& pts, const Options& opts, const Extent& extent);

/// Exact evaluation: sum_i w_i N(node; p_i, cov) at every node. `w` are normalised
/// weights; `cov` must be positive definite.
Eigen::MatrixXd evaluate_exact(const Points& pts, const Eigen::VectorXd& w,
                               const Eigen::Matrix2d& cov, const GridSpec& grid);

/// FFT evaluation: linear binning and convolution with the kernel by FFT (error below
/// 1% of the peak); same arguments as evaluate_exact. The binning grid is refined
/// so that the kernel spans at least 6 binning cells per axis. When that would take
/// more than 64 binning cells per grid cell, or when few points make it cheaper, the
/// kernels are instead summed directly, and kDirectSum is set in `*flags`: whole, as
/// one matrix product, when they are wide enough against the grid (exact like
/// evaluate_exact), otherwise each over the nodes within kKernelReachSigmas
/// (Mahalanobis) of its point.
Eigen::MatrixXd evaluate_fft(const Points& pts, const Eigen::VectorXd& w,
                             const Eigen::Matrix2d& cov, const GridSpec& grid,
                             unsigned* flags = nullptr);

/// evaluate_fft's binning-and-FFT path alone, never the direct sum (refinement capped
/// at 32 per axis); for tests and benchmarks. Its memory grows with the kernel's reach
/// (a kernel much wider than the grid needs a large binning grid).
Eigen::MatrixXd evaluate_binned(const Points& pts, const Eigen::VectorXd& w,
                                const Eigen::Matrix2d& cov, const GridSpec& grid);

/// The whole estimate: validate, bandwidth, evaluate by opts.method.
Result estimate(const Points& pts, const GridSpec& grid, const Options& opts);

/// Parses CSV text with columns x,y[,w] and an optional header line (a first line
/// whose first field is not a number). With `weights` the third column is required and
/// used; without, a third column is ignored. DataError naming `source` and the line
/// for a malformed or non-finite field or a negative weight.
Points parse_points_csv(std::string_view text, const std::string& source, bool weights);

/// The grid as CSV: first row "",x0,...; then one row per y: y,d(y,x0),...
/// Numbers in shortest round-trip form.
std::string format_grid_csv(const Result& r);

}  // namespace lamtool::kde
