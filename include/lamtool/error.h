#pragma once
// The one exception hierarchy of lamtool. The library throws; only cli/main.cc and
// the Lambda invocation loop catch. Each class carries its sysexits exit code and a
// stable name (used as the Lambda errorType).

#include <stdexcept>
#include <string>

namespace lamtool {

/// Exit codes from <sysexits.h>, documented under EXIT STATUS in man/lamtool.1.
namespace exit_code {
inline constexpr int kOk = 0;
inline constexpr int kUsage = 64;
inline constexpr int kDataErr = 65;
inline constexpr int kNoInput = 66;
inline constexpr int kUnavailable = 69;
inline constexpr int kSoftware = 70;
inline constexpr int kCantCreat = 73;
inline constexpr int kIoErr = 74;
inline constexpr int kTempFail = 75;
inline constexpr int kNoPerm = 77;
inline constexpr int kConfig = 78;
inline constexpr int kInterrupted = 130;  ///< SIGINT (128 + 2)
inline constexpr int kTerminated = 143;   ///< SIGTERM (128 + 15)
}  // namespace exit_code

class Error : public std::runtime_error {
 public:
  Error(const std::string& message, int exit_code, const char* name)
      : std::runtime_error(message), exit_code_(exit_code), name_(name) {}
  int exit_code() const noexcept { return exit_code_; }
  const char* name() const noexcept { return name_; }

 private:
  int exit_code_;
  const char* name_;
};

#define LAMTOOL_DEFINE_ERROR(Class, code)                                        \
  class Class : public Error {                                                   \
   public:                                                                       \
    explicit Class(const std::string& message) : Error(message, code, #Class) {} \
  }

/// Bad flags or arguments (64).
LAMTOOL_DEFINE_ERROR(UsageError, exit_code::kUsage);
/// Malformed JSON or CSV, wrong schema, empty series, some records of a batch failed (65).
LAMTOOL_DEFINE_ERROR(DataError, exit_code::kDataErr);
/// Input file missing or unreadable (66).
LAMTOOL_DEFINE_ERROR(InputError, exit_code::kNoInput);
/// A service rejected the request: missing bucket or stream, 4xx other than auth (69).
LAMTOOL_DEFINE_ERROR(ServiceError, exit_code::kUnavailable);
/// Cannot create an output file (73).
LAMTOOL_DEFINE_ERROR(OutputError, exit_code::kCantCreat);
/// A read or write failed midway (74).
LAMTOOL_DEFINE_ERROR(IoError, exit_code::kIoErr);
/// No response, timeout, 5xx or throttling after retries (75).
LAMTOOL_DEFINE_ERROR(NetworkError, exit_code::kTempFail);
/// 401 or 403, bad signature, expired credentials (77).
LAMTOOL_DEFINE_ERROR(AuthError, exit_code::kNoPerm);
/// Credentials or settings missing from the environment (78).
LAMTOOL_DEFINE_ERROR(ConfigError, exit_code::kConfig);

#undef LAMTOOL_DEFINE_ERROR

/// SIGINT or SIGTERM arrived (lamtool/interrupt.h): 130 or 143, 128 + the signal.
class Interrupted : public Error {
 public:
  explicit Interrupted(int signal);
  int signal() const noexcept { return signal_; }

 private:
  int signal_;
};

/// `strerror(errno)` as a string, for messages in the fmt system_error wording.
std::string errno_message(int err);

}  // namespace lamtool
