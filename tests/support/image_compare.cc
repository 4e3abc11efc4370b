#include "image_compare.h"

#include <cairo.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace lamtool::test {
namespace {

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;

struct Reader {
  const std::string& data;
  std::size_t pos = 0;
};

cairo_status_t read_chunk(void* closure, unsigned char* out, unsigned int length) {
  auto* r = static_cast<Reader*>(closure);
  if (r->data.size() - r->pos < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(out, r->data.data() + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t write_chunk(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::uint8_t unpremultiply(std::uint32_t c, std::uint32_t a) {
  return a == 0 ? 0 : static_cast<std::uint8_t>((c * 255 + a / 2) / a);
}

bool write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return static_cast<bool>(out);
}

}  // namespace

Image decode_png(const std::string& png) {
  Reader reader{png};
  SurfacePtr s(cairo_image_surface_create_from_png_stream(read_chunk, &reader));
  if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error("not a png image");
  }
  Image img;
  img.width = cairo_image_surface_get_width(s.get());
  img.height = cairo_image_surface_get_height(s.get());
  const bool has_alpha = cairo_image_surface_get_format(s.get()) == CAIRO_FORMAT_ARGB32;
  const int stride = cairo_image_surface_get_stride(s.get());
  const unsigned char* base = cairo_image_surface_get_data(s.get());
  img.rgba.reserve(static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 4);
  for (int y = 0; y < img.height; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(base + y * stride);
    for (int x = 0; x < img.width; ++x) {
      std::uint32_t p = row[x];
      std::uint32_t a = has_alpha ? p >> 24 : 255;
      img.rgba.push_back(unpremultiply((p >> 16) & 0xff, a));
      img.rgba.push_back(unpremultiply((p >> 8) & 0xff, a));
      img.rgba.push_back(unpremultiply(p & 0xff, a));
      img.rgba.push_back(static_cast<std::uint8_t>(a));
    }
  }
  return img;
}

std::string encode_png(const Image& image) {
  SurfacePtr s(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, image.width, image.height));
  cairo_surface_flush(s.get());
  const int stride = cairo_image_surface_get_stride(s.get());
  unsigned char* base = cairo_image_surface_get_data(s.get());
  for (int y = 0; y < image.height; ++y) {
    auto* row = reinterpret_cast<std::uint32_t*>(base + y * stride);
    for (int x = 0; x < image.width; ++x) {
      const std::uint8_t* p = image.at(x, y);
      std::uint32_t a = p[3];
      auto pre = [a](std::uint8_t c) { return (c * a + 127) / 255; };
      row[x] = (a << 24) | (pre(p[0]) << 16) | (pre(p[1]) << 8) | pre(p[2]);
    }
  }
  cairo_surface_mark_dirty(s.get());
  std::string out;
  cairo_surface_write_to_png_stream(s.get(), write_chunk, &out);
  return out;
}

ImageDiff compare_images(const Image& expected, const Image& actual, int channel_threshold) {
  ImageDiff d;
  d.same_size = expected.width == actual.width && expected.height == actual.height;
  if (!d.same_size) return d;
  d.diff = actual;
  double sum_sq = 0;
  std::size_t differing = 0;
  const std::size_t n =
      static_cast<std::size_t>(actual.width) * static_cast<std::size_t>(actual.height);
  for (std::size_t i = 0; i < n; ++i) {
    int worst = 0;
    for (std::size_t c = 0; c < 4; ++c) {
      int delta = std::abs(int{expected.rgba[i * 4 + c]} - int{actual.rgba[i * 4 + c]});
      sum_sq += static_cast<double>(delta) * delta;
      worst = std::max(worst, delta);
    }
    std::uint8_t* out = &d.diff.rgba[i * 4];
    if (worst > channel_threshold) {
      ++differing;
      out[0] = 255, out[1] = 0, out[2] = 0, out[3] = 255;
    } else {
      for (int c = 0; c < 3; ++c) out[c] = static_cast<std::uint8_t>(191 + out[c] / 4);
      out[3] = 255;
    }
  }
  d.rms = std::sqrt(sum_sq / static_cast<double>(n * 4));
  d.differing_share = static_cast<double>(differing) / static_cast<double>(n);
  return d;
}

::testing::AssertionResult matches_golden(const std::string& png, const std::string& golden_dir,
                                          const std::string& name, const std::string& out_dir,
                                          const GoldenTolerance& tolerance) {
  const std::string golden_path = golden_dir + "/" + name + ".png";
  const char* update = std::getenv("LAMTOOL_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    if (!write_file(golden_path, png)) {
      return ::testing::AssertionFailure() << "cannot write golden '" << golden_path << "'";
    }
    return ::testing::AssertionSuccess() << "golden '" << golden_path << "' rewritten";
  }
  std::ifstream in(golden_path, std::ios::binary);
  std::string golden((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (golden.empty()) {
    return ::testing::AssertionFailure()
           << "missing golden '" << golden_path << "' (run with LAMTOOL_UPDATE_GOLDEN=1)";
  }
  ImageDiff d = compare_images(decode_png(golden), decode_png(png));
  if (d.same_size && d.rms <= tolerance.max_rms &&
      d.differing_share <= tolerance.max_differing_share) {
    return ::testing::AssertionSuccess();
  }
  const std::string actual_path = out_dir + "/" + name + ".actual.png";
  const std::string diff_path = out_dir + "/" + name + ".diff.png";
  write_file(actual_path, png);
  if (d.same_size) write_file(diff_path, encode_png(d.diff));
  auto failure = ::testing::AssertionFailure();
  if (!d.same_size)
    return failure << "size differs from golden '" << golden_path << "'; actual in '" << actual_path
                   << "'";
  return failure << name << ": rms " << d.rms << " (max " << tolerance.max_rms
                 << "), differing pixels " << d.differing_share * 100 << "% (max "
                 << tolerance.max_differing_share * 100 << "%); actual '" << actual_path
                 << "', diff '" << diff_path << "'";
}

}  // namespace lamtool::test
