#pragma once
// The `lamtool s3 ...` and `lamtool kinesis put` jobs: argument checks, input
// reading, the client call, the manifest. cli/s3.cc and cli/kinesis.cc only bind flags.

#include <optional>
#include <string>
#include <vector>

#include "lamtool/aws/kinesis.h"
#include "lamtool/aws/s3.h"
#include "lamtool/context.h"
#include "lamtool/manifest.h"

namespace lamtool::aws {

/// `s3://bucket/key` as bucket and key; UsageError unless it names an object.
std::pair<std::string, std::string> parse_s3_object(const std::string& uri);

struct S3PutArgs {
  std::string file;  ///< path or `-`
  std::string uri;   ///< s3://bucket/key, or s3://bucket/prefix/ (the file's name is added)
  PutOptions put;
  std::vector<std::string> metadata;  ///< `name=value` (parsed into put.metadata)
};
/// Uploads (skipped under ctx.dry_run); the manifest lists the object.
Manifest s3_put(Context& ctx, S3Client* client, const S3PutArgs& args);

struct S3GetArgs {
  std::string uri;
  std::optional<std::string> out;  ///< file or `-`; default: the key's last segment in `.`
};
Manifest s3_get(Context& ctx, S3Client& client, const S3GetArgs& args);

inline constexpr long kDefaultPresignSeconds = 3600;
/// The presigned GET URL, printed on stdout unless the manifest is.
std::string s3_presign(S3Client& client, const std::string& uri, long expires_seconds);

struct KinesisPutArgs {
  std::string stream;  ///< NAME or kinesis://NAME
  std::optional<std::string> partition_key;
  std::optional<std::string> partition_key_field;
  std::string in = "-";
  std::optional<std::string> failed_out;
};

/// The records of `text`: one per non-empty line (a trailing '\r' dropped). The
/// partition key is --partition-key, the line's JSON field --partition-key-field, or
/// else the first 32 hex digits of the line's SHA-256. DataError names `source` and
/// the line. `lines` receives each record's 1-based line number.
std::vector<KinesisRecord> read_kinesis_records(std::string_view text, const std::string& source,
                                                const KinesisPutArgs& args,
                                                std::vector<size_t>& lines);

struct KinesisPutOutcome {
  Manifest manifest;
  int exit_code = 0;  ///< 75 when records remain undelivered
};
/// Sends the records (nothing under ctx.dry_run); reports each undelivered record on
/// stderr, or writes their lines to --failed-out.
KinesisPutOutcome kinesis_put(Context& ctx, KinesisClient* client, const KinesisPutArgs& args);

/// The stream name of `NAME` or `kinesis://NAME`; UsageError when invalid.
std::string parse_stream(const std::string& text);

}  // namespace lamtool::aws
