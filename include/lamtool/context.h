#pragma once
// The state every job is passed by reference: no globals (STYLE.md section 5).

#include <functional>
#include <string>

#include "lamtool/clock.h"
#include "lamtool/log.h"

namespace lamtool {

class HttpClient;
class ObjectStore;

struct Context {
  Context(Logger& logger, const Clock& clk) : log(logger), clock(clk) {}

  Logger& log;
  const Clock& clock;
  /// Do all the work and write local artefacts, but make no remote side effect.
  bool dry_run = false;
  /// Returns the S3 client, created on first use (so a job that writes locally never
  /// needs credentials). Empty: remote object destinations are not available.
  std::function<ObjectStore&()> object_store;
  /// Returns the HTTP client for plain fetches (NHL API, frame URLs), created on first
  /// use. Empty: no network access.
  std::function<HttpClient&()> http;

  /// Runtime assets: `LAMTOOL_DATA_DIR` if set, else the installed share/lamtool.
  static std::string data_dir();
};

}  // namespace lamtool
