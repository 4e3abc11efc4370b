#pragma once
// `lamtool package`: the AWS Lambda deployment zip for the provided.al2023 runtime
// (DESIGN section 8). Lambda's Amazon Linux 2023 has an older glibc than the machine
// lamtool is built on, so the zip carries its own: the running binary, the dynamic
// loader and every shared library lamtool and libcurl need, the runtime assets, a CA
// bundle, and `bootstrap`, a static launcher that runs lamtool through the shipped loader.

#include <string>
#include <vector>

#include "lamtool/job.h"

namespace lamtool::jobs::package {

struct Options {
  std::string to = "lamtool.zip";  ///< --to: FILE, DIR/ (lamtool.zip below it), -, s3://...
};

/// --to.
void declare(FlagSink& flags, Options& opts);

/// One `NAME => PATH (ADDRESS)` line of `ld.so --list`: a library and where the loader
/// found it.
struct LoaderDependency {
  std::string soname;
  std::string path;
};

/// The resolved dependencies in the output of `<loader> --list FILE` (what ldd prints),
/// in order. Lines without "=>" (the vDSO, the loader itself) are left out. ConfigError
/// (78) naming `file` for a library the loader did not find ("=> not found").
std::vector<LoaderDependency> parse_loader_list(const std::string& output, const std::string& file);

/// Builds the zip (see man lamtool-package) and writes it to --to.
Manifest run(Context& ctx, const Options& opts);

}  // namespace lamtool::jobs::package
