#include "lamtool/image/codec.h"

#include "render/png.h"

// The C libraries report errors in their own ways: libpng and libjpeg through a callback
// that must not return (we longjmp back), giflib through return codes. No C++ object with
// a destructor lives between a setjmp and the calls that may jump to it: each setjmp sits
// in a small function that only calls the library and writes to memory allocated before
// (the rule of [csetjmp.syn]: a longjmp is fine where a throw would run no destructor).
//
// clang-format off
#include <cstdio>  // jpeglib.h needs FILE and size_t first
#include <jpeglib.h>
#include <jerror.h>
// clang-format on
#include <fmt/format.h>
#include <gif_lib.h>
#include <libdeflate.h>
#include <png.h>

#include <algorithm>
#include <csetjmp>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "lamtool/error.h"

namespace lamtool::image {
namespace {

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);

[[noreturn]] void not_a_picture(std::string_view name) {
  throw DataError(fmt::format("'{}': not a PNG, JPEG or GIF picture", name));
}

[[noreturn]] void truncated(std::string_view name, std::string_view type) {
  throw DataError(
      fmt::format("'{}': truncated {} (the file ends before the picture does)", name, type));
}

std::uint32_t big_endian_u32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 24 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3]));
}

int u16(std::string_view b, std::size_t at, bool big_endian) {
  const int first = static_cast<unsigned char>(b[at]);
  const int second = static_cast<unsigned char>(b[at + 1]);
  return big_endian ? first << 8 | second : second << 8 | first;
}

// The frame header (SOFn) of a JPEG, found by walking the markers before it.
Dimensions jpeg_dimensions(std::string_view b, std::string_view name) {
  std::size_t i = 2;
  while (true) {
    while (i < b.size() && static_cast<unsigned char>(b[i]) != 0xff) ++i;  // skip stray bytes
    while (i < b.size() && static_cast<unsigned char>(b[i]) == 0xff) ++i;  // fill bytes
    if (i >= b.size()) truncated(name, "JPEG header");
    const int marker = static_cast<unsigned char>(b[i++]);
    if (marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker == 0x01) continue;
    if (marker == 0xd9 || marker == 0xda) {
      throw DataError(fmt::format("'{}': bad JPEG: no frame header before the image data", name));
    }
    if (i + 2 > b.size()) truncated(name, "JPEG header");
    const std::size_t length = static_cast<std::size_t>(u16(b, i, true));
    const bool sof =
        marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    if (sof) {
      if (i + 7 > b.size()) truncated(name, "JPEG header");
      return {u16(b, i + 5, true), u16(b, i + 3, true)};
    }
    if (length < 2)
      throw DataError(fmt::format("'{}': bad JPEG: marker of length {}", name, length));
    i += length;
  }
}

// ---------------------------------------------------------------------------------------
// PNG

struct PngReader {
  std::string_view bytes;
  std::size_t pos = 0;
  bool truncated = false;
  char message[256] = {};
  png_structp png = nullptr;
  png_infop info = nullptr;

  PngReader(const PngReader&) = delete;
  PngReader& operator=(const PngReader&) = delete;
  explicit PngReader(std::string_view b) : bytes(b) {}
  ~PngReader() {
    if (png != nullptr) png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
  }
};

void png_read_bytes(png_structp png, png_bytep out, std::size_t n) {
  auto* r = static_cast<PngReader*>(png_get_io_ptr(png));
  if (n > r->bytes.size() - r->pos) {
    r->truncated = true;
    png_error(png, "truncated");
  }
  std::memcpy(out, r->bytes.data() + r->pos, n);
  r->pos += n;
}

void png_on_error(png_structp png, png_const_charp message) {
  auto* r = static_cast<PngReader*>(png_get_error_ptr(png));
  std::snprintf(r->message, sizeof r->message, "%s", message);
  png_longjmp(png, 1);
}

void png_on_warning(png_structp, png_const_charp) {}

