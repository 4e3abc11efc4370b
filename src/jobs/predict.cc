#include "lamtool/jobs/predict.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>

#include "lamtool/aws/kinesis.h"
#include "lamtool/aws/s3.h"
#include "lamtool/destination.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/interrupt.h"
#include "lamtool/json_scan.h"
#include "lamtool/predict/model.h"
#include "lamtool/predict/records.h"
#include "lamtool/progress.h"

namespace lamtool::jobs::predict {

using lamtool::predict::Model;
using lamtool::predict::Payload;
using lamtool::predict::RawRecord;
using lamtool::predict::RecordOrigin;
using lamtool::predict::RecordPlace;
using lamtool::predict::RecordReader;

namespace {

constexpr std::string_view kContentType = "application/x-ndjson";
constexpr std::string_view kDefaultKey = "predictions.jsonl";
constexpr size_t kOutBuffer = 1 << 20;
/// The manifest lists this many bad records one by one (stderr lists them all).
constexpr size_t kMaxListedErrors = 1000;
/// The manifest's predictions and batchItemFailures hold at most a Lambda batch's worth
/// (a Kinesis event source sends at most 10,000 records), so memory stays bounded
/// whatever the input. Listing only the first failures still tells Lambda where to
/// start again: it resumes from the lowest sequence number listed.
constexpr size_t kMaxListedRecords = 10000;

/// Where the output events go: stdout, a file, an S3 object (through a temporary file),
/// or a Kinesis stream.
class Sink {
 public:
  virtual ~Sink() = default;
  /// One output event (no newline) for the record `r` of payload `p`; the reason when
  /// this destination cannot take it (a pred_id that cannot be a partition key).
  virtual std::optional<std::string> event(std::string_view line, const Payload& p,
                                           const RawRecord& r) = 0;
  /// The input has nothing more to read just now: pass on what is held back.
  virtual void pause() = 0;
  /// Everything is read: finish the output and describe it in the manifest.
  virtual void finish(Manifest& m) = 0;
};

/// JSON Lines to stdout or a file descriptor of a local or temporary file, in large
/// writes.
class LinesSink final : public Sink {
 public:
  LinesSink(Context& ctx, Destination dest) : ctx_(ctx), dest_(std::move(dest)) {
    buf_.reserve(kOutBuffer + 4096);
    switch (dest_.kind) {
      case Destination::Kind::kStdout:
        break;
      case Destination::Kind::kFile:
      case Destination::Kind::kDirectory:
        uri_ = dest_.file_path(kDefaultKey);
        file_ = std::make_unique<AtomicFile>(uri_);
        break;
      default: {  // S3: spooled to a temporary file, uploaded at the end
        key_ = dest_.object_key(kDefaultKey);
        uri_ = fmt::format("s3://{}/{}", dest_.bucket, key_);
        const char* tmp = std::getenv("TMPDIR");
        std::string dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
        spool_path_ = dir + "/lamtool-predict-XXXXXX";
        spool_fd_ = ::mkstemp(spool_path_.data());
        if (spool_fd_ < 0)
          throw OutputError(
              fmt::format("cannot create a temporary file in '{}': {}", dir, errno_message(errno)));
        spool_cleanup_.emplace(ExitCleanup::Kind::kUnlink, spool_path_);
      }
    }
  }
  ~LinesSink() override {
    if (spool_fd_ >= 0) {
      ::close(spool_fd_);
      ::unlink(spool_path_.c_str());
    }
  }

  std::optional<std::string> event(std::string_view line, const Payload&,
                                   const RawRecord&) override {
    buf_.append(line);
    buf_ += '\n';
    if (buf_.size() >= kOutBuffer) flush();
    return std::nullopt;
  }
  void pause() override { flush(); }

