#include "lamtool/encoding.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdint>

namespace lamtool {

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size())
      n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

namespace {

// The 6-bit value of each base64 character, 0xFF for any other byte.
struct DecodeTable {
  unsigned char value[256];
  constexpr DecodeTable() : value() {
    for (auto& v : value) v = 0xFF;
    constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (unsigned char i = 0; i < 64; ++i) value[static_cast<unsigned char>(kAlphabet[i])] = i;
  }
};
constexpr DecodeTable kDecode;

}  // namespace

bool base64_decode(std::string_view text, std::string& out) {
  out.clear();
  if (text.size() % 4 != 0) return false;
  if (text.empty()) return true;
  size_t pad = text.back() != '=' ? 0 : text[text.size() - 2] == '=' ? 2 : 1;
  out.resize(text.size() / 4 * 3 - pad);
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  char* o = out.data();
  size_t full = text.size() / 4 - (pad > 0 ? 1 : 0);
  for (size_t g = 0; g < full; ++g, in += 4) {
    uint32_t a = kDecode.value[in[0]], b = kDecode.value[in[1]], c = kDecode.value[in[2]],
             d = kDecode.value[in[3]];
    if ((a | b | c | d) & 0x80) return false;
    uint32_t n = a << 18 | b << 12 | c << 6 | d;
    *o++ = static_cast<char>(n >> 16);
    *o++ = static_cast<char>(n >> 8);
    *o++ = static_cast<char>(n);
  }
  if (pad > 0) {
    uint32_t a = kDecode.value[in[0]], b = kDecode.value[in[1]];
    uint32_t c = pad == 2 ? 0 : kDecode.value[in[2]];
    if ((a | b | c) & 0x80) return false;
    uint32_t n = a << 18 | b << 12 | c << 6;
    // Bits past the last byte must be zero, so each byte string has one encoding.
    if ((pad == 2 && (n & 0xFFFF) != 0) || (pad == 1 && (n & 0xFF) != 0)) return false;
    *o++ = static_cast<char>(n >> 16);
    if (pad == 1) *o++ = static_cast<char>(n >> 8);
  }
  return true;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

size_t utf8_length(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) >> 6) != 2 ? 1 : 0;
  return n;
}

bool utf8_valid(std::string_view text, size_t* bad_at) {
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t extra = c < 0x80                 ? 0
                   : c >= 0xC2 && c <= 0xDF ? 1
                   : (c >> 4) == 0xE        ? 2
                   : c >= 0xF0 && c <= 0xF4 ? 3
                                            : 4;  // 4: never a lead byte
    bool ok = extra < 4 && i + extra < text.size();
    for (size_t k = 1; ok && k <= extra; ++k)
      ok = (static_cast<unsigned char>(text[i + k]) >> 6) == 2;
    if (ok && extra >= 2) {  // the second byte's range rules out overlongs and surrogates
      auto c1 = static_cast<unsigned char>(text[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 > 0x9F) && !(c == 0xF0 && c1 < 0x90) &&
           !(c == 0xF4 && c1 > 0x8F);
    }
    if (!ok) {
      if (bad_at != nullptr) *bad_at = i;
      return false;
    }
    i += extra + 1;
  }
  return true;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string percent_encode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~' ||
        (keep_slash && c == '/')) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::string form_decode(std::string_view text) {
  std::string spaced(text);
  for (char& c : spaced)
    if (c == '+') c = ' ';
  return percent_decode(spaced);
}

}  // namespace lamtool
