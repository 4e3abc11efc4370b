#include "render/text.h"

namespace lamtool::render {

double text_width(cairo_t* cr, cairo_font_face_t* face, double size, const std::string& text) {
  cairo_set_font_face(cr, face);
  cairo_set_font_size(cr, size);
  cairo_text_extents_t ext;
  cairo_text_extents(cr, text.c_str(), &ext);
  return ext.x_advance;
}

double draw_text(cairo_t* cr, cairo_font_face_t* face, double size, const Rgb& colour,
                 const std::string& text, double x, double y, Align align) {
  double w = text_width(cr, face, size, text);
  if (align == Align::kCenter) x -= w / 2;
  if (align == Align::kRight) x -= w;
  cairo_set_source_rgb(cr, colour.r, colour.g, colour.b);
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, text.c_str());
  cairo_new_path(cr);
  return w;
}

double runs_width(cairo_t* cr, const std::vector<TextRun>& runs, double size) {
  double w = 0;
  for (const TextRun& run : runs) w += text_width(cr, run.face, size, run.text);
  return w;
}

void draw_runs(cairo_t* cr, const std::vector<TextRun>& runs, double size, double x, double y,
               Align align) {
  double w = runs_width(cr, runs, size);
  if (align == Align::kCenter) x -= w / 2;
  if (align == Align::kRight) x -= w;
  for (const TextRun& run : runs) {
    x += draw_text(cr, run.face, size, run.colour, run.text, x, y, Align::kLeft);
  }
}

void pop_utf8_char(std::string& text) {
  while (!text.empty()) {
    auto c = static_cast<unsigned char>(text.back());
    text.pop_back();
    if ((c & 0xC0) != 0x80) break;  // stop after removing a lead or ASCII byte
  }
}

}  // namespace lamtool::render
