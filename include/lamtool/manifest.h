#pragma once
// The result manifest that `--json` prints: one JSON object describing what was done.

#include <nlohmann/json.hpp>
#include <string>

#include "lamtool/destination.h"

namespace lamtool {

class Manifest {
 public:
  explicit Manifest(std::string command);

  void add_output(const OutputRecord& out);
  /// Job-specific figures: `manifest["shots"] = 12`.
  nlohmann::json& operator[](const std::string& key) { return json_[key]; }
  const nlohmann::json& json() const { return json_; }
  /// One line of JSON and a newline.
  std::string dump() const;

 private:
  nlohmann::json json_;
};

}  // namespace lamtool
