#include "render/rink.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace lamtool::render::rink {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kThinLine = 2.0 / 12.0;  // 2 in: goal lines, circles, creases
constexpr double kWideLine = 1.0;         // 12 in: blue lines, centre red line

struct Rgba {
  double r, g, b, a;
};
constexpr Rgba kIce{1.0, 1.0, 1.0, 1.0};
// Markings go over the heat map, translucent so the bands show through them. Each colour
// is drawn as one path per zone, so crossing strokes do not darken where they overlap.
constexpr Rgba kRed{0.80, 0.12, 0.20, 0.55};
constexpr Rgba kBlue{0.10, 0.28, 0.68, 0.45};
constexpr Rgba kCentreSpot{0.60, 0.68, 0.86, 1.0};  // opaque: it sits on the red line
constexpr Rgba kCrease{0.55, 0.78, 0.93, 0.35};
constexpr Rgba kBoards{0.20, 0.22, 0.26, 1.0};

void set(cairo_t* cr, const Rgba& c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

double line_width(double feet, double px_per_ft) { return std::max(feet, 1.1 / px_per_ft); }

void stroke_segment(cairo_t* cr, double x0, double y0, double x1, double y1) {
  cairo_move_to(cr, x0, y0);
  cairo_line_to(cr, x1, y1);
  cairo_stroke(cr);
}

void fill_circle(cairo_t* cr, double x, double y, double r) {
  cairo_new_sub_path(cr);
  cairo_arc(cr, x, y, r, 0, 2 * kPi);
  cairo_fill(cr);
}

void stroke_circle(cairo_t* cr, double x, double y, double r) {
  cairo_new_sub_path(cr);
  cairo_arc(cr, x, y, r, 0, 2 * kPi);
  cairo_stroke(cr);
}

// The NHL crease in front of the right net: straight sides 4 ft either side of the
// centre line, running 4 ft 6 in out from the goal line, closed by an arc of 6 ft radius
// centred on the goal (the sides meet the arc because 4.5^2 + 4^2 is about 6^2).
void crease_path(cairo_t* cr) {
  const double gx = kGoalLineX;
  cairo_move_to(cr, gx, -4.0);
  cairo_line_to(cr, gx - 4.5, -4.0);
  double a0 = std::atan2(-4.0, -4.5) + 2 * kPi;
  double a1 = std::atan2(4.0, -4.5);
  cairo_arc_negative(cr, gx, 0.0, std::hypot(4.5, 4.0), a0, a1);
  cairo_line_to(cr, gx, 4.0);
  cairo_close_path(cr);
}

// Adds a faceoff circle with its hash marks and the L-shaped marks around the spot.
void faceoff_circle_path(cairo_t* cr, double cx, double cy) {
  cairo_new_sub_path(cr);
  cairo_arc(cr, cx, cy, kCircleRadius, 0, 2 * kPi);
  const double hx = 2.875;  // hash marks 5 ft 7 in apart inside, 2 in wide
  const double on_circle = std::sqrt(kCircleRadius * kCircleRadius - hx * hx);
  for (double sx : {-1.0, 1.0}) {
    for (double sy : {-1.0, 1.0}) {
      cairo_move_to(cr, cx + sx * hx, cy + sy * on_circle);
      cairo_line_to(cr, cx + sx * hx, cy + sy * (on_circle + 2.0));
      // L marks: 4 ft along the boards and 3 ft toward them, 2 ft and 9 in off the spot
      cairo_move_to(cr, cx + sx * 6.0, cy + sy * 0.75);
      cairo_line_to(cr, cx + sx * 2.0, cy + sy * 0.75);
      cairo_line_to(cr, cx + sx * 2.0, cy + sy * 3.75);
    }
  }
}

// Everything in the right end from the blue line to the end boards; the left end is
// drawn by mirroring.
void end_zone(cairo_t* cr, double px_per_ft) {
  set(cr, kCrease);
  crease_path(cr);
  cairo_fill(cr);
  // All thin red lines of the zone as one path.
  crease_path(cr);
  double dx = kGoalLineX - (kHalfLength - kCornerRadius);  // goal line ends at the corners
  double gy = kHalfWidth - kCornerRadius + std::sqrt(kCornerRadius * kCornerRadius - dx * dx);
  cairo_move_to(cr, kGoalLineX, -gy);
  cairo_line_to(cr, kGoalLineX, gy);
  for (double sy : {-1.0, 1.0}) {
    // Goaltender's trapezoid: 22 ft wide at the goal line, 28 ft at the end boards.
    cairo_move_to(cr, kGoalLineX, sy * 11.0);
    cairo_line_to(cr, kHalfLength, sy * 14.0);
    faceoff_circle_path(cr, kEndDotX, sy * kDotY);
  }
  set(cr, kRed);
  cairo_set_line_width(cr, line_width(kThinLine, px_per_ft));
  cairo_stroke(cr);
  for (double sy : {-1.0, 1.0}) {  // 2 ft spots
    cairo_new_sub_path(cr);
    cairo_arc(cr, kEndDotX, sy * kDotY, 1.0, 0, 2 * kPi);
    cairo_new_sub_path(cr);
    cairo_arc(cr, kNeutralDotX, sy * kDotY, 1.0, 0, 2 * kPi);
  }
  cairo_fill(cr);
  set(cr, kBlue);
  cairo_rectangle(cr, kBlueLineX - kWideLine / 2, -kHalfWidth, kWideLine, 2 * kHalfWidth);
  cairo_fill(cr);
}

void centre_ice(cairo_t* cr, double px_per_ft) {
  set(cr, kRed);
  cairo_rectangle(cr, -kWideLine / 2, -kHalfWidth, kWideLine, 2 * kHalfWidth);
  cairo_fill(cr);
  cairo_set_line_width(cr, line_width(kThinLine, px_per_ft));
  cairo_new_sub_path(cr);  // referee's crease: 10 ft radius at the bottom boards
  cairo_arc(cr, 0.0, -kHalfWidth, 10.0, 0, kPi);
  cairo_stroke(cr);
  set(cr, kBlue);
  stroke_circle(cr, 0.0, 0.0, kCircleRadius);
  set(cr, kCentreSpot);
  fill_circle(cr, 0.0, 0.0, 0.5);  // 12 in centre spot
}

void net(cairo_t* cr, double px_per_ft) {
  // 6 ft between the posts, about 40 in deep, rounded at the back.
  const double x0 = kGoalLineX, depth = 40.0 / 12.0, half = 3.0, r = 1.5;
  cairo_move_to(cr, x0, -half);
  cairo_line_to(cr, x0 + depth - r, -half);
  cairo_arc(cr, x0 + depth - r, -half + r, r, -kPi / 2, 0);
  cairo_line_to(cr, x0 + depth, half - r);
  cairo_arc(cr, x0 + depth - r, half - r, r, 0, kPi / 2);
  cairo_line_to(cr, x0, half);
  cairo_set_source_rgba(cr, 0.85, 0.86, 0.88, 0.9);
  cairo_fill_preserve(cr);
  cairo_set_source_rgba(cr, 0.35, 0.36, 0.40, 1.0);
  cairo_set_line_width(cr, line_width(kThinLine, px_per_ft));
  cairo_stroke(cr);
  cairo_set_source_rgb(cr, 0.80, 0.12, 0.20);  // the goal line between the posts
  cairo_set_line_width(cr, line_width(0.25, px_per_ft));
  stroke_segment(cr, x0, -half, x0, half);
}

}  // namespace

