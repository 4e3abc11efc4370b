#pragma once
// Where a job's outputs go (`--to DEST`) and the record of what was written.

#include <string>
#include <string_view>

#include "lamtool/context.h"

namespace lamtool {

/// What `--to` names. A directory or prefix takes a job's default key below it.
struct Destination {
  enum class Kind {
    kFile,       ///< a file path
    kDirectory,  ///< ends with '/' or is an existing directory
    kStdout,     ///< `-`
    kS3Object,   ///< s3://bucket/key
    kS3Prefix,   ///< s3://bucket/ or s3://bucket/prefix/
    kKinesis,    ///< kinesis://stream (only where a command accepts records)
  };
  Kind kind = Kind::kDirectory;
  std::string path;    ///< kFile, kDirectory
  std::string bucket;  ///< S3 kinds
  std::string key;     ///< kS3Object: the key; kS3Prefix: the prefix ("" or ending in '/')
  std::string stream;  ///< kKinesis

  /// Parses `--to`; UsageError naming the value when it is malformed (bad bucket or
  /// stream name, empty). The default (no `--to`) is the current directory.
  static Destination parse(std::string_view text);
  static Destination current_directory() { return parse("./"); }

  bool is_container() const { return kind == Kind::kDirectory || kind == Kind::kS3Prefix; }
  bool is_remote() const {
    return kind == Kind::kS3Object || kind == Kind::kS3Prefix || kind == Kind::kKinesis;
  }
  /// The destination as the user would write it.
  std::string uri() const;
  /// A local destination's file: the path, or `default_key` below the directory.
  std::string file_path(std::string_view default_key) const;
  /// An S3 destination's key: the key, or `default_key` below the prefix.
  std::string object_key(std::string_view default_key) const;
};

/// One output in the result manifest.
struct OutputRecord {
  std::string uri;
  size_t bytes = 0;
  std::string content_type;
  bool dry_run = false;  ///< a remote write skipped by --dry-run
};

/// Uploads objects; implemented by the S3 client.
class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  virtual void put_object(const std::string& bucket, const std::string& key, std::string_view bytes,
                          const std::string& content_type) = 0;
};

/// Writes one output to `dest`. A container destination gets `default_key` below it;
/// a file, stdout or object destination takes the bytes as they are. Local files are
/// written atomically; remote writes are skipped under ctx.dry_run.
OutputRecord write_output(Context& ctx, const Destination& dest, const std::string& default_key,
                          std::string_view bytes, const std::string& content_type);

/// Returns `dest`; UsageError when it is stdout while the manifest goes there
/// (ctx.json), so --json and `--to -` are refused before any work.
const Destination& require_stdout_free(const Context& ctx, const Destination& dest);

/// True for a valid S3 bucket name (3-63 of a-z 0-9 . -, starting and ending with a
/// letter or digit, not an IP address).
bool valid_bucket_name(std::string_view name);

}  // namespace lamtool
