#include "lamtool/aws/jobs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>

#include "lamtool/destination.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/progress.h"
#include "lamtool/stream.h"

namespace lamtool::aws {

namespace {

std::string base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::vector<std::pair<std::string, std::string>> parse_metadata(
    const std::vector<std::string>& items) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& item : items) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError(fmt::format("bad --metadata '{}': expected NAME=VALUE", item));
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return out;
}

std::string partition_key_from_field(std::string_view line, const std::string& field,
                                     const std::string& where) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object())
    throw DataError(fmt::format("{}: not a JSON object (needed for --partition-key-field)", where));
  auto it = j.find(field);
  if (it == j.end() || it->is_null())
    throw DataError(fmt::format("{}: no field '{}' for the partition key", where, field));
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number() || it->is_boolean()) return it->dump();
  throw DataError(fmt::format("{}: field '{}' is not a string or number", where, field));
}

// One input line as a record, its partition key as the flags say.
KinesisRecord kinesis_record(std::string_view line, const std::string& where,
                             const KinesisPutArgs& args) {
  std::string key;
  if (args.partition_key) {
    key = *args.partition_key;
  } else if (args.partition_key_field) {
    key = partition_key_from_field(line, *args.partition_key_field, where);
  } else {
    key = sha256_hex(line).substr(0, 32);
  }
  return {std::string(line), std::move(key)};
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

Manifest s3_put(Context& ctx, S3Client* client, const S3PutArgs& args) {
  if (!args.uri.starts_with("s3://"))
    throw UsageError(
        fmt::format("invalid S3 destination '{}': expected s3://bucket/key", args.uri));
  Destination d = Destination::parse(args.uri);
  std::string key = d.key;
  if (d.kind == Destination::Kind::kS3Prefix) {
    if (args.file == "-")
      throw UsageError(fmt::format("'{}' is a prefix: name the key when reading stdin", args.uri));
    key += base_name(args.file);
  }
  PutOptions put = args.put;
  auto extra = parse_metadata(args.metadata);
  put.metadata.insert(put.metadata.end(), extra.begin(), extra.end());
  // Streamed: a file is read part by part as it is sent, never whole in memory.
  InputStream in = InputStream::open(args.file);
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
    PutResult r = client->put(d.bucket, key, in, put);
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

Manifest s3_get(Context& ctx, S3Client& client, const S3GetArgs& args) {
  auto [bucket, key] = parse_s3_object(args.uri);
  std::string out = args.out.value_or(base_name(key));
  if (out.empty()) out = "-";
  // Streamed: the body goes to the destination's temporary file (renamed into place
  // once whole) or to stdout as it arrives.
  std::unique_ptr<ProgressBar> bar;
  const bool show = progress_enabled(ctx.log);
  auto progress = [&bar, show](size_t done, size_t total) {
    if (!bar && show && total >= kProgressMinBytes)
      bar = std::make_unique<ProgressBar>("s3 get", total, true);
    if (bar) bar->update(done);
  };
  GetResult g;
  size_t bytes = 0;
  if (out == "-") {
    g = client.download(bucket, key, stdout_sink(progress));
    bytes = g.bytes;
  } else {
    AtomicFile file(out);
    g = client.download(bucket, key, file_sink(file, progress));
    bytes = file.size();
    file.commit();
  }
  if (bar) bar->finish();
  ctx.log.debugf("s3: {} bytes from s3://{}/{} to {}", bytes, bucket, key, out);
  Manifest m("s3 get");
  m["source"] = args.uri;
  m.add_output(OutputRecord{out, bytes, g.content_type, false});
  return m;
}

std::string s3_presign(S3Client& client, const std::string& uri, long expires_seconds) {
  auto [bucket, key] = parse_s3_object(uri);
  return client.presign_get(bucket, key, expires_seconds);
}

std::string parse_stream(const std::string& text) {
  std::string name = text.starts_with("kinesis://") ? text.substr(10) : text;
  bool ok =
      !name.empty() && name.size() <= 128 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
      });
  if (!ok)
    throw UsageError(
        fmt::format("invalid stream name '{}': use 1-128 characters of a-z, A-Z, "
                    "0-9, '_', '.' and '-'",
                    text));
  return name;
}

