#include "flag_map.h"

#include <sstream>

namespace lamtool::test {

void MapFlags::option(const FlagSpec& spec, std::function<void(const std::string&)> set) {
  std::stringstream names(spec.names);
  std::string name;
  while (std::getline(names, name, ',')) {
    specs_[name] = spec;
    setters_[name] = [spec, set](const std::string& v) { apply_flag(spec, set, v); };
  }
}

void MapFlags::flag(const FlagSpec& spec, std::function<void()> set) {
  option(spec, [set = std::move(set)](const std::string&) { set(); });
}

void MapFlags::set(const std::string& name, const std::string& value) { setters_.at(name)(value); }

}  // namespace lamtool::test
