// PNG, JPEG and GIF decoding (image/codec.h): the header's size, the first picture, and
// for a GIF every frame.
#include "fuzz.h"
#include "lamtool/error.h"
#include "lamtool/image/codec.h"

LAMTOOL_FUZZ_TARGET(image) {
  std::string_view bytes = lamtool::fuzz::as_text(data, size);
  try {
    (void)lamtool::image::read_dimensions(bytes, "fuzz");
  } catch (const lamtool::Error&) {
  }
  try {
    (void)lamtool::image::decode(bytes, "fuzz");
  } catch (const lamtool::Error&) {
  }
  if (lamtool::image::sniff(bytes) == lamtool::image::FileType::kGif) {
    try {
      (void)lamtool::image::decode_gif_frames(bytes, "fuzz",
                                              [](const lamtool::image::Image&, int) {});
    } catch (const lamtool::Error&) {
    }
  }
  return 0;
}
