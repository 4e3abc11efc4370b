#pragma once
// Reading a job's input (`--in FILE|-`) and recognising its shape: an AWS Lambda
// event (Kinesis, DynamoDB Streams), an EventBridge scheduled event, a direct JSON
// payload, or JSON Lines.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// `json.at(field)` as a string; DataError "'source': field 'where.field': ..." when
/// missing or not a string.
std::string string_field(const nlohmann::json& obj, std::string_view field,
                         const std::string& source, std::string_view where = {});
/// Like string_field, but nullopt when absent (still an error when of another type).
std::optional<std::string> optional_string_field(const nlohmann::json& obj, std::string_view field,
                                                 const std::string& source,
                                                 std::string_view where = {});

}  // namespace lamtool
