#include "lamtool/predict/records.h"

#include <fmt/format.h>

#include "lamtool/encoding.h"
#include "lamtool/error.h"
#include "lamtool/json_scan.h"
#include "lamtool/parse.h"

namespace lamtool::predict {

using json_scan::Cursor;
using json_scan::key_equals;
using json_scan::Kind;

namespace {

constexpr size_t kReadChunk = 256 * 1024;

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// A JSON string's raw contents as base64, decoded into `out`.
bool decode_base64_string(std::string_view raw, bool escaped, std::string& out,
                          std::string& unescaped) {
  if (escaped) {  // some encoders write '/' as "\/"
    if (!json_scan::unescape(raw, unescaped)) return false;
    raw = unescaped;
  }
  return base64_decode(raw, out);
}

// A payload given as a base64 string value (a JSON Lines line or an array element).
void string_record(std::string_view value, RawRecord& r, std::string& scratch, std::string& error) {
  Cursor c(value);
  std::string_view raw;
  bool escaped = false;
  std::string unescaped;
  if (!c.string(raw, escaped) || !c.end()) {
    error = fmt::format("malformed JSON: {}", c.error());
    r.error = error;
  } else if (!decode_base64_string(raw, escaped, scratch, unescaped)) {
    r.error = "not valid base64";
  } else {
    r.payload = scratch;
  }
}

// A payload object or a base64 string: an element of a plain array, a JSON line.
void payload_record(std::string_view value, RawRecord& r, std::string& scratch,
                    std::string& error) {
  Cursor c(value);
  Kind kind = c.peek_kind();
  if (kind == Kind::kObject) {
    r.payload = value;
  } else if (kind == Kind::kString) {
    string_record(value, r, scratch, error);
  } else if (kind == Kind::kInvalid) {
    r.error = "malformed JSON: expected a payload object or a base64 string";
  } else {
    error = fmt::format("expected a payload object or a base64 string, got {}",
                        json_scan::describe(kind));
    r.error = error;
  }
}

// Reads a string member's value for an envelope record; `error` names `field` when it
// is of another type.
bool envelope_string(Cursor& c, std::string_view field, std::string_view& raw, bool& escaped,
                     std::string& error) {
  Kind kind = c.peek_kind();
  if (kind == Kind::kString) return c.string(raw, escaped);
  // Another type is the record's problem, noted while the rest (the sequence number)
  // is still read.
  if (kind != Kind::kNull && error.empty())
    error = fmt::format("field '{}': expected a string, got {}", field, json_scan::describe(kind));
  return c.skip_value();
}

// One element of a Records array (a Lambda Kinesis event record or a get-records one),
// read from `c`. With `whole` false, the text may hold more after the element or be cut
// short by the end of the buffer: then it returns false, touching nothing, unless the
// element is whole and well formed, so the caller can find its extent the slow way and
// call again with `whole` set on exactly its text, which reports any problem.
bool envelope_record(Cursor& c, bool whole, RawRecord& r, std::string& scratch,
                     std::string& error) {
  if (c.peek_kind() != Kind::kObject) {
    if (!whole) return false;
    error = fmt::format("expected a record object, got {}", json_scan::describe(c.peek_kind()));
    r.error = error;
    return true;
  }
  std::string_view source, data, seq;
  bool source_esc = false, data_esc = false, seq_esc = false;
  bool lambda = false;  // kinesis.data (a Lambda event) rather than Data (get-records)
  bool has_data = false;
  error.clear();
  bool ok = c.object([&](std::string_view key, bool esc) {
    if (key_equals(key, esc, "eventSource"))
      return envelope_string(c, "eventSource", source, source_esc, error);
    if (key_equals(key, esc, "kinesis")) {
      if (c.peek_kind() != Kind::kObject) {
        if (error.empty())
          error = fmt::format("field 'kinesis': expected an object, got {}",
                              json_scan::describe(c.peek_kind()));
        return c.skip_value();
      }
      lambda = true;
      return c.object([&](std::string_view k, bool e) {
        if (key_equals(k, e, "data")) {
          has_data = true;
          return envelope_string(c, "kinesis.data", data, data_esc, error);
        }
        if (key_equals(k, e, "sequenceNumber"))
          return envelope_string(c, "kinesis.sequenceNumber", seq, seq_esc, error);
        return c.skip_value();
      });
    }
    if (key_equals(key, esc, "Data")) {
      has_data = true;
      return envelope_string(c, "Data", data, data_esc, error);
    }
    if (key_equals(key, esc, "SequenceNumber"))
      return envelope_string(c, "SequenceNumber", seq, seq_esc, error);
    return c.skip_value();
  });
  if (whole) ok = ok && c.end();
  if (!ok && !whole) return false;
  r.sequence = seq;
  r.origin = lambda ? RecordOrigin::kKinesisEvent : RecordOrigin::kGetRecords;
  if (!ok) {
    error = fmt::format("malformed JSON: {}", c.error());
  } else if (!error.empty()) {
    // a field of the wrong type, named above
  } else if (!source.empty() && source != "aws:kinesis") {
    error = fmt::format("field 'eventSource': '{}' is not a Kinesis record (aws:kinesis)", source);
  } else if (!has_data || data.data() == nullptr) {
    error =
        lambda ? "field 'kinesis.data' is missing" : "field 'Data' (or 'kinesis.data') is missing";
  } else {
    std::string unescaped;
    if (decode_base64_string(data, data_esc, scratch, unescaped)) {
      r.payload = scratch;
      return true;
    }
    error = fmt::format("field '{}': not valid base64", lambda ? "kinesis.data" : "Data");
  }
  r.error = error;
  return true;
}

}  // namespace

// A document read element by element: the window holds the bytes from `keep_` on, so
// memory is bounded by the longest element (and kReadChunk), not by the document.
// Offsets are absolute (from the start of what this document reader was given).
class RecordReader::Document {
 public:
  /// Reads `in`, whose first bytes `head` were already taken from it.
  Document(InputStream& in, std::string head, size_t max_record)
      : in_(&in), buf_(std::move(head)), max_(max_record) {}
  /// Reads `memory` only (one JSON line holding an event).
  Document(std::string_view memory, size_t max_record)
      : mem_(memory), eof_(true), max_(max_record) {}

