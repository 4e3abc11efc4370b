// The Kinesis client against the FakeHttpClient: request shape, batching limits,
// retry of only the failed entries, whole-call failures, error mapping.

#include "lamtool/aws/kinesis.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "fake_http_client.h"
#include "lamtool/encoding.h"
#include "lamtool/error.h"
#include "lamtool/jobs/kinesis.h"
#include "piped_stdin.h"
#include "temp_dir.h"

namespace lamtool::aws {
namespace {

using nlohmann::json;
using test::FakeHttpClient;
using test::header;

struct Harness {
  FakeHttpClient http;
  FixedClock clock{*parse_rfc3339("2015-08-30T12:36:00Z")};
  std::ostringstream sink;
  Logger log{Verbosity::kVerbose, sink};
  std::vector<std::chrono::milliseconds> sleeps;

  KinesisClient client() {
    KinesisOptions o{.region = "eu-west-1", .endpoint = "http://127.0.0.1:4567", .retry = {}};
    o.retry.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
    return KinesisClient(
        o,
        [] {
          return Credentials{"AKIDK", "KinesisSecret", "", "t"};
        },
        http.factory()(), clock, log);
  }
};

std::vector<KinesisRecord> records(size_t n) {
  std::vector<KinesisRecord> out;
  for (size_t i = 0; i < n; ++i) out.push_back({"r" + std::to_string(i), "k" + std::to_string(i)});
  return out;
}

std::string ok_answer(size_t n) {
  json j = {{"FailedRecordCount", 0}, {"Records", json::array()}};
  for (size_t i = 0; i < n; ++i)
    j["Records"].push_back({{"SequenceNumber", std::to_string(i)}, {"ShardId", "shardId-0"}});
  return j.dump();
}

json sent_records(const HttpRequest& r) { return json::parse(r.body)["Records"]; }

TEST(Kinesis, Base64MatchesRfc4648Vectors) {
  // RFC 4648 section 10 test vectors.
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Kinesis, PutRecordsRequestShape) {
  Harness h;
  h.http.push(200, ok_answer(2));
  std::vector<KinesisRecord> recs{{"foo", "p1"}, {"foobar", "p2"}};
  PutRecordsResult r = h.client().put_records("bike-predictions", recs);
  EXPECT_EQ(r.delivered, 2u);
  EXPECT_TRUE(r.failed.empty());
  auto reqs = h.http.requests();
  ASSERT_EQ(reqs.size(), 1u);
  const HttpRequest& q = reqs[0];
  EXPECT_EQ(q.method, "POST");
  EXPECT_EQ(q.url, "http://127.0.0.1:4567/");
  EXPECT_EQ(header(q, "X-Amz-Target"), "Kinesis_20131202.PutRecords");
  EXPECT_EQ(header(q, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(header(q, "Host"), "127.0.0.1:4567");
  EXPECT_FALSE(header(q, "x-amz-content-sha256"));  // S3 only
  EXPECT_TRUE(header(q, "Authorization")
                  ->starts_with("AWS4-HMAC-SHA256 Credential=AKIDK/20150830/eu-west-1/kinesis/"
                                "aws4_request, SignedHeaders=content-type;host;x-amz-date;"
                                "x-amz-target, Signature="));
  json body = json::parse(q.body);
  EXPECT_EQ(body["StreamName"], "bike-predictions");
  EXPECT_EQ(body["Records"][0]["Data"], "Zm9v");
  EXPECT_EQ(body["Records"][0]["PartitionKey"], "p1");
  EXPECT_EQ(body["Records"][1]["Data"], "Zm9vYmFy");
}

TEST(Kinesis, BatchesAtMost500Records) {
  auto recs = records(1201);
  auto batches = plan_batches(recs);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].size(), 500u);
  EXPECT_EQ(batches[1].size(), 500u);
  EXPECT_EQ(batches[2].size(), 201u);
  EXPECT_EQ(batches[2].front(), 1000u);
}

TEST(Kinesis, BatchesAtMostFiveMiB) {
  // Six records of exactly 1 MiB each (data + 1-byte key): five fill a 5 MiB call.
  std::vector<KinesisRecord> recs(6,
                                  KinesisRecord{std::string(kKinesisMaxRecordBytes - 1, 'x'), "k"});
  auto batches = plan_batches(recs);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].size(), 5u);
  EXPECT_EQ(batches[1].size(), 1u);
  Harness h;
  h.http.push(200, ok_answer(5));
  h.http.push(200, ok_answer(1));
  EXPECT_EQ(h.client().put_records("s", recs).delivered, 6u);
  EXPECT_EQ(h.http.request_count(), 2u);
}

