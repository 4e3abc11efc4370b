#pragma once
// One logger for all diagnostics on stderr. Every line goes through redact(), so
// secrets (keys, tokens, signatures, passwords) never reach a log line.

#include <fmt/format.h>

#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace lamtool {

enum class Verbosity { kQuiet, kNormal, kVerbose };

/// Replaces secret values in `text` with `[redacted]`: values registered with
/// add_secret() and the value after well-known markers (`Signature=`,
/// `X-Amz-Security-Token=`, `Authorization:`, `aws_secret_access_key`,
/// `SecretAccessKey`, `Token`, `oauth_signature`, `password`, ...).
std::string redact(std::string_view text);

/// Registers a literal secret (at least 4 characters) that redact() removes from every
/// line. The environment's known secret variables are registered on first use.
void add_secret(std::string_view secret);

class Logger {
 public:
  explicit Logger(Verbosity v = Verbosity::kNormal);
  /// For tests: lines go to `sink` instead of stderr.
  Logger(Verbosity v, std::ostream& sink);

  Verbosity verbosity() const { return verbosity_; }
  void set_verbosity(Verbosity v) { verbosity_ = v; }

  /// `lamtool: error: ...`, always shown.
  void error(std::string_view msg) { line("error: ", msg); }
  /// `lamtool: warning: ...`, shown unless quiet.
  void warning(std::string_view msg) {
    if (verbosity_ != Verbosity::kQuiet) line("warning: ", msg);
  }
  /// `lamtool: ...`, shown unless quiet.
  void info(std::string_view msg) {
    if (verbosity_ != Verbosity::kQuiet) line("", msg);
  }
  /// `lamtool: debug: ...`, shown with -v.
  void debug(std::string_view msg) {
    if (verbosity_ == Verbosity::kVerbose) line("debug: ", msg);
  }
  bool verbose() const { return verbosity_ == Verbosity::kVerbose; }

  template <typename... Args>
  void errorf(fmt::format_string<Args...> f, Args&&... a) {
    error(fmt::format(f, std::forward<Args>(a)...));
  }
  template <typename... Args>
  void warningf(fmt::format_string<Args...> f, Args&&... a) {
    if (verbosity_ != Verbosity::kQuiet) warning(fmt::format(f, std::forward<Args>(a)...));
  }
  template <typename... Args>
  void infof(fmt::format_string<Args...> f, Args&&... a) {
    if (verbosity_ != Verbosity::kQuiet) info(fmt::format(f, std::forward<Args>(a)...));
  }
  template <typename... Args>
  void debugf(fmt::format_string<Args...> f, Args&&... a) {
    if (verbose()) debug(fmt::format(f, std::forward<Args>(a)...));
  }

 private:
  void line(std::string_view severity, std::string_view msg);

  Verbosity verbosity_;
  std::ostream* sink_;  // nullptr: stderr
  std::mutex mu_;
};

}  // namespace lamtool
