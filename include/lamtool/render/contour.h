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

/// Signed area (shoelace): positive for counter-clockwise.
double signed_area(const Polygon& polygon);

}  // namespace lamtool::render
