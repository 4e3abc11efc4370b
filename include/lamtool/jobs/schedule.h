#pragma once
// `lamtool schedule next`: validate a schedule expression and list its next fire times.

#include <optional>
#include <string>

#include "lamtool/job.h"
#include "lamtool/schedule.h"

namespace lamtool::jobs::schedule_next {

inline constexpr int kDefaultCount = 5;
inline constexpr int kMaxCount = 1000;

struct Options {
  std::string expression;
  int count = kDefaultCount;
  /// --from; unset: the context's clock (LAMTOOL_NOW or now).
  std::optional<Seconds> from = {};
  /// Zone name; empty: UTC, lines without local time.
  std::string tz = {};
};

/// EXPR, --count, --from, --tz.
void declare(FlagSink& flags, Options& opts);

/// Prints one fire time per line on stdout (unless the manifest goes there) and returns
/// the manifest: the expression, the zone and the times. Warns when the schedule has
/// fewer than `count` fire times left.
Manifest run(Context& ctx, const Options& opts);

}  // namespace lamtool::jobs::schedule_next
