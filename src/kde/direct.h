#pragma once
// Direct summation of Gaussian kernels over grid nodes, shared by the exact evaluator
// and the fft evaluator's narrow-kernel path, and the low-rank product the fft
// evaluator uses for few points with wide kernels.

#include <optional>

#include "lamtool/kde.h"

namespace lamtool::kde::detail {

/// sum_i w_i N(node; p_i, cov) over every node, skipping the terms whose exponent
/// (half the squared Mahalanobis distance) exceeds `max_arg`.
Eigen::MatrixXd sum_kernels(const Points& pts, const Eigen::VectorXd& w, const Eigen::Matrix2d& cov,
                            const GridSpec& grid, double max_arg);

/// sum_i w_i N(node; p_i, cov) over every node, untruncated, as one matrix product
/// (low_rank.cc); as exact as sum_kernels uncut. nullopt when the kernel is too narrow
/// against the grid for its factors to stay finite: then use sum_kernels.
std::optional<Eigen::MatrixXd> sum_low_rank(const Points& pts, const Eigen::VectorXd& w,
                                            const Eigen::Matrix2d& cov, const GridSpec& grid);

}  // namespace lamtool::kde::detail