// Reads the header and asks libpng for 8-bit RGBA rows. False on error (r.message).
bool png_read_header(PngReader& r, png_uint_32& width, png_uint_32& height) {
  if (setjmp(png_jmpbuf(r.png))) return false;
  png_set_read_fn(r.png, &r, png_read_bytes);
  png_read_info(r.png, r.info);
  png_set_expand(r.png);  // palette to RGB, gray below 8 bits to 8, tRNS to alpha
  png_set_scale_16(r.png);
  png_set_gray_to_rgb(r.png);
  png_set_add_alpha(r.png, 0xff, PNG_FILLER_AFTER);
  png_set_interlace_handling(r.png);
  png_read_update_info(r.png, r.info);
  width = png_get_image_width(r.png, r.info);
  height = png_get_image_height(r.png, r.info);
  return png_get_rowbytes(r.png, r.info) == static_cast<std::size_t>(width) * 4;
}

bool png_read_pixels(PngReader& r, png_bytepp rows) {
  if (setjmp(png_jmpbuf(r.png))) return false;
  png_read_image(r.png, rows);
  png_read_end(r.png, nullptr);
  return true;
}

[[noreturn]] void png_failed(const PngReader& r, std::string_view name) {
  if (r.truncated) truncated(name, "PNG");
  throw DataError(fmt::format("'{}': bad PNG: {}", name, r.message));
}

Image decode_png(std::string_view bytes, std::string_view name) {
  PngReader r(bytes);
  r.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, png_on_error, png_on_warning);
  if (r.png != nullptr) r.info = png_create_info_struct(r.png);
  if (r.png == nullptr || r.info == nullptr) throw std::bad_alloc();
  png_uint_32 width = 0, height = 0;
  if (!png_read_header(r, width, height)) png_failed(r, name);
  check_dimensions(width, height, name);
  Image img(static_cast<int>(width), static_cast<int>(height), name);
  std::vector<png_bytep> rows(height);
  for (png_uint_32 y = 0; y < height; ++y) rows[y] = img.at(0, static_cast<int>(y));
  if (!png_read_pixels(r, rows.data())) png_failed(r, name);
  return img;
}

// ---------------------------------------------------------------------------------------
// JPEG

struct JpegError {
  jpeg_error_mgr mgr;  // first, so the library's pointer to it is a pointer to us
  std::jmp_buf jump;
  bool truncated;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_on_error(j_common_ptr cinfo) {
  auto* e = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, e->message);
  std::longjmp(e->jump, 1);
}

// libjpeg only warns at the end of the data (and makes up the rest of the picture); a
// truncated file is an error for us. Other warnings (extraneous bytes) are let pass.
void jpeg_on_message(j_common_ptr cinfo, int level) {
  auto* e = reinterpret_cast<JpegError*>(cinfo->err);
  if (level == -1 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
    e->truncated = true;
    std::longjmp(e->jump, 1);
  }
}

struct JpegDecoder {
  jpeg_decompress_struct cinfo;
  JpegError error;
  bool created = false;
  ~JpegDecoder() {
    if (created) jpeg_destroy_decompress(&cinfo);
  }
};

bool jpeg_read_header_from(JpegDecoder& d, std::string_view bytes) {
  d.cinfo.err = jpeg_std_error(&d.error.mgr);
  d.error.mgr.error_exit = jpeg_on_error;
  d.error.mgr.emit_message = jpeg_on_message;
  d.error.truncated = false;
  d.error.message[0] = '\0';
  if (setjmp(d.error.jump)) return false;
  jpeg_create_decompress(&d.cinfo);
  d.created = true;
  jpeg_mem_src(&d.cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&d.cinfo, TRUE);
  // CMYK is converted below; everything else libjpeg-turbo gives as RGBA.
  const bool cmyk = d.cinfo.jpeg_color_space == JCS_CMYK || d.cinfo.jpeg_color_space == JCS_YCCK;
  d.cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_RGBA;
  return true;
}

bool jpeg_read_pixels(JpegDecoder& d, Image& img) {
  if (setjmp(d.error.jump)) return false;
  jpeg_start_decompress(&d.cinfo);
  if (d.cinfo.output_components != 4 ||
      d.cinfo.output_width != static_cast<JDIMENSION>(img.width) ||
      d.cinfo.output_height != static_cast<JDIMENSION>(img.height)) {
    std::snprintf(d.error.message, sizeof d.error.message, "unexpected output format");
    return false;
  }
  while (d.cinfo.output_scanline < d.cinfo.output_height) {
    JSAMPROW row = img.at(0, static_cast<int>(d.cinfo.output_scanline));
    jpeg_read_scanlines(&d.cinfo, &row, 1);
  }
  jpeg_finish_decompress(&d.cinfo);
  return true;
}

