#include "render/picture.h"

#include <cairo-svg.h>
#include <fmt/format.h>

#include "lamtool/error.h"
#include "render/cairo_handles.h"
#include "render/png.h"

namespace lamtool::render {
namespace {

cairo_status_t append_svg(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Draws on the surface through a context that is checked and gone when this returns.
void draw_on(cairo_surface_t* surface, const std::function<void(cairo_t*)>& draw) {
  CairoPtr cr = make_cairo(surface);
  draw(cr.get());
  check_cairo(cr.get(), "drawing the picture");
}

}  // namespace

Format parse_format(std::string_view name) {
  if (name == "png") return Format::kPng;
  if (name == "svg") return Format::kSvg;
  throw UsageError(fmt::format("invalid picture format '{}': expected png or svg", name));
}

void check_size(int width, int height) {
  if (width < kMinWidth || height < kMinHeight || width > kMaxSide || height > kMaxSide) {
    throw UsageError(
        fmt::format("invalid picture size {}x{}: must be at least {}x{} and at "
                    "most {} on a side",
                    width, height, kMinWidth, kMinHeight, kMaxSide));
  }
}

std::string render_picture(Format format, int width, int height,
                           const std::function<void(cairo_t*)>& draw) {
  if (format == Format::kPng) {
    // Opaque picture (the background is painted first): RGB24 renders the same pixels as
    // ARGB32 and is written as RGB, a quarter fewer bytes to filter and compress.
    SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
    check_surface(surface.get(), "create image");
    draw_on(surface.get(), draw);
    cairo_surface_flush(surface.get());
    return png_bytes(surface.get(), {.reuse_surface = true});
  }
  std::string svg;
  {
    SurfacePtr surface(cairo_svg_surface_create_for_stream(append_svg, &svg, width, height));
    check_surface(surface.get(), "create svg");
    // Cairo's default unit is the point, which viewers show a third larger than the PNG
    // of the same size; in pixels the two agree.
    cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_PX);
    draw_on(surface.get(), draw);
    cairo_surface_finish(surface.get());
    check_surface(surface.get(), "write svg");
  }
  return svg;
}

}  // namespace lamtool::render
