// lamtool: a thin shell over lamtool_core. Builds one CLI11 subcommand per row of the
// job table (lamtool/job.h), binds each job's declared flags, runs the chosen job, and
// turns exceptions into one-line errors and sysexits codes.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <map>

#include "lamtool/aws/clients.h"
#include "lamtool/clock.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/interrupt.h"
#include "lamtool/job.h"
#include "lamtool/log.h"

namespace lamtool::cli {

namespace {

/// Flags every job shares.
struct CommonOptions {
  int verbose = 0;
  bool quiet = false;
  bool json = false;
  bool dry_run = false;
};

void add_log_flags(CLI::App& cmd, CommonOptions& common) {
  cmd.add_flag("-v,--verbose", common.verbose, "Print diagnostics on stderr");
  cmd.add_flag("-q,--quiet", common.quiet, "Print nothing but errors (no progress bar)");
}

// A job's declared flags as CLI11 options. A setter's UsageError is rethrown as a CLI11
// ValidationError, so it is reported like any other bad flag, before the job runs.
class Cli11Flags final : public FlagSink {
 public:
  explicit Cli11Flags(CLI::App& cmd) : cmd_(cmd) {}

  void option(const FlagSpec& spec, std::function<void(const std::string&)> set) override {
    CLI::Option* opt = nullptr;
    if (spec.repeated) {
      auto each = [spec, set = std::move(set)](const std::vector<std::string>& values) {
        for (const auto& v : values) convert(spec, set, v);
      };
      opt = cmd_.add_option_function<std::vector<std::string>>(spec.names, std::move(each),
                                                               help_text(spec));
    } else {
      auto one = [spec, set = std::move(set)](const std::string& v) { convert(spec, set, v); };
      opt = cmd_.add_option_function<std::string>(spec.names, std::move(one), help_text(spec));
    }
    if (!spec.value_name.empty()) opt->type_name(spec.value_name);
    if (spec.required) opt->required();
    if (spec.ordered) opt->trigger_on_parse();
    finish(spec, opt);
  }

  void flag(const FlagSpec& spec, std::function<void()> set) override {
    CLI::Option* opt = cmd_.add_flag_callback(spec.names, std::move(set), help_text(spec));
    finish(spec, opt);
  }

  /// Applies the declared exclusions, once every flag exists.
  void link() {
    for (const auto& [opt, names] : excludes_)
      for (const auto& name : names) opt->excludes(cmd_.get_option(name));
  }

 private:
  static void convert(const FlagSpec& spec, const std::function<void(const std::string&)>& set,
                      const std::string& v) {
    try {
      apply_flag(spec, set, v);
    } catch (const UsageError& e) {
      throw CLI::ValidationError(e.what());
    }
  }

  static std::string help_text(const FlagSpec& spec) {
    std::string text = spec.help;
    if (!spec.choices.empty()) text += fmt::format(" [{}]", fmt::join(spec.choices, "|"));
    if (!spec.default_text.empty()) text += fmt::format(" (default {})", spec.default_text);
    return text;
  }

  void finish(const FlagSpec& spec, CLI::Option* opt) {
    if (!spec.excludes.empty()) excludes_.emplace_back(opt, spec.excludes);
  }

  CLI::App& cmd_;
  std::vector<std::pair<CLI::Option*, std::vector<std::string>>> excludes_;
};

int run(int argc, char** argv) {
  CLI::App app{
      "lamtool: serverless data jobs (NHL shot maps, bike-demand predictions, candlestick "
      "charts, weather GIFs and thumbnails, S3 and Kinesis uploads, schedules, alarms) in one "
      "small binary.",
      "lamtool"};
  app.set_version_flag("--version", LAMTOOL_VERSION);
  app.require_subcommand(1, 1);
  app.footer(
      "Run 'lamtool COMMAND --help' for a command's flags, and see man lamtool.\n"
      "Exit status: 0 ok, 64 usage, 65 bad data, 66 missing input, 69 service refused,\n"
      "73 cannot create output, 74 I/O error, 75 temporary failure, 77 permission, 78 config,\n"
      "130 interrupted (SIGINT), 143 terminated (SIGTERM).");
  CommonOptions common;
  add_log_flags(app, common);

  // One subcommand per row of the job table, in its (alphabetical) order; a multi-word
  // path hangs below its group, made when its first job comes, or below the job of
  // that name ("predict train" below "predict").
  std::map<std::string_view, CLI::App*> groups;
  auto group = [&app, &groups](std::string_view name) {
    CLI::App*& cmd = groups[name];
    if (cmd == nullptr) {
      const auto& all = job_groups();
      auto g =
          std::find_if(all.begin(), all.end(), [&](const JobGroup& x) { return x.name == name; });
      cmd = app.add_subcommand(std::string(name), std::string(g->summary));
      cmd->require_subcommand(1, 1);
      cmd->footer(std::string(g->details));
    }
    return cmd;
  };
  std::vector<std::unique_ptr<JobInstance>> jobs;
  JobInstance* chosen = nullptr;
  for (const JobSpec& spec : job_table()) {
    std::string_view path = spec.path;
    CLI::App* parent = &app;
    if (size_t space = path.find(' '); space != std::string_view::npos) {
      parent = group(path.substr(0, space));
      path = path.substr(space + 1);
    }
    CLI::App* cmd = parent->add_subcommand(std::string(path), std::string(spec.summary));
    cmd->footer(std::string(spec.details));
    if (parent == &app) groups[spec.path] = cmd;
    auto job = spec.make();
    Cli11Flags flags(*cmd);
    job->declare(flags);
    flags.link();
    add_log_flags(*cmd, common);
    if (spec.json)
      cmd->add_flag("--json", common.json, "Print the result manifest (JSON) on stdout");
    if (spec.dry_run)
      cmd->add_flag("--dry-run", common.dry_run,
                    "Do all the work and write local files, but no upload, put, post or mail");
    // A job with jobs below it runs only when none of them was named.
    cmd->callback([&chosen, cmd, raw = job.get()] {
      if (cmd->get_subcommands().empty()) chosen = raw;
    });
    jobs.push_back(std::move(job));
  }

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

  Logger log(common.quiet         ? Verbosity::kQuiet
             : common.verbose > 0 ? Verbosity::kVerbose
                                  : Verbosity::kNormal);
  // From here a signal unwinds (temporary files removed, uploads aborted): 130 / 143.
  install_interrupt_handlers();
  try {
    Context ctx{log, process_clock()};
    ctx.dry_run = common.dry_run;
    ctx.json = common.json;
    // Clients are made on first use, so jobs that write locally need no credentials.
    aws::LazyClients clients;
    clients.attach(ctx);
    Manifest m = chosen->run(ctx);
    if (common.json) write_stdout(m.dump());
    return m.exit_code();
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
