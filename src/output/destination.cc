#include "lamtool/destination.h"

#include <fmt/format.h>

#include <filesystem>

#include "lamtool/error.h"
#include "lamtool/fs.h"

namespace lamtool {

namespace {

constexpr std::string_view kS3Scheme = "s3://";
constexpr std::string_view kKinesisScheme = "kinesis://";

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || is_digit(c); }

bool looks_like_ipv4(std::string_view s) {
  int dots = 0;
  for (char c : s) {
    if (c == '.')
      ++dots;
    else if (!is_digit(c))
      return false;
  }
  return dots == 3;
}

// Kinesis stream names: 1-128 of [a-zA-Z0-9_.-].
bool valid_stream_name(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s)
    if (!is_lower_alnum(c) && !(c >= 'A' && c <= 'Z') && c != '_' && c != '.' && c != '-')
      return false;
  return true;
}

std::string join_key(std::string_view prefix, std::string_view key) {
  if (prefix.empty()) return std::string(key);
  std::string out(prefix);
  if (out.back() != '/') out += '/';
  out += key;
  return out;
}

}  // namespace

std::string Destination::file_path(std::string_view default_key) const {
  return kind == Kind::kFile
             ? path
             : (std::filesystem::path(path) / default_key).lexically_normal().string();
}

std::string Destination::object_key(std::string_view default_key) const {
  return kind == Kind::kS3Object ? key : join_key(key, default_key);
}

const Destination& require_stdout_free(const Context& ctx, const Destination& dest) {
  if (ctx.json && dest.kind == Destination::Kind::kStdout)
    throw UsageError(
        "--json prints the manifest on standard output: give --to a file or directory");
  return dest;
}

bool valid_bucket_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  if (!is_lower_alnum(name.front()) || !is_lower_alnum(name.back())) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (!is_lower_alnum(c) && c != '.' && c != '-') return false;
    if (c == '.' && i + 1 < name.size() && (name[i + 1] == '.' || name[i + 1] == '-')) return false;
    if (c == '-' && i + 1 < name.size() && name[i + 1] == '.') return false;
  }
  return !looks_like_ipv4(name);
}

Destination Destination::parse(std::string_view text) {
  Destination d;
  if (text.empty()) throw UsageError("invalid destination '': empty");
  if (text == "-") {
    d.kind = Kind::kStdout;
    return d;
  }
  if (text.starts_with(kS3Scheme)) {
    std::string_view rest = text.substr(kS3Scheme.size());
    size_t slash = rest.find('/');
    d.bucket = std::string(rest.substr(0, slash));
    if (!valid_bucket_name(d.bucket))
      throw UsageError(fmt::format(
          "invalid destination '{}': '{}' is not a valid S3 bucket name (3-63 characters of "
          "a-z, 0-9, '.' and '-')",
          text, d.bucket));
    std::string_view key = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
    d.key = std::string(key);
    d.kind = key.empty() || key.back() == '/' ? Kind::kS3Prefix : Kind::kS3Object;
    return d;
  }
  if (text.starts_with(kKinesisScheme)) {
    d.stream = std::string(text.substr(kKinesisScheme.size()));
    if (!valid_stream_name(d.stream))
      throw UsageError(fmt::format(
          "invalid destination '{}': '{}' is not a valid Kinesis stream name (1-128 characters "
          "of a-z, A-Z, 0-9, '_', '.' and '-')",
          text, d.stream));
    d.kind = Kind::kKinesis;
    return d;
  }
  if (text.find("://") != std::string_view::npos)
    throw UsageError(fmt::format(
        "invalid destination '{}': unknown scheme (use a path, '-', s3:// or kinesis://)", text));
  d.path = std::string(text);
  std::error_code ec;
  d.kind = text.back() == '/' || std::filesystem::is_directory(d.path, ec) ? Kind::kDirectory
                                                                           : Kind::kFile;
  return d;
}

std::string Destination::uri() const {
  switch (kind) {
    case Kind::kFile:
    case Kind::kDirectory:
      return path;
    case Kind::kStdout:
      return "-";
    case Kind::kS3Object:
    case Kind::kS3Prefix:
      return fmt::format("s3://{}/{}", bucket, key);
    case Kind::kKinesis:
      return fmt::format("kinesis://{}", stream);
  }
  return path;
}

OutputRecord write_output(Context& ctx, const Destination& dest, const std::string& default_key,
                          std::string_view bytes, const std::string& content_type) {
  OutputRecord rec{.uri = "", .bytes = bytes.size(), .content_type = content_type};
  switch (dest.kind) {
    case Destination::Kind::kStdout:
      rec.uri = "-";
      write_stdout(bytes);
      return rec;
    case Destination::Kind::kFile:
    case Destination::Kind::kDirectory: {
      rec.uri = dest.file_path(default_key);
      write_file_atomic(rec.uri, bytes);
      ctx.log.debugf("wrote {} bytes to '{}'", bytes.size(), rec.uri);
      return rec;
    }
    case Destination::Kind::kS3Object:
    case Destination::Kind::kS3Prefix: {
      std::string key = dest.object_key(default_key);
      rec.uri = fmt::format("s3://{}/{}", dest.bucket, key);
      if (ctx.dry_run) {
        rec.dry_run = true;
        ctx.log.debugf("dry run: not uploading {} bytes to '{}'", bytes.size(), rec.uri);
        return rec;
      }
      if (!ctx.object_store)
        throw ConfigError(fmt::format("cannot write '{}': no S3 client configured", rec.uri));
      ctx.object_store().put_object(dest.bucket, key, bytes, content_type);
      ctx.log.debugf("uploaded {} bytes to '{}'", bytes.size(), rec.uri);
      return rec;
    }
    case Destination::Kind::kKinesis:
      break;
  }
  throw UsageError(fmt::format(
      "invalid destination '{}': this command writes files or objects, not Kinesis records",
      dest.uri()));
}

}  // namespace lamtool
