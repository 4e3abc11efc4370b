// The S3 client against the FakeHttpClient: request shapes, addressing, signing,
// error mapping, retries, multipart, content types.

#include "lamtool/aws/s3.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <sstream>

#include "fake_http_client.h"
#include "lamtool/content_type.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/jobs/s3.h"
#include "lamtool/stream.h"
#include "piped_stdin.h"
#include "temp_dir.h"

namespace lamtool::aws {
namespace {

using test::FakeHttpClient;
using test::header;

const Credentials kCreds{"AKIDTEST", "SecretKeyForTests", "SessionTokenForTests", "test"};

struct Harness {
  FakeHttpClient http;
  std::atomic<int> clients{0};
  FixedClock clock{*parse_rfc3339("2013-05-24T00:00:00Z")};
  std::ostringstream sink;
  Logger log{Verbosity::kVerbose, sink};
  std::vector<std::chrono::milliseconds> sleeps;
  std::mutex sleeps_mu;

  std::unique_ptr<S3Client> client(S3Options o) {
    o.retry.sleep = [this](std::chrono::milliseconds d) {
      std::lock_guard lock(sleeps_mu);
      sleeps.push_back(d);
    };
    auto factory = http.factory();
    return std::make_unique<S3Client>(
        std::move(o), [] { return kCreds; },
        [this, factory] {
          ++clients;
          return factory();
        },
        clock, log);
  }
  std::unique_ptr<S3Client> aws() { return client(S3Options{.region = "eu-west-1"}); }
  std::unique_ptr<S3Client> local() {
    return client(S3Options{.region = "us-east-1", .endpoint = "http://127.0.0.1:4569"});
  }
};

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);

TEST(S3, PutOnAwsIsVirtualHostedAndSigned) {
  Harness h;
  h.http.push(200, "", {{"ETag", "\"abc\""}});
  PutResult r = h.aws()->put("my-bucket", "dir/a+b c\xC3\xBC.png", kPng,
                             PutOptions{"", "max-age=60", {{"game", "2024020003"}}});
  EXPECT_EQ(r.etag, "\"abc\"");
  EXPECT_EQ(r.content_type, "image/png");
  auto reqs = h.http.requests();
  ASSERT_EQ(reqs.size(), 1u);
  const HttpRequest& q = reqs[0];
  EXPECT_EQ(q.method, "PUT");
  EXPECT_EQ(q.url, "https://my-bucket.s3.eu-west-1.amazonaws.com/dir/a%2Bb%20c%C3%BC.png");
  EXPECT_EQ(q.body, kPng);
  EXPECT_EQ(header(q, "Host"), "my-bucket.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(header(q, "Content-Type"), "image/png");
  EXPECT_EQ(header(q, "Cache-Control"), "max-age=60");
  EXPECT_EQ(header(q, "x-amz-meta-game"), "2024020003");
  EXPECT_EQ(header(q, "x-amz-content-sha256"), sha256_hex(kPng));
  EXPECT_EQ(header(q, "X-Amz-Date"), "20130524T000000Z");
  EXPECT_EQ(header(q, "X-Amz-Security-Token"), "SessionTokenForTests");
  auto auth = header(q, "Authorization");
  ASSERT_TRUE(auth);
  EXPECT_TRUE(auth->starts_with(
      "AWS4-HMAC-SHA256 Credential=AKIDTEST/20130524/eu-west-1/s3/aws4_request, SignedHeaders="
      "cache-control;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-meta-game;"
      "x-amz-security-token, Signature="))
      << *auth;
}

TEST(S3, SignatureMatchesAnIndependentCanonicalRequest) {
  // The canonical request for a PUT of "hi" to path-style 127.0.0.1, written by hand
  // from the SigV4 rules: S3 path signed as sent (already encoded once).
  Harness h;
  h.http.push(200);
  h.local()->put("bkt", "a b+c", "hi", PutOptions{"text/plain", "", {}});
  const HttpRequest q = h.http.requests()[0];
  EXPECT_EQ(q.url, "http://127.0.0.1:4569/bkt/a%20b%2Bc");
  std::string hash = sha256_hex("hi");
  std::string creq =
      "PUT\n/bkt/a%20b%2Bc\n\ncontent-type:text/plain\nhost:127.0.0.1:4569\n"
      "x-amz-content-sha256:" +
      hash +
      "\nx-amz-date:20130524T000000Z\n"
      "x-amz-security-token:SessionTokenForTests\n\n"
      "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token\n" +
      hash;
  Seconds t = *parse_rfc3339("2013-05-24T00:00:00Z");
  std::string sts = string_to_sign(t, credential_scope(t, "us-east-1", "s3"), creq);
  std::string sig = signature(signing_key("SecretKeyForTests", t, "us-east-1", "s3"), sts);
  EXPECT_NE(header(q, "Authorization")->find("Signature=" + sig), std::string::npos);
}

TEST(S3, DottedBucketAndForcedPathStyleUsePathStyleOnAws) {
  Harness h;
  auto c = h.aws();
  EXPECT_EQ(c->object_url("my.bucket", "k"), "https://s3.eu-west-1.amazonaws.com/my.bucket/k");
  auto p = h.client(S3Options{.region = "us-east-1", .path_style = true});
  EXPECT_EQ(p->object_url("b-1", "x/y"), "https://s3.us-east-1.amazonaws.com/b-1/x/y");
}

TEST(S3, ErrorXmlMapsToErrorClasses) {
  const char* denied =
      "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
      "</Error>";
  {
    Harness h;
    h.http.push(403, denied);
    try {
      h.local()->put("b", "k", "x", {});
      FAIL();
    } catch (const AuthError& e) {
      EXPECT_STREQ(e.what(), "s3: PutObject 'b/k' failed: 403 AccessDenied: Access Denied");
      EXPECT_EQ(e.exit_code(), 77);
    }
    EXPECT_EQ(h.http.request_count(), 1u);  // never retried
  }
  struct Case {
    long status;
    const char* code;
    int exit;
  };
  for (Case c : {Case{403, "SignatureDoesNotMatch", 77}, Case{403, "InvalidAccessKeyId", 77},
                 Case{404, "NoSuchBucket", 69}, Case{404, "NoSuchKey", 69},
                 Case{400, "InvalidArgument", 69}, Case{409, "BucketAlreadyExists", 69}}) {
    SCOPED_TRACE(c.code);
    Harness h;
    h.http.push(c.status,
                fmt::format("<Error><Code>{}</Code><Message>m &amp; n</Message></Error>", c.code));
    try {
      h.local()->get_object("b", "k");
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.exit_code(), c.exit);
      EXPECT_EQ(std::string(e.what()),
                fmt::format("s3: GetObject 'b/k' failed: {} {}: m & n", c.status, c.code));
    }
  }
}

TEST(S3, ServerErrorsAreRetriedThenNetworkError) {
  Harness h;
  for (int i = 0; i < 5; ++i) h.http.push(503, "<Error><Code>SlowDown</Code></Error>");
  try {
    h.local()->put("b", "k", "x", {});
    FAIL();
  } catch (const NetworkError& e) {
    EXPECT_EQ(e.exit_code(), 75);
    EXPECT_STREQ(e.what(), "s3: PutObject 'b/k' failed: 503 SlowDown");
  }
  EXPECT_EQ(h.http.request_count(), 5u);  // RetryPolicy default: 5 attempts
  EXPECT_EQ(h.sleeps.size(), 4u);
}

TEST(S3, ResetThenSuccessSucceeds) {
  Harness h;
  h.http.push_network_error();
  h.http.push(500, "<Error><Code>InternalError</Code></Error>");
  h.http.push(200, "", {{"ETag", "\"e\""}});
  EXPECT_EQ(h.local()->put("b", "k", "x", {}).etag, "\"e\"");
  EXPECT_EQ(h.http.request_count(), 3u);
}

TEST(S3, GetHeadAndPresign) {
  Harness h;
  h.http.push(200, "body", {{"Content-Type", "text/csv"}, {"ETag", "\"1\""}});
  h.http.push(200, "", {{"Content-Length", "4"}, {"X-Amz-Meta-Game", "7"}, {"ETag", "\"1\""}});
  h.http.push(404);
  auto c = h.local();
  GetResult g = c->get_object("b", "d/k.csv");
  EXPECT_EQ(g.body, "body");
  EXPECT_EQ(g.content_type, "text/csv");
  auto head = c->head("b", "d/k.csv");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->size, 4u);
  EXPECT_EQ(head->metadata["Game"], "7");
  EXPECT_FALSE(c->head("b", "missing"));
  auto reqs = h.http.requests();
  EXPECT_EQ(reqs[0].method, "GET");
  EXPECT_EQ(reqs[1].method, "HEAD");
  EXPECT_EQ(reqs[0].url, "http://127.0.0.1:4569/b/d/k.csv");
  std::string url = c->presign_get("b", "a b", 3600);
  EXPECT_TRUE(
      url.starts_with("http://127.0.0.1:4569/b/a%20b?X-Amz-Algorithm=AWS4-HMAC-SHA256&"
                      "X-Amz-Credential=AKIDTEST%2F20130524%2Fus-east-1%2Fs3%2F"
                      "aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=3600&"
                      "X-Amz-Security-Token=SessionTokenForTests&"
                      "X-Amz-SignedHeaders=host&X-Amz-Signature="))
      << url;
}