// CMYK as Adobe's applications write it (inverted: 0 is full ink) or plain, to RGBA.
void cmyk_to_rgba(Image& img, bool inverted) {
  for (std::size_t i = 0; i < img.rgba.size(); i += 4) {
    std::uint8_t* p = img.rgba.data() + i;
    int k = p[3];
    int c[3] = {p[0], p[1], p[2]};
    if (!inverted) {
      k = 255 - k;
      for (int& v : c) v = 255 - v;
    }
    for (int j = 0; j < 3; ++j) p[j] = static_cast<std::uint8_t>((c[j] * k + 127) / 255);
    p[3] = 255;
  }
}

[[noreturn]] void jpeg_failed(const JpegDecoder& d, std::string_view name) {
  if (d.error.truncated) truncated(name, "JPEG");
  throw DataError(fmt::format("'{}': bad JPEG: {}", name, d.error.message));
}

Image decode_jpeg(std::string_view bytes, std::string_view name) {
  auto d = std::make_unique<JpegDecoder>();
  if (!jpeg_read_header_from(*d, bytes)) jpeg_failed(*d, name);
  check_dimensions(d->cinfo.image_width, d->cinfo.image_height, name);
  Image img(static_cast<int>(d->cinfo.image_width), static_cast<int>(d->cinfo.image_height), name);
  if (!jpeg_read_pixels(*d, img)) jpeg_failed(*d, name);
  if (d->cinfo.out_color_space == JCS_CMYK) cmyk_to_rgba(img, d->cinfo.saw_Adobe_marker);
  return img;
}

// ---------------------------------------------------------------------------------------
// GIF

struct GifInput {
  std::string_view bytes;
  std::size_t pos = 0;
  bool short_read = false;
};

int gif_read_bytes(GifFileType* gif, GifByteType* out, int n) {
  auto* in = static_cast<GifInput*>(gif->UserData);
  const std::size_t want = static_cast<std::size_t>(std::max(n, 0));
  const std::size_t got = std::min(want, in->bytes.size() - in->pos);
  if (got < want) in->short_read = true;
  std::memcpy(out, in->bytes.data() + in->pos, got);
  in->pos += got;
  return static_cast<int>(got);
}

struct GifCloser {
  void operator()(GifFileType* gif) const {
    int error = 0;
    DGifCloseFile(gif, &error);
  }
};
using GifHandle = std::unique_ptr<GifFileType, GifCloser>;

// What the graphic control extension before a frame says.
struct FrameControl {
  int disposal = 0;
  int delay_cs = 0;
  int transparent = -1;
};

class GifDecoder {
 public:
  GifDecoder(std::string_view bytes, std::string_view name) : name_(name) {
    input_.bytes = bytes;
    int error = 0;
    gif_.reset(DGifOpen(&input_, gif_read_bytes, &error));
    if (!gif_) fail(error);
    check_dimensions(gif_->SWidth, gif_->SHeight, name_);
    canvas_ = Image(gif_->SWidth, gif_->SHeight, name_);
  }

  // Calls `frame` for each frame (stops after the first when `first_only`); returns the
  // NETSCAPE2.0 loop count or -1.
  int run(const std::function<void(const Image&, int)>& frame, bool first_only) {
    int frames = 0;
    while (true) {
      GifRecordType type = UNDEFINED_RECORD_TYPE;
      // Strict: data ending without the trailer is truncated, even after a whole frame.
      if (DGifGetRecordType(gif_.get(), &type) == GIF_ERROR) fail(gif_->Error);
      if (type == TERMINATE_RECORD_TYPE) break;
      if (type == EXTENSION_RECORD_TYPE) {
        read_extension();
      } else if (type == IMAGE_DESC_RECORD_TYPE) {
        read_frame();
        ++frames;
        frame(canvas_, control_.delay_cs);
        if (first_only) break;
        dispose();
        control_ = {};
      } else {
        throw DataError(fmt::format("'{}': bad GIF: unknown block", name_));
      }
    }
    if (frames == 0) throw DataError(fmt::format("'{}': GIF without any frame", name_));
    return loop_count_;
  }

 private:
  [[noreturn]] void fail(int error) {
    if (input_.short_read || error == D_GIF_ERR_READ_FAILED) truncated(name_, "GIF");
    const char* why = GifErrorString(error);
    throw DataError(fmt::format("'{}': bad GIF: {}", name_, why != nullptr ? why : "error"));
  }