std::vector<KinesisRecord> read_kinesis_records(std::string_view text, const std::string& source,
                                                const KinesisPutArgs& args,
                                                std::vector<size_t>& lines) {
  std::vector<KinesisRecord> records;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) continue;
    std::string where =
        fmt::format("{} line {}", source == "-" ? "stdin" : "'" + source + "'", line_no);
    records.push_back(kinesis_record(line, where, args));
    lines.push_back(line_no);
  }
  return records;
}

KinesisPutOutcome kinesis_put(Context& ctx, KinesisClient* client, const KinesisPutArgs& args) {
  if (args.partition_key && args.partition_key_field)
    throw UsageError("--partition-key and --partition-key-field exclude each other");
  if (args.partition_key && args.partition_key->empty())
    throw UsageError("--partition-key must not be empty");
  std::string stream = parse_stream(args.stream);
  // Streamed: batches go out while the input is still being read, so memory holds one
  // batch whatever the input's length. A line longer than a record may be is refused
  // without being read whole.
  InputStream in = InputStream::open(args.in);
  LineReader reader(in, kKinesisMaxRecordBytes);
  KinesisPutOutcome o{Manifest("kinesis put"), 0};
  Manifest& m = o.manifest;
  m["stream"] = stream;
  size_t total = in.size().value_or(0);
  ProgressBar bar("kinesis put", total, progress_enabled(ctx.log) && total >= kProgressMinBytes);
  nlohmann::json failed = nlohmann::json::array();
  std::unique_ptr<AtomicFile> failed_file;  // created at the first failure
  auto on_failed = [&](const KinesisRecord& record, size_t line, const FailedRecord& f) {
    bar.finish();  // an error line of its own; the bar comes back with the next record
    failed.push_back({{"line", line}, {"error_code", f.error_code}});
    if (args.failed_out) {
      if (!failed_file) failed_file = std::make_unique<AtomicFile>(*args.failed_out);
      failed_file->write(record.data);
      failed_file->write("\n");
    } else {
      ctx.log.errorf("kinesis: record on line {} not delivered to '{}': {}: {}", line, stream,
                     f.error_code, f.error_message);
    }
  };
  KinesisWriter writer(ctx.dry_run ? nullptr : client, stream, on_failed);
  try {
    while (auto line = reader.next_line()) {
      if (line->empty()) continue;
      std::string where = in.at_line(reader.line_number());
      writer.add(kinesis_record(*line, where, args), reader.line_number(), where);
      bar.update(reader.bytes_consumed());
      // The input paused (a pipe with nothing to read yet): send what is queued
      // rather than hold it back until more arrives.
      if (writer.queued() > 0 && !reader.line_ready() && !in.readable_now()) writer.flush();
    }
    writer.flush();
  } catch (const DataError&) {
    bar.finish();
    const PutRecordsResult& sent = writer.result();
    if (sent.delivered > 0 || sent.calls > 0)
      ctx.log.warningf("kinesis: {} records before the bad one were already delivered to '{}'",
                       sent.delivered, stream);
    throw;
  }
  bar.finish();
  const PutRecordsResult& r = writer.result();
  m["records"] = r.records;
  if (ctx.dry_run) {
    m["dry_run"] = true;
    m["batches"] = writer.batches();
    return o;
  }
  m["delivered"] = r.delivered;
  m["calls"] = r.calls;
  m["possible_duplicates"] = r.possible_duplicates;
  m["failed"] = std::move(failed);
  if (failed_file) {
    size_t bytes = failed_file->size();
    failed_file->commit();
    m.add_output(OutputRecord{*args.failed_out, bytes, "text/plain", false});
    ctx.log.errorf("kinesis: {} of {} records not delivered to '{}'; their lines are in '{}'",
                   writer.failed(), r.records, stream, *args.failed_out);
  }
  ctx.log.debugf("kinesis: {} of {} records delivered to '{}' in {} calls", r.delivered, r.records,
                 stream, r.calls);
  if (writer.failed() > 0) o.exit_code = exit_code::kTempFail;
  return o;
}

}  // namespace lamtool::aws
