#include "lamtool/aws/kinesis.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "lamtool/aws/config.h"
#include "lamtool/aws/credentials.h"
#include "lamtool/encoding.h"
#include "lamtool/error.h"

namespace lamtool::aws {

namespace {

using nlohmann::json;

bool retryable_entry(std::string_view code) {
  return code == "ProvisionedThroughputExceededException" || code == "InternalFailure";
}

bool throttling(std::string_view code) {
  return code == "ProvisionedThroughputExceededException" || code == "LimitExceededException" ||
         code == "ThrottlingException";
}

bool auth_code(std::string_view code) {
  return code == "UnrecognizedClientException" || code == "InvalidSignatureException" ||
         code == "AccessDeniedException" || code == "ExpiredTokenException" ||
         code == "IncompleteSignature" || code == "MissingAuthenticationToken";
}

size_t record_bytes(const KinesisRecord& r) { return r.data.size() + r.partition_key.size(); }

// `__type` (maybe `prefix#Name`) and message of a JSON 1.1 error answer.
std::pair<std::string, std::string> parse_error(const HttpResponse& r) {
  std::string type;
  std::string message;
  json j = json::parse(r.body, nullptr, false);
  if (j.is_object()) {
    if (j.contains("__type") && j["__type"].is_string()) type = j["__type"];
    for (const char* k : {"message", "Message"})
      if (j.contains(k) && j[k].is_string()) message = error_message_line(j[k].get<std::string>());
  }
  if (type.empty()) {
    auto it = r.headers.find("x-amzn-ErrorType");
    if (it != r.headers.end()) type = it->second.substr(0, it->second.find(':'));
  }
  if (auto hash = type.rfind('#'); hash != std::string::npos) type = type.substr(hash + 1);
  if (type.empty()) type = "HTTP";
  return {type, message};
}

}  // namespace

void check_record(const KinesisRecord& r, const std::string& where) {
  if (r.partition_key.empty()) throw DataError(fmt::format("{} has an empty partition key", where));
  if (utf8_length(r.partition_key) > kKinesisMaxPartitionKey)
    throw DataError(
        fmt::format("{}: partition key longer than {} characters", where, kKinesisMaxPartitionKey));
  if (record_bytes(r) > kKinesisMaxRecordBytes)
    throw DataError(fmt::format("{} is {} bytes (data and partition key), over the 1 MiB limit",
                                where, record_bytes(r)));
}

namespace {

void check_records(std::span<const KinesisRecord> records) {
  for (size_t i = 0; i < records.size(); ++i)
    check_record(records[i], fmt::format("kinesis: record {}", i + 1));
}

}  // namespace

std::vector<std::vector<size_t>> plan_batches(std::span<const KinesisRecord> records) {
  std::vector<std::vector<size_t>> batches;
  size_t bytes = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    size_t b = record_bytes(records[i]);
    if (batches.empty() || batches.back().size() == kKinesisMaxRecords ||
        bytes + b > kKinesisMaxCallBytes) {
      batches.emplace_back();
      bytes = 0;
    }
    batches.back().push_back(i);
    bytes += b;
  }
  return batches;
}

KinesisClient::KinesisClient(KinesisOptions options, KinesisCredentialSource credentials,
                             std::unique_ptr<HttpClient> http, const Clock& clock, Logger& log)
    : options_(std::move(options)),
      credentials_(std::move(credentials)),
      http_(std::move(http)),
      clock_(clock),
      log_(log) {}

std::string KinesisClient::endpoint_url() const {
  if (!options_.endpoint.empty()) return options_.endpoint + "/";
  return fmt::format("https://kinesis.{}.amazonaws.com/", options_.region);
}

HttpRequest KinesisClient::build_request(const std::string& stream,
                                         std::span<const KinesisRecord> records,
                                         const std::vector<size_t>& indices) {
  json body = {{"StreamName", stream}, {"Records", json::array()}};
  for (size_t i : indices)
    body["Records"].push_back(
        {{"Data", base64_encode(records[i].data)}, {"PartitionKey", records[i].partition_key}});
  HttpRequest req{.method = "POST",
                  .url = endpoint_url(),
                  .headers = {{"Content-Type", "application/x-amz-json-1.1"},
                              {"X-Amz-Target", "Kinesis_20131202.PutRecords"}},
                  .body = body.dump()};
  sign_request(req, SigningParams{credentials_(), options_.region, "kinesis", clock_.now(), false});
  return req;
}

