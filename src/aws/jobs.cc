#include "lamtool/aws/jobs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "lamtool/destination.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"

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
  std::string bytes = read_file(args.file);
  OutputRecord out{fmt::format("s3://{}/{}", d.bucket, key), bytes.size(),
                   put.content_type.empty() ? detect_content_type(bytes, key) : put.content_type,
                   ctx.dry_run};
  put.content_type = out.content_type;
  if (!ctx.dry_run) {
    PutResult r = client->put(d.bucket, key, bytes, put);
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
  GetResult g = client.get_object(bucket, key);
  if (out == "-") {
    write_stdout(g.body);
  } else {
    write_file_atomic(out, g.body);
  }
  ctx.log.debugf("s3: {} bytes from s3://{}/{} to {}", g.body.size(), bucket, key, out);
  Manifest m("s3 get");
  m["source"] = args.uri;
  m.add_output(OutputRecord{out, g.body.size(), g.content_type, false});
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
    std::string key;
    if (args.partition_key) {
      key = *args.partition_key;
    } else if (args.partition_key_field) {
      key = partition_key_from_field(line, *args.partition_key_field, where);
    } else {
      key = sha256_hex(line).substr(0, 32);
    }
    records.push_back({std::string(line), std::move(key)});
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
  std::vector<size_t> lines;
  std::string text = read_file(args.in);
  std::vector<KinesisRecord> records = read_kinesis_records(text, args.in, args, lines);
  KinesisPutOutcome o{Manifest("kinesis put"), 0};
  Manifest& m = o.manifest;
  m["stream"] = stream;
  m["records"] = records.size();
  if (ctx.dry_run) {
    m["dry_run"] = true;
    m["batches"] = plan_batches(records).size();
    return o;
  }
  PutRecordsResult r = client->put_records(stream, records);
  m["delivered"] = r.delivered;
  m["calls"] = r.calls;
  m["possible_duplicates"] = r.possible_duplicates;
  m["failed"] = nlohmann::json::array();
  std::string failed_lines;
  for (const FailedRecord& f : r.failed) {
    m["failed"].push_back({{"line", lines[f.index]}, {"error_code", f.error_code}});
    failed_lines += records[f.index].data + "\n";
    if (!args.failed_out)
      ctx.log.errorf("kinesis: record on line {} not delivered to '{}': {}: {}", lines[f.index],
                     stream, f.error_code, f.error_message);
  }
  if (args.failed_out && !r.failed.empty()) {
    write_file_atomic(*args.failed_out, failed_lines);
    m.add_output(OutputRecord{*args.failed_out, failed_lines.size(), "text/plain", false});
    ctx.log.errorf("kinesis: {} of {} records not delivered to '{}'; their lines are in '{}'",
                   r.failed.size(), records.size(), stream, *args.failed_out);
  }
  ctx.log.debugf("kinesis: {} of {} records delivered to '{}' in {} calls", r.delivered,
                 records.size(), stream, r.calls);
  if (!r.failed.empty()) o.exit_code = exit_code::kTempFail;
  return o;
}

}  // namespace lamtool::aws
