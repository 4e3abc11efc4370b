#pragma once
// PNG encoding of Cairo image surfaces through libpng, with the filter and zlib settings
// chosen for flat-colour charts (Cairo's own writer uses libpng's slow defaults).

#include <cairo.h>

#include <string>

namespace lamtool::render {

/// libpng/zlib settings. The defaults were picked by measurement on the shot maps
/// (see png.cc): no filtering, zlib level 3 and memory level 7.
struct PngOptions {
  int filters = 0x08;  // PNG_FILTER_NONE; any mask of libpng's PNG_FILTER_* values
  int level = 3;       // zlib level 0-9
  int mem_level = 7;   // zlib memLevel 1-9: hash table of 2^(mem_level + 7) entries
  int strategy = 0;    // Z_DEFAULT_STRATEGY, or Z_FILTERED, Z_RLE, ...
};

/// Encodes an opaque picture, an RGB24 image surface, as 8-bit RGB PNG bytes. Throws
/// IoError for any other kind of surface or if libpng fails.
std::string png_bytes(cairo_surface_t* surface, const PngOptions& options = {});

}  // namespace lamtool::render
