#pragma once
// `lamtool s3 put|get|presign`: argument checks, the client call, the manifest.

#include <optional>
#include <string>
#include <vector>

#include "lamtool/aws/s3.h"
#include "lamtool/job.h"

namespace lamtool::jobs {

/// `s3://bucket/key` as bucket and key; UsageError unless it names an object.
std::pair<std::string, std::string> parse_s3_object(const std::string& uri);

namespace s3_put {
struct Options {
  std::string file;  ///< path or `-`
  std::string uri;   ///< s3://bucket/key, or s3://bucket/prefix/ (the file's name is added)
  aws::PutOptions put;
};
/// FILE, DESTINATION, --content-type, --cache-control, --metadata NAME=VALUE...
void declare(FlagSink& flags, Options& opts);
/// Uploads (skipped under ctx.dry_run); the manifest lists the object.
Manifest run(Context& ctx, const Options& opts);
}  // namespace s3_put

namespace s3_get {
struct Options {
  std::string uri;
  std::optional<std::string> out;  ///< file or `-`; default: the key's last segment in `.`
};
void declare(FlagSink& flags, Options& opts);
Manifest run(Context& ctx, const Options& opts);
}  // namespace s3_get

namespace s3_presign {
inline constexpr long kDefaultSeconds = 3600;
inline constexpr long kMaxSeconds = 604800;  ///< SigV4's limit: 7 days
struct Options {
  std::string uri;
  long expires = kDefaultSeconds;
};
void declare(FlagSink& flags, Options& opts);
/// Prints the presigned GET URL on stdout unless the manifest goes there; the manifest
/// holds `url` and `expires`.
Manifest run(Context& ctx, const Options& opts);
}  // namespace s3_presign

}  // namespace lamtool::jobs
