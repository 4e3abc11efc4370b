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
  /// Converts the rows inside the surface's own memory (a PNG row is never longer than
  /// a surface row, so each is written over pixels already read) instead of a copy:
  /// fresh pages of a copy as large as the picture cost more than the conversion. The
  /// surface's pixels are garbage afterwards, so only for a surface about to be freed.
  bool reuse_surface = false;
};

/// Encodes an opaque picture, an RGB24 image surface, as 8-bit RGB PNG bytes. Throws
/// IoError for any other kind of surface or if compression fails.
std::string png_bytes(cairo_surface_t* surface, const PngOptions& options = {});

}  // namespace lamtool::render
