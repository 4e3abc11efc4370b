#pragma once
// What every rendered picture shares: its file format, the sizes accepted.

#include <string_view>

namespace lamtool::render {

/// Output file format of a rendered picture.
enum class Format { kPng, kSvg };

/// "png" or "svg"; throws UsageError for anything else.
Format parse_format(std::string_view name);

/// Smallest and largest accepted picture sizes, in pixels.
inline constexpr int kMinWidth = 300;
inline constexpr int kMinHeight = 150;
inline constexpr int kMaxSide = 8000;

}  // namespace lamtool::render
