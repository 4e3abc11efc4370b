#pragma once
// A FlagSink that keeps a job's declared flags by name, so a test can set them as a
// caller other than the CLI would (query parameters, worker messages).

#include <map>
#include <string>

#include "lamtool/job.h"

namespace lamtool::test {

class MapFlags final : public FlagSink {
 public:
  void option(const FlagSpec& spec, std::function<void(const std::string&)> set) override;
  void flag(const FlagSpec& spec, std::function<void()> set) override;

  /// Calls the setter of the flag with this name (any of its comma-separated names);
  /// an empty value for a flag without one. std::out_of_range for an unknown name.
  void set(const std::string& name, const std::string& value = "");
  /// Every declared flag, by each of its names.
  const std::map<std::string, FlagSpec>& specs() const { return specs_; }

 private:
  std::map<std::string, FlagSpec> specs_;
  std::map<std::string, std::function<void(const std::string&)>> setters_;
};

}  // namespace lamtool::test