TEST(Kinesis, BadRecordsAreDataErrorsBeforeAnySend) {
  Harness h;
  std::vector<KinesisRecord> big{{"a", "k"}, {std::string(kKinesisMaxRecordBytes, 'x'), "k"}};
  try {
    h.client().put_records("s", big);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("record 2 is 1048577 bytes"), std::string::npos)
        << e.what();
  }
  std::vector<KinesisRecord> nokey{{"a", ""}};
  EXPECT_THROW(h.client().put_records("s", nokey), DataError);
  std::string euros;
  for (int i = 0; i < 256; ++i) euros += "\xE2\x82\xAC";  // 256 characters, 768 bytes
  std::vector<KinesisRecord> ok{{"a", euros}};
  std::vector<KinesisRecord> too_long{{"a", euros + "x"}};
  EXPECT_THROW(h.client().put_records("s", too_long), DataError);
  EXPECT_EQ(h.http.request_count(), 0u);
  h.http.push(200, ok_answer(1));
  EXPECT_EQ(h.client().put_records("s", ok).delivered, 1u);
}

TEST(Kinesis, RetriesOnlyTheFailedEntries) {
  Harness h;
  json first = {{"FailedRecordCount", 2},
                {"Records",
                 {{{"SequenceNumber", "1"}, {"ShardId", "s"}},
                  {{"ErrorCode", "ProvisionedThroughputExceededException"},
                   {"ErrorMessage", "Rate exceeded for shard"}},
                  {{"ErrorCode", "KMSAccessDeniedException"}, {"ErrorMessage", "no key"}},
                  {{"ErrorCode", "InternalFailure"}, {"ErrorMessage", "oops"}}}}};
  h.http.push(200, first.dump());
  h.http.push(200, ok_answer(2));
  PutRecordsResult r = h.client().put_records("s", records(4));
  auto reqs = h.http.requests();
  ASSERT_EQ(reqs.size(), 2u);
  json again = sent_records(reqs[1]);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0]["Data"], base64_encode("r1"));
  EXPECT_EQ(again[1]["Data"], base64_encode("r3"));
  EXPECT_EQ(r.delivered, 3u);
  ASSERT_EQ(r.failed.size(), 1u);  // KMS errors are not retried
  EXPECT_EQ(r.failed[0].index, 2u);
  EXPECT_EQ(r.failed[0].error_code, "KMSAccessDeniedException");
  EXPECT_EQ(r.calls, 2);
  EXPECT_EQ(r.possible_duplicates, 0u);
  EXPECT_EQ(h.sleeps.size(), 1u);
}

TEST(Kinesis, EntriesStillFailingAfterRetriesAreListed) {
  Harness h;
  json fail = {{"FailedRecordCount", 1},
               {"Records",
                {{{"ErrorCode", "ProvisionedThroughputExceededException"},
                  {"ErrorMessage", "Rate exceeded"}}}}};
  json mixed = {{"FailedRecordCount", 1},
                {"Records", {{{"SequenceNumber", "1"}}, fail["Records"][0]}}};
  h.http.push(200, mixed.dump());
  // The first call delivered a record, so the last one gets five attempts of its own.
  for (int i = 0; i < 5; ++i) h.http.push(200, fail.dump());
  PutRecordsResult r = h.client().put_records("s", records(2));
  EXPECT_EQ(r.calls, 6);
  EXPECT_EQ(r.delivered, 1u);
  ASSERT_EQ(r.failed.size(), 1u);
  EXPECT_EQ(r.failed[0].index, 1u);
  EXPECT_EQ(r.failed[0].error_code, "ProvisionedThroughputExceededException");
  EXPECT_EQ(r.failed[0].error_message, "Rate exceeded");
  EXPECT_EQ(h.sleeps.size(), 5u);
}

