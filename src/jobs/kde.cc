#include "lamtool/jobs/kde.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>

#include "lamtool/destination.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/parse.h"

namespace lamtool::jobs::kde_tool {

using kde::Extent;
using kde::Points;

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
  auto [nx, ny] = parse_dimensions(text, "--grid", 2, kMaxGridSide, "NXxNY");
  if (static_cast<long long>(nx) * ny > kde::kMaxGridNodes)
    throw UsageError(fmt::format("--grid '{}': {} nodes, more than the {} lamtool evaluates", text,
                                 static_cast<long long>(nx) * ny, kde::kMaxGridNodes));
  return {nx, ny};
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

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "--in",
                .help = "Points CSV (x,y[,w]), or - for stdin",
                .value_name = "FILE",
                .required = true},
               [&opts](const std::string& v) { opts.in = v; });
  flags.flag({.names = "--weights", .help = "Weight each point by the third column"},
             [&opts] { opts.weights = true; });
  flags.option(
      {.names = "--grid",
       .help = "Grid nodes NXxNY",
       .value_name = "NXxNY",
       .default_text = "400x170"},
      [&opts](const std::string& v) { std::tie(opts.grid.nx, opts.grid.ny) = parse_grid(v); });
  flags.option({.names = "--extent",
                .help = "Grid span x0,x1,y0,y1, nodes on the edges (default the NHL rink "
                        "-100,100,-42.5,42.5)",
                .value_name = "X0,X1,Y0,Y1"},
               [&opts](const std::string& v) { opts.grid.extent = parse_extent(v); });
  flags.option({.names = "--bw",
                .help = "Bandwidth factor (default Scott's, neff^(-1/6))",
                .value_name = "F"},
               [&opts](const std::string& v) { opts.kde.bw = parse_double(v, "--bw"); });
  flags.option({.names = "--method",
                .help = "Evaluator: fft is fast, exact matches scipy to 1e-9",
                .value_name = "METHOD",
                .choices = {"fft", "exact"},
                .default_text = "fft"},
               [&opts](const std::string& v) { opts.kde.method = kde::parse_method(v); });
  flags.option({.names = "--to",
                .help = "Destination: FILE, DIR/ (kde.csv below it), s3://... or - "
                        "(default: stdout)",
                .value_name = "DEST"},
               [&opts](const std::string& v) { opts.to = v; });
}

Manifest run(Context& ctx, const Options& opts) {
  // 1. Flags first, so a usage error never waits on reading the input.
  const kde::GridSpec& grid = opts.grid;
  Destination dest = Destination::parse(opts.to);
  if (ctx.json && dest.kind == Destination::Kind::kStdout)
    throw UsageError("--json prints the manifest on stdout: give --to FILE for the grid");

  // 2. Read, estimate.
  std::string source = opts.in == "-" ? "<stdin>" : opts.in;
  Points pts = kde::parse_points_csv(read_file(opts.in), source, opts.weights);
  // A grid of zeros would look like an answer: no points is bad data (DESIGN section 2).
  if (pts.size() == 0)
    throw DataError(fmt::format("'{}': no points: expected CSV rows x,y{}", source,
                                opts.weights ? ",w" : "[,w]"));
  warn_outside(ctx, pts, grid.extent);
  kde::Result r = kde::estimate(pts, grid, opts.kde);
  for (const std::string& f : r.flag_names())
    if (f != "direct_sum") ctx.log.warningf("kde: {}", f);

  // 3. Write the grid and describe it.
  OutputRecord out = write_output(ctx, dest, kDefaultKey, kde::format_grid_csv(r), kContentType);
  Manifest m("kde");
  m["points"] = r.points;
  m["weighted"] = opts.weights;
  m["method"] = kde::method_name(r.method);
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

}  // namespace lamtool::jobs::kde_tool
