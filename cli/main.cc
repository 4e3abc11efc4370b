// lamtool: a thin shell over lamtool_core. Parses flags, builds the Context, runs the
// chosen subcommand, and turns exceptions into one-line errors and sysexits codes.

#include <fmt/format.h>

#include "commands.h"
#include "lamtool/aws/s3.h"
#include "lamtool/clock.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/http.h"
#include "lamtool/log.h"

namespace lamtool::cli {

void add_log_flags(CLI::App& cmd, CommonOptions& common) {
  cmd.add_flag("-v,--verbose", common.verbose, "Print diagnostics on stderr");
  cmd.add_flag("-q,--quiet", common.quiet, "Print nothing but errors (no progress bar)");
}

void add_job_flags(CLI::App& cmd, CommonOptions& common) {
  add_log_flags(cmd, common);
  cmd.add_flag("--json", common.json, "Print the result manifest (JSON) on stdout");
  cmd.add_flag("--dry-run", common.dry_run,
               "Do all the work and write local files, but no upload, put, post or mail");
}

void check_stdout_free(const CommonOptions& common, const std::optional<std::string>& to) {
  if (common.json && to && *to == "-")
    throw UsageError("--json and --to - both write to standard output: choose one");
}

void print_manifest(const CommonOptions& common, const std::string& manifest_json) {
  if (common.json) write_stdout(manifest_json);
}

namespace {

int run(int argc, char** argv) {
  CLI::App app{
      "lamtool: serverless data jobs (NHL shot maps, bike-demand predictions, candlestick "
      "charts, weather GIFs, alarms) in one small binary.",
      "lamtool"};
  app.set_version_flag("--version", LAMTOOL_VERSION);
  app.require_subcommand(1, 1);
  app.footer(
      "Run 'lamtool COMMAND --help' for a command's flags, and see man lamtool.\n"
      "Exit status: 0 ok, 64 usage, 65 bad data, 66 missing input, 69 service refused,\n"
      "73 cannot create output, 74 I/O error, 75 temporary failure, 77 permission, 78 config.");
  Registry registry;
  add_log_flags(app, registry.common);

  // Alphabetical order; each registers only a subcommand that works.
  register_alarm(app, registry);
  register_kde(app, registry);
  register_kinesis(app, registry);
  register_s3(app, registry);
  register_schedule(app, registry);
  register_shotmap(app, registry);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "lamtool: error: {} (see 'lamtool --help')\n", e.what());
    return exit_code::kUsage;
  }

  const CommonOptions& common = registry.common;
  Logger log(common.quiet         ? Verbosity::kQuiet
             : common.verbose > 0 ? Verbosity::kVerbose
                                  : Verbosity::kNormal);
  try {
    const Clock& clock = process_clock();
    Context ctx{log, clock};
    ctx.dry_run = common.dry_run;
    // Clients are made on first use, so jobs that write locally need no credentials.
    std::unique_ptr<aws::S3Client> s3;
    ctx.object_store = [&]() -> ObjectStore& {
      if (!s3) s3 = aws::make_s3_client(log);
      return *s3;
    };
    std::unique_ptr<HttpClient> http;
    ctx.http = [&http]() -> HttpClient& {
      if (!http) http = make_curl_http_client();
      return *http;
    };
    return registry.run(ctx);
  } catch (const Error& e) {
    log.error(e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    log.errorf("internal error: {}", e.what());
    return exit_code::kSoftware;
  }
}

}  // namespace
}  // namespace lamtool::cli

int main(int argc, char** argv) { return lamtool::cli::run(argc, argv); }
