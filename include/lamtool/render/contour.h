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

/// A closed polygon, counter-clockwise in (x, y) with +y up; the last point joins the first.
using Polygon = std::vector<Point>;

/// Maps grid indices to coordinates: column j -> x0 + j * dx, row i -> y0 + i * dy.
struct GridExtent {
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
};

/// The region where the grid, interpolated linearly along cell edges, is >= level, as a
/// set of non-overlapping counter-clockwise polygons whose union (non-zero fill) is the
/// region. Cells fully inside are merged into one rectangle per run along a row. A grid
/// with fewer than 2 rows or columns yields nothing.
std::vector<Polygon> superlevel_region(const Eigen::MatrixXd& grid, const GridExtent& extent,
                                       double level);

/// Signed area (shoelace): positive for counter-clockwise.
double signed_area(const Polygon& polygon);

}  // namespace lamtool::render
