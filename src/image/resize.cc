#include "lamtool/image/resize.h"

// Separable resampling in two passes: each source row is premultiplied into floats and
// filtered horizontally into an intermediate picture (source height x target width, in
// floats), then each target row is a weighted sum of intermediate rows, unpremultiplied
// and rounded. The weights of each target column and row are computed once.
//
// The filter is Lanczos-3, stretched by the scale factor when shrinking so that it
// averages over every source pixel under the target pixel. At the edges the window is
// cut to the picture and its weights renormalised (as Pillow's resampler does), which
// is the same as clamping the window to the picture: no pixel outside is made up.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "lamtool/error.h"

namespace lamtool::image {
namespace {

constexpr double kLobes = 3.0;

double sinc(double x) {
  if (x == 0.0) return 1.0;
  x *= std::numbers::pi;
  return std::sin(x) / x;
}

double lanczos3(double x) { return std::abs(x) < kLobes ? sinc(x) * sinc(x / kLobes) : 0.0; }

// For each target pixel along one axis: the first source pixel and the weights of it and
// those after it (`stride` slots each, the unused ones zero).
struct Weights {
  std::vector<int> first;
  std::vector<int> count;
  std::vector<float> w;
  int stride = 0;
};

// Target pixel i of `out` covers source coordinates [offset + i * scale, ... + scale) in
// a source of `in` pixels along this axis, starting at `offset` (a crop).
Weights make_weights(int in_begin, int in_size, int out) {
  const double scale = static_cast<double>(in_size) / out;
  const double stretch = std::max(scale, 1.0);
  const double support = kLobes * stretch;
  Weights t;
  t.stride = static_cast<int>(std::ceil(support)) * 2 + 1;
  t.first.resize(static_cast<std::size_t>(out));
  t.count.resize(static_cast<std::size_t>(out));
  t.w.assign(static_cast<std::size_t>(out) * static_cast<std::size_t>(t.stride), 0.0f);
  std::vector<double> k(static_cast<std::size_t>(t.stride));
  for (int i = 0; i < out; ++i) {
    const double center = (i + 0.5) * scale;
    const int lo = std::max(static_cast<int>(center - support + 0.5), 0);
    const int hi = std::min(static_cast<int>(center + support + 0.5), in_size);
    const int n = std::min(hi - lo, t.stride);
    double sum = 0;
    for (int j = 0; j < n; ++j) {
      k[static_cast<std::size_t>(j)] = lanczos3((lo + j + 0.5 - center) / stretch);
      sum += k[static_cast<std::size_t>(j)];
    }
    float* w = &t.w[static_cast<std::size_t>(i) * static_cast<std::size_t>(t.stride)];
    for (int j = 0; j < n; ++j) {
      w[j] = static_cast<float>(sum != 0.0 ? k[static_cast<std::size_t>(j)] / sum : 0.0);
    }
    t.first[static_cast<std::size_t>(i)] = in_begin + lo;
    t.count[static_cast<std::size_t>(i)] = n;
  }
  return t;
}

// Premultiplied floats of one source row (from column x0, `n` pixels).
void premultiply_row(const std::uint8_t* p, int n, float* out) {
  constexpr float kInv255 = 1.0f / 255.0f;
  for (int x = 0; x < n; ++x, p += 4, out += 4) {
    const float a = p[3] * kInv255;
    out[0] = p[0] * a;
    out[1] = p[1] * a;
    out[2] = p[2] * a;
    out[3] = p[3];
  }
}

// One row through the horizontal weights: `in` is a premultiplied row whose element 0 is
// source column `x0`.
void filter_row(const float* in, int x0, const Weights& t, float* out) {
  const std::size_t targets = t.first.size();
  for (std::size_t i = 0; i < targets; ++i, out += 4) {
    const float* w = &t.w[i * static_cast<std::size_t>(t.stride)];
    const float* p = in + static_cast<std::ptrdiff_t>(t.first[i] - x0) * 4;
    float acc[4] = {0, 0, 0, 0};
    for (int j = 0; j < t.count[i]; ++j, p += 4) {
      for (int c = 0; c < 4; ++c) acc[c] += w[j] * p[c];
    }
    for (int c = 0; c < 4; ++c) out[c] = acc[c];
  }
}

std::uint8_t to_byte(float v) {
  return static_cast<std::uint8_t>(std::clamp(v, 0.0f, 255.0f) + 0.5f);
}

// A premultiplied float row to 8-bit RGBA, not premultiplied.
void unpremultiply_row(const float* in, int n, std::uint8_t* out) {
  for (int x = 0; x < n; ++x, in += 4, out += 4) {
    const std::uint8_t a = to_byte(in[3]);
    if (a == 0) {
      out[0] = out[1] = out[2] = out[3] = 0;
      continue;
    }
    const float k = 255.0f / std::clamp(in[3], 1.0f, 255.0f);
    for (int c = 0; c < 3; ++c) out[c] = to_byte(in[c] * k);
    out[3] = a;
  }
}

// Resamples the rectangle (x0, y0, cw, ch) of `src` to w x h.
Image resize_rect(const Image& src, int x0, int y0, int cw, int ch, int w, int h) {
  if (src.empty()) throw DataError("cannot resize an empty picture");
  Image out(w, h, "resized picture");
  const Weights across = make_weights(x0, cw, w);
  const Weights down = make_weights(y0, ch, h);
  // 1. Horizontal: only the source rows some target row reads.
  const int row_lo = down.first.front();
  const int row_hi = down.first.back() + down.count.back();
  const std::size_t mid_row = static_cast<std::size_t>(w) * 4;
  std::vector<float> mid(static_cast<std::size_t>(row_hi - row_lo) * mid_row);
  std::vector<float> line(static_cast<std::size_t>(cw) * 4);
  for (int y = row_lo; y < row_hi; ++y) {
    premultiply_row(src.at(x0, y), cw, line.data());
    filter_row(line.data(), x0, across, &mid[static_cast<std::size_t>(y - row_lo) * mid_row]);
  }
  // 2. Vertical: each target row a weighted sum of whole intermediate rows.
  std::vector<float> acc(mid_row);
  for (int i = 0; i < h; ++i) {
    const std::size_t ii = static_cast<std::size_t>(i);
    const float* wt = &down.w[ii * static_cast<std::size_t>(down.stride)];
    std::fill(acc.begin(), acc.end(), 0.0f);
    for (int j = 0; j < down.count[ii]; ++j) {
      const float* row = &mid[static_cast<std::size_t>(down.first[ii] + j - row_lo) * mid_row];
      const float k = wt[j];
      for (std::size_t e = 0; e < mid_row; ++e) acc[e] += k * row[e];
    }
    unpremultiply_row(acc.data(), w, out.at(0, i));
  }
  return out;
}

}  // namespace

Fit parse_fit(std::string_view text) {
  if (text == "cover") return Fit::kCover;
  if (text == "contain") return Fit::kContain;
  if (text == "fill") return Fit::kFill;
  throw UsageError(fmt::format("--fit '{}': expected cover, contain or fill", text));
}

Size fitted_size(int src_w, int src_h, int w, int h, Fit fit) {
  if (fit != Fit::kContain || src_w < 1 || src_h < 1) return {w, h};
  // Scale by the smaller of w / src_w and h / src_h; the other side rounded, at least 1.
  const long long sw = src_w, sh = src_h;
  if (sw * h >= static_cast<long long>(w) * sh) {
    return {w, static_cast<int>(std::max(1LL, (2 * sh * w + sw) / (2 * sw)))};
  }
  return {static_cast<int>(std::max(1LL, (2 * sw * h + sh) / (2 * sh))), h};
}

Image resize(const Image& src, int w, int h) {
  return resize_rect(src, 0, 0, src.width, src.height, w, h);
}

Image thumbnail(const Image& src, int w, int h, Fit fit) {
  if (src.empty()) throw DataError("cannot make a thumbnail of an empty picture");
  if (fit != Fit::kCover) {
    const Size size = fitted_size(src.width, src.height, w, h, fit);
    return resize(src, size.width, size.height);
  }
  // The centre of the source with the box's aspect ratio, rounded to whole pixels.
  const long long sw = src.width, sh = src.height;
  int cw = src.width, ch = src.height;
  if (sw * h > static_cast<long long>(w) * sh) {
    cw = static_cast<int>(std::max(1LL, (2 * sh * w + h) / (2LL * h)));
  } else {
    ch = static_cast<int>(std::max(1LL, (2 * sw * h + w) / (2LL * w)));
  }
  return resize_rect(src, (src.width - cw) / 2, (src.height - ch) / 2, cw, ch, w, h);
}

}  // namespace lamtool::image
