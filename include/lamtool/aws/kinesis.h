#pragma once
// Amazon Kinesis Data Streams PutRecords over the JSON 1.1 protocol, batched within
// the service limits, retrying only the entries that failed.

#include <functional>
#include <memory>
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

/// A record not delivered after the retries.
struct FailedRecord {
  size_t index = 0;  ///< position in the input span
  std::string error_code;
  std::string error_message;
};

struct PutRecordsResult {
  size_t records = 0;
  size_t delivered = 0;
  std::vector<FailedRecord> failed;  ///< in index order
  int calls = 0;                     ///< PutRecords requests that got an answer or not
  /// Records sent again after an attempt whose outcome is unknown (no response or a
  /// 5xx): the stream may hold them twice.
  size_t possible_duplicates = 0;
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

/// Splits records into PutRecords batches (indices into `records`) of at most
/// kKinesisMaxRecords records and kKinesisMaxCallBytes bytes, in order.
std::vector<std::vector<size_t>> plan_batches(std::span<const KinesisRecord> records);

/// Standard base64 with padding.
std::string base64_encode(std::string_view bytes);

/// A KinesisClient for this process (region, endpoint, credentials from the
/// environment; libcurl transport).
std::unique_ptr<KinesisClient> make_kinesis_client(const Clock& clock, Logger& log);

}  // namespace lamtool::aws
