#include "lamtool/render/contour.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>

namespace lamtool::render {
namespace {

struct Edge {
  Point from, to;
};

class CellWalker {
 public:
  // values: the grid row-major with NaN as -inf, rows x cols.
  CellWalker(const double* values, Eigen::Index rows, Eigen::Index cols, const GridExtent& extent,
             double level)
      : values_(values),
        rows_(rows),
        cols_(cols),
        level_(level),
        x0_(extent.x0),
        y0_(extent.y0),
        dx_((extent.x1 - extent.x0) / static_cast<double>(cols - 1)),
        dy_((extent.y1 - extent.y0) / static_cast<double>(rows - 1)) {}

  double value(Eigen::Index i, Eigen::Index j) const {
    return values_[static_cast<std::size_t>(i * cols_ + j)];
  }
  Point corner(Eigen::Index i, Eigen::Index j) const {
    return {x0_ + static_cast<double>(j) * dx_, y0_ + static_cast<double>(i) * dy_};
  }

  // The level crossing on the edge between grid points a and b (values va, vb). The
  // endpoints are put in index order first so the two cells sharing an edge compute the
  // same point bit for bit.
  Point crossing(Eigen::Index ia, Eigen::Index ja, double va, Eigen::Index ib, Eigen::Index jb,
                 double vb) const {
    if (ib < ia || (ib == ia && jb < ja)) return crossing(ib, jb, vb, ia, ja, va);
    Point pa = corner(ia, ja);
    Point pb = corner(ib, jb);
    double t = 0;
    if (std::isfinite(va) && std::isfinite(vb) && va != vb) {
      t = (level_ - va) / (vb - va);
    } else {
      t = va >= level_ ? 0.0 : 1.0;  // a non-finite end: snap to the finite inside end
    }
    return {pa.x + t * (pb.x - pa.x), pa.y + t * (pb.y - pa.y)};
  }