void KinesisClient::wait(int retry) { backoff_wait(options_.retry, retry); }

namespace {

using ErrorMap = std::map<size_t, std::pair<std::string, std::string>>;

// Sorts the entries of a 200 answer: delivered ones are counted, those failing with a
// retryable code are returned (their error remembered), others fail for good.
std::vector<size_t> sort_entries(const std::string& body, const std::vector<size_t>& pending,
                                 const std::string& what, PutRecordsResult& result,
                                 ErrorMap& last_error) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("Records") || !j["Records"].is_array() ||
      j["Records"].size() != pending.size())
    throw ServiceError(fmt::format("{} failed: malformed answer", what));
  std::vector<size_t> again;
  for (size_t k = 0; k < pending.size(); ++k) {
    const json& e = j["Records"][k];
    auto code_it = e.is_object() ? e.find("ErrorCode") : e.end();
    if (code_it == e.end() || !code_it->is_string()) {
      ++result.delivered;
      continue;
    }
    std::string code = code_it->get<std::string>();
    auto msg_it = e.find("ErrorMessage");
    std::string msg = msg_it != e.end() && msg_it->is_string() ? msg_it->get<std::string>() : "";
    if (retryable_entry(code)) {
      again.push_back(pending[k]);
      last_error[pending[k]] = {code, msg};
    } else {
      result.failed.push_back({pending[k], code, msg, FailureKind::kRejected});
    }
  }
  return again;
}

struct CallFailure {
  std::pair<std::string, std::string> error;  ///< code, message
  bool ambiguous = false;                     ///< the records may have been written
  std::optional<Refusal> refusal{};           ///< retrying cannot fix it
};

template <typename E>
Refusal refusal_of(const E& e) {
  return {e.what(), e.exit_code(), e.name(), std::make_exception_ptr(e)};
}

// A non-200 answer: a refusal that retrying cannot fix, or why the call may be retried.
CallFailure classify(const HttpResponse& r, const std::string& what) {
  auto error = parse_error(r);
  const std::string msg =
      fmt::format("{} failed: {} {}: {}", what, r.status, error.first, error.second);
  if (is_clock_skew_error(error.first, error.second))
    return {error, false, refusal_of(AuthError(msg + "; " + std::string(kClockSkewHint)))};
  if (r.status == 401 || r.status == 403 || auth_code(error.first))
    return {error, false, refusal_of(AuthError(msg))};
  bool ambiguous = r.status >= 500;
  if (!ambiguous && r.status != 429 && !throttling(error.first))
    return {error, false, refusal_of(ServiceError(msg))};
  return {error, ambiguous};
}

}  // namespace

bool KinesisClient::send_batch(const std::string& stream, std::span<const KinesisRecord> records,
                               std::vector<size_t> pending, PutRecordsResult& result) {
  bool call_failed = false;
  ErrorMap last_error;
  const std::string what = fmt::format("kinesis: PutRecords '{}'", stream);
  // Attempts in a row that settled no record; one that does (partial failures) starts
  // the count and the backoff again, so a batch ends after at most pending.size() such
  // attempts plus max_attempts that settle nothing.
  int stalled = 0;
  for (int attempt = 1;; ++attempt) {
    ++result.calls;
    CallFailure failure;
    try {
      HttpResponse r = http_->send(build_request(stream, records, pending));
      // The transport sent the call twice (a reused connection died): both may count.
      if (r.resent) result.possible_duplicates += pending.size();
      if (r.status == 200) {
        std::vector<size_t> again = sort_entries(r.body, pending, what, result, last_error);
        if (again.empty()) return true;
        call_failed = false;
        stalled = again.size() < pending.size() ? 0 : stalled + 1;
        log_.debugf("{}: {} of {} records failed, attempt {}", what, again.size(), pending.size(),
                    attempt);
        pending = std::move(again);
        if (stalled >= options_.retry.max_attempts) break;
        wait(stalled + 1);
        continue;
      }
      failure = classify(r, what);
    } catch (const NetworkError& e) {
      failure = {{"NetworkError", e.what()}, true};
    } catch (const Error& e) {  // a malformed answer, credentials that cannot be had
      failure = {{e.name(), e.what()},
                 false,
                 Refusal{e.what(), e.exit_code(), e.name(), std::current_exception()}};
    }
    if (failure.refusal) {
      // Records delivered by earlier attempts are counted; the rest are not delivered.
      for (size_t i : pending)
        result.failed.push_back(
            {i, failure.error.first, failure.error.second, FailureKind::kRefused});
      result.refusal = std::move(failure.refusal);
      return false;
    }
    for (size_t i : pending) last_error[i] = failure.error;
    call_failed = true;
    if (++stalled >= options_.retry.max_attempts) break;
    log_.debugf("{} attempt {} failed ({}), retrying", what, attempt, failure.error.first);
    if (failure.ambiguous) result.possible_duplicates += pending.size();
    wait(stalled);
  }
  for (size_t i : pending) result.failed.push_back({i, last_error[i].first, last_error[i].second});
  return !call_failed;
}

