// encode_gif (include/lamtool/image/gif.h): two passes over the frames, a global palette
// (image/quantize.h), each frame after the first reduced to what changed, our own LZW
// (image/lzw.h). Bytes go out frame by frame.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "image/lzw.h"
#include "image/quantize.h"
#include "lamtool/error.h"
#include "lamtool/image/gif.h"
#include "lamtool/interrupt.h"

namespace lamtool::image {
namespace {

using gif::Rgb;

struct Rect {
  int x = 0, y = 0, w = 0, h = 0;
  bool empty() const { return w <= 0 || h <= 0; }
  Rect united(const Rect& o) const {
    if (empty()) return o;
    if (o.empty()) return *this;
    const int x0 = std::min(x, o.x), y0 = std::min(y, o.y);
    const int x1 = std::max(x + w, o.x + o.w), y1 = std::max(y + h, o.y + o.h);
    return {x0, y0, x1 - x0, y1 - y0};
  }
};

void put_u16(std::string& s, int v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>((v >> 8) & 0xff);
}

// Bits for indices 0..max_index (at least 1).
int bits_for(int max_index) {
  int b = 1;
  while ((1 << b) <= max_index) ++b;
  return b;
}

// Bounding box of the pixels where `pred(row a, row b, x)` holds, rows compared whole first.
template <typename Pred>
Rect bbox(int w, int h, Pred pred) {
  int x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (!pred(y, x)) continue;
      x0 = std::min(x0, x);
      x1 = std::max(x1, x);
      y0 = std::min(y0, y);
      y1 = y;
      // Only the right end of this row can still widen the box: jump there.
      for (int xr = w - 1; xr > x; --xr)
        if (pred(y, xr)) {
          x1 = std::max(x1, xr);
          break;
        }
      break;
    }
  }
  if (x1 < 0) return {};
  return {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

class Encoder {
 public:
  Encoder(int width, int height, int table_size, int transparent)
      : w_(width), h_(height), table_size_(table_size), transparent_(transparent) {}

  // One frame: Graphic Control Extension, Image Descriptor, LZW data. `canvas` is what is
  // shown before it (null for the first frame: written whole), `target` what it shows.
  std::string frame(const std::uint8_t* canvas, const std::uint8_t* target, Rect rect, int disposal,
                    int delay_cs) {
    if (rect.empty()) rect = {0, 0, 1, 1};  // nothing changed: still a frame, of one pixel
    const std::size_t n = static_cast<std::size_t>(rect.w) * static_cast<std::size_t>(rect.h);
    vals_.resize(n);
    same_.assign(n, 0);
    std::array<bool, 256> used{};
    std::size_t k = 0;
    for (int y = rect.y; y < rect.y + rect.h; ++y) {
      const std::size_t row = static_cast<std::size_t>(y) * static_cast<std::size_t>(w_);
      for (int x = rect.x; x < rect.x + rect.w; ++x, ++k) {
        const std::size_t p = row + static_cast<std::size_t>(x);
        vals_[k] = target[p];
        if (canvas && canvas[p] == target[p])
          same_[k] = 1;
        else
          used[target[p]] = true;
      }
    }
    // The transparent index: the reserved one when the frames keep transparency; else
    // the lowest index no changed pixel uses (often an unused palette slot, or a colour
    // absent from this rectangle), so no slot has to be reserved and the code size stays
    // as small as the frame's colours allow.
    int t = transparent_;
    if (t < 0 && canvas) {
      for (int i = 0; i < table_size_; ++i)
        if (!used[static_cast<std::size_t>(i)]) {
          t = i;
          break;
        }
    }
    int max_changed = 0, max_all = 0;
    for (std::size_t i = 0; i < n; ++i) {
      max_all = std::max<int>(max_all, vals_[i]);
      if (!same_[i]) max_changed = std::max<int>(max_changed, vals_[i]);
    }
    // Candidates, the shortest kept: every pixel as it is; unchanged pixels as the
    // transparent index (long runs); unchanged pixels as either, whichever continues
    // the current LZW string.
    // Each candidate with a clear code as soon as the dictionary is full, and with the
    // clear deferred while the full dictionary still serves (lzw.h).
    std::string best, s;
    bool best_t = false;
    auto attempt = [&](const std::uint8_t* values, int mcs, const std::uint8_t* flexible,
                       bool with_t) {
      for (auto policy : {gif::LzwEncoder::Clear::kDeferred, gif::LzwEncoder::Clear::kAtOnce}) {
        s.clear();
        lzw_.encode(values, n, mcs, s, flexible, static_cast<std::uint8_t>(std::max(t, 0)), policy);
        if (best.empty() || s.size() < best.size()) best.swap(s), best_t = with_t;
      }
    };
    attempt(vals_.data(), std::max(2, bits_for(max_all)), nullptr, transparent_ >= 0);
    if (t >= 0 && canvas) {
      const int mcs = std::max(2, bits_for(std::max(max_changed, t)));
      const int limit = 1 << mcs;
      alt_.resize(n);
      flex_.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        alt_[i] = same_[i] ? static_cast<std::uint8_t>(t) : vals_[i];
        flex_[i] = same_[i] && vals_[i] < limit;
      }
      attempt(alt_.data(), mcs, nullptr, true);
      for (std::size_t i = 0; i < n; ++i)
        if (flex_[i]) alt_[i] = vals_[i];
      attempt(alt_.data(), mcs, flex_.data(), true);
    }
    std::string out;
    out.reserve(best.size() + 20);
    out += "\x21\xf9\x04";
    out += static_cast<char>((disposal << 2) | (best_t ? 1 : 0));
    put_u16(out, delay_cs);
    out += static_cast<char>(best_t ? t : 0);
    out += '\0';
    out += '\x2c';
    put_u16(out, rect.x);
    put_u16(out, rect.y);
    put_u16(out, rect.w);
    put_u16(out, rect.h);
    out += '\0';  // no local colour table, not interlaced
    out += best;
    return out;
  }

 private:
  int w_, h_, table_size_, transparent_;
  gif::LzwEncoder lzw_;
  std::vector<std::uint8_t> vals_, same_, alt_, flex_;
};

std::string size_text(const Image& img) { return fmt::format("{}x{}", img.width, img.height); }

void check_frame(const Image& img, std::size_t i, const Image* first) {
  if (img.width <= 0 || img.height <= 0 || img.width > 65535 || img.height > 65535 ||
      img.rgba.size() !=
          static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 4)
    throw DataError(fmt::format("frame {}: no usable pixels ({} pixels)", i + 1, size_text(img)));
  if (first && (img.width != first->width || img.height != first->height))
    throw DataError(fmt::format("frame {}: {} pixels, the first frame is {}", i + 1, size_text(img),
                                size_text(*first)));
}

}  // namespace