  // Adds the boundary edges of the part of cell (i, j) at or above the level. The part
  // is walked counter-clockwise over corners and crossings; an edge along a cell side is
  // shared with the neighbouring cell's part (traversed the other way), so only edges
  // through the cell (crossing to crossing) and sides on the grid's border are kept.
  void add_cell_edges(Eigen::Index i, Eigen::Index j, std::vector<Edge>& edges) const {
    const bool border[4] = {i == 0, j + 2 == cols_, i + 2 == rows_, j == 0};
    const Eigen::Index ci[4] = {i, i, i + 1, i + 1};
    const Eigen::Index cj[4] = {j, j + 1, j + 1, j};
    const double cv[4] = {value(i, j), value(i, j + 1), value(i + 1, j + 1), value(i + 1, j)};
    const bool in[4] = {cv[0] >= level_, cv[1] >= level_, cv[2] >= level_, cv[3] >= level_};
    struct Vertex {
      Point p;
      bool crossing;
      int side;  // the side this vertex starts (corner k) or lies on (crossing on side k)
    };
    Vertex v[8];
    int n = 0;
    for (int k = 0; k < 4; ++k) {
      int next = (k + 1) % 4;
      if (in[k]) v[n++] = {corner(ci[k], cj[k]), false, k};
      if (in[k] != in[next]) {
        v[n++] = {crossing(ci[k], cj[k], cv[k], ci[next], cj[next], cv[next]), true, k};
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
  const double* values_;
  Eigen::Index rows_, cols_;
  double level_;
  double x0_, y0_, dx_, dy_;
};

}  // namespace

namespace {

struct PointKey {
  double x, y;
  bool operator==(const PointKey&) const = default;
};

// Hashes the bits (both zeros as +0, since they compare equal), mixed by a multiply.
struct PointHash {
  static std::uint64_t bits(double v) { return v == 0 ? 0 : std::bit_cast<std::uint64_t>(v); }
  std::size_t operator()(const PointKey& k) const {
    std::uint64_t h = (bits(k.x) * 0x9E3779B97F4A7C15ull) ^ bits(k.y);
    return static_cast<std::size_t>(((h * 0xBF58476D1CE4E5B9ull) >> 17) ^ h);
  }
};

// The edges leaving each point: an open-addressing table (linear probing, at most half
// full, indexed by the top bits of a multiplied hash) from a start point to the first such
// edge, the rest chained through `next_same`. Two allocations instead of a node per point.
class EdgeStarts {
 public:
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

  // Built back to front, so each chain is in increasing edge order.
  explicit EdgeStarts(const std::vector<Edge>& edges)
      : shift_(64 - static_cast<int>(std::bit_width(2 * edges.size() | 1))),
        slots_(std::size_t{1} << (64 - shift_), Slot{{0, 0}, kNone}),
        next_same_(edges.size(), kNone) {
    for (std::size_t e = edges.size(); e-- > 0;) {
      Slot& slot = slots_[slot_index({edges[e].from.x, edges[e].from.y})];
      if (slot.edge != kNone) next_same_[e] = slot.edge;
      slot = {{edges[e].from.x, edges[e].from.y}, e};
    }
  }
  // The first edge leaving p, or kNone.
  std::size_t first(const Point& p) const { return slots_[slot_index({p.x, p.y})].edge; }
  std::size_t next_same(std::size_t e) const { return next_same_[e]; }

 private:
  struct Slot {
    PointKey key;
    std::size_t edge;  // kNone: empty
  };
  // The slot holding key, or the empty slot where it would go.
  std::size_t slot_index(const PointKey& key) const {
    const std::size_t mask = slots_.size() - 1;
    std::uint64_t h = static_cast<std::uint64_t>(PointHash{}(key)) * 0x9E3779B97F4A7C15ull;
    for (auto i = static_cast<std::size_t>(h >> shift_);; i = (i + 1) & mask) {
      if (slots_[i].edge == kNone || slots_[i].key == key) return i;
    }
  }

  int shift_;  // 64 - log2(number of slots)
  std::vector<Slot> slots_;
  std::vector<std::size_t> next_same_;
};

// Joins edges head to tail into closed rings. Shared points are computed bit for bit the
// same by both cells, so exact keys work. Where a point starts two edges (a level met
// exactly at a corner) either choice gives rings with the same winding numbers.
std::vector<Polygon> link_rings(const std::vector<Edge>& edges) {
  constexpr std::size_t kNone = EdgeStarts::kNone;
  const EdgeStarts starts(edges);
  std::vector<bool> used(edges.size(), false);
  std::vector<Polygon> rings;
  for (std::size_t first = 0; first < edges.size(); ++first) {
    if (used[first]) continue;
    Polygon ring;
    std::size_t e = first;
    while (true) {
      used[e] = true;
      ring.push_back(edges[e].from);
      std::size_t next = starts.first(edges[e].to);
      while (next != kNone && used[next]) next = starts.next_same(next);
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

namespace {

constexpr Eigen::Index kBlockCells = 16;  // cells per block along a row

// Lowest and highest of row[from .. to], both inclusive.
template <typename Range>
Range row_range(const double* row, Eigen::Index from, Eigen::Index to) {
  Range r{row[from], row[from]};
  for (Eigen::Index j = from + 1; j <= to; ++j) {
    r.min = std::min(r.min, row[j]);
    r.max = std::max(r.max, row[j]);
  }
  return r;
}

}  // namespace

ContourGrid::ContourGrid(const Eigen::MatrixXd& grid, const GridExtent& extent)
    : grid_(grid), extent_(extent) {
  if (grid.rows() < 2 || grid.cols() < 2) return;
  const Eigen::Index cols = grid.cols();
  cell_rows_ = grid.rows() - 1;
  cell_cols_ = cols - 1;
  blocks_ = (cell_cols_ + kBlockCells - 1) / kBlockCells;
  values_.resize(static_cast<std::size_t>(grid.size()));
  for (Eigen::Index i = 0; i < grid.rows(); ++i) {
    for (Eigen::Index j = 0; j < cols; ++j) {
      double v = grid(i, j);  // NaN is read as "below every level"
      values_[static_cast<std::size_t>(i * cols + j)] =
          std::isnan(v) ? -std::numeric_limits<double>::infinity() : v;
    }
  }
  // Ranges over each row of grid points first, then a block of cells joins two rows.
  std::vector<Range> point_rows(static_cast<std::size_t>(grid.rows() * blocks_));
  for (Eigen::Index i = 0; i < grid.rows(); ++i) {
    for (Eigen::Index b = 0; b < blocks_; ++b) {
      Eigen::Index from = b * kBlockCells, to = std::min(from + kBlockCells, cell_cols_);
      point_rows[static_cast<std::size_t>(i * blocks_ + b)] =
          row_range<Range>(&values_[static_cast<std::size_t>(i * cols)], from, to);
    }
  }
  block_.resize(static_cast<std::size_t>(cell_rows_ * blocks_));
  for (std::size_t k = 0; k < block_.size(); ++k) {
    const Range& lo = point_rows[k];
    const Range& hi = point_rows[k + static_cast<std::size_t>(blocks_)];
    block_[k] = {std::min(lo.min, hi.min), std::max(lo.max, hi.max)};
  }
}

// A cell adds edges only if some corner is inside (max >= level) and either some corner is
// outside (min < level: the boundary crosses it) or it lies on the grid's border (its
// border sides bound the region). The same test on a block's range skips whole blocks;
// the cells are still visited in row-major order, so the rings come out as before.
std::vector<Polygon> ContourGrid::superlevel_region(double level) const {
  if (cell_rows_ == 0) return {};
  CellWalker walker(values_.data(), grid_.rows(), grid_.cols(), extent_, level);
  std::vector<Edge> edges;
  const Eigen::Index cols = grid_.cols();
  for (Eigen::Index i = 0; i < cell_rows_; ++i) {
    const bool border_row = i == 0 || i + 1 == cell_rows_;
    const double* top = &values_[static_cast<std::size_t>(i * cols)];
    const double* bottom = top + cols;
    for (Eigen::Index b = 0; b < blocks_; ++b) {
      const Range& r = block_[static_cast<std::size_t>(i * blocks_ + b)];
      if (!(r.max >= level)) continue;
      if (r.min >= level && !border_row && b != 0 && b + 1 != blocks_) continue;
      Eigen::Index end = std::min((b + 1) * kBlockCells, cell_cols_);
      for (Eigen::Index j = b * kBlockCells; j < end; ++j) {
        double hi = std::max(std::max(top[j], top[j + 1]), std::max(bottom[j], bottom[j + 1]));
        if (!(hi >= level)) continue;
        double lo = std::min(std::min(top[j], top[j + 1]), std::min(bottom[j], bottom[j + 1]));
        const bool border_col = j == 0 || j + 1 == cell_cols_;
        if (lo >= level && !border_row && !border_col) continue;
        walker.add_cell_edges(i, j, edges);
      }
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