  void read_extension() {
    int code = 0;
    GifByteType* block = nullptr;
    if (DGifGetExtension(gif_.get(), &code, &block) == GIF_ERROR) fail(gif_->Error);
    bool netscape = false;
    bool first = true;
    while (block != nullptr) {
      const int size = block[0];
      if (code == GRAPHICS_EXT_FUNC_CODE && first && size >= 4) {
        control_.disposal = (block[1] >> 2) & 7;
        control_.delay_cs = block[2] | block[3] << 8;
        control_.transparent = (block[1] & 1) != 0 ? block[4] : -1;
      } else if (code == APPLICATION_EXT_FUNC_CODE && first && size == 11) {
        netscape = std::memcmp(block + 1, "NETSCAPE2.0", 11) == 0 ||
                   std::memcmp(block + 1, "ANIMEXTS1.0", 11) == 0;
      } else if (netscape && size >= 3 && block[1] == 1) {
        loop_count_ = block[2] | block[3] << 8;
      }
      first = false;
      if (DGifGetExtensionNext(gif_.get(), &block) == GIF_ERROR) fail(gif_->Error);
    }
  }

  void read_frame() {
    if (DGifGetImageDesc(gif_.get()) == GIF_ERROR) fail(gif_->Error);
    const GifImageDesc& desc = gif_->Image;
    check_dimensions(desc.Width, desc.Height, name_);
    if (desc.Left < 0 || desc.Top < 0 || desc.Left + desc.Width > canvas_.width ||
        desc.Top + desc.Height > canvas_.height) {
      throw DataError(fmt::format("'{}': bad GIF: frame {}x{} at ({}, {}) outside the {}x{} screen",
                                  name_, desc.Width, desc.Height, desc.Left, desc.Top,
                                  canvas_.width, canvas_.height));
    }
    const ColorMapObject* colors = desc.ColorMap != nullptr ? desc.ColorMap : gif_->SColorMap;
    if (colors == nullptr) throw DataError(fmt::format("'{}': bad GIF: no colour table", name_));
    rect_ = desc;
    if (control_.disposal == 3) saved_ = canvas_.rgba;
    std::vector<GifPixelType> line(static_cast<std::size_t>(desc.Width));
    for (int i = 0; i < desc.Height; ++i) {
      if (DGifGetLine(gif_.get(), line.data(), desc.Width) == GIF_ERROR) fail(gif_->Error);
      const int y = desc.Interlace ? interlaced_row(i, desc.Height) : i;
      std::uint8_t* out = canvas_.at(desc.Left, desc.Top + y);
      for (int x = 0; x < desc.Width; ++x, out += 4) {
        const int index = line[static_cast<std::size_t>(x)];
        if (index == control_.transparent) continue;
        if (index < colors->ColorCount) {
          const GifColorType& c = colors->Colors[index];
          out[0] = c.Red, out[1] = c.Green, out[2] = c.Blue;
        } else {
          out[0] = out[1] = out[2] = 0;  // beyond the table: black, as browsers show it
        }
        out[3] = 255;
      }
    }
  }

  // Row i of the stored order in an interlaced frame: every 8th row from 0, every 8th
  // from 4, every 4th from 2, every 2nd from 1.
  static int interlaced_row(int i, int height) {
    const int pass1 = (height + 7) / 8, pass2 = (height + 3) / 8, pass3 = (height + 1) / 4;
    if (i < pass1) return i * 8;
    i -= pass1;
    if (i < pass2) return 4 + i * 8;
    i -= pass2;
    if (i < pass3) return 2 + i * 4;
    return 1 + (i - pass3) * 2;
  }

  // The frame's disposal, before the next frame is drawn: 2 clears its rectangle to
  // transparent (as browsers do, rather than to the background colour), 3 restores the
  // canvas it was drawn on; 0 and 1 leave it.
  void dispose() {
    if (control_.disposal == 2) {
      for (int y = rect_.Top; y < rect_.Top + rect_.Height; ++y) {
        std::memset(canvas_.at(rect_.Left, y), 0, static_cast<std::size_t>(rect_.Width) * 4);
      }
    } else if (control_.disposal == 3 && !saved_.empty()) {
      canvas_.rgba.swap(saved_);
    }
  }

  std::string_view name_;
  GifInput input_;
  GifHandle gif_;
  Image canvas_;
  std::vector<std::uint8_t> saved_;
  GifImageDesc rect_{};
  FrameControl control_;
  int loop_count_ = -1;
};

