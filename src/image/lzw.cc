#include "image/lzw.h"

#include <algorithm>

namespace lamtool::image::gif {
namespace {

// Packs codes least significant bit first into data sub-blocks.
class BitWriter {
 public:
  explicit BitWriter(std::string& out) : out_(out) {}
  void put(unsigned code, int width) {
    acc_ |= static_cast<std::uint64_t>(code) << bits_;
    bits_ += width;
    total_ += static_cast<std::uint64_t>(width);
    while (bits_ >= 8) {
      block_[len_++] = static_cast<char>(acc_ & 0xff);
      acc_ >>= 8;
      bits_ -= 8;
      if (len_ == 255) flush_block();
    }
  }
  void finish() {
    if (bits_ > 0) {
      block_[len_++] = static_cast<char>(acc_ & 0xff);
      acc_ = 0;
      bits_ = 0;
      if (len_ == 255) flush_block();
    }
    flush_block();
    out_ += '\0';  // block terminator
  }
  std::uint64_t total() const { return total_; }

 private:
  void flush_block() {
    if (len_ == 0) return;
    out_ += static_cast<char>(len_);
    out_.append(block_, static_cast<std::size_t>(len_));
    len_ = 0;
  }
  std::string& out_;
  std::uint64_t acc_ = 0;
  int bits_ = 0;
  std::uint64_t total_ = 0;
  char block_[255];
  int len_ = 0;
};

// Deferred clear: once the dictionary is full, the output is watched in windows of this
// many pixels; a window costing more bits per pixel than the best window since the
// dictionary filled, by more than kWorse, means the picture has moved on from what the
// dictionary knows, and a clear is sent. Measured on the radar loops (both sets
// 3-5% smaller than clearing at once); the encoder tries both anyway.
constexpr std::size_t kWindow = 4096;
constexpr double kWorse = 1.20;

}  // namespace

void LzwEncoder::encode(const std::uint8_t* pixels, std::size_t n, int min_code_size,
                        std::string& out, const std::uint8_t* flexible, std::uint8_t alt,
                        Clear policy) {
  out += static_cast<char>(min_code_size);
  BitWriter bits(out);
  const int shift = min_code_size;
  const int clear = 1 << min_code_size;
  const int end = clear + 1;
  int width = min_code_size + 1;
  int next = clear + 2;
  child_.resize(std::size_t{4096} << shift);
  std::uint16_t* child = child_.data();
  auto reset = [&] {
    std::fill(child, child + (static_cast<std::size_t>(clear) << shift), std::uint16_t{0});
    width = min_code_size + 1;
    next = clear + 2;
  };
  reset();
  bits.put(static_cast<unsigned>(clear), width);
  if (n == 0) {
    bits.put(static_cast<unsigned>(end), width);
    bits.finish();
    return;
  }
  auto first = [&](std::size_t i) -> int { return flexible && flexible[i] ? alt : pixels[i]; };
  // Deferred clear bookkeeping: where the current window began (pixels, bits), and the
  // best bits per pixel of a window since the dictionary filled.
  std::size_t window_start = 0;
  std::uint64_t window_bits = 0;
  double best_rate = 0;
  int prefix = first(0);
  for (std::size_t i = 1; i < n; ++i) {
    const std::size_t row = static_cast<std::size_t>(prefix) << shift;
    int code = child[row | pixels[i]];
    if (code == 0 && flexible && flexible[i]) code = child[row | alt];
    if (code != 0) {
      prefix = code;
      continue;
    }
    bits.put(static_cast<unsigned>(prefix), width);
    const int c = first(i);
    if (next < 4096) {
      child[row | static_cast<std::size_t>(c)] = static_cast<std::uint16_t>(next);
      std::fill_n(child + (static_cast<std::size_t>(next) << shift), std::size_t{1} << shift,
                  std::uint16_t{0});
      // The decoder adds this entry one code later, and widens as soon as its next code
      // would not fit; so widen when the code just assigned is the largest of the width.
      if (next == (1 << width) && width < 12) ++width;
      ++next;
      if (next == 4096) {
        if (policy == Clear::kAtOnce) {
          bits.put(static_cast<unsigned>(clear), width);
          reset();
        } else {
          window_start = i;
          window_bits = bits.total();
          best_rate = 0;
        }
      }
    } else if (i - window_start >= kWindow) {
      const double rate =
          static_cast<double>(bits.total() - window_bits) / static_cast<double>(i - window_start);
      if (best_rate == 0 || rate < best_rate) best_rate = rate;
      window_start = i;
      window_bits = bits.total();
      if (rate > best_rate * kWorse) {
        bits.put(static_cast<unsigned>(clear), width);
        reset();
      }
    }
    prefix = c;
  }
  bits.put(static_cast<unsigned>(prefix), width);
  bits.put(static_cast<unsigned>(end), width);
  bits.finish();
}

}  // namespace lamtool::image::gif
