#pragma once
// What every picture does around its drawing: the size check, and a PNG (opaque RGB24
// surface, our fast encoder) or SVG (a Cairo stream into a string) surface to draw on.

#include <cairo.h>

#include <functional>
#include <string>

#include "lamtool/render/format.h"

namespace lamtool::render {

/// Throws UsageError unless width x height is within kMinWidth x kMinHeight and kMaxSide.
void check_size(int width, int height);

/// Runs `draw` on a fresh width x height surface and returns the picture's bytes. A PNG
/// is opaque: `draw` must paint every pixel (a background first). The context's status
/// is checked after `draw`; IoError when Cairo fails.
std::string render_picture(Format format, int width, int height,
                           const std::function<void(cairo_t*)>& draw);

}  // namespace lamtool::render