// ---------------------------------------------------------------------------------------
// PNG writing: adaptive filters (the one with the smallest sum of absolute values per
// row, as libpng chooses), libdeflate level 6.

struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

int paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

// Filters one row (bpp bytes a pixel, `prev` the unfiltered row above or zeros) with the
// five filters and writes the best to `out` (filter byte first).
void filter_row(const std::uint8_t* row, const std::uint8_t* prev, std::size_t n, int bpp,
                std::uint8_t* out, std::vector<std::uint8_t>& scratch) {
  scratch.resize(n);
  unsigned long best_sum = ~0UL;
  const std::size_t step = static_cast<std::size_t>(bpp);
  for (int f = 0; f < 5; ++f) {
    unsigned long sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const int a = i >= step ? row[i - step] : 0, b = prev[i];
      const int c = i >= step ? prev[i - step] : 0;
      const int predictor = f == 0   ? 0
                            : f == 1 ? a
                            : f == 2 ? b
                            : f == 3 ? (a + b) / 2
                                     : paeth(a, b, c);
      const auto v = static_cast<std::uint8_t>(row[i] - predictor);
      scratch[i] = v;
      sum += v < 128 ? v : 256U - v;
    }
    if (sum < best_sum) {
      best_sum = sum;
      out[0] = static_cast<std::uint8_t>(f);
      std::memcpy(out + 1, scratch.data(), n);
    }
  }
}

}  // namespace

FileType sniff(std::string_view bytes) {
  if (bytes.starts_with(kPngSignature)) return FileType::kPng;
  if (bytes.starts_with("\xff\xd8\xff")) return FileType::kJpeg;
  if (bytes.starts_with("GIF87a") || bytes.starts_with("GIF89a")) return FileType::kGif;
  return FileType::kUnknown;
}

Dimensions read_dimensions(std::string_view bytes, std::string_view name) {
  switch (sniff(bytes)) {
    case FileType::kPng:
      if (bytes.size() < 24) truncated(name, "PNG header");
      if (bytes.substr(12, 4) != "IHDR") {
        throw DataError(fmt::format("'{}': bad PNG: no IHDR chunk first", name));
      }
      if (big_endian_u32(bytes, 16) > 0x7fffffff || big_endian_u32(bytes, 20) > 0x7fffffff) {
        throw DataError(fmt::format("'{}': bad PNG: size out of range", name));
      }
      return {static_cast<int>(big_endian_u32(bytes, 16)),
              static_cast<int>(big_endian_u32(bytes, 20))};
    case FileType::kGif:
      if (bytes.size() < 10) truncated(name, "GIF header");
      return {u16(bytes, 6, false), u16(bytes, 8, false)};
    case FileType::kJpeg:
      return jpeg_dimensions(bytes, name);
    case FileType::kUnknown:
      break;
  }
  not_a_picture(name);
}

Image decode(std::string_view bytes, std::string_view name) {
  switch (sniff(bytes)) {
    case FileType::kPng:
      return decode_png(bytes, name);
    case FileType::kJpeg:
      return decode_jpeg(bytes, name);
    case FileType::kGif: {
      Image first;
      GifDecoder(bytes, name).run([&](const Image& img, int) { first = img; }, true);
      return first;
    }
    case FileType::kUnknown:
      break;
  }
  not_a_picture(name);
}

int decode_gif_frames(std::string_view bytes, std::string_view name,
                      const std::function<void(const Image&, int delay_cs)>& frame) {
  if (sniff(bytes) != FileType::kGif) {
    throw DataError(fmt::format("'{}': not a GIF picture", name));
  }
  return GifDecoder(bytes, name).run(frame, false);
}

