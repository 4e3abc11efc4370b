#pragma once
// Owning wrappers for the Cairo and FreeType handles the renderers use, and the few
// helpers every picture needs (fonts from data/, status checks); PNG encoding is in png.h.

#include <cairo.h>

#include <memory>
#include <string>

namespace lamtool::render {

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
struct FontFaceDeleter {
  void operator()(cairo_font_face_t* f) const { cairo_font_face_destroy(f); }
};
struct PatternDeleter {
  void operator()(cairo_pattern_t* p) const { cairo_pattern_destroy(p); }
};

using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using FontFacePtr = std::unique_ptr<cairo_font_face_t, FontFaceDeleter>;
using PatternPtr = std::unique_ptr<cairo_pattern_t, PatternDeleter>;

/// Throws IoError naming `what` if the surface is in an error state.
void check_surface(cairo_surface_t* surface, const char* what);
/// Throws IoError naming `what` if the context is in an error state.
void check_cairo(cairo_t* cr, const char* what);

/// Creates a Cairo context on the surface (checked).
CairoPtr make_cairo(cairo_surface_t* surface);

/// Loads a TrueType file through FreeType (no fontconfig lookup, so the same file gives
/// the same glyphs everywhere). The FreeType face and library live as long as the Cairo
/// font face, including in Cairo's caches. Throws ConfigError if the file cannot be loaded.
FontFacePtr load_font_file(const std::string& path);

/// The regular and bold faces of the shipped font, from <data dir>/fonts.
struct Fonts {
  FontFacePtr regular;
  FontFacePtr bold;
};
Fonts load_fonts(const std::string& data_dir);

/// Sets options that make text rendering independent of the machine's settings.
void set_portable_font_options(cairo_t* cr);

}  // namespace lamtool::render
