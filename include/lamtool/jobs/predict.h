#pragma once
// `lamtool predict`: bike demand for every record of a Kinesis stream (DESIGN section 3).
// A filter: records in (a Lambda Kinesis event, get-records output, JSON Lines of
// payloads or base64 strings), one output event per good record out, in input order,
// to stdout, a file, S3 or a Kinesis stream.

#include <optional>
#include <string>

#include "lamtool/job.h"

namespace lamtool::jobs::predict {

struct Options {
  std::optional<std::string> model;  ///< default: <data dir>/predict/model.json
  std::string in = "-";
  std::optional<std::string> to;  ///< default: stdout
};

/// --model, --in, --to.
void declare(FlagSink& flags, Options& opts);

/// Reads the records as they come and writes each prediction
/// `{"model":NAME,"version":VER,"prediction":{"cnt":N,"pred_id":ID}}` as soon as it is
/// made (to Kinesis in PutRecords batches sent while input still arrives). A bad record
/// is reported on stderr and in the manifest (`errors`, and `batchItemFailures` by
/// sequence number) and passed over; the manifest's exit code is then 65, or 75 when
/// predictions were not delivered to the stream. For a Lambda Kinesis event and a
/// caller that reads the manifest (ctx.json), the manifest also carries the
/// `predictions`, so a Lambda handler only wraps it.
Manifest run(Context& ctx, const Options& opts);

/// The model file used when --model is not given.
std::string default_model_path();

}  // namespace lamtool::jobs::predict
