#pragma once
// Reading and writing pictures: PNG (any colour type and depth, palette, tRNS and
// alpha) with libpng, JPEG with libjpeg-turbo, GIF (every frame, disposal honoured) with
// giflib, all from memory. Errors are DataError (65) whose message names the picture
// (`name`, a file name or URL) and what is wrong ("not a PNG, JPEG or GIF picture",
// "truncated", "picture of 50000x50000 pixels is larger than ...").

#include <functional>
#include <string>
#include <string_view>

#include "lamtool/image/image.h"

namespace lamtool::image {

enum class FileType { kUnknown, kPng, kJpeg, kGif };

/// By the first bytes (signature), not by the name.
FileType sniff(std::string_view bytes);

/// The size in the header, without decoding the pixels (check_dimensions not applied).
/// DataError when the header cannot be read.
struct Dimensions {
  int width = 0;
  int height = 0;
};
Dimensions read_dimensions(std::string_view bytes, std::string_view name);

/// Decodes a PNG, JPEG or the first frame of a GIF to RGBA. Checks the header's size with
/// check_dimensions before allocating. A truncated file is an error, not a partial picture.
Image decode(std::string_view bytes, std::string_view name);

/// Decodes every frame of a GIF as the viewer shows it (each frame composited over the
/// canvas left by the previous one's disposal), calling `frame(picture, delay_cs)` for
/// each in order. Returns the loop count in its NETSCAPE2.0 block, or -1 when the file
/// has none (0 means forever). For tests and for GIF frames given to `lamtool gif`.
int decode_gif_frames(std::string_view bytes, std::string_view name,
                      const std::function<void(const Image&, int delay_cs)>& frame);

/// Encodes as PNG: RGB when every alpha is 255, else RGBA; 8 bits per channel.
std::string encode_png(const Image& img);
/// Encodes as baseline JPEG (quality 1..100) after flattening onto white.
std::string encode_jpeg(const Image& img, int quality = 85);

}  // namespace lamtool::image
