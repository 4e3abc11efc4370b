// The image module against references that are not ours: pictures of known pixels and
// their decodes by Pillow (tests/tools/make_image_fixtures.py writes both into
// tests/fixtures/image/), and hand-made headers.

#include "lamtool/image/image.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "lamtool/error.h"
#include "lamtool/image/codec.h"
#include "lamtool/image/resize.h"

namespace lamtool::image {
namespace {

const std::string kDir = LAMTOOL_FIXTURE_DIR "/image/";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const nlohmann::json& manifest() {
  static const nlohmann::json m = nlohmann::json::parse(read_file(kDir + "manifest.json"));
  return m;
}

// Largest difference of any channel, and where.
struct Diff {
  int max = 0;
  std::size_t at = 0;
};
Diff max_diff(const std::vector<std::uint8_t>& a, const std::string& b) {
  Diff d;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const int v = std::abs(a[i] - static_cast<std::uint8_t>(b[i]));
    if (v > d.max) d = {v, i};
  }
  return d;
}

// DataError whose message contains `part`.
template <typename F>
::testing::AssertionResult data_error(F&& f, const std::string& part) {
  try {
    f();
  } catch (const DataError& e) {
    if (std::string(e.what()).find(part) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "DataError without '" << part << "': " << e.what();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "not a DataError: " << e.what();
  }
  return ::testing::AssertionFailure() << "no error";
}

Image filled(int w, int h, std::uint8_t r, std::uint8_t g, std::uint8_t b, std::uint8_t a) {
  Image img(w, h);
  for (std::size_t i = 0; i < img.rgba.size(); i += 4) {
    img.rgba[i] = r, img.rgba[i + 1] = g, img.rgba[i + 2] = b, img.rgba[i + 3] = a;
  }
  return img;
}

// CRC-32 of PNG chunks (ISO 3309, bit by bit), for hand-made headers.
std::uint32_t crc32(const std::string& s) {
  std::uint32_t c = 0xffffffff;
  for (unsigned char byte : s) {
    c ^= byte;
    for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? 0xedb88320 ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xffffffff;
}

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// A string of every byte of a literal, NULs included.
template <std::size_t N>
std::string bytes_of(const char (&s)[N]) {
  return std::string(s, N - 1);
}

std::string png_chunk(const std::string& type, const std::string& data) {
  return be32(static_cast<std::uint32_t>(data.size())) + type + data + be32(crc32(type + data));
}

TEST(Image, ChecksDimensions) {
  EXPECT_NO_THROW(check_dimensions(1, 1, "a"));
  EXPECT_NO_THROW(check_dimensions(kMaxSide, 2000, "a"));
  EXPECT_TRUE(
      data_error([] { check_dimensions(0, 5, "a.png"); }, "'a.png': picture has no pixels"));
  EXPECT_TRUE(data_error([] { check_dimensions(50000, 50000, "a.png"); },
                         "'a.png': picture of 50000x50000 pixels is larger than lamtool takes"));
  EXPECT_TRUE(data_error([] { check_dimensions(kMaxSide, kMaxSide, "a"); }, "larger than"));
  EXPECT_TRUE(data_error([] { check_dimensions(1LL << 40, 1, "a"); }, "larger than"));
}

TEST(Image, ParsesBackground) {
  EXPECT_FALSE(parse_background("none"));
  auto c = parse_background("#1a2B3c");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->r, 0x1a);
  EXPECT_EQ(c->g, 0x2b);
  EXPECT_EQ(c->b, 0x3c);
  c = parse_background("#f80");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->r, 0xff);
  EXPECT_EQ(c->g, 0x88);
  EXPECT_EQ(c->b, 0x00);
  EXPECT_EQ(parse_background("black")->r, 0);
  EXPECT_EQ(parse_background("White")->g, 255);
  EXPECT_EQ(parse_background("102030")->b, 0x30);
  for (const char* bad : {"", "#12345", "grey", "#ggg", "#1234567"}) {
    EXPECT_THROW(parse_background(bad), UsageError) << bad;
  }
}

TEST(Image, FlattensAndBinarizesAlpha) {
  Image img(3, 1);
  const std::uint8_t px[] = {200, 100, 0, 255, 0, 0, 0, 0, 100, 100, 100, 128};
  std::copy(std::begin(px), std::end(px), img.rgba.begin());
  Image flat = img;
  flatten(flat, Color{0, 0, 255});
  // 100 * 128 / 255 + 255 * 127 / 255 = 50.2 + 127 for blue.
  const std::vector<std::uint8_t> want = {200, 100, 0, 255, 0, 0, 255, 255, 50, 50, 177, 255};
  EXPECT_EQ(flat.rgba, want);
  binarize_alpha(img);
  const std::vector<std::uint8_t> bin = {200, 100, 0, 255, 0, 0, 0, 0, 100, 100, 100, 255};
  EXPECT_EQ(img.rgba, bin);
}

TEST(Codec, SniffsBySignature) {
  EXPECT_EQ(sniff(read_file(kDir + "png-rgb.png")), FileType::kPng);
  EXPECT_EQ(sniff(read_file(kDir + "jpeg-rgb.jpg")), FileType::kJpeg);
  EXPECT_EQ(sniff(read_file(kDir + "anim.gif")), FileType::kGif);
  EXPECT_EQ(sniff("GIF88a"), FileType::kUnknown);
  EXPECT_EQ(sniff(""), FileType::kUnknown);
  EXPECT_TRUE(data_error([] { decode("<html>", "frame.png"); },
                         "'frame.png': not a PNG, JPEG or GIF picture"));
}

TEST(Codec, ReadsDimensionsFromHeaders) {
  for (auto& [file, entry] : manifest().items()) {
    if (!entry.contains("width")) continue;
    Dimensions d = read_dimensions(read_file(kDir + file), file);
    EXPECT_EQ(d.width, entry["width"].get<int>()) << file;
    EXPECT_EQ(d.height, entry["height"].get<int>()) << file;
  }
}

// Every PNG colour type and depth, palette with tRNS, interlacing: exactly the known pixels.
TEST(Codec, DecodesPngLikeTheKnownPixels) {
  int n = 0;
  for (auto& [file, entry] : manifest().items()) {
    if (!file.starts_with("png-")) continue;
    ++n;
    Image img = decode(read_file(kDir + file), file);
    ASSERT_EQ(img.width, entry["width"].get<int>()) << file;
    ASSERT_EQ(img.height, entry["height"].get<int>()) << file;
    const std::string want = read_file(kDir + entry["reference"].get<std::string>());
    ASSERT_EQ(img.rgba.size(), want.size()) << file;
    const Diff d = max_diff(img.rgba, want);
    EXPECT_EQ(d.max, 0) << file << " at byte " << d.at;
  }
  EXPECT_EQ(n, 10);
}

// libjpeg-turbo as Pillow drives it (same IDCT and upsampling): within 1 level, though
// in practice the same.
TEST(Codec, DecodesJpegLikePillow) {
  int n = 0;
  for (auto& [file, entry] : manifest().items()) {
    if (!file.starts_with("jpeg-")) continue;
    ++n;
    Image img = decode(read_file(kDir + file), file);
    ASSERT_EQ(img.width, entry["width"].get<int>()) << file;
    ASSERT_EQ(img.height, entry["height"].get<int>()) << file;
    const Diff d = max_diff(img.rgba, read_file(kDir + entry["reference"].get<std::string>()));
    EXPECT_LE(d.max, 1) << file << " at byte " << d.at;
  }
  EXPECT_EQ(n, 4);
}

// Disposal 0, 2 (with a transparent hole) and 3, a local palette, an interlaced frame:
// every composited frame as Pillow's ImageSequence shows it in RGBA, exactly.
TEST(Codec, CompositesGifFramesLikePillow) {
  const auto& entry = manifest()["anim.gif"];
  const std::string bytes = read_file(kDir + "anim.gif");
  std::vector<Image> frames;
  std::vector<int> delays;
  const int loop = decode_gif_frames(bytes, "anim.gif", [&](const Image& img, int delay) {
    frames.push_back(img);
    delays.push_back(delay);
  });
  EXPECT_EQ(loop, entry["loop"].get<int>());
  EXPECT_EQ(delays, entry["delays_cs"].get<std::vector<int>>());
  const auto refs = entry["frames"].get<std::vector<std::string>>();
  ASSERT_EQ(frames.size(), refs.size());
  for (std::size_t i = 0; i < refs.size(); ++i) {
    ASSERT_EQ(frames[i].width, 16);
    ASSERT_EQ(frames[i].height, 12);
    // Pillow keeps the palette colour of a transparent pixel (white here), we make it
    // transparent black: the colour of alpha 0 means nothing, so both compare as 0, 0, 0, 0.
    std::string want = read_file(kDir + refs[i]);
    for (std::size_t p = 0; p + 3 < want.size(); p += 4) {
      if (want[p + 3] == 0) want[p] = want[p + 1] = want[p + 2] = 0;
    }
    const Diff d = max_diff(frames[i].rgba, want);
    EXPECT_EQ(d.max, 0) << "frame " << i << " at pixel " << d.at / 4;
  }
  Image first = decode(bytes, "anim.gif");
  EXPECT_EQ(first.rgba, frames[0].rgba);
}

TEST(Codec, GifWithoutLoopBlockSaysMinusOne) {
  std::string bytes = read_file(kDir + "anim.gif");
  const std::string netscape("\x21\xff\x0bNETSCAPE2.0\x03\x01\x03\x00\x00", 19);
  const auto at = bytes.find(netscape);
  ASSERT_NE(at, std::string::npos);
  bytes.erase(at, netscape.size());
  EXPECT_EQ(decode_gif_frames(bytes, "a.gif", [](const Image&, int) {}), -1);
}

// Every frame for a GIF (decode() stops after the first).
void decode_all(const std::string& bytes, const std::string& name) {
  if (name.ends_with(".gif")) {
    decode_gif_frames(bytes, name, [](const Image&, int) {});
  } else {
    decode(bytes, name);
  }
}

TEST(Codec, TruncatedFilesAreDataErrors) {
  for (const std::string file : {"png-rgba.png", "png-rgba-interlaced.png", "png-palette-trns.png",
                                 "jpeg-rgb.jpg", "jpeg-progressive.jpg", "anim.gif"}) {
    const std::string bytes = read_file(kDir + file);
    for (std::size_t keep : {std::size_t{30}, bytes.size() / 2, bytes.size() - 1}) {
      EXPECT_TRUE(
          data_error([&] { decode_all(bytes.substr(0, keep), file); }, "'" + file + "': truncated"))
          << file << " cut to " << keep << " of " << bytes.size() << " bytes";
    }
    for (std::size_t keep = 0; keep < bytes.size(); keep += 7) {
      EXPECT_THROW(decode_all(bytes.substr(0, keep), file), DataError) << file << " " << keep;
    }
  }
}

TEST(Codec, RandomBytesAreDataErrors) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  for (const std::string& prefix : {std::string(), std::string("\x89PNG\r\n\x1a\n", 8),
                                    std::string("\xff\xd8\xff"), std::string("GIF89a")}) {
    for (int round = 0; round < 20; ++round) {
      std::string bytes = prefix;
      for (int i = 0; i < 200; ++i) bytes += static_cast<char>(byte(rng));
      EXPECT_THROW(decode(bytes, "noise"), DataError);
    }
  }
}

