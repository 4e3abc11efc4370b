#pragma once
// Every subcommand is registered from cli/main.cc, in alphabetical order. Each
// cli/<name>.cc holds its options, its CLI11 bindings and one call into the library.

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "lamtool/context.h"

namespace lamtool::cli {

/// Flags every job shares.
struct CommonOptions {
  int verbose = 0;
  bool quiet = false;
  bool json = false;
  bool dry_run = false;
};

struct Registry {
  CommonOptions common;
  /// Set by the chosen subcommand's parse callback; returns the exit code.
  std::function<int(Context&)> run;
};

/// -v/--verbose and -q/--quiet.
void add_log_flags(CLI::App& cmd, CommonOptions& common);
/// add_log_flags plus --json and --dry-run, for commands that write outputs.
void add_job_flags(CLI::App& cmd, CommonOptions& common);
/// UsageError when --json and `--to -` would both write to stdout.
void check_stdout_free(const CommonOptions& common, const std::optional<std::string>& to);
/// Prints the manifest on stdout when --json was given.
void print_manifest(const CommonOptions& common, const std::string& manifest_json);

void register_alarm(CLI::App& app, Registry& registry);
void register_kde(CLI::App& app, Registry& registry);
void register_kinesis(CLI::App& app, Registry& registry);
void register_s3(CLI::App& app, Registry& registry);
void register_schedule(CLI::App& app, Registry& registry);
void register_shotmap(CLI::App& app, Registry& registry);

}  // namespace lamtool::cli
