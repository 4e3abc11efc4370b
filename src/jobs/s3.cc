#include "lamtool/jobs/s3.h"

#include <fmt/format.h>

#include <memory>

#include "lamtool/content_type.h"
#include "lamtool/destination.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/parse.h"
#include "lamtool/progress.h"
#include "lamtool/stream.h"

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

// The required positional naming one object (s3://bucket/key), checked as it is given.
void declare_object(FlagSink& flags, const char* name, std::string& uri) {
  flags.option({.names = name, .help = "s3://bucket/key", .value_name = "S3_URI", .required = true},
               [&uri](const std::string& v) {
                 parse_s3_object(v);
                 uri = v;
               });
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
  flags.option({.names = "file",
                .help = "File to upload, or - for stdin",
                .value_name = "FILE",
                .required = true},
               [&opts](const std::string& v) { opts.file = v; });
  flags.option(
      {.names = "destination",
       .help = "s3://bucket/key, or s3://bucket/prefix/ to add the file's name",
       .value_name = "S3_URI",
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
  // Streamed: a file is read part by part as it is sent, never whole in memory.
  InputStream in = InputStream::open(opts.file);
  OutputRecord out{fmt::format("s3://{}/{}", d.bucket, key), 0, put.content_type, ctx.dry_run};
  if (ctx.dry_run) {
    std::string head(kContentTypeWindow, '\0');
    head.resize(in.read_full(head));
    out.bytes = head.size();
    if (in.seekable()) {
      out.bytes = *in.size();
    } else {
      char buf[65536];
      while (size_t n = in.read(buf)) out.bytes += n;
    }
    if (out.content_type.empty()) out.content_type = detect_content_type(head, key);
  } else {
    size_t total = in.size().value_or(0);
    ProgressBar bar("s3 put", total, progress_enabled(ctx.log) && total >= kProgressMinBytes);
    put.on_progress = [&bar](size_t done) { bar.update(done); };
    aws::PutResult r = ctx.s3().put(d.bucket, key, in, put);
    bar.finish();
    out.bytes = r.bytes;
    out.content_type = r.content_type;
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
  declare_object(flags, "source", opts.uri);
  flags.option({.names = "file",
                .help = "Output file or - (default: the key's name in .)",
                .value_name = "FILE"},
               [&opts](const std::string& v) { opts.out = v; });
}

Manifest run(Context& ctx, const Options& opts) {
  auto [bucket, key] = parse_s3_object(opts.uri);
  std::string out = opts.out.value_or(base_name(key));
  if (out.empty()) out = "-";
  if (ctx.json && out == "-")
    throw UsageError("--json and output '-' both use stdout: name an output file");
  // Streamed: the body goes to the destination's temporary file (renamed into place
  // once whole) or to stdout as it arrives.
  std::unique_ptr<ProgressBar> bar;
  const bool show = progress_enabled(ctx.log);
  auto progress = [&bar, show](size_t done, size_t total) {
    if (!bar && show && total >= kProgressMinBytes)
      bar = std::make_unique<ProgressBar>("s3 get", total, true);
    if (bar) bar->update(done);
  };
  aws::S3Client& s3 = ctx.s3();
  aws::GetResult g;
  size_t bytes = 0;
  if (out == "-") {
    g = s3.download(bucket, key, stdout_sink(progress));
    bytes = g.bytes;
  } else {
    AtomicFile file(out);
    g = s3.download(bucket, key, file_sink(file, progress));
    bytes = file.size();
    file.commit();
  }
  if (bar) bar->finish();
  ctx.log.debugf("s3: {} bytes from s3://{}/{} to {}", bytes, bucket, key, out);
  Manifest m("s3 get");
  m["source"] = opts.uri;
  m.add_output(OutputRecord{out, bytes, g.content_type, false});
  return m;
}

}  // namespace s3_get

namespace s3_presign {

void declare(FlagSink& flags, Options& opts) {
  declare_object(flags, "object", opts.uri);
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
