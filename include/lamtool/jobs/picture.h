#pragma once
// The flags every job that draws a picture takes, the same everywhere.

#include "lamtool/job.h"
#include "lamtool/render/format.h"

namespace lamtool::jobs {

/// What --format and --size set; the defaults are the job's.
struct PictureOptions {
  render::Format format = render::Format::kPng;
  int width = 0;
  int height = 0;
};

/// --format png|svg and --size WxH (within render's limits), their defaults shown as
/// the values `opts` holds when declared.
void declare_picture_flags(FlagSink& flags, PictureOptions& opts);

/// "png" or "svg", the file extension; and its media type.
const char* picture_extension(render::Format format);
const char* picture_content_type(render::Format format);

}  // namespace lamtool::jobs
