#include "image/quantize.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>

namespace lamtool::image::gif {
namespace {

inline std::uint32_t pack(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) << 16 | static_cast<std::uint32_t>(p[1]) << 8 | p[2];
}

inline std::size_t hash_slot(std::uint32_t key, std::size_t mask) {
  return static_cast<std::size_t>((key * 2654435761u) >> 7) & mask;
}

inline int sq(int v) { return v * v; }

// A point of the histogram: the mean colour of a bucket and how many pixels it holds.
struct Point {
  double c[3];
  double w;
};

// Weighted sum of squared distances to the mean, per axis, of points [lo, hi).
void box_stats(const std::vector<Point>& pts, std::size_t lo, std::size_t hi, double var[3],
               double mean[3]) {
  double w = 0, s[3] = {0, 0, 0}, s2[3] = {0, 0, 0};
  for (std::size_t i = lo; i < hi; ++i) {
    w += pts[i].w;
    for (int a = 0; a < 3; ++a) {
      s[a] += pts[i].w * pts[i].c[a];
      s2[a] += pts[i].w * pts[i].c[a] * pts[i].c[a];
    }
  }
  for (int a = 0; a < 3; ++a) {
    mean[a] = w > 0 ? s[a] / w : 0;
    var[a] = w > 0 ? s2[a] - s[a] * s[a] / w : 0;
  }
}

Rgb to_rgb(const double c[3]) {
  Rgb out;
  for (int a = 0; a < 3; ++a)
    out[static_cast<std::size_t>(a)] =
        static_cast<std::uint8_t>(std::clamp(std::lround(c[a]), 0L, 255L));
  return out;
}

// The 8 x 8 Bayer matrix, 0..63.
constexpr std::uint8_t kBayer[8][8] = {
    {0, 32, 8, 40, 2, 34, 10, 42},  {48, 16, 56, 24, 50, 18, 58, 26},
    {12, 44, 4, 36, 14, 46, 6, 38}, {60, 28, 52, 20, 62, 30, 54, 22},
    {3, 35, 11, 43, 1, 33, 9, 41},  {51, 19, 59, 27, 49, 17, 57, 25},
    {15, 47, 7, 39, 13, 45, 5, 37}, {63, 31, 55, 23, 61, 29, 53, 21}};

}  // namespace

ColorCollector::ColorCollector(std::size_t limit, bool transparency)
    : limit_(limit),
      transparency_(transparency),
      keys_(std::bit_ceil(limit * 4 + 4), 0),
      counts_(keys_.size(), 0),
      hist_(32768) {}

void ColorCollector::add(const Image& img) {
  const std::size_t n = static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height);
  const std::uint8_t* p = img.rgba.data();
  const std::size_t mask = keys_.size() - 1;
  // Runs of one colour are counted once: maps are mostly flat areas.
  std::uint32_t run_rgb = 0;
  std::uint64_t run = 0;
  auto flush = [&] {
    if (run == 0) return;
    const std::uint32_t r = run_rgb >> 16, g = (run_rgb >> 8) & 0xff, b = run_rgb & 0xff;
    Bucket& bk = hist_[(r >> 3) << 10 | (g >> 3) << 5 | (b >> 3)];
    bk.count += run;
    bk.r += r * run;
    bk.g += g * run;
    bk.b += b * run;
    if (exact_) {
      const std::uint32_t key = run_rgb + 1;
      std::size_t s = hash_slot(key, mask);
      while (keys_[s] != 0 && keys_[s] != key) s = (s + 1) & mask;
      if (keys_[s] == 0) {
        if (++distinct_ > limit_) {
          exact_ = false;
        } else {
          keys_[s] = key;
        }
      }
      if (exact_) counts_[s] += run;
    }
    run = 0;
  };
  for (std::size_t i = 0; i < n; ++i, p += 4) {
    if (transparency_ && p[3] < 128) continue;
    const std::uint32_t rgb = pack(p);
    if (run > 0 && rgb == run_rgb) {
      ++run;
      continue;
    }
    flush();
    run_rgb = rgb;
    run = 1;
  }
  flush();
}

std::vector<Rgb> ColorCollector::exact_colors() const {
  std::vector<std::size_t> slots;
  for (std::size_t s = 0; s < keys_.size(); ++s)
    if (keys_[s] != 0) slots.push_back(s);
  // Most frequent first, so that frames often need only the low indices (a smaller LZW
  // code size); ties by colour, for a stable order.
  std::sort(slots.begin(), slots.end(), [&](std::size_t a, std::size_t b) {
    if (counts_[a] != counts_[b]) return counts_[a] > counts_[b];
    return keys_[a] < keys_[b];
  });
  std::vector<Rgb> out;
  for (std::size_t s : slots) {
    const std::uint32_t rgb = keys_[s] - 1;
    out.push_back({static_cast<std::uint8_t>(rgb >> 16), static_cast<std::uint8_t>(rgb >> 8),
                   static_cast<std::uint8_t>(rgb)});
  }
  return out;
}