// Partial failures that keep delivering part of the batch never exhaust the attempts
// (issue 3: nothing lost while the stream makes progress); the backoff restarts after
// each attempt that delivered something.
TEST(Kinesis, AttemptsThatDeliverSomeRecordsDoNotCountAgainstTheBatch) {
  Harness h;
  const size_t n = 8;
  // Each answer delivers the first pending entry and fails the others, so the batch
  // needs eight calls, more than max_attempts (5).
  h.http.set_handler([](const HttpRequest& request) {
    size_t pending = json::parse(request.body)["Records"].size();
    json answer = {{"FailedRecordCount", pending - 1}, {"Records", {{{"SequenceNumber", "1"}}}}};
    for (size_t k = 1; k < pending; ++k)
      answer["Records"].push_back({{"ErrorCode", "ProvisionedThroughputExceededException"}});
    return HttpResponse{200, {}, answer.dump()};
  });
  PutRecordsResult r = h.client().put_records("s", records(n));
  EXPECT_EQ(r.delivered, n);
  EXPECT_TRUE(r.failed.empty());
  EXPECT_EQ(r.calls, 8);
  ASSERT_EQ(h.sleeps.size(), 7u);
  for (auto d : h.sleeps) EXPECT_LE(d, std::chrono::milliseconds(100));  // first backoff step
}

TEST(Kinesis, WholeCallThrottlingIsRetried) {
  Harness h;
  h.http.push(400, R"({"__type":"ProvisionedThroughputExceededException","message":"slow"})");
  h.http.push(400, R"({"__type":"LimitExceededException","message":"slow"})");
  h.http.push(200, ok_answer(3));
  PutRecordsResult r = h.client().put_records("s", records(3));
  EXPECT_EQ(r.delivered, 3u);
  EXPECT_EQ(r.calls, 3);
  EXPECT_EQ(r.possible_duplicates, 0u);  // a throttled call wrote nothing
}

TEST(Kinesis, ACallTheTransportResentMayDuplicate) {
  Harness h;
  h.http.set_handler([](const HttpRequest&) {
    HttpResponse r{200, {}, ok_answer(3)};
    r.resent = true;  // libcurl sent it twice after a reused connection died
    return r;
  });
  PutRecordsResult r = h.client().put_records("s", records(3));
  EXPECT_EQ(r.delivered, 3u);
  EXPECT_EQ(r.calls, 1);
  EXPECT_EQ(r.possible_duplicates, 3u);
}

TEST(Kinesis, ServerErrorAndResetMayDuplicate) {
  Harness h;
  h.http.push(500, R"({"__type":"InternalFailure"})");
  h.http.push_network_error();
  h.http.push(200, ok_answer(3));
  PutRecordsResult r = h.client().put_records("s", records(3));
  EXPECT_EQ(r.delivered, 3u);
  EXPECT_EQ(r.possible_duplicates, 6u);  // three records re-sent twice
}

TEST(Kinesis, UnreachableStreamFailsEveryRecordAndStops) {
  Harness h;
  for (int i = 0; i < 5; ++i) h.http.push_network_error("connection refused");
  PutRecordsResult r = h.client().put_records("s", records(700));
  EXPECT_EQ(h.http.request_count(), 5u);  // the second batch is not tried
  EXPECT_EQ(r.delivered, 0u);
  ASSERT_EQ(r.failed.size(), 700u);
  EXPECT_EQ(r.failed[0].error_code, "NetworkError");
  EXPECT_EQ(r.failed[699].error_code, "NotSent");
  EXPECT_EQ(r.failed[699].index, 699u);
}

TEST(Kinesis, MissingStreamIsServiceError) {
  Harness h;
  h.http.push(
      400,
      R"({"__type":"ResourceNotFoundException","message":"Stream s under account 0 not found."})");
  try {
    h.client().put_records("s", records(1));
    FAIL();
  } catch (const ServiceError& e) {
    EXPECT_EQ(e.exit_code(), 69);
    EXPECT_STREQ(e.what(),
                 "kinesis: PutRecords 's' failed: 400 ResourceNotFoundException: "
                 "Stream s under account 0 not found.");
  }
  EXPECT_EQ(h.http.request_count(), 1u);
}

