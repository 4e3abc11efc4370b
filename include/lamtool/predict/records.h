#pragma once
// The records predict reads, one at a time with bounded memory, from any of the shapes
// DESIGN section 3 names: a Lambda Kinesis event (Records[].kinesis.data), the output of
// `aws kinesis get-records` (Records[].Data), JSON Lines of payloads or of base64
// strings, and also a JSON array of either or one payload document. Several documents
// may follow one another (get-records outputs concatenated by a loop).
//
// JSON Lines are read line by line: a bad line is reported as a bad record and the
// next line starts afresh. A document is read element by element from its Records
// array, so a 10,000-record event is never held whole; a break in it (malformed JSON,
// input that ends inside a record) is reported as a bad record, and the reading stops
// there since nothing after it can be trusted.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "lamtool/predict/model.h"
#include "lamtool/stream.h"

namespace lamtool::predict {

/// Where a record's payload was found.
enum class RecordOrigin {
  kLine,          ///< a JSON Lines line (a payload, or a base64 string)
  kKinesisEvent,  ///< Records[i].kinesis.data of a Lambda event (eventSource aws:kinesis)
  kGetRecords,    ///< Records[i].Data of `aws kinesis get-records` output
  kArray,         ///< an element of a JSON array of payloads or base64 strings
  kDocument,      ///< a whole (multi-line) payload document
};

/// A record's place in the input, for messages: line 7, Records[3], [2].
struct RecordPlace {
  size_t line = 0;       ///< 1-based line of a JSON Lines input; 0 otherwise
  size_t document = 0;   ///< 1-based document of a document input; 0 for JSON Lines
  long index = -1;       ///< position in a Records array or a JSON array; -1 when none
  bool records = false;  ///< index counts Records[], not a plain array
};

struct RawRecord {
  size_t ordinal = 0;  ///< 0-based count of records read
  RecordOrigin origin = RecordOrigin::kLine;
  RecordPlace place;
  /// The payload's JSON text (base64 already decoded); valid until the next next().
  std::string_view payload;
  /// The Kinesis sequence number (Lambda events and get-records), else empty.
  std::string_view sequence;
  /// Why the record could not be read (bad base64, malformed envelope, too long); the
  /// payload is then empty. Valid until the next next().
  std::string_view error;
};

class RecordReader {
 public:
  /// The longest record (a line, or a document's element) read whole: a longer one is
  /// a bad record, passed over without being held in memory. Generous beside
  /// Kinesis's 1 MiB records (1.4 MB as base64) and Lambda's 6 MB payloads.
  static constexpr size_t kMaxRecord = 16 * 1024 * 1024;

  /// Opens `path` (`-`: stdin) and looks at its start to tell JSON Lines from a
  /// document. InputError (66) when missing; DataError (65) when empty.
  explicit RecordReader(const std::string& path, size_t max_record = kMaxRecord);
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  /// The next record (good or bad); false at the end.
  bool next(RawRecord& record);
  /// "'in.jsonl' line 7", "stdin Records[3]", "'a.json' document 2 Records[0]".
  std::string where(const RecordPlace& place) const;
  /// True when no more input is there to read without waiting (a pipe whose writer
  /// has not written yet): time to send what is queued.
  bool paused() const;
  /// Input bytes consumed so far, and the whole input's size when known (a file).
  size_t bytes_consumed() const;
  std::optional<size_t> total_bytes() const { return in_.size(); }
  /// True when the input is read line by line (JSON Lines).
  bool line_mode() const { return lines_ != nullptr; }

  class Document;  // the element-by-element reader of a document (records.cc)

 private:
  bool next_line_record(RawRecord& record);

  InputStream in_;
  size_t max_record_;
  std::unique_ptr<LineReader> lines_;  ///< JSON Lines
  std::unique_ptr<Document> doc_;      ///< the document being read (also one JSON line's)
  size_t doc_line_ = 0;                ///< the line the current document is on, if any
  size_t ordinal_ = 0;
  std::string scratch_;  ///< decoded base64
  std::string error_;
};

/// A record's payload, `{"features":{"t1":..,"t2":..,"hum":..,"weather_code":..},
/// "pred_id":..}`, read in place.
struct Payload {
  Features features;
  /// pred_id's JSON text as given (a number, or a string with its quotes), to echo.
  std::string_view pred_id;
  /// pred_id is a string (then `pred_id` includes the quotes).
  bool pred_id_string = false;
};

/// Reads `json` into `out`; false with `error` naming the field ("field 'features.t1':
/// expected a number, got a string", "field 'pred_id' is missing", "malformed JSON:
/// column 9: ...") when it is not such a payload. Other members are allowed and passed
/// over. The features are not checked against a model here (Model::check()).
bool parse_payload(std::string_view json, Payload& out, std::string& error);

/// The partition key a payload's pred_id gives: a number's text, a string's value.
std::string partition_key(const Payload& payload);

}  // namespace lamtool::predict