  void finish(Manifest& m) override {
    flush();
    if (dest_.kind == Destination::Kind::kStdout) return;
    if (file_) {
      file_->commit();
      m.add_output(OutputRecord{uri_, bytes_, std::string(kContentType), false});
      return;
    }
    bool dry = ctx_.dry_run;
    if (!dry) {
      InputStream in = InputStream::open(spool_path_);
      aws::PutOptions put{};
      put.content_type = kContentType;
      ctx_.s3().put(dest_.bucket, key_, in, put);
    }
    m.add_output(OutputRecord{uri_, bytes_, std::string(kContentType), dry});
  }

 private:
  void flush() {
    if (buf_.empty()) return;
    bytes_ += buf_.size();
    if (dest_.kind == Destination::Kind::kStdout) {
      write_stdout(buf_);
    } else if (file_) {
      file_->write(buf_);
    } else {
      std::string_view rest = buf_;
      while (!rest.empty()) {
        ssize_t n = ::write(spool_fd_, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
          throw IoError(fmt::format("cannot write the temporary file '{}': {}", spool_path_,
                                    errno_message(errno)));
        rest.remove_prefix(static_cast<size_t>(n));
      }
    }
    buf_.clear();
  }

  Context& ctx_;
  Destination dest_;
  std::string buf_;
  size_t bytes_ = 0;
  std::string uri_;
  std::string key_;
  std::unique_ptr<AtomicFile> file_;
  std::string spool_path_;
  std::optional<ExitCleanup> spool_cleanup_;  // removed by a second signal too
  int spool_fd_ = -1;
};

/// What the job knows of a record while its prediction is on its way to Kinesis.
struct InFlight {
  size_t ordinal;
  RecordPlace place;
  std::string sequence;
};

/// PutRecords batches (partition key = pred_id), sent while input still arrives; under
/// --dry-run the events that would be put go to stdout instead.
class KinesisSink final : public Sink {
 public:
  using OnUndelivered = std::function<void(const InFlight&, const aws::FailedRecord&)>;

  KinesisSink(Context& ctx, const Destination& dest, const RecordReader& reader,
              OnUndelivered on_undelivered)
      : ctx_(ctx),
        stream_(dest.stream),
        reader_(reader),
        on_undelivered_(std::move(on_undelivered)),
        writer_(ctx.dry_run ? nullptr : &ctx.kinesis(), dest.stream,
                [this](const aws::KinesisRecord&, size_t tag, const aws::FailedRecord& why) {
                  undelivered(tag, why);
                }) {
    if (ctx_.dry_run && !ctx_.json)
      preview_ = std::make_unique<LinesSink>(ctx, Destination::parse("-"));
  }

  std::optional<std::string> event(std::string_view line, const Payload& p,
                                   const RawRecord& r) override {
    aws::KinesisRecord record{std::string(line), lamtool::predict::partition_key(p)};
    try {
      aws::check_record(record, "the prediction");
    } catch (const DataError& e) {
      return fmt::format("field 'pred_id': {}", e.what());
    }
    in_flight_.push_back({r.ordinal, r.place, std::string(r.sequence)});
    writer_.add(std::move(record), r.ordinal, reader_.where(r.place));
    settle();
    if (preview_) preview_->event(line, p, r);
    return std::nullopt;
  }
  void pause() override {
    if (writer_.queued() > 0) writer_.flush();
    settle();
    if (preview_) preview_->pause();
  }
  void finish(Manifest& m) override {
    writer_.flush();
    settle();
    if (preview_) preview_->finish(m);
    const aws::PutRecordsResult& r = writer_.result();
    m["stream"] = stream_;
    if (ctx_.dry_run) {
      m["dry_run"] = true;
      m["batches"] = writer_.batches();
      return;
    }
    m["delivered"] = r.delivered;
    m["calls"] = r.calls;
    m["possible_duplicates"] = r.possible_duplicates;
    m["undelivered"] = writer_.failed();
  }
  /// A call refused for good part-way (stream deleted, credentials expired): every
  /// later prediction was reported undelivered.
  const std::optional<aws::Refusal>& refusal() const { return writer_.result().refusal; }

 private:
  // Only the queued batch's records can still fail: forget those before it.
  void settle() {
    while (in_flight_.size() > writer_.queued()) in_flight_.pop_front();
  }
  void undelivered(size_t ordinal, const aws::FailedRecord& why) {
    for (const InFlight& f : in_flight_)
      if (f.ordinal == ordinal) return on_undelivered_(f, why);
  }

