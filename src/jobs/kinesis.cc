#include "lamtool/jobs/kinesis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>

#include "lamtool/destination.h"
#include "lamtool/digest.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/progress.h"
#include "lamtool/stream.h"

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

aws::KinesisRecord make_record(std::string_view line, const std::string& where,
                               const Options& opts) {
  std::string key;
  if (opts.partition_key) {
    key = *opts.partition_key;
  } else if (opts.partition_key_field) {
    key = partition_key_from_field(line, *opts.partition_key_field, where);
  } else {
    key = sha256_hex(line).substr(0, 32);
  }
  return {std::string(line), std::move(key)};
}

Manifest run(Context& ctx, const Options& opts) {
  if (opts.partition_key && opts.partition_key_field)
    throw UsageError("--partition-key and --partition-key-field exclude each other");
  if (opts.partition_key && opts.partition_key->empty())
    throw UsageError("--partition-key must not be empty");
  std::string stream = parse_stream(opts.stream);
  // Streamed: batches go out while the input is still being read, so memory holds one
  // batch whatever the input's length. A line longer than a record may be is refused
  // without being read whole.
  InputStream in = InputStream::open(opts.in);
  LineReader reader(in, aws::kKinesisMaxRecordBytes);
  Manifest m("kinesis put");
  m["stream"] = stream;
  size_t total = in.size().value_or(0);
  ProgressBar bar("kinesis put", total, progress_enabled(ctx.log) && total >= kProgressMinBytes);
  nlohmann::json failed = nlohmann::json::array();
  std::unique_ptr<AtomicFile> failed_file;  // created at the first failure
  size_t rejected = 0;                      // refused by the stream for good, one by one: 65
  auto on_failed = [&](const aws::KinesisRecord& record, size_t line, const aws::FailedRecord& f) {
    bar.finish();  // an error line of its own; the bar comes back with the next record
    failed.push_back({{"line", line}, {"error_code", f.error_code}});
    if (f.kind == aws::FailureKind::kRejected) ++rejected;
    if (opts.failed_out) {
      if (!failed_file) failed_file = std::make_unique<AtomicFile>(*opts.failed_out);
      failed_file->write(record.data);
      failed_file->write("\n");
    } else if (f.kind != aws::FailureKind::kRefused) {
      // (A call refused for good leaves every later record undelivered: the closing
      // error line counts those instead of one line each.)
      ctx.log.errorf("kinesis: record on line {} not delivered to '{}': {}: {}", line, stream,
                     f.error_code, f.error_message);
    }
  };
  aws::KinesisWriter writer(ctx.dry_run ? nullptr : &ctx.kinesis(), stream, on_failed);
  try {
    while (auto line = reader.next_line()) {
      if (line->empty()) continue;
      std::string where = in.at_line(reader.line_number());
      writer.add(make_record(*line, where, opts), reader.line_number(), where);
      bar.update(reader.bytes_consumed());
      // The input paused (a pipe with nothing to read yet): send what is queued
      // rather than hold it back until more arrives.
      if (writer.queued() > 0 && !reader.line_ready() && !in.readable_now()) writer.flush();
    }
    writer.flush();
  } catch (const DataError&) {
    bar.finish();
    const aws::PutRecordsResult& sent = writer.result();
    if (sent.delivered > 0 || sent.calls > 0)
      ctx.log.warningf("kinesis: {} records before the bad one were already delivered to '{}'",
                       sent.delivered, stream);
    throw;
  }
  bar.finish();
  const aws::PutRecordsResult& r = writer.result();
  // Nothing to put is a mistake (a wrong file, an empty pipe), not a success.
  if (r.records == 0)
    throw DataError(fmt::format("{}: empty input: no records to put", in.describe()));
  m["records"] = r.records;
  if (ctx.dry_run) {
    m["dry_run"] = true;
    m["batches"] = writer.batches();
    return m;
  }
  m["delivered"] = r.delivered;
  m["calls"] = r.calls;
  m["possible_duplicates"] = r.possible_duplicates;
  m["failed"] = std::move(failed);
  std::string where_failed;
  if (failed_file) {
    size_t bytes = failed_file->size();
    failed_file->commit();
    m.add_output(OutputRecord{*opts.failed_out, bytes, "text/plain", false});
    where_failed = fmt::format("; their lines are in '{}'", *opts.failed_out);
  }
  ctx.log.debugf("kinesis: {} of {} records delivered to '{}' in {} calls", r.delivered, r.records,
                 stream, r.calls);
  if (r.refusal) {
    // Refused part-way (the stream deleted, credentials expired): the refusal's own exit
    // status, one line naming it and how many records it left undelivered.
    throw Error(fmt::format("{}; {} of {} records not delivered{}", r.refusal->message,
                            writer.failed(), r.records, where_failed),
                r.refusal->exit_code, r.refusal->name);
  }
  if (failed_file)
    ctx.log.errorf("kinesis: {} of {} records not delivered to '{}'{}", writer.failed(), r.records,
                   stream, where_failed);
  // Refused one by one while the rest got in: bad data (65), as DESIGN.md says; only
  // temporary failures (throttling, 5xx, no answer after the retries): 75.
  // Both: 75, the more serious (Manifest::set_exit_code).
  if (rejected > 0) m.set_exit_code(exit_code::kDataErr);
  if (writer.failed() > rejected) m.set_exit_code(exit_code::kTempFail);
  return m;
}

}  // namespace lamtool::jobs::kinesis_put
