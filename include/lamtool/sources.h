#pragma once
// Reading many inputs by name, whatever they are: local files, http(s) URLs (fetched in
// parallel, each with retries, a progress bar over them all), and s3://bucket/key
// objects. The GIF job's frames and the worker's fetches read through here.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "lamtool/context.h"

namespace lamtool {

enum class SourceKind { kFile, kUrl, kS3 };

/// By the name's scheme: http:// or https:// is a URL, s3:// an object, anything else a
/// file path (`-` is stdin).
SourceKind source_kind(std::string_view name);

struct FetchOptions {
  /// Parallel transfers for URLs (and S3 objects), each with its own connection.
  int parallel = 6;
  /// Attempts per URL; 5xx, 429 and failed connections are retried with backoff.
  int attempts = 4;
  /// Label of the progress bar ("frames").
  std::string label = "inputs";
  /// The largest input taken, in bytes (a picture frame is far smaller).
  std::size_t max_bytes = 256u * 1024 * 1024;
};

/// The bytes of every source, in the order given. Files are read as they are; URLs and
/// S3 objects are fetched in parallel. Errors name the source (a URL with its secrets
/// redacted): InputError (66) for a missing file, a 404 or another refusal of the
/// request (4xx); NetworkError (75) for a URL that still fails after its retries; the
/// S3 client's errors for objects. The first error (in source order) is thrown once
/// every transfer has ended.
std::vector<std::string> read_sources(Context& ctx, const std::vector<std::string>& names,
                                      const FetchOptions& options = {});

/// The last path segment of a source, without query or fragment and percent-decoding:
/// "IDR703.T.201407190510.png" for a file, URL or key; "" when there is none.
std::string source_base_name(std::string_view name);

}  // namespace lamtool
