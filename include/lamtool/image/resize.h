#pragma once
// High-quality resizing for thumbnails: a separable windowed-sinc (Lanczos-3) filter
// widened by the scale factor when shrinking, so every source pixel contributes
// (area-averaging in effect, without its blockiness), computed on premultiplied alpha so
// transparent pixels do not bleed dark fringes.

#include <string_view>

#include "lamtool/image/image.h"

namespace lamtool::image {

/// cover: scale to fill the box and crop the centre; contain: scale to fit inside the
/// box (the result may be smaller than the box on one side); fill: stretch to the box.
enum class Fit { kCover, kContain, kFill };

/// "cover", "contain", "fill"; UsageError naming --fit otherwise.
Fit parse_fit(std::string_view text);

/// Resamples the whole of `src` to w x h.
Image resize(const Image& src, int w, int h);

/// A thumbnail within w x h by `fit` (see Fit). Never upscales a side by more than the
/// box asks: a picture smaller than the box is scaled up to it, as the box is what was
/// asked for.
Image thumbnail(const Image& src, int w, int h, Fit fit);

/// The size a `fit` gives for a src_w x src_h picture in a w x h box (contain may be
/// smaller than the box; cover and fill are the box).
struct Size {
  int width = 0;
  int height = 0;
};
Size fitted_size(int src_w, int src_h, int w, int h, Fit fit);

}  // namespace lamtool::image
