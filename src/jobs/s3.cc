#include "lamtool/jobs/s3.h"

#include <fmt/format.h>

#include "lamtool/content_type.h"
#include "lamtool/destination.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/parse.h"

namespace lamtool::jobs {

namespace {

std::string base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::pair<std::string, std::string> parse_metadata(const std::string& item) {
  size_t eq = item.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError(fmt::format("bad --metadata '{}': expected NAME=VALUE", item));
  return {item.substr(0, eq), item.substr(eq + 1)};
}

}  // namespace

std::pair<std::string, std::string> parse_s3_object(const std::string& uri) {
  if (!uri.starts_with("s3://"))
    throw UsageError(fmt::format("invalid S3 object '{}': expected s3://bucket/key", uri));
  Destination d = Destination::parse(uri);
  if (d.kind != Destination::Kind::kS3Object)
    throw UsageError(fmt::format("invalid S3 object '{}': no key after the bucket", uri));
  return {d.bucket, d.key};
}

namespace s3_put {

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "file", .help = "File to upload, or - for stdin", .required = true},
               [&opts](const std::string& v) { opts.file = v; });
  flags.option(
      {.names = "destination",
       .help = "s3://bucket/key, or s3://bucket/prefix/ to add the file's name",
       .required = true},
      [&opts](const std::string& v) {
        if (!v.starts_with("s3://"))
          throw UsageError(fmt::format("invalid S3 destination '{}': expected s3://bucket/key", v));
        Destination::parse(v);
        opts.uri = v;
      });
  flags.option({.names = "--content-type",
                .help = "Content-Type (default: detected from the bytes, then the key's "
                        "extension)",
                .value_name = "TYPE"},
               [&opts](const std::string& v) { opts.put.content_type = v; });
  flags.option({.names = "--cache-control", .help = "Cache-Control header", .value_name = "VALUE"},
               [&opts](const std::string& v) { opts.put.cache_control = v; });
  flags.option({.names = "--metadata",
                .help = "User metadata, sent as x-amz-meta-NAME",
                .value_name = "NAME=VALUE",
                .repeated = true},
               [&opts](const std::string& v) { opts.put.metadata.push_back(parse_metadata(v)); });
}

Manifest run(Context& ctx, const Options& opts) {
  Destination d = Destination::parse(opts.uri);
  if (!opts.uri.starts_with("s3://") ||
      !(d.kind == Destination::Kind::kS3Object || d.kind == Destination::Kind::kS3Prefix))
    throw UsageError(
        fmt::format("invalid S3 destination '{}': expected s3://bucket/key", opts.uri));
  std::string key = d.key;
  if (d.kind == Destination::Kind::kS3Prefix) {
    if (opts.file == "-")
      throw UsageError(fmt::format("'{}' is a prefix: name the key when reading stdin", opts.uri));
    key += base_name(opts.file);
  }
  aws::PutOptions put = opts.put;
  std::string bytes = read_file(opts.file);
  OutputRecord out{fmt::format("s3://{}/{}", d.bucket, key), bytes.size(),
                   put.content_type.empty() ? detect_content_type(bytes, key) : put.content_type,
                   ctx.dry_run};
  put.content_type = out.content_type;
  if (!ctx.dry_run) {
    aws::PutResult r = ctx.s3().put(d.bucket, key, bytes, put);
    ctx.log.debugf("s3: uploaded {} ({} bytes, {} parts, ETag {})", out.uri, r.bytes, r.parts,
                   r.etag);
  }
  Manifest m("s3 put");
  m.add_output(out);
  return m;
}

}  // namespace s3_put

namespace s3_get {

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "source", .help = "s3://bucket/key", .required = true},
               [&opts](const std::string& v) {
                 parse_s3_object(v);
                 opts.uri = v;
               });
  flags.option({.names = "file", .help = "Output file or - (default: the key's name in .)"},
               [&opts](const std::string& v) { opts.out = v; });
}

Manifest run(Context& ctx, const Options& opts) {
  auto [bucket, key] = parse_s3_object(opts.uri);
  std::string out = opts.out.value_or(base_name(key));
  if (out.empty()) out = "-";
  if (ctx.json && out == "-")
    throw UsageError("--json and output '-' both use stdout: name an output file");
  aws::GetResult g = ctx.s3().get_object(bucket, key);
  if (out == "-") {
    write_stdout(g.body);
  } else {
    write_file_atomic(out, g.body);
  }
  ctx.log.debugf("s3: {} bytes from s3://{}/{} to {}", g.body.size(), bucket, key, out);
  Manifest m("s3 get");
  m["source"] = opts.uri;
  m.add_output(OutputRecord{out, g.body.size(), g.content_type, false});
  return m;
}

}  // namespace s3_get

namespace s3_presign {

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "object", .help = "s3://bucket/key", .required = true},
               [&opts](const std::string& v) {
                 parse_s3_object(v);
                 opts.uri = v;
               });
  flags.option(
      {.names = "--expires",
       .help = fmt::format("Validity in seconds (1-{}, default {})", kMaxSeconds, kDefaultSeconds),
       .value_name = "SECONDS"},
      [&opts](const std::string& v) {
        long long n = parse_int(v, "--expires");
        if (n < 1 || n > kMaxSeconds)
          throw UsageError(fmt::format("--expires '{}': must be from 1 to {}", v, kMaxSeconds));
        opts.expires = static_cast<long>(n);
      });
}

Manifest run(Context& ctx, const Options& opts) {
  auto [bucket, key] = parse_s3_object(opts.uri);
  std::string url = ctx.s3().presign_get(bucket, key, opts.expires);
  if (!ctx.json) write_stdout(url + "\n");
  Manifest m("s3 presign");
  m["url"] = url;
  m["expires"] = opts.expires;
  return m;
}

}  // namespace s3_presign

}  // namespace lamtool::jobs
