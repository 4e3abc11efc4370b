#include "render/png.h"

#include <fmt/format.h>
#include <libdeflate.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>

#include "lamtool/error.h"

// The defaults were measured on the four bundled games at 1200 x 600 (an RGB24 surface;
// valgrind instruction counts of one encode, bytes of each picture):
//   Cairo's writer (all filters adaptive, zlib 6)  360 M Ir   150-161 kB
//   libpng, NONE, zlib 3                            71 M Ir   154-162 kB (+2.5%)
//   libpng, NONE, zlib 1 / 2                        70 M Ir   +6% / +4.5%
//   libpng, NONE, zlib 4 (deflate_slow from here)  127 M Ir   -3%
//   libpng, SUB, zlib 2                             87 M Ir   +23%
//   libpng, UP, zlib 3                              86 M Ir   +12%
// Presumably flat fills repeat exactly along a row, which deflate finds unaided, while a
// filter turns the antialiased edges into noise. zlib then spent a third of its time
// sliding its hash table along the window; libdeflate compresses the whole picture in
// one call. Its compressor alone on the raw rows of one of those maps, against zlib's:
//   zlib 3, memLevel 8 (libpng's)   65 M Ir   153,384 bytes
//   libdeflate 1                    39 M Ir   149,046 bytes
//   libdeflate 2 / 3                56 M Ir   145,564 / 145,155 bytes
//   libdeflate 6                    70 M Ir   141,527 bytes
// So: no filter and libdeflate level 1, with the PNG container (a few chunks) written
// here rather than by libpng, which only streamed rows into zlib.

namespace lamtool::render {
namespace {

struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

// One row of an RGB24 surface (native-endian 32-bit pixels, top byte unused) as RGB bytes.
// On little-endian machines four pixels go out as three 32-bit words: a pixel's bytes
// are B, G, R, unused, so byte-swapped and shifted it is the value whose bytes are
// R, G, B, 0. The rest, and big-endian machines, byte by byte.
void convert_row(const unsigned char* src, int width, std::uint8_t* dst) {
  int x = 0;
  if constexpr (std::endian::native == std::endian::little) {
    for (; x + 4 <= width; x += 4, src += 16, dst += 12) {
      std::uint32_t p[4];
      std::memcpy(p, src, sizeof p);
      const std::uint32_t q0 = __builtin_bswap32(p[0]) >> 8, q1 = __builtin_bswap32(p[1]) >> 8;
      const std::uint32_t q2 = __builtin_bswap32(p[2]) >> 8, q3 = __builtin_bswap32(p[3]) >> 8;
      const std::uint32_t words[3] = {q0 | (q1 << 24), (q1 >> 8) | (q2 << 16),
                                      (q2 >> 16) | (q3 << 8)};
      std::memcpy(dst, words, sizeof words);
    }
  }
  for (; x < width; ++x, src += 4) {
    std::uint32_t p;
    std::memcpy(&p, src, sizeof p);
    *dst++ = static_cast<std::uint8_t>(p >> 16);
    *dst++ = static_cast<std::uint8_t>(p >> 8);
    *dst++ = static_cast<std::uint8_t>(p);
  }
}

struct Picture {
  unsigned char* data;
  int width, height, stride;
};

// The image data as PNG filters it: each row is filter type 0 (none), then its RGB bytes,
// at `out`, which may be the picture's own data: row y is written at y * row_bytes, at or
// before where it is read (y * stride, stride >= 4 * width >= row_bytes), and the filter
// byte goes in after the row, whose first pixel it may overwrite.
void filter_rows(const Picture& pic, std::size_t row_bytes, std::uint8_t* out) {
  for (int y = 0; y < pic.height; ++y) {
    std::uint8_t* row = out + static_cast<std::size_t>(y) * row_bytes;
    convert_row(pic.data + static_cast<std::ptrdiff_t>(y) * pic.stride, pic.width, row + 1);
    row[0] = 0;
  }
}

}  // namespace

std::string png_bytes(cairo_surface_t* surface, const PngOptions& options) {
  cairo_surface_flush(surface);
  if (cairo_image_surface_get_format(surface) != CAIRO_FORMAT_RGB24) {
    throw IoError("png encoding failed: not an RGB24 image surface");
  }
  Picture pic{cairo_image_surface_get_data(surface), cairo_image_surface_get_width(surface),
              cairo_image_surface_get_height(surface), cairo_image_surface_get_stride(surface)};
  if (pic.data == nullptr || pic.width <= 0 || pic.height <= 0) {
    throw IoError("png encoding failed: empty image surface");
  }
  // 1. The rows, compressed as one zlib stream. The output buffer is only written as far
  //    as the stream goes, so its pages beyond are never touched.
  const std::size_t row_bytes = 1 + 3 * static_cast<std::size_t>(pic.width);
  const std::size_t raw_size = row_bytes * static_cast<std::size_t>(pic.height);
  std::unique_ptr<std::uint8_t[]> copy;
  std::uint8_t* raw = pic.data;
  if (!options.reuse_surface) {
    copy = std::make_unique_for_overwrite<std::uint8_t[]>(raw_size);
    raw = copy.get();
  }
  filter_rows(pic, row_bytes, raw);
  std::unique_ptr<libdeflate_compressor, CompressorDeleter> compressor(
      libdeflate_alloc_compressor(options.level));
  if (!compressor) throw IoError("png encoding failed: cannot create a libdeflate compressor");
  const std::size_t bound = libdeflate_zlib_compress_bound(compressor.get(), raw_size);
  auto stream = std::make_unique_for_overwrite<std::uint8_t[]>(bound);
  const std::size_t stream_size =
      libdeflate_zlib_compress(compressor.get(), raw, raw_size, stream.get(), bound);
  if (stream_size == 0 || stream_size > std::numeric_limits<std::int32_t>::max()) {
    throw IoError("png encoding failed: the compressed image does not fit one chunk");
  }
  // 2. Signature, header (8-bit RGB, no interlace), the data, end.
  std::string out("\x89PNG\r\n\x1a\n", 8);
  out.reserve(8 + 25 + 12 + stream_size + 12);
  std::string header;
  put_png_u32(header, static_cast<std::uint32_t>(pic.width));
  put_png_u32(header, static_cast<std::uint32_t>(pic.height));
  header += std::string("\x08\x02\x00\x00\x00", 5);  // depth 8, RGB, deflate, filter 0, none
  put_png_chunk(out, "IHDR", header.data(), header.size());
  put_png_chunk(out, "IDAT", stream.get(), stream_size);
  put_png_chunk(out, "IEND", nullptr, 0);
  return out;
}

void put_png_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

void put_png_chunk(std::string& out, const char* type, const void* data, std::size_t size) {
  put_png_u32(out, static_cast<std::uint32_t>(size));
  std::size_t start = out.size();
  out.append(type, 4);
  out.append(static_cast<const char*>(data), size);
  put_png_u32(out, libdeflate_crc32(0, out.data() + start, size + 4));
}

}  // namespace lamtool::render
