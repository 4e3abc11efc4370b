#pragma once
// AWS settings from the environment and the shared config files: profile, region,
// endpoint overrides. The environment is passed in (Env) so tests need no setenv.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lamtool::aws {

/// Looks up an environment variable; nullopt when unset.
using Env = std::function<std::optional<std::string>(const std::string&)>;
/// The process environment.
Env process_env();
/// A fixed environment, for tests.
Env map_env(std::map<std::string, std::string> vars);
/// The variable's value, or nullopt when unset or empty.
std::optional<std::string> env_value(const Env& env, const std::string& name);

/// INI sections: section name (as written inside [...], trimmed) -> key -> value.
/// Keys are lower-cased; `#` and `;` start comment lines; whitespace around names,
/// keys and values is ignored; indented lines under a key with an empty value are
/// its nested settings, kept as the value (a "\n" before each line).
using IniSections = std::map<std::string, std::map<std::string, std::string>>;
IniSections parse_ini(std::string_view text);
/// nullopt when the file does not exist; IoError when it exists but cannot be read.
std::optional<IniSections> read_ini_file(const std::string& path);

/// AWS_PROFILE, else "default".
std::string profile_name(const Env& env);
/// AWS_SHARED_CREDENTIALS_FILE, else $HOME/.aws/credentials.
std::string credentials_file_path(const Env& env);
/// AWS_CONFIG_FILE, else $HOME/.aws/config.
std::string config_file_path(const Env& env);
/// The profile's section of the config file: `[profile NAME]`, or `[default]` (also
/// accepted as `[profile default]`). Empty when the file or section is missing.
std::map<std::string, std::string> config_profile(const Env& env);

inline constexpr std::string_view kDefaultRegion = "us-east-1";

struct Region {
  std::string name;
  std::string source;  ///< "AWS_REGION", "AWS_DEFAULT_REGION", "profile 'x' in '...'", "default"
};
/// AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, else us-east-1.
Region resolve_region(const Env& env);

/// The endpoint override for `service` ("s3", "kinesis"): AWS_ENDPOINT_URL_<SERVICE>
/// wins over AWS_ENDPOINT_URL. Empty when neither is set (use AWS's own endpoint).
/// A trailing '/' is removed; ConfigError when the value is not an http(s) URL.
std::string endpoint_override(const Env& env, std::string_view service);

/// The first line of a service's error message, without trailing blanks. Kinesis
/// answers a bad signature with the canonical request and string to sign on the
/// following lines, which have no place in a one-line error.
std::string error_message_line(std::string_view message);

/// True when an AWS error refuses a request for its time being too far from the
/// service's clock: S3 `RequestTimeTooSkewed`, or a signature "expired" / "not yet
/// current" (Kinesis and the JSON services, as InvalidSignatureException).
bool is_clock_skew_error(std::string_view code, std::string_view message);
/// Appended to such an error's message.
inline constexpr std::string_view kClockSkewHint =
    "the clock is skewed: this machine's clock and the service's differ by more than 15 minutes "
    "(requests are signed with the system clock, not LAMTOOL_NOW)";

}  // namespace lamtool::aws
