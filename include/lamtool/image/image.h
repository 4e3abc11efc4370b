#pragma once
// Pictures as the image module works on them (DESIGN.md section 5): 8-bit RGBA, not
// premultiplied, rows top to bottom. Decoders check a picture's size before its pixels
// are allocated (check_dimensions), so a hostile header cannot make us allocate gigabytes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lamtool::image {

struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;  ///< width * height * 4 bytes

  Image() = default;
  /// A picture of this size filled with transparent black. Calls check_dimensions.
  Image(int w, int h, std::string_view name = "image");
  std::uint8_t* at(int x, int y) {
    return rgba.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                          static_cast<std::size_t>(x)) *
                             4;
  }
  const std::uint8_t* at(int x, int y) const {
    return rgba.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                          static_cast<std::size_t>(x)) *
                             4;
  }
  bool empty() const { return width == 0 || height == 0; }
};

/// The largest picture we decode or make: each side at most kMaxSide and at most
/// kMaxPixels in all (a 50,000 x 50,000 frame is refused before any allocation).
inline constexpr int kMaxSide = 16384;
inline constexpr std::size_t kMaxPixels = 40'000'000;

/// Throws DataError (65) "<name>: picture of WxH pixels is larger than lamtool takes (...)"
/// or "<name>: picture has no pixels (WxH)" unless 1 <= w, h <= kMaxSide and
/// w * h <= kMaxPixels.
void check_dimensions(long long w, long long h, std::string_view name);

/// An opaque colour, for --background.
struct Color {
  std::uint8_t r = 255, g = 255, b = 255;
};

/// `--background`: "white", "black", "#rrggbb", "#rgb", "rrggbb" or "none" (nullopt:
/// keep transparency). UsageError naming the flag otherwise.
std::optional<Color> parse_background(std::string_view text);

/// Puts `background` behind every pixel (source-over), leaving every alpha at 255.
void flatten(Image& img, Color background);

/// Sets alpha to 0 or 255 (threshold 128) and the colour of fully transparent pixels to
/// black, as GIF's 1-bit transparency will show them.
void binarize_alpha(Image& img);

}  // namespace lamtool::image
