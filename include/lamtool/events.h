#pragma once
// Reading a job's input (`--in FILE|-`) and recognising its shape: an AWS Lambda
// event (Kinesis, DynamoDB Streams), an EventBridge scheduled event, a direct JSON
// payload, or JSON Lines.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lamtool/stream.h"

namespace lamtool {

enum class EventShape {
  kKinesis,     ///< Lambda event, Records[].eventSource == "aws:kinesis"
  kDynamoDb,    ///< Lambda event, Records[].eventSource == "aws:dynamodb"
  kKinesisGet,  ///< output of `aws kinesis get-records`: Records[].Data
  kScheduled,   ///< EventBridge scheduled event: detail-type == "Scheduled Event"
  kDirect,      ///< one JSON object (or an array of them)
  kJsonLines,   ///< one JSON payload per line
};

/// "a Kinesis event", "JSON Lines", ... for messages.
std::string_view describe(EventShape shape);

/// One unit of work from the input: a Lambda record, a line, or the payload itself.
struct EventItem {
  nlohmann::json value;
  /// Where it came from, for messages: "Records[3]" or "line 7".
  std::string where;
  /// Set when this item could not be parsed (a bad JSON line); the rest still count.
  std::optional<std::string> error;
};

struct Event {
  std::string source;  ///< the file name, or "<stdin>"
  EventShape shape = EventShape::kDirect;
  std::vector<EventItem> items;
};

/// Recognises the shape of `text`, read from `source`. DataError naming the source
/// (and line and column, or field) when it is empty, malformed JSON, or a Lambda
/// event of a kind lamtool does not know.
Event parse_event(std::string_view text, const std::string& source);

/// Reads `path` (`-` = stdin) and parses it; InputError (66) when missing.
Event read_event(const std::string& path);

/// The items of an input one at a time, for jobs that stream records: JSON Lines are
/// read line by line (memory bounded by the longest line; items carry their real line
/// numbers), while a Lambda event or another JSON document, being one document, is
/// parsed whole. The shape is recognised as parse_event() does, from the first lines.
///
///   EventReader events(path);
///   while (auto item = events.next()) handle(*item, events.shape());
class EventReader {
 public:
  /// Opens `path` (`-`: stdin) and reads up to the first two non-blank lines.
  /// InputError (66) when missing; DataError when empty or a malformed document.
  explicit EventReader(const std::string& path);
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  const std::string& source() const { return source_; }
  EventShape shape() const { return shape_; }
  /// The next item, nullopt at the end. A malformed JSON line is an item whose `error`
  /// is set; the lines after it still come.
  std::optional<EventItem> next();

 private:
  std::string source_;
  InputStream in_;
  LineReader lines_;
  EventShape shape_ = EventShape::kDirect;
  std::vector<EventItem> ready_;  ///< items already made, handed out from the front
  size_t next_ready_ = 0;
};

/// `json.at(field)` as a string; DataError "'source': field 'where.field': ..." when
/// missing or not a string.
std::string string_field(const nlohmann::json& obj, std::string_view field,
                         const std::string& source, std::string_view where = {});
/// Like string_field, but nullopt when absent (still an error when of another type).
std::optional<std::string> optional_string_field(const nlohmann::json& obj, std::string_view field,
                                                 const std::string& source,
                                                 std::string_view where = {});

}  // namespace lamtool
