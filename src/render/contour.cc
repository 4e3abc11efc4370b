#include "lamtool/render/contour.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <unordered_map>

namespace lamtool::render {
namespace {

struct Edge {
  Point from, to;
};

// Reads the grid with NaN treated as "below every level".
double value_at(const Eigen::MatrixXd& grid, Eigen::Index i, Eigen::Index j) {
  double v = grid(i, j);
  return std::isnan(v) ? -std::numeric_limits<double>::infinity() : v;
}

class CellWalker {
 public:
  CellWalker(const Eigen::MatrixXd& grid, const GridExtent& extent, double level)
      : grid_(grid),
        level_(level),
        x0_(extent.x0),
        y0_(extent.y0),
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

  // Adds the boundary edges of the part of cell (i, j) at or above the level. The part
  // is walked counter-clockwise over corners and crossings; an edge along a cell side is
  // shared with the neighbouring cell's part (traversed the other way), so only edges
  // through the cell (crossing to crossing) and sides on the grid's border are kept.
  void add_cell_edges(Eigen::Index i, Eigen::Index j, std::vector<Edge>& edges) const {
    const Eigen::Index ci[4] = {i, i, i + 1, i + 1};
    const Eigen::Index cj[4] = {j, j + 1, j + 1, j};
    const bool border[4] = {i == 0, j + 2 == grid_.cols(), i + 2 == grid_.rows(), j == 0};
    struct Vertex {
      Point p;
      bool crossing;
      int side;  // the side this vertex starts (corner k) or lies on (crossing on side k)
    };
    Vertex v[8];
    int n = 0;
    for (int k = 0; k < 4; ++k) {
      int next = (k + 1) % 4;
      bool in_k = inside(ci[k], cj[k]);
      if (in_k) v[n++] = {corner(ci[k], cj[k]), false, k};
      if (in_k != inside(ci[next], cj[next])) {
        v[n++] = {crossing(ci[k], cj[k], ci[next], cj[next]), true, k};
      }
    }
    for (int a = 0; a < n; ++a) {
      const Vertex& from = v[a];
      const Vertex& to = v[(a + 1) % n];
      bool through = from.crossing && to.crossing;
      // Along a side: corner k -> corner k+1 or crossing on k (side k), crossing on k ->
      // corner k+1 (side k): in every case the side is from.side.
      if (through || border[from.side]) edges.push_back({from.p, to.p});
    }
  }

 private:
  const Eigen::MatrixXd& grid_;
  double level_;
  double x0_, y0_, dx_, dy_;
};

}  // namespace

namespace {

struct PointKey {
  double x, y;
  bool operator==(const PointKey&) const = default;
};

struct PointHash {
  std::size_t operator()(const PointKey& k) const {
    return std::hash<double>{}(k.x) * 31u + std::hash<double>{}(k.y);
  }
};

// Joins edges head to tail into closed rings. Shared points are computed bit for bit the
// same by both cells, so exact keys work. Where a point starts two edges (a level met
// exactly at a corner) either choice gives rings with the same winding numbers.
std::vector<Polygon> link_rings(const std::vector<Edge>& edges) {
  // For each start point the edges leaving it, in increasing index order: the first in
  // `starts`, the rest chained through `next_same` (built back to front to keep the order).
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::unordered_map<PointKey, std::size_t, PointHash> starts;
  starts.reserve(edges.size());
  std::vector<std::size_t> next_same(edges.size(), kNone);
  for (std::size_t e = edges.size(); e-- > 0;) {
    auto [it, fresh] = starts.try_emplace({edges[e].from.x, edges[e].from.y}, e);
    if (!fresh) {
      next_same[e] = it->second;
      it->second = e;
    }
  }
  std::vector<bool> used(edges.size(), false);
  std::vector<Polygon> rings;
  for (std::size_t first = 0; first < edges.size(); ++first) {
    if (used[first]) continue;
    Polygon ring;
    std::size_t e = first;
    while (true) {
      used[e] = true;
      ring.push_back(edges[e].from);
      auto it = starts.find({edges[e].to.x, edges[e].to.y});
      if (it == starts.end()) break;
      std::size_t next = it->second;
      while (next != kNone && used[next]) next = next_same[next];
      if (next == kNone) break;  // back at the start
      e = next;
    }
    if (ring.size() >= 3 && signed_area(ring) != 0) rings.push_back(std::move(ring));
  }
  return rings;
}

}  // namespace

std::vector<Polygon> superlevel_region(const Eigen::MatrixXd& grid, const GridExtent& extent,
                                       double level) {
  return ContourGrid(grid, extent).superlevel_region(level);
}

ContourGrid::ContourGrid(const Eigen::MatrixXd& grid, const GridExtent& extent)
    : grid_(grid), extent_(extent) {
  if (grid.rows() < 2 || grid.cols() < 2) return;
  cell_rows_ = grid.rows() - 1;
  cell_cols_ = grid.cols() - 1;
  const auto cells = static_cast<std::size_t>(cell_rows_ * cell_cols_);
  cell_min_.resize(cells);
  cell_max_.resize(cells);
  row_max_.assign(static_cast<std::size_t>(cell_rows_), -std::numeric_limits<double>::infinity());
  for (Eigen::Index i = 0; i < cell_rows_; ++i) {
    auto row = static_cast<std::size_t>(i);
    for (Eigen::Index j = 0; j < cell_cols_; ++j) {
      double a = value_at(grid, i, j), b = value_at(grid, i, j + 1);
      double c = value_at(grid, i + 1, j + 1), d = value_at(grid, i + 1, j);
      auto k = row * static_cast<std::size_t>(cell_cols_) + static_cast<std::size_t>(j);
      cell_min_[k] = std::min(std::min(a, b), std::min(c, d));
      cell_max_[k] = std::max(std::max(a, b), std::max(c, d));
      row_max_[row] = std::max(row_max_[row], cell_max_[k]);
    }
  }
}

// A cell adds edges only if some corner is inside (max >= level) and either some corner is
// outside (min < level: the boundary crosses it) or it lies on the grid's border (its
// border sides bound the region). Every other cell adds nothing, so it is skipped.
std::vector<Polygon> ContourGrid::superlevel_region(double level) const {
  if (cell_rows_ == 0) return {};
  CellWalker walker(grid_, extent_, level);
  std::vector<Edge> edges;
  for (Eigen::Index i = 0; i < cell_rows_; ++i) {
    auto row = static_cast<std::size_t>(i);
    if (!(row_max_[row] >= level)) continue;
    const bool border_row = i == 0 || i + 1 == cell_rows_;
    const std::size_t base = row * static_cast<std::size_t>(cell_cols_);
    for (Eigen::Index j = 0; j < cell_cols_; ++j) {
      std::size_t k = base + static_cast<std::size_t>(j);
      if (!(cell_max_[k] >= level)) continue;
      bool border = border_row || j == 0 || j + 1 == cell_cols_;
      if (cell_min_[k] >= level && !border) continue;
      walker.add_cell_edges(i, j, edges);
    }
  }
  return link_rings(edges);
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
