#pragma once
// The global palette of a GIF and the mapping of pixels onto it (DESIGN.md section 5):
// the exact colours when there are few enough, else median cut refined by k-means over a
// histogram of every frame; ordered dithering when the palette is not exact.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "lamtool/image/image.h"

namespace lamtool::image::gif {

using Rgb = std::array<std::uint8_t, 3>;

/// Colours seen in the frames (pass 1): exactly while there are at most `limit`, and in
/// a 5-bit-per-channel histogram (counts and summed colours) always, so memory stays
/// bounded whatever the frames hold.
class ColorCollector {
 public:
  explicit ColorCollector(std::size_t limit, bool transparency);
  void add(const Image& img);
  bool exact() const { return exact_; }
  /// Exact colours, most frequent first (only while exact()).
  std::vector<Rgb> exact_colors() const;
  /// A palette of at most `n` colours: median cut, then k-means on the histogram.
  std::vector<Rgb> quantized(std::size_t n) const;

 private:
  struct Bucket {
    std::uint64_t count = 0, r = 0, g = 0, b = 0;
  };
  std::size_t limit_;
  bool transparency_;
  bool exact_ = true;
  // Open addressing on 0x00rrggbb + 1 (0 = empty); sized 4 x the limit.
  std::vector<std::uint32_t> keys_;
  std::vector<std::uint64_t> counts_;
  std::size_t distinct_ = 0;
  std::vector<Bucket> hist_;
};

/// Maps RGBA pixels to palette indices (pass 2).
class Mapper {
 public:
  /// `palette` as it goes to the file; `transparent` the reserved index for alpha < 128
  /// pixels (-1: none). Dithering only applies when !exact.
  Mapper(const std::vector<Rgb>& palette, int transparent, bool exact, bool dither);
  /// Indices of every pixel of `img`, row by row.
  void map(const Image& img, std::vector<std::uint8_t>& out);

 private:
  std::uint8_t nearest(int r, int g, int b) const;
  std::uint8_t exact_index(std::uint32_t rgb) const;
  std::vector<Rgb> palette_;
  int transparent_;
  bool exact_;
  bool dither_;
  int strength_ = 0;                 ///< dither amplitude per channel, in 1/64ths of a level
  std::vector<std::uint32_t> keys_;  ///< exact: rgb + 1 per slot
  std::vector<std::uint8_t> values_;
  std::vector<std::uint16_t> cache_;  ///< quantised: 6 bits per channel -> index, 0xffff
};

}  // namespace lamtool::image::gif
