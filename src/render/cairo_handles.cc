#include "render/cairo_handles.h"

#include <cairo-ft.h>
#include <fmt/format.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include "lamtool/error.h"

namespace lamtool::render {
namespace {

// Owns one FT_Face and its own FT_Library (a library per face, so no FreeType object is
// shared between threads). Freed by Cairo when the font face that uses it goes, which may
// be after our last reference because Cairo caches faces (user-data destroy callback).
struct FtFaceHolder {
  FT_Library library = nullptr;
  FT_Face face = nullptr;
  FtFaceHolder() = default;
  FtFaceHolder(const FtFaceHolder&) = delete;
  FtFaceHolder& operator=(const FtFaceHolder&) = delete;
  ~FtFaceHolder() {
    if (face != nullptr) FT_Done_Face(face);
    if (library != nullptr) FT_Done_FreeType(library);
  }
};

const cairo_user_data_key_t kFtHolderKey{};

void destroy_holder(void* p) { delete static_cast<FtFaceHolder*>(p); }

}  // namespace

void check_surface(cairo_surface_t* surface, const char* what) {
  cairo_status_t st = cairo_surface_status(surface);
  if (st != CAIRO_STATUS_SUCCESS) {
    throw IoError(fmt::format("cairo: {} failed: {}", what, cairo_status_to_string(st)));
  }
}

void check_cairo(cairo_t* cr, const char* what) {
  cairo_status_t st = cairo_status(cr);
  if (st != CAIRO_STATUS_SUCCESS) {
    throw IoError(fmt::format("cairo: {} failed: {}", what, cairo_status_to_string(st)));
  }
}

CairoPtr make_cairo(cairo_surface_t* surface) {
  CairoPtr cr(cairo_create(surface));
  check_cairo(cr.get(), "create context");
  return cr;
}

FontFacePtr load_font_file(const std::string& path) {
  auto holder = std::make_unique<FtFaceHolder>();
  if (FT_Init_FreeType(&holder->library) != 0) throw ConfigError("freetype: cannot initialise");
  if (FT_New_Face(holder->library, path.c_str(), 0, &holder->face) != 0) {
    throw ConfigError(
        fmt::format("cannot load font file '{}': missing or not a font "
                    "(set LAMTOOL_DATA_DIR to lamtool's data directory)",
                    path));
  }
  FontFacePtr face(cairo_ft_font_face_create_for_ft_face(holder->face, 0));
  cairo_status_t st = cairo_font_face_status(face.get());
  if (st == CAIRO_STATUS_SUCCESS) {
    st = cairo_font_face_set_user_data(face.get(), &kFtHolderKey, holder.get(), destroy_holder);
  }
  if (st != CAIRO_STATUS_SUCCESS) {
    throw IoError(
        fmt::format("cairo: font face for '{}' failed: {}", path, cairo_status_to_string(st)));
  }
  holder.release();  // now owned by the Cairo font face
  return face;
}

Fonts load_fonts(const std::string& data_dir) {
  return {load_font_file(data_dir + "/fonts/DejaVuSans.ttf"),
          load_font_file(data_dir + "/fonts/DejaVuSans-Bold.ttf")};
}

void set_portable_font_options(cairo_t* cr) {
  cairo_font_options_t* opts = cairo_font_options_create();
  cairo_font_options_set_antialias(opts, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_subpixel_order(opts, CAIRO_SUBPIXEL_ORDER_DEFAULT);
  cairo_set_font_options(cr, opts);
  cairo_font_options_destroy(opts);
}

}  // namespace lamtool::render
