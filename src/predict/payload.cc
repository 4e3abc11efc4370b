// A prediction request's payload, read in place (no DOM: this runs a million times a
// second).

#include <fmt/format.h>

#include "lamtool/json_scan.h"
#include "lamtool/predict/records.h"

namespace lamtool::predict {

using json_scan::Cursor;
using json_scan::key_equals;
using json_scan::Kind;

namespace {

// Index of the feature named by `key`, or -1.
int feature_index(std::string_view key, bool escaped) {
  for (size_t i = 0; i < kFeatureCount; ++i)
    if (key_equals(key, escaped, kFeatureNames[i])) return static_cast<int>(i);
  return -1;
}

}  // namespace

bool parse_payload(std::string_view json, Payload& out, std::string& error) {
  Cursor c(json);
  Kind top = c.peek_kind();
  if (top != Kind::kObject) {
    error = top == Kind::kInvalid
                ? "malformed JSON: expected a payload object"
                : fmt::format("expected a payload object, got {}", json_scan::describe(top));
    return false;
  }
  bool features_seen = false;
  bool pred_id_seen = false;
  std::array<bool, kFeatureCount> seen{};
  error.clear();
  bool ok = c.object([&](std::string_view key, bool escaped) {
    if (key_equals(key, escaped, "features")) {
      if (c.peek_kind() != Kind::kObject) {
        error = fmt::format("field 'features': expected an object, got {}",
                            json_scan::describe(c.peek_kind()));
        return false;
      }
      features_seen = true;
      return c.object([&](std::string_view k, bool e) {
        int i = feature_index(k, e);
        if (i < 0) return c.skip_value();
        auto name = kFeatureNames[static_cast<size_t>(i)];
        Kind kind = c.peek_kind();
        if (kind != Kind::kNumber && kind != Kind::kInvalid) {
          error = fmt::format("field 'features.{}': expected a number, got {}", name,
                              json_scan::describe(kind));
          return false;
        }
        std::string_view raw;
        if (!c.number(raw, out.features.values[static_cast<size_t>(i)])) {
          std::string why = c.error();
          if (auto p = why.find(": "); why.starts_with("column ") && p != std::string::npos)
            why = why.substr(p + 2);
          error = fmt::format("field 'features.{}': {}", name, why);
          return false;
        }
        seen[static_cast<size_t>(i)] = true;
        return true;
      });
    }
    if (key_equals(key, escaped, "pred_id")) {
      Kind kind = c.peek_kind();
      if (kind == Kind::kNumber) {
        double unused = 0;
        pred_id_seen = true;
        out.pred_id_string = false;
        return c.number(out.pred_id, unused);
      }
      if (kind == Kind::kString) {
        pred_id_seen = true;
        out.pred_id_string = true;
        return c.skip_value(&out.pred_id);
      }
      if (kind != Kind::kInvalid)
        error = fmt::format("field 'pred_id': expected a number or a string, got {}",
                            json_scan::describe(kind));
      return false;
    }
    return c.skip_value();
  });
  ok = ok && c.end();
  if (!ok) {
    if (error.empty()) error = fmt::format("malformed JSON: {}", c.error());
    return false;
  }
  if (!features_seen) {
    error = "field 'features' is missing";
    return false;
  }
  for (size_t i = 0; i < kFeatureCount; ++i) {
    if (!seen[i]) {
      error = fmt::format("field 'features.{}' is missing", kFeatureNames[i]);
      return false;
    }
  }
  if (!pred_id_seen) {
    error = "field 'pred_id' is missing";
    return false;
  }
  return true;
}

std::string partition_key(const Payload& payload) {
  if (!payload.pred_id_string) return std::string(payload.pred_id);
  std::string_view raw = payload.pred_id.substr(1, payload.pred_id.size() - 2);
  if (raw.find('\\') == std::string_view::npos) return std::string(raw);
  std::string text;
  json_scan::unescape(raw, text);
  return text;
}

}  // namespace lamtool::predict