  bool next(RawRecord& r, std::string& scratch, std::string& error);
  size_t consumed() const { return pos_; }
  /// Bytes buffered and not yet read.
  size_t ahead() const { return base_ + data().size() - pos_; }

 private:
  enum class State { kTop, kMembers, kRecords, kArray, kDone };
  enum class Scan { kOk, kTooLong, kEnds, kBad };

  std::string_view data() const { return in_ != nullptr ? std::string_view(buf_) : mem_; }
  size_t end() const { return base_ + data().size(); }
  char at(size_t abs) const { return data()[abs - base_]; }
  std::string_view slice(size_t from, size_t to) const {
    return data().substr(from - base_, to - from);
  }
  bool more();
  bool skip_ws();
  Scan scan_value(size_t& start, size_t& stop);
  bool fail(RawRecord& r, std::string& error, std::string message);
  /// Why the last scan_value() was kBad.
  std::string bad_brackets() const {
    return too_deep_ ? fmt::format("malformed JSON: nested deeper than {} levels",
                                   json_scan::ValueScanner::kMaxDepth)
                     : "malformed JSON: brackets do not match";
  }
  bool element(RawRecord& r, std::string& scratch, std::string& error);

  InputStream* in_ = nullptr;
  std::string buf_;
  std::string_view mem_;
  bool eof_ = false;
  size_t max_;
  size_t base_ = 0;  ///< absolute offset of data()[0]
  size_t pos_ = 0;   ///< next byte to read
  size_t keep_ = 0;  ///< bytes before this may be dropped
  State state_ = State::kTop;
  size_t document_ = 0;
  long index_ = 0;
  size_t object_start_ = 0;
  bool records_seen_ = false;
  bool too_deep_ = false;  ///< the last kBad scan was a value nested too deeply
};

bool RecordReader::Document::more() {
  if (eof_) return false;
  if (keep_ > base_) {
    buf_.erase(0, keep_ - base_);
    base_ = keep_;
  }
  size_t old = buf_.size();
  buf_.resize(old + kReadChunk);
  size_t n = in_->read(std::span<char>(buf_.data() + old, kReadChunk));
  buf_.resize(old + n);
  if (n == 0) eof_ = true;
  return n > 0;
}

bool RecordReader::Document::skip_ws() {
  for (;;) {
    while (pos_ < end() && is_space(at(pos_))) ++pos_;
    if (pos_ < end()) return true;
    if (!more()) return false;
  }
}

RecordReader::Document::Scan RecordReader::Document::scan_value(size_t& start, size_t& stop) {
  start = pos_;
  keep_ = std::min(keep_, pos_);
  json_scan::ValueScanner scanner;
  size_t from = pos_;
  bool too_long = false;
  for (;;) {
    auto state = scanner.feed(data(), from - base_);
    if (state == json_scan::ValueScanner::State::kDone) {
      stop = base_ + scanner.end();
      pos_ = stop;
      if (!too_long && stop - start <= max_) return Scan::kOk;
      keep_ = pos_;
      return Scan::kTooLong;
    }
    if (state == json_scan::ValueScanner::State::kError) {
      pos_ = base_ + scanner.scanned();
      too_deep_ = scanner.too_deep();
      return Scan::kBad;
    }
    from = base_ + scanner.scanned();
    if (from - start > max_) {
      too_long = true;  // pass over the rest without holding it
      keep_ = from;
    }
    if (!more()) {
      pos_ = end();
      if (!scanner.scalar()) return Scan::kEnds;
      stop = pos_;
      return too_long ? Scan::kTooLong : Scan::kOk;
    }
  }
}

bool RecordReader::Document::fail(RawRecord& r, std::string& error, std::string message) {
  error = std::move(message);
  r.error = error;
  state_ = State::kDone;
  return true;
}

bool RecordReader::Document::element(RawRecord& r, std::string& scratch, std::string& error) {
  bool records = state_ == State::kRecords;
  r.place = {.line = 0, .document = document_, .index = index_, .records = records};
  r.origin = records ? RecordOrigin::kGetRecords : RecordOrigin::kArray;
  // Fast path: read the element in place, as most are whole in the buffer; read more
  // and try again when it is cut short by the buffer's end.
  for (;;) {
    Cursor c(data().substr(pos_ - base_));
    std::string_view raw;
    bool done = records ? envelope_record(c, false, r, scratch, error) : c.skip_value(&raw);
    if (done) {
      if (!records) payload_record(raw, r, scratch, error);
      pos_ += c.offset();
      keep_ = pos_;
      ++index_;
      return true;
    }
    if (!c.truncated() || eof_ || end() - pos_ > max_) break;
    keep_ = pos_;
    more();
  }
  // Slow path: find where the element ends, then read it alone.
  size_t start = 0, stop = 0;
  switch (scan_value(start, stop)) {
    case Scan::kOk:
      break;
    case Scan::kTooLong:
      error = fmt::format("longer than {} bytes", max_);
      r.error = error;
      ++index_;
      return true;
    case Scan::kEnds:
      if (records) {  // what there is may still name the record (its sequence number)
        Cursor c(slice(start, end()));
        envelope_record(c, true, r, scratch, error);
        r.payload = {};
      }
      return fail(r, error, "the input ends inside this record");
    case Scan::kBad:
      return fail(r, error, bad_brackets());
  }
  ++index_;
  std::string_view value = slice(start, stop);
  if (records) {
    Cursor c(value);
    envelope_record(c, true, r, scratch, error);
  } else {
    payload_record(value, r, scratch, error);
  }
  keep_ = pos_;
  return true;
}

bool RecordReader::Document::next(RawRecord& r, std::string& scratch, std::string& error) {
  r.payload = {};
  r.sequence = {};
  r.error = {};
  for (;;) {
    bool in_array = state_ == State::kRecords || state_ == State::kArray;
    r.place = {.line = 0,
               .document = document_,
               .index = in_array ? index_ : -1,
               .records = state_ == State::kRecords};
    switch (state_) {
      case State::kDone:
        return false;
      case State::kTop: {
        keep_ = pos_;
        if (!skip_ws()) {
          state_ = State::kDone;
          return false;
        }
        ++document_;
        index_ = 0;
        r.place = {.line = 0, .document = document_, .index = -1, .records = false};
        r.origin = RecordOrigin::kDocument;
        char c = at(pos_);
        if (c == '{') {
          object_start_ = pos_;
          keep_ = pos_;
          records_seen_ = false;
          ++pos_;
          state_ = State::kMembers;
          if (skip_ws() && at(pos_) == '}') {  // {} : an empty payload
            ++pos_;
            state_ = State::kTop;
            r.payload = "{}";
            return true;
          }
          continue;
        }
        if (c == '[') {
          ++pos_;
          state_ = State::kArray;
          if (skip_ws() && at(pos_) == ']') {
            ++pos_;
            state_ = State::kTop;
          }
          continue;
        }
        size_t start = 0, stop = 0;
        Scan scan = scan_value(start, stop);
        if (scan == Scan::kOk && c == '"') {
          string_record(slice(start, stop), r, scratch, error);
          keep_ = pos_;
          return true;
        }
        if (scan == Scan::kTooLong)
          return fail(r, error, fmt::format("longer than {} bytes", max_));
        return fail(r, error,
                    c == '"' ? std::string("the input ends inside a string")
                             : "expected a JSON object, an array or a base64 string");
      }
      case State::kMembers: {
        // The members of a top-level object: a Records array is read element by
        // element; any other object is one payload, read whole when it closes.
        if (!skip_ws()) return fail(r, error, "the input ends inside the object");
        char c = at(pos_);
        if (c == '}') {
          ++pos_;
          state_ = State::kTop;
          if (records_seen_) continue;
          r.place = {.line = 0, .document = document_, .index = -1, .records = false};
          r.origin = RecordOrigin::kDocument;
          if (pos_ - object_start_ > max_) {
            keep_ = pos_;
            error = fmt::format("longer than {} bytes", max_);
            r.error = error;
            return true;
          }
          r.payload = slice(object_start_, pos_);
          keep_ = pos_;
          return true;
        }
        if (c == ',') {
          ++pos_;
          if (!skip_ws()) return fail(r, error, "the input ends inside the object");
          c = at(pos_);
        }
        if (c != '"') return fail(r, error, "malformed JSON: expected a string key");
        size_t key_start = 0, key_stop = 0;
        if (scan_value(key_start, key_stop) != Scan::kOk)
          return fail(r, error, "malformed JSON: a key is not closed");
        bool records_key = slice(key_start, key_stop) == "\"Records\"";
        if (!skip_ws() || at(pos_) != ':') return fail(r, error, "malformed JSON: expected ':'");
        ++pos_;
        if (!skip_ws()) return fail(r, error, "the input ends inside the object");
        if (records_key && at(pos_) == '[') {
          records_seen_ = true;
          keep_ = pos_;
          ++pos_;
          state_ = State::kRecords;
          index_ = 0;
          if (skip_ws() && at(pos_) == ']') {
            ++pos_;
            state_ = State::kMembers;
          }
          continue;
        }
        if (!records_seen_) keep_ = object_start_;
        size_t start = 0, stop = 0;
        Scan scan = scan_value(start, stop);
        if (scan == Scan::kEnds) return fail(r, error, "the input ends inside the object");
        if (scan == Scan::kBad) return fail(r, error, bad_brackets());
        if (records_seen_) keep_ = pos_;
        if (!records_seen_ && pos_ - object_start_ > max_)
          keep_ = pos_;  // too long to be a payload: noted when it closes
        continue;
      }
      case State::kRecords:
      case State::kArray: {
        if (!skip_ws()) return fail(r, error, "the input ends inside the array");
        char c = at(pos_);
        if (c == ']') {
          ++pos_;
          keep_ = pos_;
          state_ = state_ == State::kRecords ? State::kMembers : State::kTop;
          continue;
        }
        if (index_ > 0) {
          if (c != ',') return fail(r, error, "malformed JSON: expected ',' or ']'");
          ++pos_;
          if (!skip_ws()) return fail(r, error, "the input ends inside the array");
        }
        return element(r, scratch, error);
      }
    }
  }
}

RecordReader::RecordReader(const std::string& path, size_t max_record)
    : in_(InputStream::open(path)), max_record_(max_record) {
  // Read up to the end of the first non-blank line: when that line is a whole value,
  // the input is JSON Lines; otherwise it is a document (a pretty-printed event).
  std::string head;
  size_t content = read_first_line(in_, head, max_record_);
  if (content == std::string::npos) throw DataError(fmt::format("{}: empty input", in_.describe()));
  size_t nl = head.find('\n', content);
  std::string_view first = trim(std::string_view(head).substr(
      content, nl == std::string::npos ? std::string::npos : nl - content));
  Cursor probe(first);
  bool whole = nl != std::string::npos || first.size() <= max_record_;
  if (whole && probe.skip_value() && probe.end()) {
    lines_ = std::make_unique<LineReader>(in_, max_record_, LineReader::LongLines::kSkip);
    lines_->unread(head);
  } else {
    doc_ = std::make_unique<Document>(in_, std::move(head), max_record_);
  }
}

RecordReader::~RecordReader() = default;

bool RecordReader::next(RawRecord& record) {
  bool got = lines_ != nullptr ? next_line_record(record) : doc_->next(record, scratch_, error_);
  if (got) record.ordinal = ordinal_++;
  return got;
}

bool RecordReader::next_line_record(RawRecord& r) {
  for (;;) {
    if (doc_ != nullptr) {  // an event on one line, read element by element
      if (doc_->next(r, scratch_, error_)) {
        r.place.line = doc_line_;
        r.place.document = 0;
        return true;
      }
      doc_.reset();
    }
    auto line = lines_->next_line();
    if (!line) return false;
    r = RawRecord{};
    r.place.line = lines_->line_number();
    if (lines_->too_long()) {
      error_ = fmt::format("longer than {} bytes", max_record_);
      r.error = error_;
      return true;
    }
    std::string_view text = trim(*line);
    if (text.empty()) continue;
    // A payload line is small and names no Records; an event on one line does.
    if (text.front() == '[' ||
        (text.front() == '{' && text.find("\"Records\"") != std::string_view::npos)) {
      doc_ = std::make_unique<Document>(text, max_record_);
      doc_line_ = lines_->line_number();
      continue;
    }
    payload_record(text, r, scratch_, error_);
    return true;
  }
}

std::string RecordReader::where(const RecordPlace& place) const {
  std::string out = in_.path() == "-" ? std::string("stdin") : fmt::format("'{}'", in_.path());
  if (place.line > 0) out += fmt::format(" line {}", place.line);
  if (place.document > 1) out += fmt::format(" document {}", place.document);
  if (place.index >= 0)
    out += place.records ? fmt::format(" Records[{}]", place.index)
                         : fmt::format(" [{}]", place.index);
  return out;
}

bool RecordReader::paused() const {
  if (lines_ != nullptr) return !lines_->line_ready() && !in_.readable_now();
  return doc_->ahead() < 4096 && !in_.readable_now();
}

size_t RecordReader::bytes_consumed() const {
  return lines_ != nullptr ? lines_->bytes_consumed() : doc_->consumed();
}

}  // namespace lamtool::predict