void outline_path(cairo_t* cr) {
  const double x = kHalfLength - kCornerRadius, y = kHalfWidth - kCornerRadius;
  cairo_new_sub_path(cr);
  cairo_arc(cr, x, y, kCornerRadius, 0, kPi / 2);
  cairo_arc(cr, -x, y, kCornerRadius, kPi / 2, kPi);
  cairo_arc(cr, -x, -y, kCornerRadius, kPi, 3 * kPi / 2);
  cairo_arc(cr, x, -y, kCornerRadius, 3 * kPi / 2, 2 * kPi);
  cairo_close_path(cr);
}

void outside_path(cairo_t* cr, double margin) {
  cairo_rectangle(cr, -kHalfLength - margin, -kHalfWidth - margin, 2 * (kHalfLength + margin),
                  2 * (kHalfWidth + margin));
  outline_path(cr);
}

void draw_ice(cairo_t* cr) {
  outline_path(cr);
  set(cr, kIce);
  cairo_fill(cr);
}

void draw_markings(cairo_t* cr, double px_per_ft) {
  cairo_save(cr);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  for (double mirror : {1.0, -1.0}) {
    cairo_save(cr);
    cairo_scale(cr, mirror, 1.0);
    end_zone(cr, px_per_ft);
    cairo_restore(cr);
  }
  centre_ice(cr, px_per_ft);
  cairo_restore(cr);
}

void draw_nets_and_boards(cairo_t* cr, double px_per_ft) {
  for (double mirror : {1.0, -1.0}) {
    cairo_save(cr);
    cairo_scale(cr, mirror, 1.0);
    net(cr, px_per_ft);
    cairo_restore(cr);
  }
  outline_path(cr);
  set(cr, kBoards);
  cairo_set_line_width(cr, std::max(0.5, 2.0 / px_per_ft));
  cairo_stroke(cr);
}

}  // namespace lamtool::render::rink
