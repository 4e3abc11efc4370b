#pragma once
// alarm: the cron job that writes "WAKE UP" to a file or S3 (DESIGN section 6).

#include <optional>
#include <string>

#include "lamtool/clock.h"
#include "lamtool/job.h"

namespace lamtool::jobs::alarm {

inline constexpr const char* kDefaultMessage = "WAKE UP";
inline constexpr const char* kContentType = "text/plain; charset=utf-8";

struct Options {
  std::optional<std::string> message;  ///< --message; beats the event's message
  std::optional<std::string> to;       ///< --to; beats the event's bucket
  std::optional<std::string> in;       ///< --in: seed event or EventBridge scheduled event
};

void declare(FlagSink& flags, Options& opts);

/// `wake-up/2026-11-20T07-00-00Z.txt`
std::string default_key(Seconds t);

/// Writes the message and a newline; returns the manifest.
Manifest run(Context& ctx, const Options& opts);

}  // namespace lamtool::jobs::alarm
