#include "lamtool/json_scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace lamtool::json_scan {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The byte scans below look at sixteen bytes at a time (SSE2), then eight (SWAR), then
// one; a Matcher says which bytes stop the scan, in each of the three widths.
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;
// High bit set in each byte of the result where the byte of `v` equals `c`.
inline uint64_t bytes_equal(uint64_t v, unsigned char c) {
  uint64_t x = v ^ (kOnes * c);
  return (x - kOnes) & ~x & kHighs;
}

template <typename Matcher>
size_t find_first(std::string_view s, size_t i) {
  const char* p = s.data();
  const size_t n = s.size();
#if defined(__SSE2__)
  while (i + 16 <= n) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(Matcher::sse(v)));
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
    i += 16;
  }
#endif
  while (i + 8 <= n) {
    uint64_t v;
    std::memcpy(&v, p + i, 8);
    uint64_t hit = Matcher::swar(v);
    if (hit != 0) return i + static_cast<size_t>(__builtin_ctzll(hit) >> 3);
    i += 8;
  }
  while (i < n && !Matcher::byte(static_cast<unsigned char>(p[i]))) ++i;
  return i;
}

// Bytes that need a look inside a string: a quote, a backslash, a control character or
// a non-ASCII byte.
struct StringSpecial {
#if defined(__SSE2__)
  // A signed compare catches both < 0x20 and >= 0x80 (negative).
  static __m128i sse(__m128i v) {
    return _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
        _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
  }
#endif
  static uint64_t swar(uint64_t v) {
    return bytes_equal(v, '"') | bytes_equal(v, '\\') | (v & kHighs) |
           ((v - kOnes * 0x20) & ~v & kHighs);
  }
  static bool byte(unsigned char c) { return c == '"' || c == '\\' || c < 0x20 || c >= 0x80; }
};

// A quote or a bracket: what matters inside a container. '{' 0x7B and '[' 0x5B differ in
// one bit (0x20), as do '}' and ']'.
struct Structural {
#if defined(__SSE2__)
  static __m128i sse(__m128i v) {
    __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
    return _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                        _mm_or_si128(_mm_cmpeq_epi8(folded, _mm_set1_epi8('{')),
                                     _mm_cmpeq_epi8(folded, _mm_set1_epi8('}'))));
  }
#endif
  static uint64_t swar(uint64_t v) {
    uint64_t folded = v | (kOnes * 0x20);
    return bytes_equal(v, '"') | bytes_equal(folded, '{') | bytes_equal(folded, '}');
  }
  static bool byte(unsigned char c) {
    return c == '"' || c == '{' || c == '}' || c == '[' || c == ']';
  }
};