// Headers claiming 50000 x 50000: refused before the pixels are allocated (ASan would
// report a 10 GB allocation).
TEST(Codec, HugeHeadersAreRefusedBeforeAllocation) {
  std::string ihdr = be32(50000) + be32(50000) + std::string("\x08\x06\x00\x00\x00", 5);
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + png_chunk("IHDR", ihdr) +
                          png_chunk("IDAT", std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8));
  EXPECT_TRUE(data_error([&] { decode(png, "big.png"); }, "'big.png': picture of 50000x50000"));
  EXPECT_EQ(read_dimensions(png, "big.png").width, 50000);

  // Logical screen 50000 x 50000 (0xc350), then a trailer.
  const std::string gif = bytes_of("GIF89a\x50\xc3\x50\xc3\x00\x00\x00\x3b");
  EXPECT_TRUE(data_error([&] { decode(gif, "big.gif"); }, "picture of 50000x50000"));
  // A small screen with a frame far larger than it.
  const std::string frame = bytes_of(
      "GIF89a\x04\x00\x04\x00\x80\x00\x00"
      "\0\0\0\xff\xff\xff"
      "\x2c\x00\x00\x00\x00\x50\xc3\x50\xc3\x00\x02\x02\x4c\x01\x00\x3b");
  EXPECT_TRUE(data_error([&] { decode(frame, "frame.gif"); }, "larger than"));
  const std::string outside = bytes_of(
      "GIF89a\x04\x00\x04\x00\x80\x00\x00"
      "\0\0\0\xff\xff\xff"
      "\x2c\x03\x00\x00\x00\x02\x00\x01\x00\x00\x02\x02\x4c\x01\x00\x3b");
  EXPECT_TRUE(data_error([&] { decode(outside, "frame.gif"); }, "outside the 4x4 screen"));

  // SOI, SOF0 of 50000 x 50000 with three components, SOS, a few bytes of data.
  const std::string jpeg = bytes_of(
      "\xff\xd8"
      "\xff\xc0\x00\x11\x08\xc3\x50\xc3\x50\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
      "\xff\xda\x00\x0c\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00"
      "\x12\x34\x56\x78\xff\xd9");
  EXPECT_TRUE(data_error([&] { decode(jpeg, "big.jpg"); }, "picture of 50000x50000"));
  EXPECT_EQ(read_dimensions(jpeg, "big.jpg").height, 50000);
}

