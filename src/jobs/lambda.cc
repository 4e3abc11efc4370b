#include "lamtool/jobs/lambda.h"

#include <fmt/format.h>

#include <cstdlib>

#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/parse.h"
#include "lamtool/stream.h"

namespace lamtool::jobs {

namespace {

void declare_handler(FlagSink& flags, std::string& handler) {
  std::string names;
  for (const auto& h : lambda::handlers())
    names += (names.empty() ? "" : ", ") + std::string(h.name);
  flags.option({.names = "--handler",
                .help = "The job to run for each event: " + names,
                .value_name = "NAME",
                .default_text = "$_HANDLER"},
               [&handler](const std::string& v) {
                 try {
                   lambda::find_handler(v);
                 } catch (const ConfigError& e) {
                   throw UsageError(fmt::format("--handler: {}", e.what()));
                 }
                 handler = v;
               });
}

std::string handler_or_env(const std::string& handler) {
  if (!handler.empty()) return handler;
  const char* h = std::getenv("_HANDLER");
  if (h == nullptr || *h == '\0') throw UsageError("no handler: give --handler or set _HANDLER");
  return h;
}

}  // namespace

namespace lambda_runtime {

void declare(FlagSink& flags, Options& opts) {
  declare_handler(flags, opts.handler);
  flags.option({.names = "--max-invocations",
                .help = "Stop after N invocations (tests, benchmarks); Lambda's loop never stops",
                .value_name = "N"},
               [&opts](const std::string& v) {
                 opts.max_invocations = parse_int_in(v, "--max-invocations", 1, 1000000000);
               });
  flags.option({.names = "--deadline-margin",
                .help = "Time kept back before each invocation's deadline: a job still running "
                        "then is answered Runtime.Timeout and the process exits",
                .value_name = "MS",
                .default_text = "500"},
               [&opts](const std::string& v) {
                 opts.deadline_margin =
                     std::chrono::milliseconds(parse_int_in(v, "--deadline-margin", 0, 900000));
               });
}

Manifest run(Context& ctx, const Options& opts) {
  lambda::run_runtime(ctx.log, opts);
  return Manifest("lambda");
}

}  // namespace lambda_runtime

namespace invoke {

void declare(FlagSink& flags, Options& opts) {
  declare_handler(flags, opts.handler);
  flags.option({.names = "--event",
                .help = "The event (JSON): a file, or - for stdin",
                .value_name = "FILE",
                .default_text = "-"},
               [&opts](const std::string& v) { opts.event = v; });
}

Manifest run(Context& ctx, const Options& opts) {
  std::string name = handler_or_env(opts.handler);
  lambda::HandlerConfig config = lambda::handler_config_from_env(name);
  InputStream in = InputStream::open(opts.event);
  LineReader reader(in);
  std::string event = reader.read_rest();
  lambda::InvocationInfo info{
      .request_id = "local", .deadline = {}, .function_arn = {}, .trace_id = {}};
  lambda::Outcome outcome = lambda::invoke(ctx, config, event, info);
  write_stdout(outcome.body + "\n");
  Manifest m("invoke");
  if (outcome.exit_code != 0) m.set_exit_code(outcome.exit_code);
  return m;
}

}  // namespace invoke

}  // namespace lamtool::jobs