// A quote or a backslash: what matters inside a string being skipped.
struct QuoteOrBackslash {
#if defined(__SSE2__)
  static __m128i sse(__m128i v) {
    return _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                        _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
  }
#endif
  static uint64_t swar(uint64_t v) { return bytes_equal(v, '"') | bytes_equal(v, '\\'); }
  static bool byte(unsigned char c) { return c == '"' || c == '\\'; }
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool read_hex4(std::string_view s, size_t at, uint32_t& out) {
  if (at + 4 > s.size()) return false;
  out = 0;
  for (size_t i = 0; i < 4; ++i) {
    int h = hex_value(s[at + i]);
    if (h < 0) return false;
    out = out << 4 | static_cast<uint32_t>(h);
  }
  return true;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Length of the well-formed UTF-8 sequence at s[i] (a lead byte >= 0x80), 0 if invalid.
size_t utf8_sequence(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  size_t n = 0;
  uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (byte(i + k) & 0x3F);
  }
  if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
      (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return 0;
  return n;
}

}  // namespace

std::string_view describe(Kind kind) {
  switch (kind) {
    case Kind::kObject:
      return "an object";
    case Kind::kArray:
      return "an array";
    case Kind::kString:
      return "a string";
    case Kind::kNumber:
      return "a number";
    case Kind::kTrue:
    case Kind::kFalse:
      return "a boolean";
    case Kind::kNull:
      return "null";
    case Kind::kInvalid:
      break;
  }
  return "not a JSON value";
}

bool Cursor::fail(std::string_view what) {
  if (error_.empty()) {
    error_ = pos_ < text_.size() ? fmt::format("column {}: {}", pos_ + 1, what) : std::string(what);
    reason_ = what;
    error_offset_ = pos_;
  }
  return false;
}

bool Cursor::value(nlohmann::json& out) {
  switch (peek_kind()) {
    case Kind::kObject:
      out = nlohmann::json::object();
      return object([&](std::string_view key, bool escaped) {
        if (!escaped) return value(out[std::string(key)]);
        std::string text;
        if (!unescape(key, text)) return fail("bad \\u escape in a key");
        return value(out[text]);
      });
    case Kind::kArray:
      out = nlohmann::json::array();
      return array([&](size_t) {
        out.push_back(nullptr);
        return value(out.back());
      });
    case Kind::kString: {
      std::string_view raw;
      bool escaped = false;
      if (!string(raw, escaped)) return false;
      if (!escaped) {
        out = std::string(raw);
        return true;
      }
      std::string text;
      if (!unescape(raw, text)) return fail("bad \\u escape in a string");
      out = std::move(text);
      return true;
    }
    case Kind::kNumber: {
      std::string_view raw;
      double d = 0;
      if (!number(raw, d)) return false;
      if (raw.find_first_of(".eE") == std::string_view::npos) {
        // An integer, kept exact when it fits, as nlohmann keeps it.
        if (raw.front() == '-') {
          int64_t i = 0;
          auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), i);
          if (ec == std::errc() && end == raw.data() + raw.size()) {
            out = i;
            return true;
          }
        } else {
          uint64_t u = 0;
          auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), u);
          if (ec == std::errc() && end == raw.data() + raw.size()) {
            out = u;
            return true;
          }
        }
      }
      out = d;
      return true;
    }
    case Kind::kTrue:
      out = true;
      return literal("true");
    case Kind::kFalse:
      out = false;
      return literal("false");
    case Kind::kNull:
      out = nullptr;
      return literal("null");
    case Kind::kInvalid:
      break;
  }
  return skip_value();  // fails with the reason
}

