#pragma once
// `lamtool kde`: the core KDE as a tool, points CSV in, grid CSV out.

#include <optional>
#include <string>
#include <string_view>

#include "lamtool/context.h"
#include "lamtool/kde.h"
#include "lamtool/manifest.h"

namespace lamtool::kde {

inline constexpr const char* kDefaultKey = "kde.csv";
inline constexpr const char* kContentType = "text/csv";

struct ToolOptions {
  std::string in;                     ///< points CSV, or - for stdin
  bool weights = false;               ///< use the third column as weights
  std::optional<std::string> grid;    ///< "NXxNY"
  std::optional<std::string> extent;  ///< "x0,x1,y0,y1"
  std::optional<double> bw;
  std::string method = "fft";
  std::string to = "-";  ///< Destination; stdout by default
  bool json = false;     ///< a manifest goes to stdout, so --to - is refused
};

/// "400x170" -> nx, ny (each 2..100000); UsageError naming the text otherwise.
std::pair<int, int> parse_grid(std::string_view text);
/// "x0,x1,y0,y1"; UsageError naming the text unless four finite numbers, x0<x1, y0<y1.
Extent parse_extent(std::string_view text);

/// Reads the points, estimates, writes the grid; returns the manifest.
Manifest run(Context& ctx, const ToolOptions& opts);

}  // namespace lamtool::kde