// A scripted S3 for multipart: CreateMultipartUpload, UploadPart, Complete, Abort.
struct MultipartServer {
  std::atomic<int> parts_seen{0};
  long fail_part = 0;  // answer this part number with 403
  HttpResponse operator()(const HttpRequest& r) {
    if (r.method == "POST" && r.url.ends_with("?uploads"))
      return {200,
              {},
              "<InitiateMultipartUploadResult><UploadId>id+/=</UploadId>"
              "</InitiateMultipartUploadResult>"};
    size_t pn = r.url.find("partNumber=");
    if (r.method == "PUT" && pn != std::string::npos) {
      long n = std::stol(r.url.substr(pn + 11));
      ++parts_seen;
      if (n == fail_part) return {403, {}, "<Error><Code>AccessDenied</Code></Error>"};
      return {200, {{"ETag", fmt::format("\"etag{}\"", n)}}, ""};
    }
    if (r.method == "POST")
      return {200,
              {},
              "<CompleteMultipartUploadResult><ETag>\"all-3\"</ETag>"
              "</CompleteMultipartUploadResult>"};
    if (r.method == "DELETE") return {204, {}, ""};
    return {400, {}, "<Error><Code>Unexpected</Code></Error>"};
  }
};

S3Options multipart_options() {
  return S3Options{.region = "us-east-1",
                   .endpoint = "http://127.0.0.1:4569",
                   .multipart_threshold = 5 * kMiB,
                   .part_size = 5 * kMiB,
                   .upload_threads = 3};
}

