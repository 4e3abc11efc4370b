#pragma once
// Amazon Kinesis Data Streams PutRecords over the JSON 1.1 protocol, batched within
// the service limits, retrying only the entries that failed.

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lamtool/aws/sigv4.h"
#include "lamtool/clock.h"
#include "lamtool/http.h"
#include "lamtool/log.h"

namespace lamtool::aws {

inline constexpr size_t kKinesisMaxRecords = 500;              ///< records per call
inline constexpr size_t kKinesisMaxRecordBytes = 1024 * 1024;  ///< data + partition key
inline constexpr size_t kKinesisMaxCallBytes = 5 * 1024 * 1024;
inline constexpr size_t kKinesisMaxPartitionKey = 256;  ///< characters

struct KinesisRecord {
  std::string data;  ///< raw bytes (sent base64-encoded)
  std::string partition_key;
};

struct KinesisOptions {
  std::string region = "us-east-1";
  /// Custom endpoint (`http://127.0.0.1:4567`); empty: kinesis.REGION.amazonaws.com.
  std::string endpoint{};
  /// max_attempts: attempts in a row that settle no record of the batch (whole-call
  /// failures, or every entry failing again) before the batch gives up; an attempt
  /// that delivers some entries starts the count and the backoff again.
  RetryPolicy retry{};
};

/// Why a record was not delivered: decides the exit status (see lamtool-kinesis(1)).
enum class FailureKind {
  kTemporary,  ///< throttled, InternalFailure, 5xx or no response after the retries, or
               ///< not sent after such a batch (NotSent): 75, sending again may work
  kRejected,   ///< the stream refused this entry with a code not worth retrying: 65
  kRefused,    ///< the call was refused for good part-way (stream gone, credentials
               ///< expired): PutRecordsResult::refusal says why
};

/// A record not delivered after the retries.
struct FailedRecord {
  size_t index = 0;  ///< position in the input span
  std::string error_code;
  std::string error_message;
  FailureKind kind = FailureKind::kTemporary;
};

/// A refusal that retrying cannot fix (ServiceError, AuthError, ...), kept so that the
/// records already delivered and those not delivered stay known.
struct Refusal {
  std::string message;
  int exit_code = 0;
  const char* name = "";
  std::exception_ptr error{};  ///< the error itself, of its class (put_records throws it)
};

struct PutRecordsResult {
  size_t records = 0;
  size_t delivered = 0;
  std::vector<FailedRecord> failed;  ///< in index order
  int calls = 0;                     ///< PutRecords requests that got an answer or not
  /// Records sent again after an attempt whose outcome is unknown (no response or a
  /// 5xx): the stream may hold them twice.
  size_t possible_duplicates = 0;
  /// A batch failed as a whole after the retries (the stream unreachable or throttled
  /// throughout): later batches were not sent.
  bool stopped = false;
  /// Set when a call was refused for good (then `stopped` too): every record not
  /// delivered is in `failed`, of kind kRefused from the refused call on.
  std::optional<Refusal> refusal;
};

/// A function that returns current credentials.
using KinesisCredentialSource = std::function<Credentials()>;

class KinesisClient {
 public:
  KinesisClient(KinesisOptions options, KinesisCredentialSource credentials,
                std::unique_ptr<HttpClient> http, const Clock& clock, Logger& log);

  /// Checks every record first (DataError naming the first bad one: empty or too long
  /// partition key, over 1 MiB), then sends them in batches of at most 500 records and
  /// 5 MiB. Entries that fail with ProvisionedThroughputExceededException or
  /// InternalFailure, and whole calls that are throttled, time out or get a 5xx, are
  /// retried with backoff; what still fails is listed in the result. Throws
  /// ServiceError for ResourceNotFoundException and other refusals, AuthError for
  /// UnrecognizedClientException, InvalidSignatureException and 401/403.
  PutRecordsResult put_records(const std::string& stream, std::span<const KinesisRecord> records);
  /// The same, but a refusal part-way does not throw: it is in the result's `refusal`,
  /// with the records it left undelivered in `failed` (DataError still throws).
  PutRecordsResult try_put_records(const std::string& stream,
                                   std::span<const KinesisRecord> records);

  std::string endpoint_url() const;

 private:
  /// False when the last attempt failed as a whole (throttled, 5xx, no response).
  bool send_batch(const std::string& stream, std::span<const KinesisRecord> records,
                  std::vector<size_t> indices, PutRecordsResult& result);
  HttpRequest build_request(const std::string& stream, std::span<const KinesisRecord> records,
                            const std::vector<size_t>& indices);
  void wait(int retry);

  KinesisOptions options_;
  KinesisCredentialSource credentials_;
  std::unique_ptr<HttpClient> http_;
  const Clock& clock_;
  Logger& log_;
};

/// Sends records as they come (a stream of lines of any length) in PutRecords batches
/// within the limits, so memory holds one batch. Once a batch fails as a whole
/// (PutRecordsResult::stopped), later records are not sent but reported as failed
/// with the code "NotSent", as put_records() does. A refusal part-way (a stream deleted,
/// credentials expired) is kept in result().refusal, never thrown, so the caller learns
/// of every undelivered record.
class KinesisWriter {
 public:
  /// Told each record not delivered (in input order within a batch), with the `tag`
  /// it was added with (a line number).
  using OnFailed =
      std::function<void(const KinesisRecord& record, size_t tag, const FailedRecord& why)>;

  /// `client` null: count records and batches only (a dry run).
  KinesisWriter(KinesisClient* client, std::string stream, OnFailed on_failed);
  /// Queues `record` (checked first: DataError naming `where`, as check_record()),
  /// sending the queued batch first when the record would not fit.
  void add(KinesisRecord record, size_t tag, const std::string& where);
  /// Sends what is queued (at the end, or when the input pauses).
  void flush();
  size_t queued() const { return batch_.size(); }
  /// Totals so far: records added, delivered, calls, possible duplicates, failures
  /// (FailedRecord::index counts records added, from 0).
  const PutRecordsResult& result() const { return result_; }
  size_t failed() const { return failed_; }
  size_t batches() const { return batches_; }

 private:
  KinesisClient* client_;
  std::string stream_;
  OnFailed on_failed_;
  std::vector<KinesisRecord> batch_;
  std::vector<size_t> tags_;
  size_t batch_bytes_ = 0;
  PutRecordsResult result_;
  size_t failed_ = 0;
  size_t batches_ = 0;
};

/// DataError naming `where` when `record` breaks a PutRecords limit: empty or too long
/// partition key, data and key over 1 MiB.
void check_record(const KinesisRecord& record, const std::string& where);

/// Splits records into PutRecords batches (indices into `records`) of at most
/// kKinesisMaxRecords records and kKinesisMaxCallBytes bytes, in order.
std::vector<std::vector<size_t>> plan_batches(std::span<const KinesisRecord> records);

/// A KinesisClient for this process (region, endpoint, credentials from the
/// environment; libcurl transport; requests signed with real_clock()).
std::unique_ptr<KinesisClient> make_kinesis_client(Logger& log);

}  // namespace lamtool::aws
