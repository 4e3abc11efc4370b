#pragma once
// `lamtool kde`: the core KDE as a tool, points CSV in, grid CSV out.

#include <optional>
#include <string>
#include <string_view>

#include "lamtool/job.h"
#include "lamtool/kde.h"

namespace lamtool::jobs::kde_tool {

inline constexpr const char* kDefaultKey = "kde.csv";
inline constexpr const char* kContentType = "text/csv";

struct Options {
  std::string in;        ///< points CSV, or - for stdin
  bool weights = false;  ///< use the third column as weights
  kde::GridSpec grid;    ///< --grid, --extent
  kde::Options kde;      ///< --bw, --method
  std::string to = "-";  ///< Destination; stdout by default
};

/// --in, --weights, --grid, --extent, --bw, --method, --to.
void declare(FlagSink& flags, Options& opts);

/// "400x170" -> nx, ny (each 2..100000); UsageError naming the text otherwise.
std::pair<int, int> parse_grid(std::string_view text);
/// "x0,x1,y0,y1"; UsageError naming the text unless four finite numbers, x0<x1, y0<y1.
kde::Extent parse_extent(std::string_view text);

/// Reads the points, estimates, writes the grid; returns the manifest.
Manifest run(Context& ctx, const Options& opts);

}  // namespace lamtool::jobs::kde_tool
