#pragma once
// Our animated-GIF encoder (DESIGN.md section 5). Frames come from a FrameSource that can
// give each frame again, so a global palette is built from every frame in a first pass
// and the frames are encoded in a second, with only two frames in memory at a time:
// memory stays bounded however many frames there are.
//
// - Palette: the exact colours when all frames together have at most `colors` of them
//   (no loss at all, as radar maps usually are); otherwise a median-cut palette of the
//   colours of all frames, weighted by count, shared by every frame.
// - Dithering: ordered (8x8 Bayer matrix), so a pixel whose colour did not change gets
//   the same index in every frame and the loop does not shimmer; none with exact colours.
// - Inter-frame optimisation: a frame after the first holds only the rectangle that
//   differs from the previous frame as shown, with unchanged pixels inside it written as
//   the transparent index where that makes the LZW stream shorter. Disposal "do not
//   dispose".
// - LZW: our own encoder, variable code size up to 12 bits, clear code when the table is
//   full.
// - Delays in milliseconds, stored in centiseconds rounded to nearest, never below 2 cs
//   (browsers play 0 and 1 cs at 10 cs).
// - Loop: plays == 0 writes NETSCAPE2.0 with count 0 (forever); plays == 1 writes no
//   NETSCAPE block (one play); plays N > 1 writes count N - 1 (browsers play the count
//   as repeats after the first play).

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "lamtool/image/image.h"

namespace lamtool::image {

/// The frames of an animation, each of the same size, given again on request.
class FrameSource {
 public:
  virtual ~FrameSource() = default;
  virtual std::size_t count() const = 0;
  /// Frame i (0-based), fully opaque unless the GIF keeps transparency (then alpha is 0
  /// or 255). May throw (DataError naming the frame).
  virtual Image frame(std::size_t i) = 0;
  /// Display time of frame i in milliseconds.
  virtual int delay_ms(std::size_t i) const = 0;
};

struct GifOptions {
  int colors = 256;  ///< 2..256
  /// 0: forever; 1: once (no NETSCAPE block); N: N plays in total.
  int plays = 0;
  /// The frames have transparent pixels (alpha 0) to keep as GIF transparency
  /// (--background none); the palette then reserves one index for them.
  bool transparency = false;
  bool dither = true;  ///< ordered dithering when the palette is not exact
};

/// What encode_gif measured, for the manifest.
struct GifStats {
  std::size_t frames = 0;
  std::size_t bytes = 0;
  int palette_colors = 0;  ///< colours in the global palette
  bool exact = false;      ///< no quantisation was needed
};

/// Writes the GIF's bytes to `out` as they are made (a file or upload writer). Throws
/// UsageError for options out of range, DataError for frames of different sizes, and
/// whatever the FrameSource throws.
GifStats encode_gif(FrameSource& frames, const GifOptions& options,
                    const std::function<void(std::string_view)>& out);

/// Centiseconds for a delay in milliseconds: rounded to nearest, at least 2.
int delay_centiseconds(int ms);

}  // namespace lamtool::image
