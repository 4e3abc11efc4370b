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

  /// The job's exit status: 0, or the code of a partial failure it reported item by
  /// item and did not throw (65 for bad records among good ones, 75 for records a
  /// service did not take). The most serious one set wins: 75 over 65.
  int exit_code() const { return exit_code_; }
  void set_exit_code(int code);

 private:
  nlohmann::json json_;
  int exit_code_ = 0;
};

}  // namespace lamtool
