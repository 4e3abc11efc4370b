#pragma once
// PNG encoding of Cairo image surfaces: unfiltered rows compressed by libdeflate, the
// settings chosen for flat-colour charts (Cairo's own writer uses libpng's slow defaults).

#include <cairo.h>

#include <string>

namespace lamtool::render {

/// Encoder settings. The default was picked by measurement on the shot maps (see
/// png.cc): libdeflate level 1.
struct PngOptions {
  int level = 1;  // libdeflate level 0-12
};

/// Encodes an opaque picture, an RGB24 image surface, as 8-bit RGB PNG bytes. Throws
/// IoError for any other kind of surface or if compression fails.
std::string png_bytes(cairo_surface_t* surface, const PngOptions& options = {});

}  // namespace lamtool::render
