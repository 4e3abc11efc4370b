#pragma once
// The state every job is passed by reference: no globals (STYLE.md section 5).

#include <functional>
#include <string>

#include "lamtool/clock.h"
#include "lamtool/log.h"

namespace lamtool {

class ObjectStore;

struct Context {
  Logger& log;
  const Clock& clock;
  /// Do all the work and write local artefacts, but make no remote side effect.
  bool dry_run = false;
  /// Returns the S3 client, created on first use (so a job that writes locally never
  /// needs credentials). Empty: remote object destinations are not available.
  std::function<ObjectStore&()> object_store;

  /// Runtime assets: `LAMTOOL_DATA_DIR` if set, else the installed share/lamtool.
  static std::string data_dir();
};

}  // namespace lamtool
