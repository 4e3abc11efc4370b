#include "lamtool/candles/dynamodb.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "lamtool/csv.h"
#include "lamtool/encoding.h"
#include "lamtool/error.h"

namespace lamtool::candles {

using nlohmann::json;

namespace {

[[noreturn]] void bad_field(const std::string& where, std::string_view field,
                            std::string_view why) {
  throw DataError(fmt::format("{}: field '{}': {}", where, field, why));
}

// record[path...] as an object, or a DataError naming the path.
const json& object_at(const json& obj, std::string_view name, const std::string& where,
                      const std::string& path) {
  auto it = obj.find(name);
  if (it == obj.end()) bad_field(where, path, "missing");
  if (!it->is_object()) bad_field(where, path, "expected an object");
  return *it;
}

// A DynamoDB attribute value of type `type` ("S", "N", "M"): {"S": "..."}.
const json& attribute(const json& image, std::string_view name, std::string_view type,
                      const std::string& where, const std::string& path) {
  const json& attr = object_at(image, name, where, path);
  auto it = attr.find(type);
  if (it == attr.end()) {
    std::string got = attr.empty() ? "nothing" : attr.begin().key();
    bad_field(where, path, fmt::format("expected a DynamoDB {} attribute, got {}", type, got));
  }
  return *it;
}

// The second-to-last segment of the URL's path: the original took
// url.split('/')[-2], for URLs that end in '/' the item's own segment.
std::string_view name_segment(std::string_view url) {
  if (auto q = url.find_first_of("?#"); q != std::string_view::npos) url = url.substr(0, q);
  size_t last = url.rfind('/');
  if (last == std::string_view::npos || last == 0) return {};
  size_t before = url.rfind('/', last - 1);
  if (before == std::string_view::npos) return {};
  return url.substr(before + 1, last - before - 1);
}

// Strict YYYY-MM-DD (the table's keys), a real calendar date.
bool parse_date_key(std::string_view s, std::int64_t& out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  std::int64_t t = 0;
  if (!parse_time(s, t)) return false;
  out = t;
  return true;
}

}  // namespace

RecordAction record_action(const json& record, const std::string& where) {
  auto it = record.find("eventName");
  if (it == record.end() || !it->is_string()) bad_field(where, "eventName", "missing");
  const std::string& name = it->get_ref<const std::string&>();
  if (name == "INSERT" || name == "MODIFY") return RecordAction::kDraw;
  if (name == "REMOVE") return RecordAction::kRemove;
  bad_field(where, "eventName", fmt::format("'{}': expected INSERT, MODIFY or REMOVE", name));
}

std::string sequence_number(const json& record) {
  auto d = record.find("dynamodb");
  if (d == record.end() || !d->is_object()) return {};
  auto s = d->find("SequenceNumber");
  return s != d->end() && s->is_string() ? s->get<std::string>() : std::string();
}

PriceItem price_item(const json& record, const std::string& where) {
  PriceItem item;
  item.sequence = sequence_number(record);
  const json& ddb = object_at(record, "dynamodb", where, "dynamodb");
  if (!ddb.contains("NewImage"))
    bad_field(where, "dynamodb.NewImage",
              "missing (the stream must send new images: StreamViewType NEW_IMAGE or "
              "NEW_AND_OLD_IMAGES)");
  const json& image = object_at(ddb, "NewImage", where, "dynamodb.NewImage");

  const std::string url_path = "dynamodb.NewImage.URL.S";
  const json& url = attribute(image, "URL", "S", where, "dynamodb.NewImage.URL");
  if (!url.is_string()) bad_field(where, url_path, "expected a string");
  std::string_view segment = name_segment(url.get_ref<const std::string&>());
  if (segment.empty())
    bad_field(where, url_path,
              fmt::format("'{}' has no second-to-last path segment to name the item",
                          url.get_ref<const std::string&>()));
  item.name = decode_url_segment(segment);
  item.key = url_safe_name(item.name);

  const std::string map_path = "dynamodb.NewImage.Prices.M";
  const json& prices = attribute(image, "Prices", "M", where, "dynamodb.NewImage.Prices");
  if (!prices.is_object()) bad_field(where, map_path, "expected a map");
  if (prices.empty()) bad_field(where, map_path, "no prices");
  item.daily.reserve(prices.size());
  // nlohmann's object keeps its keys sorted, so the dates come in order.
  for (const auto& [date, value] : prices.items()) {
    std::string path = fmt::format("{}.{}", map_path, date);
    Bar bar;
    if (!parse_date_key(date, bar.time))
      bad_field(where, path, "the key is not a date (expected YYYY-MM-DD)");
    if (!value.is_object() || !value.contains("N"))
      bad_field(where, path, "expected a DynamoDB N attribute");
    const json& n = value["N"];
    path += ".N";
    double price = 0;
    if (!n.is_string() || !csv::parse_number(n.get_ref<const std::string&>(), price))
      bad_field(where, path, fmt::format("{} is not a number", n.dump()));
    if (!std::isfinite(price) || price < 0)
      bad_field(where, path, fmt::format("{} is not a price (finite and not negative)", n.dump()));
    bar.open = bar.high = bar.low = bar.close = price;
    item.daily.push_back(bar);
  }
  return item;
}

std::string decode_url_segment(std::string_view segment) { return form_decode(segment); }

std::string url_safe_name(std::string_view name) {
  std::string out;
  bool gap = false;
  for (char c : name) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-';
    if (!keep) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += '-';
    gap = false;
    out += c;
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  size_t start = out.find_first_not_of("-.");
  out = start == std::string::npos ? std::string() : out.substr(start);
  return out.empty() ? "item" : out;
}

}  // namespace lamtool::candles