  Context& ctx_;
  std::string stream_;
  const RecordReader& reader_;
  OnUndelivered on_undelivered_;
  aws::KinesisWriter writer_;
  std::deque<InFlight> in_flight_;
  std::unique_ptr<LinesSink> preview_;
};

/// pred_id as a JSON value for the manifest: the string, or the number as an integer
/// when it is one (so 123 stays 123), else as a double.
nlohmann::json pred_id_value(const Payload& p) {
  if (p.pred_id_string) {
    std::string text;
    json_scan::unescape(p.pred_id.substr(1, p.pred_id.size() - 2), text);
    return text;
  }
  long long n = 0;
  auto [end, ec] = std::from_chars(p.pred_id.data(), p.pred_id.data() + p.pred_id.size(), n);
  if (ec == std::errc() && end == p.pred_id.data() + p.pred_id.size()) return n;
  return std::strtod(std::string(p.pred_id).c_str(), nullptr);
}

}  // namespace

std::string default_model_path() { return Context::data_dir() + "/predict/model.json"; }

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "--model",
                .help = "Model FILE (JSON, as 'predict train' writes)",
                .value_name = "FILE",
                .default_text = "the bundled london-bike-demand model"},
               [&opts](const std::string& v) { opts.model = v; });
  flags.option({.names = "--in",
                .help = "Records: a Kinesis event, get-records output or JSON Lines; - for stdin",
                .value_name = "FILE",
                .default_text = "-"},
               [&opts](const std::string& v) { opts.in = v; });
  flags.option(
      {.names = "--to",
       .help = "Output events to - (stdout), FILE, DIR/, s3://BUCKET/KEY or kinesis://STREAM",
       .value_name = "DEST",
       .default_text = "-"},
      [&opts](const std::string& v) {
        Destination::parse(v);
        opts.to = v;
      });
}

