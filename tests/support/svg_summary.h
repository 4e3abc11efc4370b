#pragma once
// What the picture tests check in an SVG: that expat parses it, its root element and
// size, and how many vector paths and raster images it holds.

#include <string>

namespace lamtool::test {

struct SvgSummary {
  bool well_formed = false;
  std::string error;          // expat's message when not well formed
  std::string root;           // namespace URI and local name, e.g. "http://www.w3.org/2000/svg svg"
  std::string width, height;  // the root's attributes as written ("640pt")
  int paths = 0;
  int images = 0;
};

SvgSummary summarise_svg(const std::string& svg);

}  // namespace lamtool::test