TEST(S3, MultipartUploadsPartsInParallelAndCompletesInOrder) {
  Harness h;
  auto server = std::make_shared<MultipartServer>();
  h.http.set_handler([server](const HttpRequest& r) { return (*server)(r); });
  std::string bytes(11 * kMiB, '\0');  // binary: octet-stream
  bytes[5 * kMiB] = 'b';
  bytes[10 * kMiB] = 'c';
  PutResult r = h.client(multipart_options())->put("b", "big.bin", bytes, {});
  EXPECT_EQ(r.parts, 3);  // 5 + 5 + 1 MiB
  EXPECT_EQ(r.etag, "\"all-3\"");
  auto reqs = h.http.requests();
  ASSERT_EQ(reqs.size(), 5u);
  EXPECT_EQ(reqs.front().url, "http://127.0.0.1:4569/b/big.bin?uploads");
  EXPECT_EQ(header(reqs.front(), "Content-Type"), "application/octet-stream");
  std::map<std::string, size_t> part_sizes;
  for (const auto& q : reqs) {
    if (q.method != "PUT") continue;
    EXPECT_NE(q.url.find("&uploadId=id%2B%2F%3D"), std::string::npos) << q.url;
    std::string body = body_bytes(q);
    EXPECT_EQ(header(q, "x-amz-content-sha256"), sha256_hex(body));
    part_sizes[q.url.substr(q.url.find("partNumber="), 12)] = body.size();
    if (q.url.find("partNumber=2&") != std::string::npos) {
      EXPECT_EQ(body[0], 'b');
    }
    if (q.url.find("partNumber=3&") != std::string::npos) {
      EXPECT_EQ(body[0], 'c');
    }
  }
  EXPECT_EQ(part_sizes["partNumber=1"], 5 * kMiB);
  EXPECT_EQ(part_sizes["partNumber=2"], 5 * kMiB);
  EXPECT_EQ(part_sizes["partNumber=3"], 1 * kMiB);
  const HttpRequest& done = reqs.back();
  EXPECT_EQ(done.method, "POST");
  EXPECT_EQ(done.url, "http://127.0.0.1:4569/b/big.bin?uploadId=id%2B%2F%3D");
  EXPECT_EQ(done.body,
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"etag1\"</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>\"etag2\"</ETag></Part>"
            "<Part><PartNumber>3</PartNumber><ETag>\"etag3\"</ETag></Part>"
            "</CompleteMultipartUpload>");
  // One client for the main thread, one per upload thread.
  EXPECT_EQ(h.clients.load(), 1 + 3);
}

