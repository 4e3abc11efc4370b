#pragma once
// Reading JSON text in place, without building a document: for records that arrive by
// the million (predict), where a DOM per record would cost more than the work. A Cursor
// walks one value held in memory and checks it as strictly as a full parser (RFC 8259:
// string escapes and control characters, number grammar, nesting, nothing after the
// end); a ValueScanner finds where a value ends in a stream that arrives in pieces.
//
//   json_scan::Cursor c(line);
//   bool ok = c.object([&](std::string_view key, bool escaped) {
//     if (json_scan::key_equals(key, escaped, "id")) return c.number(raw, x);
//     return c.skip_value();
//   }) && c.end();
//   if (!ok) report(c.error());

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace lamtool::json_scan {

/// What a value is, from its first character.
enum class Kind { kObject, kArray, kString, kNumber, kTrue, kFalse, kNull, kInvalid };
/// "an object", "a string", ... for messages.
std::string_view describe(Kind kind);

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  /// The kind of the next value (after white space).
  Kind peek_kind();
  /// Skips white space; true when nothing else is left.
  bool at_end();
  /// Skips white space; true (and consumes it) when the next character is `c`.
  bool consume(char c);
  /// True when only white space is left; otherwise fails with "unexpected ... after the
  /// value".
  bool end();

  /// A string: `raw` is the text between the quotes, escapes not decoded;
  /// `escaped` tells whether it holds any (then decode with unescape()).
  bool string(std::string_view& raw, bool& escaped);
  /// A number: `raw` is its text as written, `value` its double (fails when out of a
  /// double's range). NaN and Infinity, which JSON lacks, fail with their own message.
  bool number(std::string_view& raw, double& value);
  /// Any value, checked and passed over; `raw` (if given) is its text.
  bool skip_value(std::string_view* raw = nullptr);
  /// The members of an object: `member(key, escaped)` must read the value from this
  /// cursor (or skip it) and return false to stop. Keys are raw, as string() gives them.
  template <typename F>
  bool object(F&& member);
  /// The elements of an array: `element(index)` reads each from this cursor.
  template <typename F>
  bool array(F&& element);

  /// Any value, as a document (objects, arrays, strings, numbers as nlohmann stores
  /// them: non-negative integers unsigned, negative ones signed, others double).
  bool value(nlohmann::json& out);

  /// The first problem, e.g. "column 14: expected ':'"; empty while none.
  const std::string& error() const { return error_; }
  /// The first problem without its place, and the offset where it was found.
  const std::string& reason() const { return reason_; }
  size_t error_offset() const { return error_offset_; }
  bool failed() const { return !error_.empty(); }
  /// Failed because the text ended (more of it may make the value whole).
  bool truncated() const { return failed() && pos_ >= text_.size(); }
  /// Fails with `what` at the current column (or keeps the first failure).
  bool fail(std::string_view what);
  size_t offset() const { return pos_; }

 private:
  void skip_ws() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t'))
      ++pos_;
  }
  bool literal(std::string_view word);
  /// number(), converting only when `value` is given.
  bool scan_number(std::string_view& raw, double* value);
  bool skip_container(char open);

  std::string_view text_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::string error_;
  std::string reason_;
  size_t error_offset_ = 0;
};

/// Parses a whole JSON text (as nlohmann::json::parse does, several times faster);
/// false with `error` "parse error at line L, column C: <what>" when it is not JSON.
bool parse(std::string_view text, nlohmann::json& out, std::string& error);

/// The text of a JSON string's raw contents with escapes decoded (\uXXXX as UTF-8,
/// surrogate pairs joined); false for a lone surrogate.
bool unescape(std::string_view raw, std::string& out);
bool escaped_key_equals(std::string_view raw, std::string_view key);
/// True when `raw` (a string's contents as Cursor::string() gives them) spells `key`.
inline bool key_equals(std::string_view raw, bool escaped, std::string_view key) {
  return escaped ? escaped_key_equals(raw, key) : raw == key;
}
/// `text` as the contents of a JSON string (quotes not included).
std::string escape(std::string_view text);

/// Finds where one JSON value ends in text that arrives in pieces: feed() each new
/// stretch of bytes; it tracks nesting and strings, not the full grammar (a Cursor
/// checks the value once it is whole).
class ValueScanner {
 public:
  enum class State { kMore, kDone, kError };
  /// Starts at the first character of a value.
  void reset() { *this = ValueScanner(); }
  /// Scans `text` from `from`; kDone with end() = one past the value's last byte
  /// (relative to `text`), kMore when the value goes on past `text`, kError when a
  /// closing bracket does not match.
  State feed(std::string_view text, size_t from);
  size_t end() const { return end_; }
  /// How far feed() got (relative to the last `text`), to resume after more arrives.
  size_t scanned() const { return scanned_; }
  /// The value is a number or literal, so the end of the input also ends it.
  bool scalar() const { return scalar_; }
  /// The kError was a value nested deeper than kMaxDepth, not a mismatched bracket.
  bool too_deep() const { return depth_ >= kMaxDepth; }
  static constexpr int kMaxDepth = 64;

 private:
  int depth_ = 0;
  bool started_ = false;
  bool in_string_ = false;
  bool escape_ = false;
  bool scalar_ = false;  ///< a number or literal: ends at the first delimiter
  char stack_[kMaxDepth] = {};
  size_t end_ = 0;
  size_t scanned_ = 0;
};

// ---- templates ----

template <typename F>
bool Cursor::object(F&& member) {
  if (!consume('{')) return fail("expected '{'");
  if (++depth_ > 512) return fail("nested too deeply");
  if (consume('}')) {
    --depth_;
    return true;
  }
  for (;;) {
    skip_ws();
    std::string_view key;
    bool escaped = false;
    if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected a string key");
    if (!string(key, escaped)) return false;
    if (!consume(':')) return fail("expected ':'");
    if (!member(key, escaped)) return false;
    if (consume(',')) continue;
    if (consume('}')) break;
    return fail(pos_ >= text_.size() ? "the object is not closed" : "expected ',' or '}'");
  }
  --depth_;
  return true;
}

template <typename F>
bool Cursor::array(F&& element) {
  if (!consume('[')) return fail("expected '['");
  if (++depth_ > 512) return fail("nested too deeply");
  if (consume(']')) {
    --depth_;
    return true;
  }
  for (size_t i = 0;; ++i) {
    if (!element(i)) return false;
    if (consume(',')) continue;
    if (consume(']')) break;
    return fail(pos_ >= text_.size() ? "the array is not closed" : "expected ',' or ']'");
  }
  --depth_;
  return true;
}

}  // namespace lamtool::json_scan
