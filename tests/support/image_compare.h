#pragma once
// Golden-image comparison with a tolerance (STYLE.md section 7): PNGs are decoded with
// Cairo and compared pixel by pixel, never byte for byte.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace lamtool::test {

/// A decoded picture: non-premultiplied 8-bit RGBA, row-major.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;  // 4 bytes per pixel
  const std::uint8_t* at(int x, int y) const {
    return &rgba[(static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                  static_cast<std::size_t>(x)) *
                 4];
  }
};

/// Decodes PNG bytes; throws std::runtime_error if they are not a PNG.
Image decode_png(const std::string& png);
/// Encodes an image as PNG bytes.
std::string encode_png(const Image& image);

struct ImageDiff {
  bool same_size = false;
  double rms = 0;              // over all channels, in 0..255 units
  double differing_share = 0;  // pixels with some channel off by more than the threshold
  Image diff;                  // differing pixels in red over a faded copy of `actual`
};

/// Compares two images of the same size (same_size false otherwise).
ImageDiff compare_images(const Image& expected, const Image& actual, int channel_threshold = 24);

struct GoldenTolerance {
  double max_rms = 2.0;
  double max_differing_share = 0.005;
};

/// Compares PNG bytes with tests/golden/<name>.png. On failure writes <name>.actual.png and
/// <name>.diff.png into out_dir. With LAMTOOL_UPDATE_GOLDEN=1 it rewrites the golden and
/// passes.
::testing::AssertionResult matches_golden(const std::string& png, const std::string& golden_dir,
                                          const std::string& name, const std::string& out_dir,
                                          const GoldenTolerance& tolerance = {});

}  // namespace lamtool::test
