#include "lamtool/aws/config.h"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "lamtool/error.h"
#include "lamtool/parse.h"

namespace lamtool::aws {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string home_file(const Env& env, const char* var, const char* name) {
  if (auto v = env_value(env, var)) return *v;
  std::string home = env_value(env, "HOME").value_or("");
  return home + "/.aws/" + name;
}

}  // namespace

Env process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Env map_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::optional<std::string> env_value(const Env& env, const std::string& name) {
  auto v = env(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

IniSections parse_ini(std::string_view text) {
  IniSections out;
  std::string section;
  std::string last_key;
  std::istringstream in{std::string(text)};
  for (std::string raw; std::getline(in, raw);) {
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      size_t close = line.find(']');
      section = std::string(
          trim(line.substr(1, close == std::string_view::npos ? line.npos : close - 1)));
      out[section];
      last_key.clear();
      continue;
    }
    bool indented = std::isspace(static_cast<unsigned char>(raw.front())) != 0;
    size_t eq = line.find('=');
    // An indented line under a key with no value of its own is a nested setting
    // (`s3 =` then `  addressing_style = path`); other indented lines are keys.
    if (indented && !last_key.empty()) {
      std::string& value = out[section][last_key];
      if (value.empty() || value.front() == '\n') {
        value += "\n" + std::string(line);
        continue;
      }
    }
    if (eq == std::string_view::npos) continue;
    last_key = lower(trim(line.substr(0, eq)));
    out[section][last_key] = std::string(trim(line.substr(eq + 1)));
  }
  return out;
}

std::optional<IniSections> read_ini_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw IoError(fmt::format("cannot read AWS file '{}': {}", path, errno_message(errno)));
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  return parse_ini(ss.str());
}

std::string profile_name(const Env& env) {
  return env_value(env, "AWS_PROFILE").value_or("default");
}

std::string credentials_file_path(const Env& env) {
  return home_file(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
}

std::string config_file_path(const Env& env) { return home_file(env, "AWS_CONFIG_FILE", "config"); }

std::map<std::string, std::string> config_profile(const Env& env) {
  auto ini = read_ini_file(config_file_path(env));
  if (!ini) return {};
  std::string name = profile_name(env);
  if (auto it = ini->find("profile " + name); it != ini->end()) return it->second;
  if (name == "default") {
    if (auto it = ini->find("default"); it != ini->end()) return it->second;
  }
  return {};
}

Region resolve_region(const Env& env) {
  for (const char* var : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (auto v = env_value(env, var)) return {*v, var};
  }
  auto profile = config_profile(env);
  if (auto it = profile.find("region"); it != profile.end() && !it->second.empty()) {
    return {it->second,
            fmt::format("profile '{}' in '{}'", profile_name(env), config_file_path(env))};
  }
  return {std::string(kDefaultRegion), "default"};
}

std::string endpoint_override(const Env& env, std::string_view service) {
  std::string specific = "AWS_ENDPOINT_URL_";
  for (char c : service) specific += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string var = specific;
  auto v = env_value(env, specific);
  if (!v) {
    var = "AWS_ENDPOINT_URL";
    v = env_value(env, var);
  }
  if (!v) return {};
  std::string url = *v;
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (!url.starts_with("http://") && !url.starts_with("https://"))
    throw ConfigError(fmt::format("{} '{}' is not an http(s) URL", var, *v));
  return url;
}

std::string error_message_line(std::string_view message) {
  message = message.substr(0, message.find('\n'));
  while (!message.empty() &&
         (message.back() == ' ' || message.back() == '\r' || message.back() == '\t'))
    message.remove_suffix(1);
  return std::string(message);
}

bool is_clock_skew_error(std::string_view code, std::string_view message) {
  if (code == "RequestTimeTooSkewed") return true;
  return code == "InvalidSignatureException" && (message.starts_with("Signature expired") ||
                                                 message.starts_with("Signature not yet current"));
}

}  // namespace lamtool::aws
