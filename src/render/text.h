#pragma once
// Text on a Cairo context in device space: measure, fit, draw with alignment.

#include <cairo.h>

#include <string>
#include <vector>

namespace lamtool::render {

struct Rgb {
  double r, g, b;
};

/// Makes `c` the context's source colour.
inline void set_rgb(cairo_t* cr, const Rgb& c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

enum class Align { kLeft, kCenter, kRight };

/// One run of a line of text with its own face and colour.
struct TextRun {
  std::string text;
  cairo_font_face_t* face;
  Rgb colour;
};

/// Advance width of the text at the given size.
double text_width(cairo_t* cr, cairo_font_face_t* face, double size, const std::string& text);

/// Draws the text with its baseline at y, aligned on x; returns the advance width.
double draw_text(cairo_t* cr, cairo_font_face_t* face, double size, const Rgb& colour,
                 const std::string& text, double x, double y, Align align);

/// Total advance width of the runs at the given size.
double runs_width(cairo_t* cr, const std::vector<TextRun>& runs, double size);

/// Draws the runs one after another, the whole line aligned on x.
void draw_runs(cairo_t* cr, const std::vector<TextRun>& runs, double size, double x, double y,
               Align align);

/// Drops the last UTF-8 character of the text (nothing if empty).
void pop_utf8_char(std::string& text);

}  // namespace lamtool::render
