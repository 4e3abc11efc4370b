#pragma once
// Time, as every job reads it. `LAMTOOL_NOW` replaces the clock wherever a job reads
// the time for its output (key names, titles, events) so runs are reproducible. Talking
// to a service is not output: request signatures and credential expiry use the real
// clock (real_clock()), or AWS refuses a request dated days back as skewed.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace lamtool {

using Seconds = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Seconds now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Seconds now() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Seconds t) : t_(t) {}
  Seconds now() const override { return t_; }

 private:
  Seconds t_;
};

/// Parses an RFC 3339 time (`2026-11-20T07:00:00Z`, `2026-11-20T08:00:00+01:00`,
/// fractional seconds are dropped; a space may stand for `T`). nullopt if malformed.
std::optional<Seconds> parse_rfc3339(std::string_view text);

/// `2026-11-20T07:00:00Z`
std::string format_rfc3339(Seconds t);

/// `2026-11-20T07-00-00Z`: RFC 3339 with colons replaced, safe in file names and keys.
std::string format_key_time(Seconds t);

/// The system clock, whatever LAMTOOL_NOW says: for request signatures and credential
/// expiry. Tests that need a fixed signing time pass a FixedClock to the client itself.
const Clock& real_clock();

/// The clock of this process: a FixedClock when `LAMTOOL_NOW` is set (a ConfigError
/// naming the variable when it is not RFC 3339), the system clock otherwise.
const Clock& process_clock();

}  // namespace lamtool