Manifest run(Context& ctx, const Options& opts) {
  Destination dest = Destination::parse(opts.to.value_or("-"));
  if (dest.kind == Destination::Kind::kStdout && ctx.json)
    throw UsageError(
        "--json prints the manifest on stdout, where predict writes its events: give --to "
        "FILE or --to kinesis://STREAM");
  const std::string model_path = opts.model.value_or(default_model_path());
  Model model = Model::load(model_path);
  ctx.log.debugf("predict: model {} {} from '{}'", model.name(), model.version(), model_path);
  RecordReader reader(opts.in);
  ctx.log.debugf("predict: reading {} {}",
                 reader.line_mode() ? "JSON Lines from" : "a document from",
                 opts.in == "-" ? std::string("stdin") : "'" + opts.in + "'");

  Manifest m("predict");
  m["model"] = model.name();
  m["version"] = model.version();
  size_t records = 0, predicted = 0, failed = 0, undelivered = 0;
  nlohmann::json errors = nlohmann::json::array();
  nlohmann::json item_failures = nlohmann::json::array();
  nlohmann::json predictions = nlohmann::json::array();
  bool lambda_event = false;
  size_t sequences = 0;  // records that have a sequence number

  std::optional<size_t> total = reader.total_bytes();
  ProgressBar bar("predict", total.value_or(0),
                  progress_enabled(ctx.log) && total.value_or(0) >= kProgressMinBytes);
  auto report = [&](const RecordPlace& place, std::string_view sequence, std::string_view why) {
    bar.finish();
    std::string where = reader.where(place);
    ctx.log.errorf("{}: {}", where, why);
    if (errors.size() < kMaxListedErrors)
      errors.push_back({{"where", where}, {"error", std::string(why)}});
    if (!sequence.empty() && item_failures.size() < kMaxListedRecords)
      item_failures.push_back({{"itemIdentifier", std::string(sequence)}});
  };

  std::unique_ptr<Sink> sink;
  const KinesisSink* kinesis = nullptr;
  size_t rejected = 0;  // refused one by one by the stream (not temporary)
  if (dest.kind == Destination::Kind::kKinesis) {
    auto k = std::make_unique<KinesisSink>(
        ctx, dest, reader, [&](const InFlight& f, const aws::FailedRecord& why) {
          ++undelivered;
          if (why.kind == aws::FailureKind::kRejected) ++rejected;
          report(f.place, f.sequence,
                 fmt::format("not delivered to '{}': {}: {}", dest.stream, why.error_code,
                             why.error_message));
        });
    kinesis = k.get();
    sink = std::move(k);
  } else {
    sink = std::make_unique<LinesSink>(ctx, dest);
  }

  // The constant parts of every output event.
  const std::string head =
      fmt::format(R"({{"model":"{}","version":"{}","prediction":{{"cnt":)",
                  json_scan::escape(model.name()), json_scan::escape(model.version()));
  std::string line;
  std::string error;
  RawRecord rec;
  Payload payload;
  while (reader.next(rec)) {
    ++records;
    if (rec.origin == RecordOrigin::kKinesisEvent) lambda_event = true;
    if (!rec.sequence.empty()) ++sequences;
    if ((records & 1023) == 0) bar.update(reader.bytes_consumed());
    auto reject = [&](std::string_view why) {
      ++failed;
      report(rec.place, rec.sequence, why);
    };
    if (!rec.error.empty()) {
      reject(rec.error);
      continue;
    }
    if (!lamtool::predict::parse_payload(rec.payload, payload, error)) {
      reject(error);
      continue;
    }
    if (auto why = model.check(payload.features)) {
      reject(*why);
      continue;
    }
    int64_t cnt = model.predict(payload.features);
    line.assign(head);
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, cnt);
    line.append(digits, end);
    line.append(R"(,"pred_id":)");
    line.append(payload.pred_id);
    line.append("}}");
    if (auto why = sink->event(line, payload, rec)) {
      reject(*why);
      continue;
    }
    ++predicted;
    // Only a caller that reads the manifest (--json, a Lambda handler) needs them.
    if (ctx.json && rec.origin == RecordOrigin::kKinesisEvent &&
        predictions.size() < kMaxListedRecords)
      predictions.push_back({{"model", model.name()},
                             {"version", model.version()},
                             {"prediction", {{"cnt", cnt}, {"pred_id", pred_id_value(payload)}}}});
    if (reader.paused()) sink->pause();
  }
  bar.finish();
  sink->finish(m);
  ctx.log.debugf("predict: read {} records: {} predicted, {} bad", records, predicted, failed);

  m["records"] = records;
  m["predicted"] = predicted;
  m["failed"] = failed;
  m["errors"] = std::move(errors);
  if (failed > kMaxListedErrors) m["errors_not_listed"] = failed - kMaxListedErrors;
  if (sequences > 0) m["batchItemFailures"] = std::move(item_failures);
  if (lambda_event && ctx.json) {
    if (predicted > predictions.size())
      m["predictions_not_listed"] = predicted - predictions.size();
    m["predictions"] = std::move(predictions);
  }
  if (failed > 0) {
    ctx.log.errorf("predict: {} of {} records could not be predicted", failed, records);
    m.set_exit_code(exit_code::kDataErr);
  }
  if (kinesis && kinesis->refusal()) {
    // The refusal's own exit status (69, 77, ...), as for kinesis put.
    ctx.log.errorf("predict: {}; {} predictions not delivered", kinesis->refusal()->message,
                   undelivered);
    m.set_exit_code(kinesis->refusal()->exit_code);
  } else if (undelivered > 0) {
    ctx.log.errorf("predict: {} predictions not delivered to '{}'", undelivered, dest.stream);
    // Refused one by one while the rest got in: 65; throttled or unreachable: 75 (both:
    // 75, the more serious).
    if (rejected > 0) m.set_exit_code(exit_code::kDataErr);
    if (undelivered > rejected) m.set_exit_code(exit_code::kTempFail);
  }
  return m;
}

}  // namespace lamtool::jobs::predict