std::string encode_png(const Image& img) {
  if (img.empty() || img.rgba.size() != static_cast<std::size_t>(img.width) *
                                            static_cast<std::size_t>(img.height) * 4) {
    throw IoError("png encoding failed: empty picture");
  }
  bool opaque = true;
  for (std::size_t i = 3; i < img.rgba.size() && opaque; i += 4) opaque = img.rgba[i] == 255;
  const int bpp = opaque ? 3 : 4;
  const std::size_t width = static_cast<std::size_t>(img.width);
  const std::size_t n = width * static_cast<std::size_t>(bpp);
  const std::size_t raw_size = (n + 1) * static_cast<std::size_t>(img.height);
  std::vector<std::uint8_t> raw(raw_size), row(n), prev(n, 0), scratch;
  // 1. Rows, each filtered, then compressed as one zlib stream.
  for (int y = 0; y < img.height; ++y) {
    const std::uint8_t* src = img.at(0, y);
    if (opaque) {
      for (std::size_t x = 0; x < width; ++x) std::memcpy(&row[x * 3], src + x * 4, 3);
    } else {
      std::memcpy(row.data(), src, n);
    }
    filter_row(row.data(), prev.data(), n, bpp, &raw[static_cast<std::size_t>(y) * (n + 1)],
               scratch);
    row.swap(prev);
  }
  std::unique_ptr<libdeflate_compressor, CompressorDeleter> compressor(
      libdeflate_alloc_compressor(6));
  if (!compressor) throw IoError("png encoding failed: cannot create a libdeflate compressor");
  std::vector<std::uint8_t> stream(libdeflate_zlib_compress_bound(compressor.get(), raw_size));
  const std::size_t stream_size = libdeflate_zlib_compress(compressor.get(), raw.data(), raw_size,
                                                           stream.data(), stream.size());
  if (stream_size == 0 || stream_size > 0x7fffffff) {
    throw IoError("png encoding failed: the compressed picture does not fit one chunk");
  }
  // 2. Signature, header (8 bits, RGB or RGBA, no interlace), data, end.
  std::string out(kPngSignature);
  out.reserve(8 + 25 + 12 + stream_size + 12);
  std::string header;
  render::put_png_u32(header, static_cast<std::uint32_t>(img.width));
  render::put_png_u32(header, static_cast<std::uint32_t>(img.height));
  header += static_cast<char>(8);
  header += static_cast<char>(opaque ? 2 : 6);
  header += std::string(3, '\0');  // deflate, filter method 0, no interlace
  render::put_png_chunk(out, "IHDR", header.data(), header.size());
  render::put_png_chunk(out, "IDAT", stream.data(), stream_size);
  render::put_png_chunk(out, "IEND", nullptr, 0);
  return out;
}

namespace {

struct JpegEncoder {
  jpeg_compress_struct cinfo;
  JpegError error;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  bool created = false;
  ~JpegEncoder() {
    if (created) jpeg_destroy_compress(&cinfo);
    std::free(buffer);
  }
};

bool jpeg_write(JpegEncoder& e, const Image& img, int quality) {
  e.cinfo.err = jpeg_std_error(&e.error.mgr);
  e.error.mgr.error_exit = jpeg_on_error;
  e.error.message[0] = '\0';
  if (setjmp(e.error.jump)) return false;
  jpeg_create_compress(&e.cinfo);
  e.created = true;
  jpeg_mem_dest(&e.cinfo, &e.buffer, &e.size);
  e.cinfo.image_width = static_cast<JDIMENSION>(img.width);
  e.cinfo.image_height = static_cast<JDIMENSION>(img.height);
  e.cinfo.input_components = 4;
  e.cinfo.in_color_space = JCS_EXT_RGBA;
  jpeg_set_defaults(&e.cinfo);
  jpeg_set_quality(&e.cinfo, quality, TRUE);
  jpeg_start_compress(&e.cinfo, TRUE);
  while (e.cinfo.next_scanline < e.cinfo.image_height) {
    // libjpeg's API takes non-const rows but only reads them.
    JSAMPROW row = const_cast<std::uint8_t*>(img.at(0, static_cast<int>(e.cinfo.next_scanline)));
    jpeg_write_scanlines(&e.cinfo, &row, 1);
  }
  jpeg_finish_compress(&e.cinfo);
  return true;
}

}  // namespace

std::string encode_jpeg(const Image& img, int quality) {
  if (quality < 1 || quality > 100) {
    throw UsageError(fmt::format("jpeg quality {}: must be from 1 to 100", quality));
  }
  if (img.empty()) throw IoError("jpeg encoding failed: empty picture");
  Image flat = img;
  flatten(flat, Color{});
  auto e = std::make_unique<JpegEncoder>();
  if (!jpeg_write(*e, flat, quality)) {
    throw IoError(fmt::format("jpeg encoding failed: {}", e->error.message));
  }
  return std::string(reinterpret_cast<const char*>(e->buffer), e->size);
}

}  // namespace lamtool::image
