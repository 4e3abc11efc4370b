#include "lamtool/render/contour.h"

#include <cmath>
#include <limits>

namespace lamtool::render {
namespace {

// Reads the grid with NaN treated as "below every level".
double value_at(const Eigen::MatrixXd& grid, Eigen::Index i, Eigen::Index j) {
  double v = grid(i, j);
  return std::isnan(v) ? -std::numeric_limits<double>::infinity() : v;
}

class CellWalker {
 public:
  CellWalker(const Eigen::MatrixXd& grid, const GridExtent& extent, double level)
      : grid_(grid), level_(level), x0_(extent.x0), y0_(extent.y0),
        dx_((extent.x1 - extent.x0) / static_cast<double>(grid.cols() - 1)),
        dy_((extent.y1 - extent.y0) / static_cast<double>(grid.rows() - 1)) {}

  bool inside(Eigen::Index i, Eigen::Index j) const { return value_at(grid_, i, j) >= level_; }
  Point corner(Eigen::Index i, Eigen::Index j) const {
    return {x0_ + static_cast<double>(j) * dx_, y0_ + static_cast<double>(i) * dy_};
  }

  // The level crossing on the edge between grid points a and b. The endpoints are put in
  // index order first so the two cells sharing an edge compute the same point bit for bit.
  Point crossing(Eigen::Index ia, Eigen::Index ja, Eigen::Index ib, Eigen::Index jb) const {
    if (ib < ia || (ib == ia && jb < ja)) return crossing(ib, jb, ia, ja);
    double va = value_at(grid_, ia, ja);
    double vb = value_at(grid_, ib, jb);
    Point pa = corner(ia, ja);
    Point pb = corner(ib, jb);
    double t = 0;
    if (std::isfinite(va) && std::isfinite(vb) && va != vb) {
      t = (level_ - va) / (vb - va);
    } else {
      t = inside(ia, ja) ? 0.0 : 1.0;  // a non-finite end: snap to the finite inside end
    }
    return {pa.x + t * (pb.x - pa.x), pa.y + t * (pb.y - pa.y)};
  }

  // The part of cell (i, j) at or above the level, walking its corners counter-clockwise.
  Polygon cell_polygon(Eigen::Index i, Eigen::Index j) const {
    const Eigen::Index ci[4] = {i, i, i + 1, i + 1};
    const Eigen::Index cj[4] = {j, j + 1, j + 1, j};
    Polygon poly;
    for (int k = 0; k < 4; ++k) {
      int n = (k + 1) % 4;
      bool in_k = inside(ci[k], cj[k]);
      if (in_k) poly.push_back(corner(ci[k], cj[k]));
      if (in_k != inside(ci[n], cj[n])) poly.push_back(crossing(ci[k], cj[k], ci[n], cj[n]));
    }
    return poly;
  }

  bool cell_full(Eigen::Index i, Eigen::Index j) const {
    return inside(i, j) && inside(i, j + 1) && inside(i + 1, j) && inside(i + 1, j + 1);
  }

 private:
  const Eigen::MatrixXd& grid_;
  double level_;
  double x0_, y0_, dx_, dy_;
};

}  // namespace

std::vector<Polygon> superlevel_region(const Eigen::MatrixXd& grid, const GridExtent& extent,
                                       double level) {
  std::vector<Polygon> out;
  if (grid.rows() < 2 || grid.cols() < 2) return out;
  CellWalker walker(grid, extent, level);
  for (Eigen::Index i = 0; i + 1 < grid.rows(); ++i) {
    Eigen::Index j = 0;
    while (j + 1 < grid.cols()) {
      if (walker.cell_full(i, j)) {  // merge the run of full cells into one rectangle
        Eigen::Index end = j;
        while (end + 1 < grid.cols() && walker.cell_full(i, end)) ++end;
        Point a = walker.corner(i, j);
        Point b = walker.corner(i + 1, end);
        out.push_back({{a.x, a.y}, {b.x, a.y}, {b.x, b.y}, {a.x, b.y}});
        j = end;
        continue;
      }
      Polygon poly = walker.cell_polygon(i, j);
      // A level met exactly at a corner can leave a sliver of zero area: skip it.
      if (poly.size() >= 3 && signed_area(poly) != 0) out.push_back(std::move(poly));
      ++j;
    }
  }
  return out;
}

double signed_area(const Polygon& polygon) {
  double twice = 0;
  for (std::size_t k = 0; k < polygon.size(); ++k) {
    const Point& a = polygon[k];
    const Point& b = polygon[(k + 1) % polygon.size()];
    twice += a.x * b.y - b.x * a.y;
  }
  return twice / 2;
}

}  // namespace lamtool::render
