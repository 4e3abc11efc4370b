#pragma once
// Direct summation of Gaussian kernels over grid nodes, shared by the exact evaluator
// and the fft evaluator's narrow-kernel path.

#include "lamtool/kde.h"

namespace lamtool::kde::detail {

/// sum_i w_i N(node; p_i, cov) over every node, skipping the terms whose exponent
/// (half the squared Mahalanobis distance) exceeds `max_arg`.
Eigen::MatrixXd sum_kernels(const Points& pts, const Eigen::VectorXd& w, const Eigen::Matrix2d& cov,
                            const GridSpec& grid, double max_arg);

}  // namespace lamtool::kde::detail
