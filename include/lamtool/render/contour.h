#pragma once
// Super-level regions of a gridded function by marching squares, for filled contour
// bands. Pure geometry: no drawing library here.

#include <Eigen/Core>
#include <vector>

namespace lamtool::render {

struct Point {
  double x = 0;
  double y = 0;
};

/// A closed polygon; the last point joins the first.
using Polygon = std::vector<Point>;

/// Maps grid indices to coordinates: column j -> x0 + j * dx, row i -> y0 + i * dy.
struct GridExtent {
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
};

/// The region where the grid, interpolated linearly along cell edges, is >= level
/// (marching squares; a saddle cell joins its two inside corners), as closed rings:
/// outer boundaries counter-clockwise, holes clockwise, so a non-zero (or even-odd) fill
/// of all rings is the region and the signed areas add up to its area. The region ends
/// at the grid's border. A grid with fewer than 2 rows or columns yields nothing.
std::vector<Polygon> superlevel_region(const Eigen::MatrixXd& grid, const GridExtent& extent,
                                       double level);

/// The same super-level regions for many levels of one grid: the constructor scans the
/// grid once (the lowest and highest value over each block of cells), so each level then
/// looks only into the blocks that straddle it or lie on the grid's border. Gives exactly
/// the rings superlevel_region gives. Keeps a reference to the grid, which must outlive it.
class ContourGrid {
 public:
  ContourGrid(const Eigen::MatrixXd& grid, const GridExtent& extent);
  /// The region where the grid is >= level, as superlevel_region describes it.
  std::vector<Polygon> superlevel_region(double level) const;

 private:
  struct Range {
    double min, max;
  };
  const Eigen::MatrixXd& grid_;
  GridExtent extent_;
  Eigen::Index cell_rows_ = 0, cell_cols_ = 0, blocks_ = 0;  // blocks per row of cells
  std::vector<double> values_;  // row-major copy of the grid, NaN as -inf
  std::vector<Range> block_;    // per row of cells and block of columns, row-major
};

/// Signed area (shoelace): positive for counter-clockwise.
double signed_area(const Polygon& polygon);

}  // namespace lamtool::render
