#pragma once
// `lamtool lambda` (the Lambda custom runtime loop) and `lamtool invoke` (one invocation
// run here, as the loop would run it), DESIGN.md section 8.

#include <optional>
#include <string>

#include "lamtool/job.h"
#include "lamtool/lambda.h"

namespace lamtool::jobs {

namespace lambda_runtime {

using Options = lambda::RuntimeOptions;

/// --handler, --max-invocations.
void declare(FlagSink& flags, Options& opts);

/// Runs the loop; returns after --max-invocations (never on Lambda).
Manifest run(Context& ctx, const Options& opts);

}  // namespace lambda_runtime

namespace invoke {

struct Options {
  std::string handler;  ///< --handler, else _HANDLER
  std::string event = "-";
};

/// --handler, --event.
void declare(FlagSink& flags, Options& opts);

/// Reads the event, configures the handler from the environment as the loop does,
/// invokes it and prints the response (or the error document) on stdout. The exit status
/// is the job's: 0, 65 for a batch with failed records, or the error's code.
Manifest run(Context& ctx, const Options& opts);

}  // namespace invoke

}  // namespace lamtool::jobs
