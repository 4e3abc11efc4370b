#pragma once
// The state every job is passed by reference: no globals (STYLE.md section 5).

#include <functional>
#include <memory>
#include <string>

#include "lamtool/clock.h"
#include "lamtool/log.h"

namespace lamtool {

class HttpClient;
class ObjectStore;
namespace aws {
class S3Client;
class KinesisClient;
}  // namespace aws

struct Context {
  Context(Logger& logger, const Clock& clk) : log(logger), clock(clk) {}

  Logger& log;
  const Clock& clock;
  /// Do all the work and write local artefacts, but make no remote side effect.
  bool dry_run = false;
  /// The caller wants the manifest: it prints it on stdout (--json), so a job's main
  /// output must go elsewhere (see require_stdout_free()), or a Lambda handler returns
  /// it. Without it, a job may leave out of the manifest what only its reader needs
  /// (predict's copy of every prediction).
  bool json = false;
  /// Returns the S3 client, created on first use (so a job that writes locally never
  /// needs credentials). Empty: remote object destinations are not available.
  std::function<ObjectStore&()> object_store;
  /// Returns the HTTP client for plain fetches (NHL API, frame URLs), created on first
  /// use. Empty: no network access.
  std::function<HttpClient&()> http;
  /// Makes a new HTTP client of the kind ctx.http returns, one per thread of a parallel
  /// fetch. Empty: no network access.
  std::function<std::unique_ptr<HttpClient>()> make_http;
  /// The S3 and Kinesis clients, created on first use (aws/clients.h). Empty: the
  /// service is not available.
  std::function<aws::S3Client&()> s3;
  std::function<aws::KinesisClient&()> kinesis;

  /// Runtime assets: `LAMTOOL_DATA_DIR` if set, else the installed share/lamtool.
  static std::string data_dir();
};

}  // namespace lamtool