TEST(S3, MultipartFromAFileReadsEachPartAsItIsSentAndAgainOnRetry) {
  Harness h;
  test::TempDir dir;
  std::string bytes(11 * kMiB, 'a');
  bytes[5 * kMiB] = 'b';
  bytes[10 * kMiB] = 'c';
  test::spit(dir / "big.bin", bytes);
  auto server = std::make_shared<MultipartServer>();
  std::atomic<bool> reset_once{true};
  h.http.set_handler([server, &reset_once](const HttpRequest& r) {
    // The connection resets on part 2 once, after libcurl would have read it.
    if (r.url.find("partNumber=2&") != std::string::npos && reset_once.exchange(false)) {
      body_bytes(r);
      throw NetworkError("connection reset by peer");
    }
    return (*server)(r);
  });
  InputStream in = InputStream::open(dir / "big.bin");
  std::vector<size_t> progress;
  std::mutex mu;
  PutOptions o;
  o.on_progress = [&](size_t done) {
    std::lock_guard lock(mu);
    progress.push_back(done);
  };
  PutResult r = h.client(multipart_options())->put("b", "big.bin", in, o);
  EXPECT_EQ(r.parts, 3);
  EXPECT_EQ(r.bytes, 11 * kMiB);
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  std::map<std::string, std::vector<std::string>> sent;
  for (const auto& q : h.http.requests()) {
    if (q.method != "PUT") continue;
    // Not copied into the request: read from the file by the transport.
    EXPECT_TRUE(q.body.empty());
    ASSERT_TRUE(q.body_source);
    std::string body = body_bytes(q);
    EXPECT_EQ(header(q, "x-amz-content-sha256"), sha256_hex(body));
    sent[q.url.substr(q.url.find("partNumber="), 12)].push_back(body);
  }
  ASSERT_EQ(sent["partNumber=2"].size(), 2u);  // the retry sent the same bytes again
  EXPECT_EQ(sent["partNumber=2"][0], sent["partNumber=2"][1]);
  EXPECT_EQ(sent["partNumber=1"][0], bytes.substr(0, 5 * kMiB));
  EXPECT_EQ(sent["partNumber=2"][1], bytes.substr(5 * kMiB, 5 * kMiB));
  EXPECT_EQ(sent["partNumber=3"][0], bytes.substr(10 * kMiB));
  ASSERT_EQ(progress.size(), 3u);
  EXPECT_EQ(progress.back(), 11 * kMiB);
}

TEST(S3, MultipartFromAPipeSendsFullPartsInOrder) {
  Harness h;
  std::string bytes(12 * kMiB, 'x');
  bytes[10 * kMiB] = 'c';
  auto server = std::make_shared<MultipartServer>();
  h.http.set_handler([server](const HttpRequest& r) { return (*server)(r); });
  test::PipedStdin piped(bytes);
  InputStream in = InputStream::open("-");
  ASSERT_FALSE(in.seekable());
  PutResult r = h.client(multipart_options())->put("b", "big.txt", in, {});
  EXPECT_EQ(r.parts, 3);
  EXPECT_EQ(r.bytes, 12 * kMiB);
  std::map<std::string, std::string> sent;
  for (const auto& q : h.http.requests())
    if (q.method == "PUT") sent[q.url.substr(q.url.find("partNumber="), 12)] = body_bytes(q);
  EXPECT_EQ(sent["partNumber=1"], bytes.substr(0, 5 * kMiB));
  EXPECT_EQ(sent["partNumber=2"], bytes.substr(5 * kMiB, 5 * kMiB));
  EXPECT_EQ(sent["partNumber=3"], bytes.substr(10 * kMiB));
}

TEST(S3, SmallPipeIsOnePutObject) {
  Harness h;
  h.http.push(200);
  test::PipedStdin piped("a,b\n1,2\n");
  InputStream in = InputStream::open("-");
  PutResult r = h.local()->put("b", "t", in, {});
  EXPECT_EQ(r.parts, 0);
  EXPECT_EQ(r.content_type, "text/csv");
  EXPECT_EQ(h.http.requests()[0].body, "a,b\n1,2\n");
}

