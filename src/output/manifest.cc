#include "lamtool/manifest.h"

namespace lamtool {

Manifest::Manifest(std::string command)
    : json_({{"command", std::move(command)}, {"outputs", nlohmann::json::array()}}) {}

void Manifest::add_output(const OutputRecord& out) {
  nlohmann::json o = {{"uri", out.uri}, {"bytes", out.bytes}, {"content_type", out.content_type}};
  if (out.dry_run) o["dry_run"] = true;
  json_["outputs"].push_back(std::move(o));
}

void Manifest::set_exit_code(int code) {
  if (code > exit_code_) exit_code_ = code;
}

std::string Manifest::dump() const {
  return json_.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace lamtool
