#include <fmt/format.h>

#include <cmath>

#include "lamtool/clock.h"
#include "lamtool/dataflow.h"
#include "lamtool/error.h"
#include "lamtool/jobs/s3.h"

namespace lamtool::dataflow {

Location parse_location(const nlohmann::json& value, const std::string& field) {
  if (value.is_string()) return location_of_uri(value.get<std::string>());
  if (value.is_object()) {
    auto key = value.find("Key");
    if (key != value.end() && key->is_string() && !key->get<std::string>().empty()) {
      Location loc;
      loc.key = key->get<std::string>();
      if (auto b = value.find("Bucket"); b != value.end() && !b->is_null()) {
        if (!b->is_string()) throw DataError(fmt::format("field '{}.Bucket': not a string", field));
        loc.bucket = b->get<std::string>();
      }
      return loc;
    }
  }
  throw DataError(fmt::format(
      "field '{}': expected {{\"Bucket\": ..., \"Key\": ...}}, {{\"Key\": PATH}} or a string",
      field));
}

nlohmann::json location_json(const Location& location) {
  if (location.bucket.empty()) return {{"Key", location.key}};
  return {{"Bucket", location.bucket}, {"Key", location.key}};
}

std::string location_uri(const Location& location) {
  if (location.bucket.empty()) return location.key;
  return fmt::format("s3://{}/{}", location.bucket, location.key);
}

Location location_of_uri(const std::string& uri) {
  if (uri.starts_with("s3://")) {
    auto [bucket, key] = jobs::parse_s3_object(uri);
    return {bucket, key};
  }
  if (uri.empty()) throw DataError("empty location");
  return {"", uri};
}

std::int64_t time_field(const nlohmann::json& message, const std::string& field) {
  auto it = message.find(field);
  if (it == message.end() || it->is_null())
    throw DataError(fmt::format("field '{}': missing", field));
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_number_float()) {
    double v = it->get<double>();
    if (std::isfinite(v) && std::abs(v) < 1e17) return static_cast<std::int64_t>(std::llround(v));
  }
  if (it->is_string()) {
    if (auto t = parse_rfc3339(it->get<std::string>()))
      return std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count();
  }
  throw DataError(
      fmt::format("field '{}': expected milliseconds since 1970 or an RFC 3339 time", field));
}

std::string string_field(const nlohmann::json& message, const std::string& field) {
  auto it = message.find(field);
  if (it == message.end() || !it->is_string() || it->get<std::string>().empty())
    throw DataError(fmt::format("field '{}': expected a non-empty string", field));
  return it->get<std::string>();
}

long long int_field(const nlohmann::json& message, const std::string& field, long long fallback,
                    long long min, long long max) {
  auto it = message.find(field);
  if (it == message.end() || it->is_null()) return fallback;
  // Compared as a double first: a number out of long long's range converts to nothing.
  double v = it->is_number() ? it->get<double>() : std::nan("");
  if (!(v >= static_cast<double>(min) && v <= static_cast<double>(max)) || v != std::floor(v))
    throw DataError(fmt::format("field '{}': expected an integer from {} to {}", field, min, max));
  return static_cast<long long>(v);
}

}  // namespace lamtool::dataflow