TEST(S3, SkewedClockIsAnAuthErrorThatSaysSo) {
  Harness h;
  h.http.push(403,
              "<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the "
              "request time and the current time is too large.</Message></Error>");
  try {
    h.local()->put("b", "k", "x", {});
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_NE(std::string(e.what()).find("403 RequestTimeTooSkewed"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("the clock is skewed"), std::string::npos) << e.what();
  }
}

TEST(S3, DownloadGoesToTheSinkAndErrorsDoNot) {
  Harness h;
  test::TempDir dir;
  h.http.push(503, "<Error><Code>SlowDown</Code></Error>");
  h.http.push(200, "body bytes", {{"Content-Length", "10"}, {"Content-Type", "text/plain"}});
  {
    AtomicFile file(dir / "out.txt");
    std::vector<std::pair<size_t, size_t>> seen;
    GetResult g = h.local()->download("b", "k", file_sink(file, [&](size_t done, size_t total) {
                                        seen.emplace_back(done, total);
                                      }));
    EXPECT_EQ(g.bytes, 10u);
    EXPECT_TRUE(g.body.empty());
    EXPECT_EQ(g.content_type, "text/plain");
    file.commit();
    EXPECT_EQ(seen.back(), std::make_pair(size_t{10}, size_t{10}));
  }
  EXPECT_EQ(test::slurp(dir / "out.txt"), "body bytes");
}

TEST(S3Job, GetWritesTheFileWholeOrNothing) {
  Harness h;
  test::TempDir dir;
  h.http.push(200, "hello", {{"Content-Type", "text/plain"}});
  auto c = h.local();
  Context ctx{h.log, h.clock};
  ctx.s3 = [&]() -> S3Client& { return *c; };
  Manifest m = jobs::s3_get::run(ctx, {"s3://bkt/a/hello.txt", dir / "hello.txt"});
  EXPECT_EQ(test::slurp(dir / "hello.txt"), "hello");
  EXPECT_EQ(m.json()["outputs"][0]["bytes"], 5);
  h.http.push(404, "<Error><Code>NoSuchKey</Code></Error>");
  EXPECT_THROW(jobs::s3_get::run(ctx, {"s3://bkt/missing", dir / "missing"}), ServiceError);
  // Neither the file nor its temporary file is left.
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST(S3, MultipartAbortsOnAFailedPart) {
  Harness h;
  auto server = std::make_shared<MultipartServer>();
  server->fail_part = 2;
  h.http.set_handler([server](const HttpRequest& r) { return (*server)(r); });
  std::string bytes(11 * kMiB, 'a');
  EXPECT_THROW(h.client(multipart_options())->put("b", "big.bin", bytes, {}), AuthError);
  auto reqs = h.http.requests();
  ASSERT_FALSE(reqs.empty());
  EXPECT_EQ(reqs.back().method, "DELETE");
  EXPECT_EQ(reqs.back().url, "http://127.0.0.1:4569/b/big.bin?uploadId=id%2B%2F%3D");
  for (const auto& q : reqs)
    EXPECT_FALSE(q.method == "POST" && q.url.find("uploadId=") != std::string::npos)
        << "must not complete";
}

// Not only lamtool's own errors: anything that ends the upload aborts it, and the
// caller sees the original exception.
TEST(S3, MultipartAbortsOnAnyException) {
  Harness h;
  auto server = std::make_shared<MultipartServer>();
  h.http.set_handler([server](const HttpRequest& r) -> HttpResponse {
    if (r.method == "PUT" && r.url.find("partNumber=2") != std::string::npos)
      throw std::runtime_error("the part's source went away");
    return (*server)(r);
  });
  std::string bytes(11 * kMiB, 'a');
  EXPECT_THROW(h.client(multipart_options())->put("b", "big.bin", bytes, {}), std::runtime_error);
  auto reqs = h.http.requests();
  ASSERT_FALSE(reqs.empty());
  EXPECT_EQ(reqs.back().method, "DELETE");
  EXPECT_EQ(reqs.back().url, "http://127.0.0.1:4569/b/big.bin?uploadId=id%2B%2F%3D");
}

// An abort that fails too: the original error (and its exit code) wins, and one more
// error line gives what a user needs to remove the upload by hand.
TEST(S3, AFailedAbortNamesTheUploadAndKeepsTheOriginalError) {
  Harness h;
  auto server = std::make_shared<MultipartServer>();
  h.http.set_handler([server](const HttpRequest& r) -> HttpResponse {
    if (r.method == "PUT") return {503, {}, "<Error><Code>SlowDown</Code></Error>"};
    if (r.method == "DELETE") return {403, {}, "<Error><Code>AccessDenied</Code></Error>"};
    return (*server)(r);
  });
  std::string bytes(11 * kMiB, 'a');
  EXPECT_THROW(h.client(multipart_options())->put("b", "big.bin", bytes, {}), NetworkError);
  EXPECT_EQ(h.http.requests().back().method, "DELETE");
  std::string log = h.sink.str();
  EXPECT_NE(log.find("lamtool: error: s3: AbortMultipartUpload 'b/big.bin' failed: 403 "
                     "AccessDenied; multipart upload 'b/big.bin' (upload id id+/=) is left in "
                     "the bucket: remove it with: aws s3api abort-multipart-upload --bucket 'b' "
                     "--key 'big.bin' --upload-id 'id+/='"),
            std::string::npos)
      << log;
}

// NoSuchUpload: the upload is gone already (completed, its answer lost): nothing to say.
TEST(S3, AnAbortOfAnUploadAlreadyGoneIsQuiet) {
  Harness h;
  auto server = std::make_shared<MultipartServer>();
  server->fail_part = 1;
  h.http.set_handler([server](const HttpRequest& r) -> HttpResponse {
    if (r.method == "DELETE") return {404, {}, "<Error><Code>NoSuchUpload</Code></Error>"};
    return (*server)(r);
  });
  EXPECT_THROW(h.client(multipart_options())->put("b", "k", std::string(11 * kMiB, 'a'), {}),
               AuthError);
  EXPECT_EQ(h.sink.str().find("left in the bucket"), std::string::npos) << h.sink.str();
}

TEST(S3, CompleteErrorInsideA200IsAnError) {
  Harness h;
  h.http.set_handler([](const HttpRequest& r) -> HttpResponse {
    if (r.url.ends_with("?uploads"))
      return {
          200,
          {},
          "<InitiateMultipartUploadResult><UploadId>u</UploadId></InitiateMultipartUploadResult>"};
    if (r.method == "PUT") return {200, {{"ETag", "\"e\""}}, ""};
    if (r.method == "POST") return {200, {}, "<Error><Code>InternalError</Code></Error>"};
    return {204, {}, ""};
  });
  EXPECT_THROW(h.client(multipart_options())->put("b", "k", std::string(6 * kMiB, 'x'), {}),
               NetworkError);
  EXPECT_EQ(h.http.requests().back().method, "DELETE");
}

TEST(S3, VerboseLogsCarryNoSecret) {
  Harness h;
  h.http.push(200);
  h.http.push(403, "<Error><Code>SignatureDoesNotMatch</Code></Error>");
  auto c = h.local();
  c->put("b", "k", "x", {});
  EXPECT_THROW(c->put("b", "k", "x", {}), AuthError);
  std::string logs = h.sink.str();
  EXPECT_NE(logs.find("s3: PUT http://127.0.0.1:4569/b/k"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("SecretKeyForTests"), std::string::npos);
  EXPECT_EQ(logs.find("SessionTokenForTests"), std::string::npos);
  EXPECT_EQ(logs.find("Signature="), std::string::npos);
}

TEST(ContentType, FromBytesThenExtension) {
  EXPECT_EQ(detect_content_type(kPng, "x.txt"), "image/png");
  EXPECT_EQ(detect_content_type("GIF89a\x01\x00", ""), "image/gif");
  EXPECT_EQ(detect_content_type("\xFF\xD8\xFF\xE0", ""), "image/jpeg");
  EXPECT_EQ(detect_content_type("<?xml version=\"1.0\"?>\n<svg xmlns=\"x\"/>", ""),
            "image/svg+xml");
  EXPECT_EQ(detect_content_type("  {\"a\": [1, 2]}\n", "a.txt"), "application/json");
  EXPECT_EQ(detect_content_type("[1,2", ""), "text/plain; charset=utf-8");  // not valid JSON
  EXPECT_EQ(detect_content_type("Date,Open,Close\n2019-11-01,1,2\n2019-11-04,3,4\n", ""),
            "text/csv");
  EXPECT_EQ(detect_content_type("WAKE UP\n", ""), "text/plain; charset=utf-8");
  EXPECT_EQ(detect_content_type("caf\xC3\xA9\n", ""), "text/plain; charset=utf-8");
  EXPECT_EQ(detect_content_type(std::string("\x00\x01\x02", 3), "m.webp"), "image/webp");
  EXPECT_EQ(detect_content_type(std::string("\x00\x01\x02", 3), "m.bin"),
            "application/octet-stream");
  EXPECT_EQ(detect_content_type("<html></html>", "i.html"), "text/html; charset=utf-8");
}

TEST(S3, ExplicitContentTypeWins) {
  Harness h;
  h.http.push(200);
  EXPECT_EQ(h.local()->put("b", "k.png", "{}", PutOptions{"image/png", "", {}}).content_type,
            "image/png");
  EXPECT_EQ(header(h.http.requests()[0], "Content-Type"), "image/png");
}

TEST(S3, ConditionalPutSendsIfMatchAndMaps412) {
  Harness h;
  h.http.push(412,
              "<Error><Code>PreconditionFailed</Code><Message>At least one of the "
              "pre-conditions you specified did not hold</Message></Error>");
  PutOptions o;
  o.if_match = "\"etag-1\"";
  try {
    h.local()->put("b", "state.json", "{}", o);
    FAIL();
  } catch (const ServiceError& e) {
    EXPECT_NE(std::string(e.what()).find("412 PreconditionFailed"), std::string::npos);
  }
  EXPECT_EQ(h.http.request_count(), 1u);
  EXPECT_EQ(header(h.http.requests()[0], "If-Match"), "\"etag-1\"");
  EXPECT_NE(header(h.http.requests()[0], "Authorization")->find(";if-match;"), std::string::npos);
}

TEST(S3, BadMetadataNameIsUsageError) {
  Harness h;
  EXPECT_THROW(h.local()->put("b", "k", "x", PutOptions{"", "", {{"bad name", "v"}}}), UsageError);
  EXPECT_EQ(h.http.request_count(), 0u);
}

TEST(S3Job, PutToAPrefixAddsTheFileName) {
  Harness h;
  test::TempDir dir;
  test::spit(dir / "chart.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
  h.http.push(200);
  auto c = h.local();
  Context ctx{h.log, h.clock};
  ctx.s3 = [&]() -> S3Client& { return *c; };
  jobs::s3_put::Options args{dir / "chart.svg", "s3://bkt/png/", {}};
  args.put.metadata.emplace_back("game", "1");
  Manifest m = jobs::s3_put::run(ctx, args);
  EXPECT_EQ(m.json()["outputs"][0]["uri"], "s3://bkt/png/chart.svg");
  EXPECT_EQ(m.json()["outputs"][0]["content_type"], "image/svg+xml");
  const HttpRequest q = h.http.requests()[0];
  EXPECT_EQ(q.url, "http://127.0.0.1:4569/bkt/png/chart.svg");
  EXPECT_EQ(header(q, "x-amz-meta-game"), "1");
}

TEST(S3Job, ObjectUriIsRequiredForGetAndPresign) {
  EXPECT_THROW(jobs::parse_s3_object("s3://bkt/"), UsageError);
  EXPECT_THROW(jobs::parse_s3_object("bkt/key"), UsageError);
  EXPECT_THROW(jobs::parse_s3_object("s3://B_ad/key"), UsageError);
  EXPECT_EQ(jobs::parse_s3_object("s3://bkt/a/b c"),
            std::make_pair(std::string("bkt"), std::string("a/b c")));
}

TEST(S3Job, ContextObjectStoreUploadsThroughTheClient) {
  Harness h;
  h.http.push(200);
  auto c = h.local();
  test::TempDir dir;
  Context ctx{h.log, h.clock};
  ctx.object_store = [&]() -> ObjectStore& { return *c; };
  OutputRecord out = write_output(ctx, Destination::parse("s3://bkt/alarm/"), "wake-up/x.txt",
                                  "WAKE UP\n", "text/plain; charset=utf-8");
  EXPECT_EQ(out.uri, "s3://bkt/alarm/wake-up/x.txt");
  EXPECT_EQ(h.http.requests()[0].url, "http://127.0.0.1:4569/bkt/alarm/wake-up/x.txt");
  EXPECT_EQ(header(h.http.requests()[0], "Content-Type"), "text/plain; charset=utf-8");
}

}  // namespace
}  // namespace lamtool::aws
