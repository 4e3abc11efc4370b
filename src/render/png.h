#pragma once
// PNG encoding of Cairo image surfaces: unfiltered rows compressed by libdeflate, the
// settings chosen for flat-colour charts (Cairo's own writer uses libpng's slow defaults).

#include <cairo.h>

#include <cstddef>
#include <cstdint>
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

/// PNG container pieces, shared by the chart encoder and the image module's encoder:
/// a big-endian 32-bit value; a chunk (length, type, data, CRC-32 of type and data).
void put_png_u32(std::string& out, std::uint32_t v);
void put_png_chunk(std::string& out, const char* type, const void* data, std::size_t size);

/// Encodes an opaque picture, an RGB24 image surface, as 8-bit RGB PNG bytes. Throws
/// IoError for any other kind of surface or if compression fails.
std::string png_bytes(cairo_surface_t* surface, const PngOptions& options = {});

}  // namespace lamtool::render