// Kinesis explains a bad signature with the canonical request and string to sign on
// further lines (hashes included): the error stays one line.
TEST(Kinesis, ErrorMessageKeepsItsFirstLineOnly) {
  Harness h;
  h.http.push(400, json{{"__type", "InvalidSignatureException"},
                        {"message",
                         "The request signature we calculated does not match the signature "
                         "you provided.\n\nThe Canonical String for this request should have "
                         "been\n'POST\n/\n\nhost:k\n\nhost\n"
                         "6ec64dbc713cef8b24ca13c62d09237618fc5b0af88c272e18962baa9f2c1e68'"}}
                       .dump());
  try {
    h.client().put_records("s", records(1));
    FAIL() << "no exception";
  } catch (const AuthError& e) {
    EXPECT_STREQ(e.what(),
                 "kinesis: PutRecords 's' failed: 400 InvalidSignatureException: The request "
                 "signature we calculated does not match the signature you provided.");
  }
}

TEST(Kinesis, BadCredentialsAreAuthErrors) {
  for (const char* type :
       {"UnrecognizedClientException", "com.amazon.coral.service#InvalidSignatureException"}) {
    Harness h;
    h.http.push(400, json{{"__type", type}, {"message", "bad"}}.dump());
    EXPECT_THROW(h.client().put_records("s", records(1)), AuthError) << type;
    EXPECT_EQ(h.http.request_count(), 1u);
  }
  Harness h;
  h.http.push(403, "", {{"x-amzn-ErrorType", "AccessDeniedException:http://internal/"}});
  EXPECT_THROW(h.client().put_records("s", records(1)), AuthError);
}

// Issue 13: a refusal part-way (the stream deleted after the first batch) is kept, not
// thrown, by try_put_records: the first batch counts as delivered, every later record as
// refused, and put_records() throws the refusal itself, of its class.
TEST(Kinesis, RefusalPartWayKeepsTrackOfEveryRecord) {
  Harness h;
  const std::string gone =
      R"({"__type":"ResourceNotFoundException","message":"Stream s under account 0 not found."})";
  h.http.push(200, ok_answer(500));
  h.http.push(400, gone);
  PutRecordsResult r = h.client().try_put_records("s", records(1200));
  EXPECT_EQ(h.http.request_count(), 2u);  // the third batch is not sent
  EXPECT_EQ(r.delivered, 500u);
  ASSERT_EQ(r.failed.size(), 700u);
  EXPECT_EQ(r.failed[0].index, 500u);
  EXPECT_EQ(r.failed[0].error_code, "ResourceNotFoundException");
  EXPECT_EQ(r.failed[699].error_code, "NotSent");
  for (const FailedRecord& f : r.failed) EXPECT_EQ(f.kind, FailureKind::kRefused);
  ASSERT_TRUE(r.refusal);
  EXPECT_EQ(r.refusal->exit_code, 69);
  h.http.push(200, ok_answer(500));
  h.http.push(400, gone);
  EXPECT_THROW(h.client().put_records("s", records(1200)), ServiceError);
}

// An entry refused with a code that is not retried is kRejected (65), not temporary.
TEST(Kinesis, EntriesRefusedForGoodAreRejected) {
  Harness h;
  json answer = {{"FailedRecordCount", 1},
                 {"Records",
                  {{{"SequenceNumber", "1"}},
                   {{"ErrorCode", "InvalidArgumentException"}, {"ErrorMessage", "no"}}}}};
  h.http.push(200, answer.dump());
  PutRecordsResult r = h.client().put_records("s", records(2));
  EXPECT_EQ(h.http.request_count(), 1u);
  EXPECT_EQ(r.delivered, 1u);
  ASSERT_EQ(r.failed.size(), 1u);
  EXPECT_EQ(r.failed[0].kind, FailureKind::kRejected);
  EXPECT_FALSE(r.refusal);
}

TEST(Kinesis, VerboseLogsCarryNoSecret) {
  Harness h;
  h.http.push(400, R"({"__type":"ProvisionedThroughputExceededException"})");
  h.http.push(200, ok_answer(1));
  h.client().put_records("s", records(1));
  EXPECT_NE(h.sink.str().find("retrying"), std::string::npos);
  EXPECT_EQ(h.sink.str().find("KinesisSecret"), std::string::npos);
}