int delay_centiseconds(int ms) {
  if (ms < 0) ms = 0;
  const long cs = (static_cast<long>(ms) + 5) / 10;
  return static_cast<int>(std::clamp(cs, 2L, 65535L));
}

GifStats encode_gif(FrameSource& frames, const GifOptions& options,
                    const std::function<void(std::string_view)>& out) {
  if (options.colors < 2 || options.colors > 256)
    throw UsageError(fmt::format("--colors {}: give 2 to 256", options.colors));
  if (options.plays < 0 || options.plays > 65536)
    throw UsageError(fmt::format("--plays {}: give 0 (forever) to 65536", options.plays));
  const std::size_t n = frames.count();
  if (n == 0) throw UsageError("gif: no frames");

  // Pass 1: the colours of every frame.
  const bool keep_t = options.transparency;
  const std::size_t limit = static_cast<std::size_t>(options.colors) - (keep_t ? 1 : 0);
  gif::ColorCollector colors(limit, keep_t);
  Image first;
  for (std::size_t i = 0; i < n; ++i) {
    check_interrupted();  // a GIF of many frames takes a while: a signal stops it here
    Image img = frames.frame(i);
    check_frame(img, i, i == 0 ? nullptr : &first);
    colors.add(img);
    if (i == 0) {
      first.width = img.width;
      first.height = img.height;
    }
  }
  const int width = first.width, height = first.height;
  const bool exact = colors.exact();
  std::vector<Rgb> palette = exact ? colors.exact_colors() : colors.quantized(limit);
  const int transparent = keep_t ? 0 : -1;
  if (keep_t) palette.insert(palette.begin(), Rgb{0, 0, 0});
  if (palette.empty()) palette.push_back(Rgb{0, 0, 0});
  const int palette_colors = static_cast<int>(palette.size());
  const int table_bits = bits_for(palette_colors - 1);
  const int table_size = 1 << table_bits;

  GifStats stats;
  stats.exact = exact;
  stats.palette_colors = palette_colors - (keep_t ? 1 : 0);
  auto emit = [&](const std::string& bytes) {
    stats.bytes += bytes.size();
    out(bytes);
  };

  // Header, logical screen, global colour table, loop count.
  std::string head = "GIF89a";
  put_u16(head, width);
  put_u16(head, height);
  head += static_cast<char>(0x80 | (7 << 4) | (table_bits - 1));
  head += '\0';  // background colour index
  head += '\0';  // pixel aspect ratio
  for (int i = 0; i < table_size; ++i) {
    const Rgb c = i < palette_colors ? palette[static_cast<std::size_t>(i)] : Rgb{0, 0, 0};
    head.append(reinterpret_cast<const char*>(c.data()), 3);
  }
  if (options.plays != 1) {
    head += "\x21\xff\x0bNETSCAPE2.0\x03\x01";
    put_u16(head, options.plays == 0 ? 0 : options.plays - 1);
    head += '\0';
  }
  emit(head);

  // Pass 2. A frame is written once the next one is known: with transparency kept, a
  // pixel that turns transparent needs the frame before it disposed (restored to
  // transparent, disposal 2) over a rectangle covering it.
  gif::Mapper mapper(palette, transparent, exact, options.dither);
  Encoder encoder(width, height, table_size, transparent);
  const std::size_t area = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  std::vector<std::uint8_t> canvas(area), pending, next;
  const auto tg = static_cast<std::uint8_t>(std::max(transparent, 0));
  auto write_pending = [&](std::size_t k, const std::vector<std::uint8_t>* following) {
    const std::uint8_t* c = canvas.data();
    const std::uint8_t* p = pending.data();
    const std::size_t w = static_cast<std::size_t>(width);
    Rect rect = k == 0 ? Rect{0, 0, width, height} : bbox(width, height, [&](int y, int x) {
      const std::size_t i = static_cast<std::size_t>(y) * w + static_cast<std::size_t>(x);
      return c[i] != p[i];
    });
    int disposal = 1;
    if (keep_t && following) {
      const std::uint8_t* f = following->data();
      const Rect clear = bbox(width, height, [&](int y, int x) {
        const std::size_t i = static_cast<std::size_t>(y) * w + static_cast<std::size_t>(x);
        return f[i] == tg && p[i] != tg;
      });
      if (!clear.empty()) {
        disposal = 2;
        rect = rect.united(clear);
      }
    }
    emit(encoder.frame(k == 0 ? nullptr : c, p, rect, disposal,
                       delay_centiseconds(frames.delay_ms(k))));
    ++stats.frames;
    canvas = pending;
    if (disposal == 2) {
      if (rect.empty()) rect = {0, 0, 1, 1};
      for (int y = rect.y; y < rect.y + rect.h; ++y)
        std::memset(
            canvas.data() + static_cast<std::size_t>(y) * w + static_cast<std::size_t>(rect.x), tg,
            static_cast<std::size_t>(rect.w));
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    check_interrupted();
    {
      Image img = frames.frame(i);
      check_frame(img, i, &first);
      mapper.map(img, next);
    }
    if (i > 0) write_pending(i - 1, &next);
    pending.swap(next);
  }
  write_pending(n - 1, nullptr);
  emit(std::string(1, '\x3b'));  // trailer
  return stats;
}

}  // namespace lamtool::image
