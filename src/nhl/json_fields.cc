// Field access for the NHL parsers: every missing or mistyped field is a DataError
// naming the file and the field's path.

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "lamtool/error.h"
#include "nhl/parse.h"

namespace lamtool::nhl::detail {

using nlohmann::json;

void fail(const std::string& source, std::string_view why) {
  throw DataError(fmt::format("bad NHL play-by-play '{}': {}", source, why));
}

const json* find(const json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

const json& member(const json& obj, const char* key, const std::string& source,
                   const std::string& where) {
  const json* v = find(obj, key);
  if (!v) fail(source, fmt::format("missing field '{}'", where));
  return *v;
}

int int_member(const json& obj, const char* key, const std::string& source,
               const std::string& where) {
  const json& v = member(obj, key, source, where);
  if (v.is_number_integer()) {
    auto n = v.get<long long>();
    if (n >= std::numeric_limits<int>::min() && n <= std::numeric_limits<int>::max())
      return static_cast<int>(n);
  }
  fail(source, fmt::format("field '{}' is not an integer", where));
}

std::string string_member(const json& obj, const char* key, const std::string& source,
                          const std::string& where) {
  const json& v = member(obj, key, source, where);
  if (!v.is_string()) fail(source, fmt::format("field '{}' is not a string", where));
  return v.get<std::string>();
}

std::optional<double> optional_number(const json& obj, const char* key, const std::string& source,
                                      const std::string& where) {
  const json* v = find(obj, key);
  if (!v) return std::nullopt;
  if (!v->is_number()) fail(source, fmt::format("field '{}' is not a number", where));
  double d = v->get<double>();
  if (!std::isfinite(d)) fail(source, fmt::format("field '{}' is not finite", where));
  return d;
}

std::optional<std::string> optional_string(const json& obj, const char* key,
                                           const std::string& source, const std::string& where) {
  const json* v = find(obj, key);
  if (!v) return std::nullopt;
  if (!v->is_string()) fail(source, fmt::format("field '{}' is not a string", where));
  return v->get<std::string>();
}

std::optional<bool> defends_left(const std::optional<std::string>& side) {
  if (side == "left") return true;
  if (side == "right") return false;
  return std::nullopt;
}

}  // namespace lamtool::nhl::detail
