// The `lamtool kde` file formats: points in (x,y[,w] CSV), grid out.

#include "lamtool/csv.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <vector>

#include "lamtool/error.h"
#include "lamtool/kde.h"
#include "lamtool/parse.h"

namespace lamtool::kde {

namespace {

struct Row {
  double x, y, w;
};

Row parse_row(const std::vector<std::string_view>& fields, bool weights, const std::string& where) {
  if (fields.size() < (weights ? 3U : 2U) || fields.size() > 3)
    throw DataError(fmt::format("{}: expected {} fields, got {}", where,
                                weights ? "3 (x,y,w)" : "2 or 3 (x,y[,w])", fields.size()));
  double v[3] = {0, 0, 1};
  size_t used = weights ? 3 : 2;
  for (size_t k = 0; k < used; ++k) {
    if (!csv::parse_number(fields[k], v[k]))
      throw DataError(fmt::format("{}: field {} '{}' is not a number", where, k + 1, fields[k]));
    if (!std::isfinite(v[k]))
      throw DataError(fmt::format("{}: field {} '{}' is not finite", where, k + 1, fields[k]));
  }
  if (v[2] < 0) throw DataError(fmt::format("{}: weight {} is negative", where, v[2]));
  return {v[0], v[1], v[2]};
}

}  // namespace

Points parse_points_csv(std::string_view text, const std::string& source, bool weights) {
  std::vector<Row> rows;
  bool first = true;
  csv::for_each_row(text, [&](const std::vector<std::string_view>& fields, size_t line_no) {
    // A header names its columns: a first field that starts like a number ("1e400", out
    // of range) is a bad row, not a header to skip.
    double probe = 0;
    std::string_view f0 = trim(fields[0]);
    bool numeric = !f0.empty() && (std::isdigit(static_cast<unsigned char>(f0[0])) != 0 ||
                                   f0[0] == '-' || f0[0] == '+' || f0[0] == '.');
    bool header = first && !numeric && !csv::parse_number(fields[0], probe);
    first = false;
    if (header) return;
    rows.push_back(parse_row(fields, weights, fmt::format("'{}' line {}", source, line_no)));
  });
  Points pts;
  const auto n = static_cast<Eigen::Index>(rows.size());
  pts.x.resize(n);
  pts.y.resize(n);
  if (weights) pts.w.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Row& r = rows[static_cast<size_t>(i)];
    pts.x[i] = r.x;
    pts.y[i] = r.y;
    if (weights) pts.w[i] = r.w;
  }
  return pts;
}

std::string format_grid_csv(const Result& r) {
  const GridSpec& g = r.grid;
  fmt::memory_buffer buf;
  for (int i = 0; i < g.nx; ++i) fmt::format_to(std::back_inserter(buf), ",{}", g.x(i));
  buf.push_back('\n');
  for (int j = 0; j < g.ny; ++j) {
    fmt::format_to(std::back_inserter(buf), "{}", g.y(j));
    for (int i = 0; i < g.nx; ++i) fmt::format_to(std::back_inserter(buf), ",{}", r.density(j, i));
    buf.push_back('\n');
  }
  return fmt::to_string(buf);
}

}  // namespace lamtool::kde