TEST(Codec, EncodedPngDecodesToTheSamePixels) {
  const auto& entry = manifest()["png-rgba.png"];
  Image img = decode(read_file(kDir + "png-rgba.png"), "png-rgba.png");
  const std::string png = encode_png(img);
  EXPECT_EQ(png[25], 6) << "RGBA colour type";
  const Image back = decode(png, "encoded");
  EXPECT_EQ(back.width, entry["width"].get<int>());
  EXPECT_EQ(back.rgba, img.rgba);

  Image opaque = decode(read_file(kDir + "jpeg-rgb.jpg"), "jpeg-rgb.jpg");
  const std::string rgb = encode_png(opaque);
  EXPECT_EQ(rgb[25], 2) << "RGB colour type when every alpha is 255";
  EXPECT_EQ(decode(rgb, "encoded").rgba, opaque.rgba);
}

double psnr(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  double se = 0;
  for (std::size_t i = 0; i < a.size(); ++i) se += (a[i] - b[i]) * (a[i] - b[i]);
  if (se == 0) return 99;
  return 10 * std::log10(255.0 * 255.0 / (se / static_cast<double>(a.size())));
}

TEST(Codec, EncodedJpegIsClose) {
  Image img = decode(read_file(kDir + "jpeg-rgb.jpg"), "jpeg-rgb.jpg");
  const std::string jpeg = encode_jpeg(img, 95);
  ASSERT_EQ(sniff(jpeg), FileType::kJpeg);
  const Image back = decode(jpeg, "encoded");
  ASSERT_EQ(back.width, img.width);
  EXPECT_GT(psnr(back.rgba, img.rgba), 30);
  EXPECT_THROW(encode_jpeg(img, 0), UsageError);
}

