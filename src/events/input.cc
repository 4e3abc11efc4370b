#include <fmt/format.h>

#include "lamtool/error.h"
#include "lamtool/events.h"
#include "lamtool/fs.h"
#include "lamtool/parse.h"

namespace lamtool {

using nlohmann::json;

namespace {

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at ";
// keep what follows ("line 1, column 2: syntax error ...").
// Also for a number beyond a double's range ("1e999"), which nlohmann reports as
// out_of_range rather than parse_error.
std::string parse_error_text(const json::exception& e) {
  std::string_view what = e.what();
  if (auto p = what.find("parse error at "); p != std::string_view::npos)
    what.remove_prefix(p + 15);
  else if (auto q = what.find("] "); q != std::string_view::npos)
    what.remove_prefix(q + 2);
  return std::string(what);
}

std::string field_path(std::string_view where, std::string_view field) {
  return where.empty() ? std::string(field) : fmt::format("{}.{}", where, field);
}

std::string event_source(const json& record) {
  for (const char* key : {"eventSource", "EventSource"}) {
    auto it = record.find(key);
    if (it != record.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

Event records_event(const json& doc, const std::string& source) {
  Event ev{.source = source, .shape = EventShape::kKinesis, .items = {}};
  const json& records = doc.at("Records");
  if (!records.is_array())
    throw DataError(fmt::format("'{}': field 'Records': expected an array", source));
  for (size_t i = 0; i < records.size(); ++i) {
    const json& r = records[i];
    std::string where = fmt::format("Records[{}]", i);
    if (!r.is_object())
      throw DataError(fmt::format("'{}': field '{}': expected an object", source, where));
    EventShape shape;
    std::string src = event_source(r);
    if (src == "aws:kinesis") {
      shape = EventShape::kKinesis;
    } else if (src == "aws:dynamodb") {
      shape = EventShape::kDynamoDb;
    } else if (src.empty() && r.contains("Data")) {
      shape = EventShape::kKinesisGet;
    } else if (src.empty()) {
      throw DataError(fmt::format("'{}': field '{}.eventSource' is missing", source, where));
    } else {
      throw DataError(fmt::format(
          "'{}': field '{}.eventSource': unsupported event source '{}' (expected aws:kinesis or "
          "aws:dynamodb)",
          source, where, src));
    }
    if (i > 0 && shape != ev.shape)
      throw DataError(fmt::format("'{}': field '{}': records of different sources in one event",
                                  source, where));
    ev.shape = shape;
    ev.items.push_back({.value = r, .where = std::move(where), .error = std::nullopt});
  }
  return ev;
}

// One non-blank line of JSON Lines as an item (an error item when malformed).
EventItem json_line_item(std::string_view line, size_t line_no) {
  EventItem item{.value = nullptr, .where = fmt::format("line {}", line_no), .error = {}};
  try {
    item.value = json::parse(line);
  } catch (const json::exception& e) {
    item.error = fmt::format("malformed JSON: {}", parse_error_text(e));
  }
  return item;
}

// JSON Lines when the first non-blank line is a complete object or string by itself
// and more lines follow (a one-line input is a document).
bool opens_json_lines(std::string_view first_line) {
  json first = json::parse(first_line, nullptr, false);
  return !first.is_discarded() && (first.is_object() || first.is_string());
}

Event json_lines(std::string_view text, const std::string& source) {
  Event ev{.source = source, .shape = EventShape::kJsonLines, .items = {}};
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    line = trim(line);
    if (!line.empty()) ev.items.push_back(json_line_item(line, line_no));
  }
  return ev;
}

}  // namespace

std::string_view describe(EventShape shape) {
  switch (shape) {
    case EventShape::kKinesis:
      return "a Kinesis event";
    case EventShape::kDynamoDb:
      return "a DynamoDB Streams event";
    case EventShape::kKinesisGet:
      return "Kinesis get-records output";
    case EventShape::kScheduled:
      return "a scheduled event";
    case EventShape::kDirect:
      return "a JSON payload";
    case EventShape::kJsonLines:
      return "JSON Lines";
  }
  return "an event";
}

Event parse_event(std::string_view text, const std::string& source) {
  std::string_view body = trim(text);
  if (body.empty()) throw DataError(fmt::format("'{}': empty input", source));

  // JSON Lines: more than one line, and the first line is a complete value by itself.
  size_t nl = body.find('\n');
  if (nl != std::string_view::npos && opens_json_lines(trim(body.substr(0, nl))))
    return json_lines(body, source);

  json doc;
  try {
    doc = json::parse(body);
  } catch (const json::exception& e) {
    throw DataError(fmt::format("malformed JSON in '{}': {}", source, parse_error_text(e)));
  }
  if (doc.is_object() && doc.contains("Records")) return records_event(doc, source);
  if (doc.is_object()) {
    auto dt = doc.find("detail-type");
    EventShape shape = dt != doc.end() && dt->is_string() && *dt == "Scheduled Event"
                           ? EventShape::kScheduled
                           : EventShape::kDirect;
    return {.source = source,
            .shape = shape,
            .items = {{.value = std::move(doc), .where = "", .error = {}}}};
  }
  if (doc.is_array()) {
    Event ev{.source = source, .shape = EventShape::kDirect, .items = {}};
    for (size_t i = 0; i < doc.size(); ++i)
      ev.items.push_back(
          {.value = std::move(doc[i]), .where = fmt::format("[{}]", i), .error = {}});
    return ev;
  }
  throw DataError(fmt::format("'{}': expected a JSON object, an array or JSON Lines, got {}",
                              source, doc.type_name()));
}

Event read_event(const std::string& path) {
  std::string source = path == "-" ? "<stdin>" : path;
  return parse_event(read_file(path), source);
}

EventReader::EventReader(const std::string& path)
    : source_(path == "-" ? "<stdin>" : path), in_(InputStream::open(path)), lines_(in_) {
  // The first non-blank line, and whether another follows, decide the shape.
  std::string first;
  size_t first_no = 0;
  while (auto line = lines_.next_line()) {
    if (trim(*line).empty()) continue;
    first = std::string(trim(*line));
    first_no = lines_.line_number();
    break;
  }
  if (first_no == 0) throw DataError(fmt::format("'{}': empty input", source_));
  if (opens_json_lines(first)) {
    while (auto line = lines_.next_line()) {
      if (trim(*line).empty()) continue;
      shape_ = EventShape::kJsonLines;
      ready_.push_back(json_line_item(first, first_no));
      ready_.push_back(json_line_item(trim(*line), lines_.line_number()));
      return;
    }
  }
  // One document: parsed whole, as parse_event() does.
  Event ev = parse_event(first + "\n" + lines_.read_rest(), source_);
  shape_ = ev.shape;
  ready_ = std::move(ev.items);
}

std::optional<EventItem> EventReader::next() {
  if (next_ready_ < ready_.size()) {
    EventItem item = std::move(ready_[next_ready_++]);
    if (next_ready_ == ready_.size()) {
      ready_.clear();
      next_ready_ = 0;
    }
    return item;
  }
  if (shape_ != EventShape::kJsonLines) return std::nullopt;
  while (auto line = lines_.next_line()) {
    std::string_view text = trim(*line);
    if (!text.empty()) return json_line_item(text, lines_.line_number());
  }
  return std::nullopt;
}

std::optional<std::string> optional_string_field(const json& obj, std::string_view field,
                                                 const std::string& source,
                                                 std::string_view where) {
  if (!obj.is_object())
    throw DataError(fmt::format("'{}': {}expected a JSON object, got {}", source,
                                where.empty() ? "" : fmt::format("field '{}': ", where),
                                obj.type_name()));
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_string())
    throw DataError(fmt::format("'{}': field '{}': expected a string, got {}", source,
                                field_path(where, field), it->type_name()));
  return it->get<std::string>();
}

std::string string_field(const json& obj, std::string_view field, const std::string& source,
                         std::string_view where) {
  auto v = optional_string_field(obj, field, source, where);
  if (!v)
    throw DataError(fmt::format("'{}': field '{}' is missing", source, field_path(where, field)));
  return *v;
}

}  // namespace lamtool