bool parse(std::string_view text, nlohmann::json& out, std::string& error) {
  Cursor c(text);
  if (c.value(out) && c.end()) return true;
  size_t at = std::min(c.error_offset(), text.size());
  size_t line = 1 + static_cast<size_t>(std::count(
                        text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
  size_t column = line_start == std::string_view::npos || at == 0 ? at + 1 : at - line_start;
  error = fmt::format("parse error at line {}, column {}: {}", line, column,
                      at >= text.size() ? c.reason() + " (the text ends)" : c.reason());
  return false;
}

Kind Cursor::peek_kind() {
  skip_ws();
  if (pos_ >= text_.size()) return Kind::kInvalid;
  switch (text_[pos_]) {
    case '{':
      return Kind::kObject;
    case '[':
      return Kind::kArray;
    case '"':
      return Kind::kString;
    case 't':
      return Kind::kTrue;
    case 'f':
      return Kind::kFalse;
    case 'n':
      return Kind::kNull;
    default:
      return text_[pos_] == '-' || is_digit(text_[pos_]) ? Kind::kNumber : Kind::kInvalid;
  }
}

bool Cursor::at_end() {
  skip_ws();
  return pos_ >= text_.size();
}

bool Cursor::consume(char c) {
  skip_ws();
  if (pos_ < text_.size() && text_[pos_] == c) {
    ++pos_;
    return true;
  }
  return false;
}

bool Cursor::end() {
  if (failed()) return false;
  return at_end() || fail("unexpected text after the value");
}

bool Cursor::string(std::string_view& raw, bool& escaped) {
  skip_ws();
  if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected a string");
  size_t start = ++pos_;
  escaped = false;
  const size_t n = text_.size();
  while (pos_ < n) {
    pos_ = find_first<StringSpecial>(text_, pos_);
    if (pos_ >= n) break;
    auto c = static_cast<unsigned char>(text_[pos_]);
    if (c == '"') {
      raw = text_.substr(start, pos_ - start);
      ++pos_;
      return true;
    }
    if (c == '\\') {
      escaped = true;
      if (pos_ + 1 >= n) break;
      char e = text_[pos_ + 1];
      if (e == 'u') {
        uint32_t cp = 0;
        if (!read_hex4(text_, pos_ + 2, cp)) return fail("bad \\u escape in a string");
        pos_ += 6;
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                 e == 'r' || e == 't') {
        pos_ += 2;
      } else {
        ++pos_;
        return fail("bad escape in a string");
      }
    } else if (c < 0x20) {
      return fail("control character in a string");
    } else {
      size_t len = utf8_sequence(text_, pos_);
      if (len == 0) return fail("invalid UTF-8 in a string");
      pos_ += len;
    }
  }
  return fail("the string is not closed");
}

bool Cursor::number(std::string_view& raw, double& value) { return scan_number(raw, &value); }

bool Cursor::scan_number(std::string_view& raw, double* value) {
  skip_ws();
  const size_t n = text_.size();
  size_t start = pos_;
  size_t i = pos_;
  bool negative = i < n && text_[i] == '-';
  if (negative) ++i;
  if (i >= n || !is_digit(text_[i])) {
    if (text_.substr(i).starts_with("NaN") || text_.substr(i).starts_with("nan"))
      return fail("NaN is not a number");
    if (text_.substr(i).starts_with("Infinity") || text_.substr(i).starts_with("inf"))
      return fail("Infinity is not a number");
    return fail("expected a number");
  }
  // The digits as an integer, for the common case the fast path below takes.
  uint64_t mantissa = 0;
  int digits = 0;
  int fraction = 0;
  auto digit = [&](char c) {
    if (digits < 19) mantissa = mantissa * 10 + static_cast<uint64_t>(c - '0');
    ++digits;
  };
  if (text_[i] == '0') {
    ++i;
  } else {
    while (i < n && is_digit(text_[i])) digit(text_[i++]);
  }
  if (i < n && text_[i] == '.') {
    ++i;
    if (i >= n || !is_digit(text_[i])) {
      pos_ = i;
      return fail("expected a digit after '.'");
    }
    while (i < n && is_digit(text_[i])) {
      digit(text_[i++]);
      ++fraction;
    }
  }
  bool exponent = i < n && (text_[i] == 'e' || text_[i] == 'E');
  if (exponent) {
    ++i;
    if (i < n && (text_[i] == '+' || text_[i] == '-')) ++i;
    if (i >= n || !is_digit(text_[i])) {
      pos_ = i;
      return fail("expected a digit in the exponent");
    }
    while (i < n && is_digit(text_[i])) ++i;
  }
  raw = text_.substr(start, i - start);
  pos_ = i;
  if (value == nullptr) return true;
  // Clinger's fast path: an integer below 2^53 divided by an exact power of ten is
  // correctly rounded by one IEEE division.
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  if (!exponent && digits <= 15) {
    double v = static_cast<double>(mantissa) / kPow10[fraction];
    *value = negative ? -v : v;
    return true;
  }
  auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), *value);
  if (ec == std::errc::result_out_of_range) {
    // Underflow is a tiny number, fine as zero; overflow is not a finite value.
    bool overflow = raw.find_first_of("eE") != std::string_view::npos &&
                    raw[raw.find_first_of("eE") + 1] != '-';
    if (overflow) {
      pos_ = start;
      return fail(fmt::format("{} is out of range", raw));
    }
    *value = 0;
  } else if (ec != std::errc() || end != raw.data() + raw.size()) {
    pos_ = start;
    return fail("expected a number");
  }
  return true;
}

bool Cursor::literal(std::string_view word) {
  if (text_.substr(pos_, word.size()) != word) return fail("expected a JSON value");
  pos_ += word.size();
  return true;
}

bool Cursor::skip_container(char open) {
  if (open == '{') return object([this](std::string_view, bool) { return skip_value(); });
  return array([this](size_t) { return skip_value(); });
}

