#include "render/png.h"

#include <fmt/format.h>
#include <png.h>

#include <csetjmp>
#include <cstdint>
#include <cstring>
#include <new>
#include <vector>

#include "lamtool/error.h"

// The defaults in png.h were measured on the four bundled games at 1200 x 600 (an RGB24
// surface; valgrind instruction counts of one encode, bytes of each picture):
//   Cairo's writer (all filters adaptive, zlib 6)  360 M Ir   150-161 kB
//   NONE, zlib 3                                    71 M Ir   154-162 kB (+2.5%)
//   NONE, zlib 1 / 2                                70 M Ir   +6% / +4.5%
//   NONE, zlib 4 (deflate_slow from here on)       127 M Ir   -3%
//   SUB, zlib 2                                     87 M Ir   +23%
//   UP, zlib 3                                      86 M Ir   +12%
// Presumably flat fills repeat exactly along a row, which deflate finds unaided, while a
// filter turns the antialiased edges into noise. Level 3 is the last of zlib's fast levels.
// zlib spends a third of its time sliding its hash table along the window; at level 3, on
// the raw rows of one of those maps (zlib alone, valgrind instruction counts):
//   memLevel 8 (libpng's default)  65 M Ir   153,384 bytes
//   memLevel 7                     59 M Ir   153,416 bytes
//   memLevel 6                     57 M Ir   154,055 bytes
//   memLevel 9                     79 M Ir   153,696 bytes

namespace lamtool::render {
namespace {

// libpng reports errors by longjmp; the handler keeps the message for the exception.
struct ErrorState {
  std::jmp_buf jump;
  char message[200] = {};
};

[[noreturn]] void on_error(png_structp png, png_const_charp message) {
  auto* state = static_cast<ErrorState*>(png_get_error_ptr(png));
  std::strncpy(state->message, message, sizeof state->message - 1);
  std::longjmp(state->jump, 1);
}

void on_warning(png_structp, png_const_charp) {}

void on_write(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  try {
    out->append(reinterpret_cast<const char*>(data), length);
  } catch (const std::bad_alloc&) {
    png_error(png, "out of memory");
  }
}

void on_flush(png_structp) {}

// Owns the libpng write structures.
class PngWrite {
 public:
  explicit PngWrite(ErrorState& state)
      : png_(png_create_write_struct(PNG_LIBPNG_VER_STRING, &state, on_error, on_warning)) {
    if (png_ == nullptr) throw IoError("png encoding failed: cannot create libpng writer");
    info_ = png_create_info_struct(png_);
    if (info_ == nullptr) {
      png_destroy_write_struct(&png_, nullptr);
      throw IoError("png encoding failed: cannot create libpng info");
    }
  }
  PngWrite(const PngWrite&) = delete;
  PngWrite& operator=(const PngWrite&) = delete;
  ~PngWrite() { png_destroy_write_struct(&png_, &info_); }
  png_structp png() const { return png_; }
  png_infop info() const { return info_; }

 private:
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
};

// One row of an RGB24 surface (native-endian 32-bit pixels, top byte unused) as RGB bytes.
void convert_row(const unsigned char* src, int width, std::uint8_t* dst) {
  const auto* px = reinterpret_cast<const std::uint32_t*>(src);
  for (int x = 0; x < width; ++x) {
    std::uint32_t p = px[x];
    *dst++ = static_cast<std::uint8_t>(p >> 16);
    *dst++ = static_cast<std::uint8_t>(p >> 8);
    *dst++ = static_cast<std::uint8_t>(p);
  }
}

struct Picture {
  const unsigned char* data;
  int width, height, stride;
};

// The part that libpng may leave by longjmp: only trivially destructible locals here, the
// buffers are owned by the caller. Returns false on a libpng error.
bool encode(const PngWrite& w, ErrorState& state, const Picture& pic, const PngOptions& opt,
            std::string& out, std::uint8_t* row) {
  if (setjmp(state.jump) != 0) return false;
  png_structp png = w.png();
  png_set_write_fn(png, &out, on_write, on_flush);
  png_set_IHDR(png, w.info(), static_cast<png_uint_32>(pic.width),
               static_cast<png_uint_32>(pic.height), 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, opt.filters);
  png_set_compression_level(png, opt.level);
  png_set_compression_mem_level(png, opt.mem_level);
  png_set_compression_strategy(png, opt.strategy);
  png_write_info(png, w.info());
  for (int y = 0; y < pic.height; ++y) {
    convert_row(pic.data + static_cast<std::ptrdiff_t>(y) * pic.stride, pic.width, row);
    png_write_row(png, row);
  }
  png_write_end(png, nullptr);
  return true;
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
  std::vector<std::uint8_t> row(static_cast<std::size_t>(pic.width) * 3);
  std::string out;
  // About 0.2 bytes a pixel for our pictures; one reservation saves the regrowth copies.
  out.reserve(static_cast<std::size_t>(pic.width) * static_cast<std::size_t>(pic.height) / 4);
  ErrorState state;
  PngWrite writer(state);
  if (!encode(writer, state, pic, options, out, row.data())) {
    throw IoError(fmt::format("png encoding failed: {}", state.message));
  }
  return out;
}

}  // namespace lamtool::render
