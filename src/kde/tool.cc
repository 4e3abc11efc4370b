#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>

#include "lamtool/destination.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/kde_tool.h"
#include "lamtool/parse.h"

namespace lamtool::kde {

namespace {

constexpr int kMaxGridSide = 100000;

bool parse_number(std::string_view s, double& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty() && std::isfinite(out);
}

nlohmann::json matrix_json(const Eigen::Matrix2d& m) {
  return {{m(0, 0), m(0, 1)}, {m(1, 0), m(1, 1)}};
}

// Warns when some weight lies outside the extent: it still shapes the grid's edges,
// but a wrong --extent is the likelier story.
void warn_outside(Context& ctx, const Points& pts, const Extent& e) {
  Eigen::Index outside = 0;
  for (Eigen::Index i = 0; i < pts.size(); ++i)
    if (pts.x[i] < e.x0 || pts.x[i] > e.x1 || pts.y[i] < e.y0 || pts.y[i] > e.y1) ++outside;
  if (outside > 0)
    ctx.log.warningf("{} of {} points lie outside the extent {},{},{},{}", outside, pts.size(),
                     e.x0, e.x1, e.y0, e.y1);
}

}  // namespace

std::pair<int, int> parse_grid(std::string_view text) {
  return parse_dimensions(text, "--grid", 2, kMaxGridSide, "NXxNY");
}

Extent parse_extent(std::string_view text) {
  double v[4];
  size_t start = 0;
  for (int k = 0; k < 4; ++k) {
    size_t comma = k < 3 ? text.find(',', start) : text.size();
    if (comma == std::string_view::npos || !parse_number(text.substr(start, comma - start), v[k]))
      throw UsageError(fmt::format("--extent '{}': expected four numbers x0,x1,y0,y1", text));
    start = comma + 1;
  }
  if (!(v[0] < v[1]) || !(v[2] < v[3]))
    throw UsageError(
        fmt::format("--extent '{}': expected x0,x1,y0,y1 with x0 < x1, y0 < y1", text));
  return {v[0], v[1], v[2], v[3]};
}

Manifest run(Context& ctx, const ToolOptions& opts) {
  // 1. Flags first, so a usage error never waits on reading the input.
  GridSpec grid;
  if (opts.grid) std::tie(grid.nx, grid.ny) = parse_grid(*opts.grid);
  if (opts.extent) grid.extent = parse_extent(*opts.extent);
  Options kopts{.bw = opts.bw, .method = parse_method(opts.method)};
  Destination dest = Destination::parse(opts.to);
  if (opts.json && dest.kind == Destination::Kind::kStdout)
    throw UsageError("--json prints the manifest on stdout: give --to FILE for the grid");

  // 2. Read, estimate.
  std::string source = opts.in == "-" ? "<stdin>" : opts.in;
  Points pts = parse_points_csv(read_file(opts.in), source, opts.weights);
  warn_outside(ctx, pts, grid.extent);
  Result r = estimate(pts, grid, kopts);
  for (const std::string& f : r.flag_names())
    if (f != "direct_sum") ctx.log.warningf("kde: {}", f);

  // 3. Write the grid and describe it.
  OutputRecord out = write_output(ctx, dest, kDefaultKey, format_grid_csv(r), kContentType);
  Manifest m("kde");
  m["points"] = r.points;
  m["weighted"] = opts.weights;
  m["method"] = method_name(r.method);
  m["grid"] = {grid.nx, grid.ny};
  m["extent"] = {grid.extent.x0, grid.extent.x1, grid.extent.y0, grid.extent.y1};
  m["factor"] = r.bandwidth.factor;
  m["neff"] = r.bandwidth.neff;
  m["data_covariance"] = matrix_json(r.bandwidth.data_covariance);
  m["covariance"] = matrix_json(r.bandwidth.covariance);
  m["peak"] = r.density.maxCoeff();
  m["flags"] = r.flag_names();
  m.add_output(out);
  return m;
}

}  // namespace lamtool::kde