TEST(Resize, ConstantStaysConstant) {
  const Image img = filled(37, 23, 10, 200, 77, 255);
  for (auto [w, h] : {std::pair{5, 4}, std::pair{37, 23}, std::pair{80, 9}, std::pair{1, 1}}) {
    const Image out = resize(img, w, h);
    ASSERT_EQ(out.width, w);
    ASSERT_EQ(out.height, h);
    EXPECT_EQ(out.rgba, filled(w, h, 10, 200, 77, 255).rgba) << w << "x" << h;
  }
}

// Blocks of 8 x 8 pixels, each a pixel checkerboard of two colours around the block's
// own mean (a ramp across the blocks). Resized to one pixel a block, each pixel is its
// block's mean: the checkerboard averages away instead of aliasing (nearest-neighbour
// or bilinear sampling would give one of its two colours, 60 levels off).
TEST(Resize, CheckerboardBlocksGiveBlockAverages) {
  Image img(64, 64);
  auto mean = [](int bx, int by) { return 80 + 8 * bx + 4 * by; };
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; ++x) {
      const int m = mean(x / 8, y / 8), v = (x + y) % 2 == 0 ? m + 60 : m - 60;
      std::uint8_t* p = img.at(x, y);
      p[0] = p[1] = p[2] = static_cast<std::uint8_t>(v);
      p[3] = 255;
    }
  }
  const Image out = resize(img, 8, 8);
  int worst = 0;
  for (int by = 0; by < 8; ++by) {
    for (int bx = 0; bx < 8; ++bx)
      worst = std::max(worst, std::abs(out.at(bx, by)[0] - mean(bx, by)));
  }
  EXPECT_LE(worst, 1);
}

// Pillow's LANCZOS resize of the same picture to a quarter of each side
// (make_image_fixtures.py), compared on premultiplied values: Pillow's 8-bit
// premultiplied intermediate loses the colour of nearly transparent pixels, ours doesn't.
TEST(Resize, DownscaleMatchesPillowLanczos) {
  const Image src = decode(read_file(kDir + "resize-src.png"), "resize-src.png");
  const Image ref = decode(read_file(kDir + "resize-ref.png"), "resize-ref.png");
  ASSERT_EQ(src.width, ref.width * 4);
  const Image out = resize(src, ref.width, ref.height);
  auto premultiplied = [](const Image& img) {
    std::vector<std::uint8_t> v(img.rgba.size());
    for (std::size_t i = 0; i < v.size(); i += 4) {
      for (int c = 0; c < 3; ++c)
        v[i + c] = static_cast<std::uint8_t>(img.rgba[i + c] * img.rgba[i + 3] / 255);
      v[i + 3] = img.rgba[i + 3];
    }
    return v;
  };
  const double db = psnr(premultiplied(out), premultiplied(ref));
  EXPECT_GT(db, 40) << db << " dB";
  RecordProperty("psnr_db", std::to_string(db));
}

