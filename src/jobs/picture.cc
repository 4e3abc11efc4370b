#include "lamtool/jobs/picture.h"

#include <fmt/format.h>

#include <tuple>

#include "lamtool/parse.h"

namespace lamtool::jobs {

void declare_picture_flags(FlagSink& flags, PictureOptions& opts) {
  flags.option({.names = "--format",
                .help = "Picture format",
                .value_name = "FORMAT",
                .choices = {"png", "svg"},
                .default_text = picture_extension(opts.format)},
               [&opts](const std::string& v) { opts.format = render::parse_format(v); });
  flags.option({.names = "--size",
                .help = "Picture size WIDTHxHEIGHT in pixels",
                .value_name = "WxH",
                .default_text = fmt::format("{}x{}", opts.width, opts.height)},
               [&opts](const std::string& v) {
                 std::tie(opts.width, opts.height) =
                     parse_dimensions(v, "--size", render::kMinWidth, render::kMaxSide);
               });
}

const char* picture_extension(render::Format format) {
  return format == render::Format::kSvg ? "svg" : "png";
}

const char* picture_content_type(render::Format format) {
  return format == render::Format::kSvg ? "image/svg+xml" : "image/png";
}

}  // namespace lamtool::jobs
