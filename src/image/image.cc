#include "lamtool/image/image.h"

#include <fmt/format.h>

#include <cctype>
#include <string>

#include "lamtool/error.h"

namespace lamtool::image {

Image::Image(int w, int h, std::string_view name) {
  check_dimensions(w, h, name);
  width = w;
  height = h;
  rgba.assign(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4, 0);
}

void check_dimensions(long long w, long long h, std::string_view name) {
  if (w < 1 || h < 1) {
    throw DataError(fmt::format("'{}': picture has no pixels ({}x{})", name, w, h));
  }
  // Each side is checked first, so the product below cannot overflow.
  if (w > kMaxSide || h > kMaxSide ||
      static_cast<unsigned long long>(w) * static_cast<unsigned long long>(h) > kMaxPixels) {
    throw DataError(fmt::format(
        "'{}': picture of {}x{} pixels is larger than lamtool takes (at most {} pixels a "
        "side and {} in all)",
        name, w, h, kMaxSide, kMaxPixels));
  }
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "rrggbb" or "rgb" (each digit doubled), nullopt for anything else.
std::optional<Color> parse_hex(std::string_view hex) {
  if (hex.size() != 6 && hex.size() != 3) return std::nullopt;
  int digits[6];
  for (std::size_t i = 0; i < hex.size(); ++i) {
    digits[i] = hex_digit(hex[i]);
    if (digits[i] < 0) return std::nullopt;
  }
  auto channel = [&](std::size_t i) {
    const int v = hex.size() == 6 ? digits[2 * i] * 16 + digits[2 * i + 1] : digits[i] * 17;
    return static_cast<std::uint8_t>(v);
  };
  return Color{channel(0), channel(1), channel(2)};
}

}  // namespace

std::optional<Color> parse_background(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "none") return std::nullopt;
  if (lower == "white") return Color{255, 255, 255};
  if (lower == "black") return Color{0, 0, 0};
  std::string_view hex = lower;
  if (!hex.empty() && hex.front() == '#') hex.remove_prefix(1);
  if (auto color = parse_hex(hex)) return color;
  throw UsageError(
      fmt::format("--background '{}': expected white, black, none, #rrggbb or #rgb", text));
}

void flatten(Image& img, Color background) {
  const int bg[3] = {background.r, background.g, background.b};
  for (std::size_t i = 0; i + 3 < img.rgba.size(); i += 4) {
    std::uint8_t* p = img.rgba.data() + i;
    const int a = p[3];
    if (a == 255) continue;
    for (int c = 0; c < 3; ++c) {
      // p * a + bg * (255 - a), divided by 255 and rounded.
      const int v = p[c] * a + bg[c] * (255 - a) + 127;
      p[c] = static_cast<std::uint8_t>(v / 255);
    }
    p[3] = 255;
  }
}

void binarize_alpha(Image& img) {
  for (std::size_t i = 0; i + 3 < img.rgba.size(); i += 4) {
    std::uint8_t* p = img.rgba.data() + i;
    if (p[3] >= 128) {
      p[3] = 255;
    } else {
      p[0] = p[1] = p[2] = p[3] = 0;
    }
  }
}

}  // namespace lamtool::image