TEST(KinesisJob, OneRecordPerLineWithKeys) {
  namespace put = jobs::kinesis_put;
  // Designated initializers: GCC 12 warns of maybe-uninitialized optionals otherwise.
  const put::Options args{.stream = "s",
                          .partition_key = {},
                          .partition_key_field = "pred_id",
                          .in = "-",
                          .failed_out = {}};
  auto a = put::make_record("{\"pred_id\":\"a\"}", "'in.jsonl' line 1", args);
  EXPECT_EQ(a.data, "{\"pred_id\":\"a\"}");
  EXPECT_EQ(a.partition_key, "a");
  EXPECT_EQ(put::make_record("{\"pred_id\":7}", "'in.jsonl' line 3", args).partition_key, "7");
  try {
    put::make_record("{}", "'in.jsonl' line 1", args);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(), "'in.jsonl' line 1: no field 'pred_id' for the partition key");
  }
  const put::Options plain{
      .stream = "s", .partition_key = {}, .partition_key_field = {}, .in = "-", .failed_out = {}};
  // SHA-256("abc") from FIPS 180-2, first 32 hex digits.
  EXPECT_EQ(put::make_record("abc", "stdin line 1", plain).partition_key,
            "ba7816bf8f01cfea414140de5dae2223");
  const put::Options fixed{
      .stream = "s", .partition_key = "k", .partition_key_field = {}, .in = "-", .failed_out = {}};
  EXPECT_EQ(put::make_record("abc", "stdin line 1", fixed).partition_key, "k");
}

TEST(KinesisJob, BlankAndCrLfLinesAreSkippedAndNumbered) {
  Harness h;
  std::vector<std::string> keys;
  h.http.set_handler([&](const HttpRequest& r) {
    json body = json::parse(r.body);
    for (const auto& rec : body["Records"]) keys.push_back(rec["PartitionKey"]);
    return HttpResponse{200, {}, ok_answer(body["Records"].size())};
  });
  test::TempDir dir;
  test::spit(dir / "in.jsonl", "{\"pred_id\":\"a\"}\r\n\n{\"pred_id\":7}\n");
  KinesisClient client = h.client();
  Context ctx{h.log, h.clock};
  ctx.kinesis = [&]() -> KinesisClient& { return client; };
  jobs::kinesis_put::Options args;
  args.stream = "preds";
  args.partition_key_field = "pred_id";
  args.in = dir / "in.jsonl";
  Manifest m = jobs::kinesis_put::run(ctx, args);
  EXPECT_EQ(m.json()["records"], 2);
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "7"}));
}

TEST(KinesisJob, UndeliveredRecordsGoToFailedOutAndExit75) {
  Harness h;
  test::TempDir dir;
  test::spit(dir / "in.txt", "one\ntwo\nthree\n");
  json fail = {{"FailedRecordCount", 1},
               {"Records",
                {{{"SequenceNumber", "1"}},
                 {{"ErrorCode", "InternalFailure"}, {"ErrorMessage", "x"}},
                 {{"SequenceNumber", "3"}}}}};
  json still = {{"FailedRecordCount", 1},
                {"Records", {{{"ErrorCode", "InternalFailure"}, {"ErrorMessage", "x"}}}}};
  h.http.push(200, fail.dump());
  for (int i = 0; i < 5; ++i) h.http.push(200, still.dump());
  KinesisClient client = h.client();
  Context ctx{h.log, h.clock};
  ctx.kinesis = [&]() -> KinesisClient& { return client; };
  jobs::kinesis_put::Options args;
  args.stream = "kinesis://preds";
  args.partition_key = "k";
  args.in = dir / "in.txt";
  args.failed_out = dir / "failed.txt";
  Manifest o = jobs::kinesis_put::run(ctx, args);
  EXPECT_EQ(o.exit_code(), 75);
  EXPECT_EQ(test::slurp(dir / "failed.txt"), "two\n");
  const json& m = o.json();
  EXPECT_EQ(m["records"], 3);
  EXPECT_EQ(m["delivered"], 2);
  EXPECT_EQ(m["failed"][0]["line"], 2);
  EXPECT_EQ(m["failed"][0]["error_code"], "InternalFailure");
  EXPECT_EQ(m["calls"], 6);
}

