#pragma once
// GIF's variable-code-size LZW (GIF89a specification, appendix F), our own encoder.
// Codes grow from min_code_size + 1 bits up to 12. When the dictionary holds 4096
// entries, either a clear code is sent at once or (Clear::kDeferred) the full dictionary
// is kept in use, no longer growing, until the codes it gives get longer than they were
// (the specification allows a deferred clear; decoders simply stop adding entries). The output is
// the image data as it sits in the file: the min code size byte, data sub-blocks of at most 255
// bytes, and the empty block.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lamtool::image::gif {

/// An LZW encoder whose dictionary (a hash table) is reused from call to call.
class LzwEncoder {
 public:
  enum class Clear { kAtOnce, kDeferred };

  /// Appends the encoded `pixels` (each < 2^min_code_size) to `out`. min_code_size: 2..8.
  ///
  /// Flexible pixels: when `flexible` is not null, a pixel i with flexible[i] != 0 may
  /// be written either as pixels[i] or as `alt` (both show the same on screen: an
  /// unchanged pixel and the transparent index). The encoder then extends the current
  /// string with whichever of the two the dictionary already knows, which makes the
  /// matches longer; a new string starts with `alt`.
  void encode(const std::uint8_t* pixels, std::size_t n, int min_code_size, std::string& out,
              const std::uint8_t* flexible = nullptr, std::uint8_t alt = 0,
              Clear policy = Clear::kDeferred);

 private:
  // The dictionary as a dense child table: child_[code << min_code_size | pixel] is the
  // code of that string extended by that pixel, 0 for none (code 0 is a root, never a
  // child). A code's row is zeroed when the code is made, so a clear costs only the
  // roots' rows. At most 4096 x 256 entries (2 MB) for 8-bit pixels.
  std::vector<std::uint16_t> child_;
};

}  // namespace lamtool::image::gif