// Median cut splits, again and again, the box with the largest squared error (not the
// most pixels or the longest side: that is what PSNR measures) at the weighted median of
// its widest axis. Its boxes are a good start but their means are not where the pixels
// would be best served, so a few rounds of k-means (Lloyd) on the histogram then move
// each colour to the mean of the pixels nearest to it, which lowers the error further
// (typically 1-2 dB). On the 5-bit histogram (at most 32768 points) this stays cheap and
// bounded whatever the number of frames.
std::vector<Rgb> ColorCollector::quantized(std::size_t n) const {
  std::vector<Point> pts;
  for (const Bucket& b : hist_) {
    if (b.count == 0) continue;
    const double w = static_cast<double>(b.count);
    pts.push_back(
        {{static_cast<double>(b.r) / w, static_cast<double>(b.g) / w, static_cast<double>(b.b) / w},
         w});
  }
  if (pts.empty()) return {Rgb{0, 0, 0}};
  struct Box {
    std::size_t lo, hi;
    double err;
    int axis;
  };
  auto make_box = [&](std::size_t lo, std::size_t hi) {
    double var[3], mean[3];
    box_stats(pts, lo, hi, var, mean);
    const int axis = static_cast<int>(std::max_element(var, var + 3) - var);
    return Box{lo, hi, hi - lo > 1 ? var[0] + var[1] + var[2] : -1.0, axis};
  };
  std::vector<Box> boxes{make_box(0, pts.size())};
  while (boxes.size() < n) {
    auto it = std::max_element(boxes.begin(), boxes.end(),
                               [](const Box& a, const Box& b) { return a.err < b.err; });
    if (it->err <= 0) break;
    Box box = *it;
    const auto first = pts.begin() + static_cast<std::ptrdiff_t>(box.lo);
    const auto last = pts.begin() + static_cast<std::ptrdiff_t>(box.hi);
    std::sort(first, last,
              [a = box.axis](const Point& x, const Point& y) { return x.c[a] < y.c[a]; });
    double total = 0;
    for (auto p = first; p != last; ++p) total += p->w;
    double acc = 0;
    std::size_t cut = box.lo + 1;
    for (std::size_t i = box.lo; i + 1 < box.hi; ++i) {
      acc += pts[i].w;
      cut = i + 1;
      if (acc >= total / 2) break;
    }
    *it = make_box(box.lo, cut);
    boxes.push_back(make_box(cut, box.hi));
  }
  std::vector<std::array<double, 3>> centres;
  for (const Box& b : boxes) {
    double var[3], mean[3];
    box_stats(pts, b.lo, b.hi, var, mean);
    centres.push_back({mean[0], mean[1], mean[2]});
  }
  for (int round = 0; round < 3; ++round) {
    std::vector<std::array<double, 4>> sums(centres.size(), {0, 0, 0, 0});
    for (const Point& p : pts) {
      std::size_t best = 0;
      double best_d = std::numeric_limits<double>::max();
      for (std::size_t k = 0; k < centres.size(); ++k) {
        const double d0 = p.c[0] - centres[k][0], d1 = p.c[1] - centres[k][1],
                     d2 = p.c[2] - centres[k][2];
        const double d = d0 * d0 + d1 * d1 + d2 * d2;
        if (d < best_d) best_d = d, best = k;
      }
      for (int a = 0; a < 3; ++a) sums[best][static_cast<std::size_t>(a)] += p.w * p.c[a];
      sums[best][3] += p.w;
    }
    for (std::size_t k = 0; k < centres.size(); ++k)
      if (sums[k][3] > 0)
        for (std::size_t a = 0; a < 3; ++a) centres[k][a] = sums[k][a] / sums[k][3];
  }
  std::vector<Rgb> out;
  for (const auto& c : centres) out.push_back(to_rgb(c.data()));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Mapper::Mapper(const std::vector<Rgb>& palette, int transparent, bool exact, bool dither)
    : palette_(palette), transparent_(transparent), exact_(exact), dither_(dither && !exact) {
  if (exact_) {
    keys_.assign(std::bit_ceil(palette.size() * 4 + 4), 0);
    values_.assign(keys_.size(), 0);
    const std::size_t mask = keys_.size() - 1;
    for (std::size_t i = 0; i < palette.size(); ++i) {
      if (static_cast<int>(i) == transparent_) continue;
      const std::uint32_t key = pack(palette[i].data()) + 1;
      std::size_t s = hash_slot(key, mask);
      while (keys_[s] != 0 && keys_[s] != key) s = (s + 1) & mask;
      keys_[s] = key;
      values_[s] = static_cast<std::uint8_t>(i);
    }
    return;
  }
  cache_.assign(std::size_t{1} << 18, 0xffff);
  if (!dither_) return;
  // Dither amplitude from the palette's spacing: the median distance from a colour to its
  // nearest neighbour, per channel (/ sqrt 3, as the offset moves all three channels).
  // Enough to blend neighbouring colours in a gradient, not so much that flat areas
  // turn to noise.
  std::vector<double> nn;
  for (std::size_t i = 0; i < palette.size(); ++i) {
    if (static_cast<int>(i) == transparent_) continue;
    double best = std::numeric_limits<double>::max();
    for (std::size_t j = 0; j < palette.size(); ++j) {
      if (j == i || static_cast<int>(j) == transparent_) continue;
      const double d = sq(palette[i][0] - palette[j][0]) + sq(palette[i][1] - palette[j][1]) +
                       sq(palette[i][2] - palette[j][2]);
      best = std::min(best, d);
    }
    if (best < std::numeric_limits<double>::max()) nn.push_back(std::sqrt(best));
  }
  if (nn.empty()) return;
  std::nth_element(nn.begin(), nn.begin() + static_cast<std::ptrdiff_t>(nn.size() / 2), nn.end());
  strength_ = static_cast<int>(std::lround(std::min(nn[nn.size() / 2] / std::sqrt(3.0), 32.0)));
}

std::uint8_t Mapper::nearest(int r, int g, int b) const {
  int best = 0, best_d = std::numeric_limits<int>::max();
  for (std::size_t i = 0; i < palette_.size(); ++i) {
    if (static_cast<int>(i) == transparent_) continue;
    const int d = sq(palette_[i][0] - r) + sq(palette_[i][1] - g) + sq(palette_[i][2] - b);
    if (d < best_d) best_d = d, best = static_cast<int>(i);
  }
  return static_cast<std::uint8_t>(best);
}

std::uint8_t Mapper::exact_index(std::uint32_t rgb) const {
  const std::uint32_t key = rgb + 1;
  const std::size_t mask = keys_.size() - 1;
  for (std::size_t s = hash_slot(key, mask);; s = (s + 1) & mask) {
    if (keys_[s] == key) return values_[s];
    if (keys_[s] == 0)
      return nearest(static_cast<int>(rgb >> 16), static_cast<int>((rgb >> 8) & 0xff),
                     static_cast<int>(rgb & 0xff));
  }
}

void Mapper::map(const Image& img, std::vector<std::uint8_t>& out) {
  out.resize(static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height));
  const std::uint8_t* p = img.rgba.data();
  std::uint8_t* o = out.data();
  const auto t = static_cast<std::uint8_t>(std::max(transparent_, 0));
  const bool keep_alpha = transparent_ >= 0;
  if (exact_) {
    std::uint32_t last = 0xffffffffu;
    std::uint8_t last_index = 0;
    for (std::size_t i = 0; i < out.size(); ++i, p += 4) {
      if (keep_alpha && p[3] < 128) {
        o[i] = t;
        continue;
      }
      const std::uint32_t rgb = pack(p);
      if (rgb != last) last = rgb, last_index = exact_index(rgb);
      o[i] = last_index;
    }
    return;
  }
  for (int y = 0; y < img.height; ++y) {
    const std::uint8_t* row = kBayer[y & 7];
    for (int x = 0; x < img.width; ++x, p += 4, ++o) {
      if (keep_alpha && p[3] < 128) {
        *o = t;
        continue;
      }
      // Offset in [-strength/2, strength/2), the same at this position in every frame.
      const int off = ((2 * row[x & 7] + 1 - 64) * strength_) / 128;
      const int r = std::clamp(p[0] + off, 0, 255), g = std::clamp(p[1] + off, 0, 255),
                b = std::clamp(p[2] + off, 0, 255);
      const std::size_t key = static_cast<std::size_t>((r >> 2) << 12 | (g >> 2) << 6 | (b >> 2));
      std::uint16_t v = cache_[key];
      if (v == 0xffff) {
        v = nearest((r & ~3) + 2, (g & ~3) + 2, (b & ~3) + 2);
        cache_[key] = v;
      }
      *o = static_cast<std::uint8_t>(v);
    }
  }
}

}  // namespace lamtool::image::gif
