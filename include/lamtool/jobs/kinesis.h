#pragma once
// `lamtool kinesis put`: one record per input line, PutRecords batches.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lamtool/aws/kinesis.h"
#include "lamtool/job.h"

namespace lamtool::jobs::kinesis_put {

struct Options {
  std::string stream;  ///< NAME or kinesis://NAME
  std::optional<std::string> partition_key;
  std::optional<std::string> partition_key_field;
  std::string in = "-";
  std::optional<std::string> failed_out;
};

/// --stream, --partition-key, --partition-key-field, --in, --failed-out.
void declare(FlagSink& flags, Options& opts);

/// One input line as a record. The partition key is --partition-key, the line's JSON
/// field --partition-key-field, or else the first 32 hex digits of the line's SHA-256.
/// DataError names `where` ("'in.jsonl' line 3").
aws::KinesisRecord make_record(std::string_view line, const std::string& where,
                               const Options& opts);

/// Reads the input line by line and sends PutRecords batches while it is still open
/// (nothing under ctx.dry_run), so memory holds one batch; reports each undelivered
/// record on stderr, or writes its line to --failed-out; the manifest's exit code is 75
/// when records remain undelivered.
Manifest run(Context& ctx, const Options& opts);

/// The stream name of `NAME` or `kinesis://NAME`; UsageError when invalid.
std::string parse_stream(const std::string& text);

}  // namespace lamtool::jobs::kinesis_put