// An opaque red 2 x 2 block in a field of transparent green: no green at all in the
// result, and the red stays red where it shows.
TEST(Resize, PremultipliedAlphaLeavesNoFringe) {
  Image img = filled(8, 8, 0, 255, 0, 0);
  for (int y = 3; y < 5; ++y) {
    for (int x = 3; x < 5; ++x) {
      std::uint8_t* p = img.at(x, y);
      p[0] = 255, p[1] = 0, p[2] = 0, p[3] = 255;
    }
  }
  for (int size : {4, 3, 16}) {
    const Image out = resize(img, size, size);
    int shown = 0;
    for (int y = 0; y < size; ++y) {
      for (int x = 0; x < size; ++x) {
        const std::uint8_t* p = out.at(x, y);
        if (p[3] == 0) continue;
        ++shown;
        EXPECT_EQ(p[1], 0) << size << ": green at " << x << "," << y;
        if (p[3] > 16) {
          EXPECT_GE(p[0], 250) << size << ": red fades at " << x << "," << y;
        }
      }
    }
    EXPECT_GT(shown, 0);
  }
}

TEST(Resize, ThumbnailSizes) {
  EXPECT_EQ(parse_fit("cover"), Fit::kCover);
  EXPECT_EQ(parse_fit("contain"), Fit::kContain);
  EXPECT_EQ(parse_fit("fill"), Fit::kFill);
  EXPECT_THROW(parse_fit("stretch"), UsageError);
  auto size = [](int sw, int sh, int w, int h, Fit f) {
    const Size s = fitted_size(sw, sh, w, h, f);
    return std::pair{s.width, s.height};
  };
  EXPECT_EQ(size(710, 640, 200, 200, Fit::kContain), std::pair(200, 180));  // 180.28
  EXPECT_EQ(size(640, 710, 200, 200, Fit::kContain), std::pair(180, 200));
  EXPECT_EQ(size(100, 50, 300, 300, Fit::kContain), std::pair(300, 150));  // scaled up
  EXPECT_EQ(size(10000, 1, 200, 200, Fit::kContain), std::pair(200, 1));
  EXPECT_EQ(size(710, 640, 200, 100, Fit::kCover), std::pair(200, 100));
  EXPECT_EQ(size(710, 640, 200, 100, Fit::kFill), std::pair(200, 100));

  const Image src = filled(710, 640, 1, 2, 3, 255);
  for (auto [fit, w, h] : {std::tuple{Fit::kContain, 200, 180}, std::tuple{Fit::kCover, 200, 200},
                           std::tuple{Fit::kFill, 200, 200}}) {
    const Image t = thumbnail(src, 200, 200, fit);
    EXPECT_EQ(t.width, w);
    EXPECT_EQ(t.height, h);
  }
}

// cover keeps the centre: thirds red, blue, red across a 300 x 100 picture; a 50 x 50
// cover thumbnail is the blue middle third alone, contain and fill show the red too.
TEST(Resize, CoverCropsTheCentre) {
  Image src = filled(300, 100, 255, 0, 0, 255);
  for (int y = 0; y < 100; ++y) {
    for (int x = 100; x < 200; ++x) src.at(x, y)[0] = 0, src.at(x, y)[2] = 255;
  }
  const Image cover = thumbnail(src, 50, 50, Fit::kCover);
  ASSERT_EQ(cover.width, 50);
  EXPECT_EQ(cover.rgba, filled(50, 50, 0, 0, 255, 255).rgba);
  const Image contain = thumbnail(src, 50, 50, Fit::kContain);
  EXPECT_EQ(contain.height, 17);
  EXPECT_EQ(contain.at(0, 8)[0], 255);
  const Image fill = thumbnail(src, 50, 50, Fit::kFill);
  EXPECT_EQ(fill.at(0, 25)[0], 255);
  EXPECT_EQ(fill.at(25, 25)[2], 255);
}

}  // namespace
}  // namespace lamtool::image