bool Cursor::skip_value(std::string_view* raw) {
  Kind kind = peek_kind();
  size_t start = pos_;
  bool ok = false;
  switch (kind) {
    case Kind::kObject:
      ok = skip_container('{');
      break;
    case Kind::kArray:
      ok = skip_container('[');
      break;
    case Kind::kString: {
      std::string_view s;
      bool escaped = false;
      ok = string(s, escaped);
      break;
    }
    case Kind::kNumber: {
      std::string_view s;
      ok = scan_number(s, nullptr);  // checked, not converted
      break;
    }
    case Kind::kTrue:
      ok = literal("true");
      break;
    case Kind::kFalse:
      ok = literal("false");
      break;
    case Kind::kNull:
      ok = literal("null");
      break;
    case Kind::kInvalid:
      if (pos_ < text_.size() &&
          (text_.substr(pos_).starts_with("NaN") || text_.substr(pos_).starts_with("Infinity")))
        return fail(
            fmt::format("{} is not a number", text_.substr(pos_, 3) == "NaN" ? "NaN" : "Infinity"));
      return fail(pos_ >= text_.size() ? "expected a JSON value, got the end"
                                       : "expected a JSON value");
  }
  if (ok && raw != nullptr) *raw = text_.substr(start, pos_ - start);
  return ok;
}

bool unescape(std::string_view raw, std::string& out) {
  out.clear();
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    char e = raw[++i];
    switch (e) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        uint32_t cp = 0;
        if (!read_hex4(raw, i + 1, cp)) return false;
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo = 0;
          if (i + 2 >= raw.size() || raw[i + 1] != '\\' || raw[i + 2] != 'u' ||
              !read_hex4(raw, i + 3, lo) || lo < 0xDC00 || lo > 0xDFFF)
            return false;
          i += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return false;
        }
        append_utf8(out, cp);
        break;
      }
      default:  // " \ /
        out += e;
    }
  }
  return true;
}

bool escaped_key_equals(std::string_view raw, std::string_view key) {
  std::string text;
  return unescape(raw, text) && text == key;
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20)
          out += fmt::format("\\u{:04x}", c);
        else
          out += ch;
    }
  }
  return out;
}

ValueScanner::State ValueScanner::feed(std::string_view text, size_t from) {
  size_t i = from;
  const size_t n = text.size();
  while (i < n) {
    char c = text[i];
    if (in_string_) {
      if (escape_) {
        escape_ = false;
        ++i;
        continue;
      }
      // Jump to the next backslash or closing quote.
      size_t k = find_first<QuoteOrBackslash>(text, i);
      if (k < n && text[k] == '\\') {
        escape_ = true;
        i = k + 1;
        continue;
      }
      if (k >= n) break;
      in_string_ = false;
      i = k + 1;
      if (depth_ == 0) {
        end_ = i;
        scanned_ = end_;
        return State::kDone;
      }
      continue;
    }
    if (scalar_) {
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ',' || c == ']' || c == '}') {
        end_ = i;
        scanned_ = i;
        return State::kDone;
      }
      ++i;
      continue;
    }
    if (started_ && depth_ > 0) {
      // Inside a container only quotes and brackets matter.
      i = find_first<Structural>(text, i);
      if (i >= n) break;
      c = text[i];
    }
    switch (c) {
      case '"':
        in_string_ = true;
        started_ = true;
        break;
      case '{':
      case '[':
        if (depth_ >= kMaxDepth) {
          scanned_ = i;
          return State::kError;
        }
        stack_[depth_++] = c;
        started_ = true;
        break;
      case '}':
      case ']':
        if (depth_ == 0 || stack_[depth_ - 1] != (c == '}' ? '{' : '[')) {
          scanned_ = i;
          return State::kError;
        }
        if (--depth_ == 0) {
          end_ = i + 1;
          scanned_ = end_;
          return State::kDone;
        }
        break;
      case ' ':
      case '\n':
      case '\r':
      case '\t':
        break;
      default:
        if (!started_) {
          scalar_ = true;
          started_ = true;
        }
    }
    ++i;
  }
  scanned_ = n;
  return State::kMore;
}

}  // namespace lamtool::json_scan
