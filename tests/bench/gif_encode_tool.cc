// encode_gif on raw RGBA frames, for tests/bench/gif_bench.sh (until lamtool gif decodes
// PNG and GIF frames itself):
//   gif_encode_tool W H OUT.gif [--delay MS] [--colors N] [--none] [--runs R] FRAME.rgba...
// Frames are composited on white (--none: alpha kept as 1-bit transparency), kept in
// memory, and encoded R times; prints "bytes median_ms min_ms".

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "lamtool/image/gif.h"

namespace {

using lamtool::image::Image;

class MemorySource : public lamtool::image::FrameSource {
 public:
  MemorySource(std::vector<Image> frames, int delay) : frames_(std::move(frames)), delay_(delay) {}
  std::size_t count() const override { return frames_.size(); }
  Image frame(std::size_t i) override { return frames_[i]; }
  int delay_ms(std::size_t) const override { return delay_; }

 private:
  std::vector<Image> frames_;
  int delay_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s W H OUT.gif [options] FRAME.rgba...\n", argv[0]);
    return 64;
  }
  const int w = std::stoi(argv[1]), h = std::stoi(argv[2]);
  const std::string out_path = argv[3];
  lamtool::image::GifOptions options;
  int delay = 250, runs = 5;
  std::vector<Image> frames;
  for (int i = 4; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--delay") {
      delay = std::stoi(argv[++i]);
    } else if (a == "--colors") {
      options.colors = std::stoi(argv[++i]);
    } else if (a == "--none") {
      options.transparency = true;
    } else if (a == "--runs") {
      runs = std::stoi(argv[++i]);
    } else {
      std::ifstream f(a, std::ios::binary);
      std::vector<char> bytes((std::istreambuf_iterator<char>(f)),
                              std::istreambuf_iterator<char>());
      Image img;
      img.width = w;
      img.height = h;
      img.rgba.assign(bytes.begin(), bytes.end());
      if (img.rgba.size() != static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4) {
        std::fprintf(stderr, "%s: not %dx%d RGBA\n", a.c_str(), w, h);
        return 65;
      }
      for (std::size_t p = 0; p < img.rgba.size(); p += 4) {
        const int alpha = img.rgba[p + 3];
        if (options.transparency) {
          img.rgba[p + 3] = alpha >= 128 ? 255 : 0;
          continue;
        }
        for (std::size_t c = 0; c < 3; ++c)
          img.rgba[p + c] = static_cast<std::uint8_t>(
              (img.rgba[p + c] * alpha + 255 * (255 - alpha) + 127) / 255);
        img.rgba[p + 3] = 255;
      }
      frames.push_back(std::move(img));
    }
  }
  MemorySource source(std::move(frames), delay);
  std::vector<double> times;
  std::string gif;
  for (int r = 0; r < runs; ++r) {
    gif.clear();
    const auto t0 = std::chrono::steady_clock::now();
    lamtool::image::encode_gif(source, options, [&](std::string_view s) { gif.append(s); });
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(times.begin(), times.end());
  std::ofstream(out_path, std::ios::binary) << gif;
  std::printf("%zu %.2f %.2f\n", gif.size(), times[times.size() / 2], times.front());
  return 0;
}
