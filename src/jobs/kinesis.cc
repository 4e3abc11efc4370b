#include "lamtool/jobs/kinesis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "lamtool/aws/sigv4.h"
#include "lamtool/destination.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"

namespace lamtool::jobs::kinesis_put {

namespace {

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

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "--stream",
                .help = "Stream NAME (or kinesis://NAME)",
                .value_name = "NAME",
                .required = true},
               [&opts](const std::string& v) {
                 parse_stream(v);
                 opts.stream = v;
               });
  flags.option({.names = "--partition-key",
                .help = "Partition key of every record",
                .value_name = "KEY",
                .excludes = {"--partition-key-field"}},
               [&opts](const std::string& v) {
                 if (v.empty()) throw UsageError("--partition-key must not be empty");
                 opts.partition_key = v;
               });
  flags.option({.names = "--partition-key-field",
                .help = "Take each record's partition key from this JSON field",
                .value_name = "FIELD",
                .excludes = {"--partition-key"}},
               [&opts](const std::string& v) { opts.partition_key_field = v; });
  flags.option(
      {.names = "--in", .help = "Input FILE or - for stdin (default -)", .value_name = "FILE"},
      [&opts](const std::string& v) { opts.in = v; });
  flags.option({.names = "--failed-out",
                .help = "Write the lines of undelivered records to FILE instead of listing them",
                .value_name = "FILE"},
               [&opts](const std::string& v) { opts.failed_out = v; });
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

std::vector<aws::KinesisRecord> read_records(std::string_view text, const std::string& source,
                                             const Options& opts, std::vector<size_t>& lines) {
  std::vector<aws::KinesisRecord> records;
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
    if (opts.partition_key) {
      key = *opts.partition_key;
    } else if (opts.partition_key_field) {
      key = partition_key_from_field(line, *opts.partition_key_field, where);
    } else {
      key = aws::sha256_hex(line).substr(0, 32);
    }
    records.push_back({std::string(line), std::move(key)});
    lines.push_back(line_no);
  }
  return records;
}

Manifest run(Context& ctx, const Options& opts) {
  if (opts.partition_key && opts.partition_key_field)
    throw UsageError("--partition-key and --partition-key-field exclude each other");
  if (opts.partition_key && opts.partition_key->empty())
    throw UsageError("--partition-key must not be empty");
  std::string stream = parse_stream(opts.stream);
  std::vector<size_t> lines;
  std::string text = read_file(opts.in);
  std::vector<aws::KinesisRecord> records = read_records(text, opts.in, opts, lines);
  Manifest m("kinesis put");
  m["stream"] = stream;
  m["records"] = records.size();
  if (ctx.dry_run) {
    m["dry_run"] = true;
    m["batches"] = aws::plan_batches(records).size();
    return m;
  }
  aws::PutRecordsResult r = ctx.kinesis().put_records(stream, records);
  m["delivered"] = r.delivered;
  m["calls"] = r.calls;
  m["possible_duplicates"] = r.possible_duplicates;
  m["failed"] = nlohmann::json::array();
  std::string failed_lines;
  for (const aws::FailedRecord& f : r.failed) {
    m["failed"].push_back({{"line", lines[f.index]}, {"error_code", f.error_code}});
    failed_lines += records[f.index].data + "\n";
    if (!opts.failed_out)
      ctx.log.errorf("kinesis: record on line {} not delivered to '{}': {}: {}", lines[f.index],
                     stream, f.error_code, f.error_message);
  }
  if (opts.failed_out && !r.failed.empty()) {
    write_file_atomic(*opts.failed_out, failed_lines);
    m.add_output(OutputRecord{*opts.failed_out, failed_lines.size(), "text/plain", false});
    ctx.log.errorf("kinesis: {} of {} records not delivered to '{}'; their lines are in '{}'",
                   r.failed.size(), records.size(), stream, *opts.failed_out);
  }
  ctx.log.debugf("kinesis: {} of {} records delivered to '{}' in {} calls", r.delivered,
                 records.size(), stream, r.calls);
  if (!r.failed.empty()) m.set_exit_code(exit_code::kTempFail);
  return m;
}

}  // namespace lamtool::jobs::kinesis_put
