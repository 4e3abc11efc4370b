#pragma once
// AWS Lambda (DESIGN.md section 8): the same jobs as the CLI, run by a custom runtime.
// One invocation = one event handed to one handler (a job of the job table, filled
// through the same flag declarations as the CLI) = one response or one error. The
// runtime loop talks to the Runtime API; `lamtool invoke` runs an invocation locally.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lamtool/context.h"
#include "lamtool/http.h"
#include "lamtool/log.h"

namespace lamtool::lambda {

/// The handlers a function may name in _HANDLER, and the job each runs.
struct Handler {
  std::string_view name;  ///< "shotmap"
  std::string_view job;   ///< the job table path: "shotmap"
  /// How an event reaches the job: its fields become flags (shotmap, gif), or the whole
  /// event is the job's --in (predict, plot-candles, alarm, worker, mediator).
  bool event_as_input = false;
  /// Query parameters an HTTP event may set (flag names without dashes, '_' for '-');
  /// empty: the handler does not answer HTTP events.
  std::vector<std::string_view> http_params;
};
const std::vector<Handler>& handlers();
/// The handler named `name`; ConfigError listing the handlers otherwise.
const Handler& find_handler(std::string_view name);

/// What the Runtime API says about one invocation.
struct InvocationInfo {
  std::string request_id;
  /// When the function times out; empty: no deadline (a local invoke).
  std::optional<std::chrono::system_clock::time_point> deadline;
  std::string function_arn;
  std::string trace_id;  ///< set as _X_AMZN_TRACE_ID while the invocation runs
};

/// What the Runtime API's answer to /next says about the invocation, from its headers:
/// a Lambda-Runtime-Deadline-Ms that is not a time within 15 minutes of `now` is no
/// deadline (logged with -v). ServiceError (69) without Lambda-Runtime-Aws-Request-Id.
InvocationInfo invocation_info(const HttpResponse& next, std::chrono::system_clock::time_point now,
                               Logger& log);

/// How an invocation ended.
struct Outcome {
  bool ok = true;
  /// The response (JSON text), or the error document {"errorMessage", "errorType",
  /// "stackTrace": []}.
  std::string body = {};
  std::string error_type = {};  ///< for errors: the Error class name ("DataError") or "Runtime.*"
  int exit_code = 0;            ///< the sysexits code the CLI would give
};

/// The flags a handler takes from the environment, read once at init: for every flag
/// --NAME of its job, LAMTOOL_NAME (upper case, '-' as '_'; a repeated flag takes a
/// comma-separated list), and the originals' own names: S3_BUCKET (shotmap, plot-candles,
/// gif, worker: --to or --store s3://BUCKET/) and OUTPUT_STREAM (predict: --to
/// kinesis://STREAM). Checked by declaring them on a fresh job: ConfigError (78) for a
/// bad value, naming the variable.
struct HandlerConfig {
  const Handler* handler = nullptr;
  std::vector<std::pair<std::string, std::string>> env_flags;  ///< ("--to", "s3://b/")
};
HandlerConfig handler_config_from_env(std::string_view name);

/// Runs one invocation of the handler on `event` exactly as the runtime loop does, and
/// never throws for a bad event or a failing job: those become an error outcome; an HTTP
/// event (API Gateway REST v1 or HTTP v2 proxy, or a Function URL) always gets an HTTP
/// response (errors as 400/404/405/502/500 with {"error": "..."}). A Kinesis or DynamoDB
/// batch whose records partly failed is a success whose response is
/// {"batchItemFailures": [{"itemIdentifier": SEQ}, ...]}.
Outcome invoke(Context& ctx, const HandlerConfig& config, std::string_view event,
               const InvocationInfo& info);

/// Options of the runtime loop.
struct RuntimeOptions {
  std::string handler;  ///< --handler, else _HANDLER
  /// Stop after this many invocations (0: never, as on Lambda); for tests and benchmarks.
  long max_invocations = 0;
  /// Time kept back before the deadline: a job still running then is abandoned, its
  /// invocation answered with a Runtime.Timeout error, and the process exits (75).
  std::chrono::milliseconds deadline_margin{500};
};

/// The Runtime API loop (AWS_LAMBDA_RUNTIME_API): init (handler, configuration; a
/// failure is posted to /runtime/init/error and thrown, ConfigError 78), then /next,
/// invoke, /response or /error, forever (or max_invocations times, then returns). Throws
/// NetworkError (75) when the Runtime API is gone, ServiceError (69) for an answer that
/// is not the Runtime API's.
void run_runtime(Logger& log, const RuntimeOptions& options);

}  // namespace lamtool::lambda