PutRecordsResult KinesisClient::put_records(const std::string& stream,
                                            std::span<const KinesisRecord> records) {
  PutRecordsResult result = try_put_records(stream, records);
  if (result.refusal) std::rethrow_exception(result.refusal->error);
  return result;
}

PutRecordsResult KinesisClient::try_put_records(const std::string& stream,
                                                std::span<const KinesisRecord> records) {
  check_records(records);
  PutRecordsResult result;
  result.records = records.size();
  auto batches = plan_batches(records);
  for (size_t b = 0; b < batches.size(); ++b) {
    if (send_batch(stream, records, batches[b], result)) continue;
    // The stream is unreachable or throttled past the retries: don't send the rest.
    result.stopped = true;
    for (size_t rest = b + 1; rest < batches.size(); ++rest)
      for (size_t i : batches[rest])
        result.failed.push_back({i, "NotSent", "not sent after an earlier batch failed",
                                 result.refusal ? FailureKind::kRefused : FailureKind::kTemporary});
    break;
  }
  std::sort(result.failed.begin(), result.failed.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  return result;
}

KinesisWriter::KinesisWriter(KinesisClient* client, std::string stream, OnFailed on_failed)
    : client_(client), stream_(std::move(stream)), on_failed_(std::move(on_failed)) {}

void KinesisWriter::add(KinesisRecord record, size_t tag, const std::string& where) {
  check_record(record, where);
  size_t bytes = record_bytes(record);
  if (batch_.size() == kKinesisMaxRecords || batch_bytes_ + bytes > kKinesisMaxCallBytes) flush();
  ++result_.records;
  if (result_.stopped) {
    FailedRecord why{result_.records - 1, "NotSent", "not sent after an earlier batch failed",
                     result_.refusal ? FailureKind::kRefused : FailureKind::kTemporary};
    ++failed_;
    on_failed_(record, tag, why);
    return;
  }
  batch_bytes_ += bytes;
  batch_.push_back(std::move(record));
  tags_.push_back(tag);
}

void KinesisWriter::flush() {
  if (batch_.empty()) return;
  ++batches_;
  if (client_) {
    const size_t first = result_.records - batch_.size();
    PutRecordsResult r = client_->try_put_records(stream_, batch_);
    result_.delivered += r.delivered;
    result_.calls += r.calls;
    result_.possible_duplicates += r.possible_duplicates;
    result_.stopped = result_.stopped || r.stopped;
    if (r.refusal && !result_.refusal) result_.refusal = std::move(r.refusal);
    for (FailedRecord f : r.failed) {
      size_t i = f.index;
      f.index += first;
      ++failed_;
      on_failed_(batch_[i], tags_[i], f);
    }
  }
  batch_.clear();
  tags_.clear();
  batch_bytes_ = 0;
}

std::unique_ptr<KinesisClient> make_kinesis_client(Logger& log) {
  EnvClientSetup setup = client_setup_from_env("kinesis", log);
  KinesisOptions o;
  o.region = setup.region;
  o.endpoint = setup.endpoint;
  return std::make_unique<KinesisClient>(
      std::move(o), std::move(setup.credentials),
      std::make_unique<LazyHttpClient>([] { return make_curl_http_client(); }), real_clock(), log);
}

}  // namespace lamtool::aws
