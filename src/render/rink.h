#pragma once
// An NHL rink to scale, drawn in rink coordinates (feet, centre ice at the origin, +y up)
// on a Cairo context whose matrix already maps feet to device space.

#include <cairo.h>

namespace lamtool::render::rink {

inline constexpr double kHalfLength = 100.0;  // 200 ft end boards to end boards
inline constexpr double kHalfWidth = 42.5;    // 85 ft side boards to side boards
inline constexpr double kCornerRadius = 28.0;
inline constexpr double kGoalLineX = 89.0;
inline constexpr double kBlueLineX = 25.0;
inline constexpr double kCircleRadius = 15.0;
inline constexpr double kEndDotX = 69.0;
inline constexpr double kDotY = 22.0;
inline constexpr double kNeutralDotX = 20.0;

/// Adds the boards outline (a rounded rectangle) to the current path.
void outline_path(cairo_t* cr);

/// Adds the band outside the boards and within `margin` feet of the rink's bounding box
/// (the corners, mostly) to the current path, for filling with the even-odd rule.
void outside_path(cairo_t* cr, double margin);

/// Fills the ice inside the boards.
void draw_ice(cairo_t* cr);

/// Draws every line, circle, spot and crease, translucent so that what is under them
/// (the heat map) shows through. `px_per_ft` keeps thin lines at least about a pixel wide.
/// Unclipped: the goal lines run past the rounded corners, for outside_path to cover.
void draw_markings(cairo_t* cr, double px_per_ft);

/// Draws both nets and the boards, which go over the heat map.
void draw_nets_and_boards(cairo_t* cr, double px_per_ft);

}  // namespace lamtool::render::rink
