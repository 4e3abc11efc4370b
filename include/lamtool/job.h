#pragma once
// One shape for every job. A job is an `Options` struct, a `declare()` that names its
// flags and turns each flag's text into the typed option, and one
// `run(Context&, const Options&)` that returns the manifest. The CLI (cli/main.cc) binds
// the declared flags with CLI11; the Lambda handlers, HTTP events and the worker will map
// their parameters onto the same declarations. Every job is a row of job_table().

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lamtool/context.h"
#include "lamtool/manifest.h"

namespace lamtool {

/// One flag of a job, as `--help` shows it.
struct FlagSpec {
  /// "--to", "-m,--message", or a positional argument's name without dashes ("file").
  std::string names;
  std::string help;
  /// Placeholder in --help: "DEST", "N", "WxH".
  std::string value_name = {};
  bool required = false;
  /// May be given more than once; the setter is called once per value, in order.
  bool repeated = false;
  /// Accepted values, checked before the setter runs and listed in --help.
  std::vector<std::string> choices = {};
  /// The default shown in --help, when there is one worth saying.
  std::string default_text = {};
  /// Names of flags of the same job that cannot be given together with this one.
  std::vector<std::string> excludes = {};
  /// The setter runs as the flag is read, so the setters of a job's ordered flags are
  /// called in command-line order, interleaved (`--media a --alt A --media b`); other
  /// flags' setters run after the whole line is read, flag by flag.
  bool ordered = false;
};

/// Where a job declares its flags. A setter converts the text and stores it in the job's
/// Options; it throws UsageError naming the flag when the text is not valid, so a bad
/// value is refused before any work starts.
class FlagSink {
 public:
  virtual ~FlagSink() = default;
  /// A flag that takes a value (or a positional argument).
  virtual void option(const FlagSpec& spec, std::function<void(const std::string&)> set) = 0;
  /// A flag without a value.
  virtual void flag(const FlagSpec& spec, std::function<void()> set) = 0;
};

/// What every FlagSink does with a value: checks it against spec.choices (UsageError
/// "--format 'gif': expected png or svg"), then calls the job's setter.
void apply_flag(const FlagSpec& spec, const std::function<void(const std::string&)>& set,
                const std::string& value);

/// A job's options being filled by one caller, then run once.
class JobInstance {
 public:
  virtual ~JobInstance() = default;
  virtual void declare(FlagSink& flags) = 0;
  virtual Manifest run(Context& ctx) = 0;
};

/// One row of the job table.
struct JobSpec {
  /// The command words: "alarm", "s3 put", "schedule next".
  std::string_view path;
  /// One line for the command list.
  std::string_view summary;
  /// What --help prints under the flags: behaviour in a few lines, examples, the man page.
  std::string_view details;
  /// Whether the job takes --json (print the manifest) and --dry-run (no remote writes).
  bool json = true;
  bool dry_run = true;
  std::function<std::unique_ptr<JobInstance>()> make;
};

/// A word that groups jobs ("s3" for s3 put, get and presign).
struct JobGroup {
  std::string_view name;
  std::string_view summary;
  std::string_view details;
};

/// Every job, in alphabetical order of path.
const std::vector<JobSpec>& job_table();
/// The group words of job_table()'s multi-word paths.
const std::vector<JobGroup>& job_groups();
/// The row for `path`, or nullptr.
const JobSpec* find_job(std::string_view path);

/// A FlagSink that keeps a job's declared flags by name, so that a caller other than the
/// CLI (a worker message, a Lambda event's parameters, a test) sets them by name.
class FlagMap final : public FlagSink {
 public:
  void option(const FlagSpec& spec, std::function<void(const std::string&)> set) override;
  void flag(const FlagSpec& spec, std::function<void()> set) override;

  /// Calls the setter of the flag with this name (any of its comma-separated names, with
  /// its dashes: "--to"; a positional by its bare name); `value` is ignored for a flag
  /// without one. Checks choices as the CLI does. UsageError for a name not declared.
  void set(const std::string& name, const std::string& value = "");
  /// Every declared flag, by each of its names.
  const std::map<std::string, FlagSpec>& specs() const { return specs_; }

 private:
  std::map<std::string, FlagSpec> specs_;
  std::map<std::string, std::function<void(const std::string&)>> setters_;
};

/// A JobInstance for a job module that provides `Options`, `declare(FlagSink&, Options&)`
/// and `run(Context&, const Options&)`.
template <typename Options, void (*Declare)(FlagSink&, Options&),
          Manifest (*Run)(Context&, const Options&)>
class BasicJob final : public JobInstance {
 public:
  void declare(FlagSink& flags) override { Declare(flags, options_); }
  Manifest run(Context& ctx) override { return Run(ctx, options_); }

 private:
  Options options_;
};

}  // namespace lamtool