TEST(KinesisJob, DryRunSendsNothing) {
  Harness h;
  test::TempDir dir;
  test::spit(dir / "in.txt", "a\nb\n");
  Context ctx{h.log, h.clock};
  ctx.dry_run = true;
  jobs::kinesis_put::Options args;
  args.stream = "preds";
  args.in = dir / "in.txt";
  Manifest o = jobs::kinesis_put::run(ctx, args);
  EXPECT_EQ(o.exit_code(), 0);
  EXPECT_EQ(o.json()["records"], 2);
  EXPECT_EQ(h.http.request_count(), 0u);
}

// Batches go out while stdin is still open: the writer waits, bounded, until a full
// batch has been sent before it writes the rest; then a pause in the input sends the
// short batch queued so far without waiting for more.
TEST(KinesisJob, SendsBatchesWhileStdinIsStillOpen) {
  Harness h;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<size_t> batch_sizes;
  h.http.set_handler([&](const HttpRequest& r) {
    size_t n = json::parse(r.body)["Records"].size();
    {
      std::lock_guard lock(mu);
      batch_sizes.push_back(n);
    }
    cv.notify_all();
    return HttpResponse{200, {}, ok_answer(n)};
  });
  std::string first;
  for (int i = 0; i < 503; ++i) first += fmt::format("{{\"pred_id\":{}}}\n", i);
  bool waited_ok[2] = {false, false};
  test::PipedStdin piped({first, "{\"pred_id\":503}\n"}, [&](size_t chunk) {
    std::unique_lock lock(mu);
    // 503 lines: one full batch of 500 is sent, then the 3 queued when the pipe pauses.
    waited_ok[chunk - 1] =
        cv.wait_for(lock, std::chrono::seconds(20), [&] { return batch_sizes.size() >= 2; });
  });
  KinesisClient client = h.client();
  Context ctx{h.log, h.clock};
  ctx.kinesis = [&]() -> KinesisClient& { return client; };
  jobs::kinesis_put::Options args;
  args.stream = "preds";
  args.partition_key_field = "pred_id";
  Manifest o = jobs::kinesis_put::run(ctx, args);
  EXPECT_TRUE(waited_ok[0]) << "no batch sent while stdin was open";
  // {500, 3, 1} unless the kernel hands the first chunk over in two reads.
  ASSERT_GE(batch_sizes.size(), 3u);
  EXPECT_EQ(batch_sizes.back(), 1u);  // the line written after the pause
  EXPECT_EQ(std::accumulate(batch_sizes.begin(), batch_sizes.end(), size_t{0}), 504u);
  EXPECT_EQ(o.exit_code(), 0);
  EXPECT_EQ(o.json()["records"], 504);
  EXPECT_EQ(o.json()["delivered"], 504);
}

// A bad line after batches went out stops the command naming its line, and says what
// was already delivered.
TEST(KinesisJob, BadLineAfterSentBatchesNamesItsLine) {
  Harness h;
  h.http.set_handler([](const HttpRequest& r) {
    return HttpResponse{200, {}, ok_answer(json::parse(r.body)["Records"].size())};
  });
  test::TempDir dir;
  std::string text;
  for (int i = 0; i < 700; ++i) text += fmt::format("{{\"pred_id\":{}}}\n", i);
  text += "{\"other\":1}\n";
  test::spit(dir / "in.jsonl", text);
  KinesisClient client = h.client();
  Context ctx{h.log, h.clock};
  ctx.kinesis = [&]() -> KinesisClient& { return client; };
  jobs::kinesis_put::Options args;
  args.stream = "preds";
  args.partition_key_field = "pred_id";
  args.in = dir / "in.jsonl";
  try {
    jobs::kinesis_put::run(ctx, args);
    FAIL() << "no exception";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()),
              "'" + dir / "in.jsonl" + "' line 701: no field 'pred_id' for the partition key");
  }
  EXPECT_NE(h.sink.str().find("500 records before the bad one were already delivered"),
            std::string::npos)
      << h.sink.str();
}

}  // namespace
}  // namespace lamtool::aws
