// HttpClient over libcurl against a small HTTP/1.1 server on 127.0.0.1 written here
// with POSIX sockets, and the retry loop against a scripted client.

#include "lamtool/http.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "lamtool/error.h"

namespace lamtool {
namespace {

using namespace std::chrono_literals;

// ---------------------------------------------------------------- test server

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // as sent, in order
  std::string body;

  int count(const std::string& name) const {
    int n = 0;
    for (const auto& h : headers) n += strcasecmp(h.first.c_str(), name.c_str()) == 0;
    return n;
  }
  std::string get(const std::string& name) const {
    for (const auto& h : headers) {
      if (strcasecmp(h.first.c_str(), name.c_str()) == 0) return h.second;
    }
    return "<absent>";
  }
};

/// What the server does with a request: answer `raw` (a whole HTTP response), close
/// the connection without answering, or wait (until the server stops) before answering.
struct Reply {
  enum class Kind { kAnswer, kClose, kStall } kind = Kind::kAnswer;
  std::string raw;
};

std::string response(int status, const std::string& reason,
                     const std::vector<std::string>& header_lines, const std::string& body) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
  for (const auto& line : header_lines) out += line + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return out;
}

class TestServer {
 public:
  using Handler = std::function<Reply(const ReceivedRequest&)>;

  explicit TestServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;  // the kernel picks a free port
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
      throw std::runtime_error("test server cannot listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~TestServer() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);
    }
    stalled_.notify_all();
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    acceptor_.join();
    for (auto& t : workers_) t.join();
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<ReceivedRequest> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  int accepted() const { return accepted_; }

 private:
  void accept_loop() {
    for (;;) {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;  // listening socket shut down
      std::lock_guard lock(mu_);
      if (stopping_) {
        ::close(fd);
        return;
      }
      ++accepted_;
      connections_.push_back(fd);
      workers_.emplace_back([this, fd] { serve(fd); });
    }
  }

  // Reads requests on one connection until the peer closes (keep-alive).
  void serve(int fd) {
    std::string buffer;
    ReceivedRequest request;
    while (read_request(fd, buffer, request)) {
      Reply reply = handler_(request);
      {
        std::unique_lock lock(mu_);
        requests_.push_back(request);
        if (reply.kind == Reply::Kind::kStall) {
          stalled_.wait(lock, [this] { return stopping_; });
        }
      }
      if (reply.kind == Reply::Kind::kClose) break;
      if (reply.kind == Reply::Kind::kAnswer && !write_all(fd, reply.raw)) break;
    }
    ::shutdown(fd, SHUT_RDWR);
  }

  static bool read_more(int fd, std::string& buffer) {
    char chunk[65536];
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  }

  static bool read_request(int fd, std::string& buffer, ReceivedRequest& out) {
    size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!read_more(fd, buffer)) return false;
    }
    out = ReceivedRequest{};
    std::string head = buffer.substr(0, end);
    size_t line_end = head.find("\r\n");
    std::string request_line = head.substr(0, line_end);
    size_t sp1 = request_line.find(' ');
    size_t sp2 = request_line.find(' ', sp1 + 1);
    out.method = request_line.substr(0, sp1);
    out.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    size_t length = 0;
    for (size_t pos = line_end + 2; pos < head.size() && line_end != std::string::npos;) {
      size_t next = head.find("\r\n", pos);
      if (next == std::string::npos) next = head.size();
      std::string line = head.substr(pos, next - pos);
      size_t colon = line.find(':');
      std::string value = line.substr(colon + 1);
      if (!value.empty() && value.front() == ' ') value.erase(0, 1);
      out.headers.emplace_back(line.substr(0, colon), value);
      if (strcasecmp(line.substr(0, colon).c_str(), "Content-Length") == 0) {
        length = std::stoul(value);
      }
      pos = next + 2;
    }
    buffer.erase(0, end + 4);
    while (buffer.size() < length) {
      if (!read_more(fd, buffer)) return false;
    }
    out.body = buffer.substr(0, length);
    buffer.erase(0, length);
    return true;
  }

  static bool write_all(int fd, const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread acceptor_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable stalled_;
  bool stopping_ = false;
  std::vector<int> connections_;
  std::vector<ReceivedRequest> requests_;
  std::atomic<int> accepted_{0};
};

Reply ok(const std::string& body = "") {
  return {Reply::Kind::kAnswer, response(200, "OK", {}, body)};
}

HttpRequest make_request(const std::string& method, const std::string& url,
                         std::vector<std::pair<std::string, std::string>> headers = {},
                         const std::string& body = "") {
  HttpRequest r;
  r.method = method;
  r.url = url;
  r.headers = std::move(headers);
  r.body = body;
  return r;
}

HttpResponse with_status(long status) {
  HttpResponse r;
  r.status = status;
  return r;
}

// ---------------------------------------------------------------- curl client

TEST(CurlHttpClient, SendsHeadersAndBodyAndReadsTheResponse) {
  TestServer server([](const ReceivedRequest&) {
    return Reply{Reply::Kind::kAnswer,
                 response(201, "Created",
                          {"ETag: \"abc\"", "x-amz-request-id: R1", "X-Multi: one", "X-Multi: two"},
                          "stored")};
  });
  auto client = make_curl_http_client();
  HttpRequest request;
  request.method = "PUT";
  request.url = server.url("/bucket/a%2Bb%20c");
  request.headers = {{"X-Amz-Date", "20261122T050000Z"},
                     {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
                     {"Content-Type", "image/gif"}};
  request.body = std::string("GIF89a\0\x01\x02", 9);
  HttpResponse response = client->send(request);

  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "stored");
  EXPECT_EQ(response.headers["etag"], "\"abc\"");
  EXPECT_EQ(response.headers["X-AMZ-REQUEST-ID"], "R1");
  EXPECT_EQ(response.headers["x-multi"], "one, two");

  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "PUT");
  EXPECT_EQ(seen[0].target, "/bucket/a%2Bb%20c");  // sent as given, not re-encoded
  EXPECT_EQ(seen[0].body, request.body);
  EXPECT_EQ(seen[0].get("X-Amz-Date"), "20261122T050000Z");
  EXPECT_EQ(seen[0].get("Content-Type"), "image/gif");
  EXPECT_EQ(seen[0].count("Content-Type"), 1);
  EXPECT_EQ(seen[0].get("Content-Length"), "9");
  EXPECT_EQ(seen[0].get("User-Agent"), "lamtool");
  EXPECT_EQ(seen[0].count("Accept"), 0);
  EXPECT_EQ(seen[0].count("Expect"), 0);
}

TEST(CurlHttpClient, AddsNoHeadersOfItsOwnToABody) {
  TestServer server([](const ReceivedRequest&) { return ok(); });
  auto client = make_curl_http_client({.connect_timeout = 2000ms, .user_agent = "ua/1"});
  HttpRequest request;
  request.method = "POST";
  request.url = server.url("/");
  request.headers = {{"X-Amz-Target", "Kinesis_20131202.PutRecords"}, {"X-Empty", ""}};
  request.body = std::string(3 * 1024 * 1024, 'x');  // above libcurl's 1 MiB Expect threshold
  client->send(request);

  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].body.size(), request.body.size());
  // Exactly: Host, User-Agent, the two given headers and Content-Length.
  std::map<std::string, std::string> names;
  for (const auto& [name, value] : seen[0].headers) names[name] = value;
  EXPECT_EQ(names.size(), 5u);
  EXPECT_EQ(names.count("Host"), 1u);
  EXPECT_EQ(names["User-Agent"], "ua/1");
  EXPECT_EQ(names["X-Empty"], "");
  EXPECT_EQ(seen[0].count("Content-Type"), 0);
  EXPECT_EQ(seen[0].count("Expect"), 0);
}

TEST(CurlHttpClient, SignedContentLengthAndUserAgentAreNotDuplicated) {
  TestServer server([](const ReceivedRequest&) { return ok(); });
  auto client = make_curl_http_client();
  // A signer may sign Content-Length, Host and User-Agent: libcurl must send them once.
  HttpRequest request = make_request(
      "PUT", server.url("/k"),
      {{"Content-Length", "4"}, {"Host", "bucket.example:1"}, {"User-Agent", "signed/1"}}, "data");
  client->send(request);
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].count("Content-Length"), 1);
  EXPECT_EQ(seen[0].count("Host"), 1);
  EXPECT_EQ(seen[0].get("Host"), "bucket.example:1");
  EXPECT_EQ(seen[0].count("User-Agent"), 1);
  EXPECT_EQ(seen[0].get("User-Agent"), "signed/1");
  EXPECT_EQ(seen[0].body, "data");
}

TEST(CurlHttpClient, HeadHasNoBodyAndPostCanBeEmpty) {
  TestServer server([](const ReceivedRequest& r) {
    if (r.method == "HEAD") {
      return Reply{Reply::Kind::kAnswer,
                   "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nETag: \"e\"\r\n\r\n"};
    }
    return ok("posted");
  });
  auto client = make_curl_http_client();
  HttpRequest head = make_request("HEAD", server.url("/k"));
  HttpResponse r = client->send(head);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.headers["content-length"], "1234");

  HttpRequest post = make_request("POST", server.url("/p"));
  EXPECT_EQ(client->send(post).body, "posted");
  HttpRequest del = make_request("DELETE", server.url("/d"));
  EXPECT_EQ(client->send(del).status, 200);

  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].method, "HEAD");
  EXPECT_EQ(seen[1].method, "POST");
  EXPECT_EQ(seen[1].get("Content-Length"), "0");
  EXPECT_EQ(seen[2].method, "DELETE");
  EXPECT_EQ(seen[2].count("Content-Length"), 0);
}

TEST(CurlHttpClient, ReusesTheConnectionAndResetsOptions) {
  TestServer server([](const ReceivedRequest& r) { return ok(r.method); });
  auto client = make_curl_http_client();
  HttpRequest put = make_request("PUT", server.url("/1"), {{"X-One", "1"}}, "data");
  EXPECT_EQ(client->send(put).body, "PUT");
  HttpRequest get = make_request("GET", server.url("/2"));
  EXPECT_EQ(client->send(get).body, "GET");
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].count("X-One"), 0);  // nothing carried over from the PUT
  EXPECT_EQ(seen[1].body, "");
  EXPECT_EQ(server.accepted(), 1);
}

// libcurl sends a request again by itself when a reused connection dies before any
// answer; the first copy may have been processed, so the response says so.
TEST(CurlHttpClient, ReportsABodyResentAfterAReusedConnectionDied) {
  int calls = 0;
  TestServer server([&calls](const ReceivedRequest& r) {
    return ++calls == 2 ? Reply{Reply::Kind::kClose, ""} : ok(r.body);
  });
  auto client = make_curl_http_client();
  HttpResponse first = client->send(make_request("POST", server.url("/1"), {}, "one"));
  EXPECT_FALSE(first.resent);
  HttpResponse second = client->send(make_request("POST", server.url("/2"), {}, "two"));
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "two");
  EXPECT_TRUE(second.resent);
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 3u);  // "two" reached the server twice
  EXPECT_EQ(seen[1].body, "two");
  EXPECT_EQ(seen[2].body, "two");
  EXPECT_EQ(server.accepted(), 2);
}

TEST(CurlHttpClient, ErrorStatusIsAResponseNotAnException) {
  TestServer server([](const ReceivedRequest&) {
    return Reply{Reply::Kind::kAnswer, response(503, "Slow Down", {"Content-Type: application/xml"},
                                                "<Error><Code>SlowDown</Code></Error>")};
  });
  auto client = make_curl_http_client();
  HttpResponse r = client->send(make_request("GET", server.url("/")));
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("SlowDown"), std::string::npos);
}

TEST(CurlHttpClient, ConnectionClosedWithoutAnswerIsNetworkErrorWithRedactedUrl) {
  TestServer server([](const ReceivedRequest&) { return Reply{Reply::Kind::kClose, ""}; });
  auto client = make_curl_http_client();
  HttpRequest request = make_request(
      "GET", server.url("/b/k?X-Amz-Credential=AKIDSECRETVALUE%2F20261122&X-Amz-Expires=60"
                        "&X-Amz-Signature=deadbeefcafe"));
  try {
    client->send(request);
    FAIL() << "no exception";
  } catch (const NetworkError& e) {
    std::string what = e.what();
    EXPECT_EQ(e.exit_code(), 75);
    EXPECT_NE(what.find("no response to GET '" + server.url("/b/k?")), std::string::npos) << what;
    EXPECT_NE(what.find("X-Amz-Expires=60"), std::string::npos) << what;
    EXPECT_NE(what.find("Server returned nothing"), std::string::npos) << what;
    EXPECT_EQ(what.find("deadbeefcafe"), std::string::npos) << what;
    EXPECT_EQ(what.find("AKIDSECRETVALUE"), std::string::npos) << what;
  }
}

TEST(CurlHttpClient, SlowReplyTimesOut) {
  TestServer server([](const ReceivedRequest&) { return Reply{Reply::Kind::kStall, ""}; });
  auto client = make_curl_http_client();
  HttpRequest request = make_request("GET", server.url("/slow"));
  request.timeout = 300ms;
  auto start = std::chrono::steady_clock::now();
  try {
    client->send(request);
    FAIL() << "no exception";
  } catch (const NetworkError& e) {
    EXPECT_NE(std::string(e.what()).find("Timeout was reached"), std::string::npos) << e.what();
  }
  // The per-request timeout, not some default, ended it (generous upper bound for CI).
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(CurlHttpClient, RefusedConnectionIsNetworkError) {
  int port;
  {
    TestServer closed([](const ReceivedRequest&) { return ok(); });
    port = std::stoi(closed.url("").substr(17));
  }  // the port is free again: nothing listens there now
  auto client = make_curl_http_client();
  HttpRequest request = make_request("GET", "http://127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_THROW(client->send(request), NetworkError);
}

// The CA bundle named by CURL_CA_BUNDLE (first) or SSL_CERT_FILE is the one libcurl
// loads: a bundle that does not exist fails the TLS set-up with libcurl's CA error
// (CURLE_SSL_CACERT_BADFILE) before a byte is sent, where without it the handshake
// reaches the (plain) server.
TEST(CurlHttpClient, HonoursCurlCaBundleThenSslCertFile) {
  TestServer server([](const ReceivedRequest&) { return Reply{Reply::Kind::kClose, ""}; });
  std::string url = "https" + server.url("/").substr(4);
  auto error_of = [&](const HttpClientOptions& options = {}) -> std::string {
    try {
      make_curl_http_client(options)->send(make_request("GET", url));
    } catch (const ServiceError& e) {  // a CA that cannot be loaded: 69, never retried
      return e.what();
    } catch (const NetworkError& e) {
      return e.what();
    }
    return "no exception";
  };
  const std::string ca_error = "Problem with the SSL CA cert";
  ::unsetenv("CURL_CA_BUNDLE");
  ::unsetenv("SSL_CERT_FILE");
  EXPECT_EQ(error_of().find(ca_error), std::string::npos) << error_of();

  ::setenv("SSL_CERT_FILE", "/nonexistent/lamtool-test/ssl-cert-file.pem", 1);
  EXPECT_NE(error_of().find(ca_error), std::string::npos) << error_of();
  ::setenv("CURL_CA_BUNDLE", "/nonexistent/lamtool-test/curl-ca-bundle.pem", 1);
  EXPECT_NE(error_of().find(ca_error), std::string::npos) << error_of();
  // CURL_CA_BUNDLE beats SSL_CERT_FILE: a real bundle there is loaded without complaint.
  if (::access("/etc/ssl/certs/ca-certificates.crt", R_OK) == 0) {
    ::setenv("CURL_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt", 1);
    EXPECT_EQ(error_of().find(ca_error), std::string::npos) << error_of();
  }
  ::unsetenv("CURL_CA_BUNDLE");
  ::unsetenv("SSL_CERT_FILE");
  // And the option beats both.
  EXPECT_NE(error_of({.ca_file = "/nonexistent/lamtool-test/option.pem"}).find(ca_error),
            std::string::npos);
}

TEST(Http, HeaderNamesCompareCaseInsensitively) {
  HttpHeaders h;
  h["Content-Type"] = "a";
  h["content-type"] = "b";
  EXPECT_EQ(h.size(), 1u);
  EXPECT_EQ(h["CONTENT-TYPE"], "b");
  CaseInsensitiveLess less;
  EXPECT_TRUE(less("ETag", "host"));
  EXPECT_FALSE(less("HOST", "host"));
}

TEST(Http, RedactUrlHidesCredentialsOnly) {
  EXPECT_EQ(redact_url("https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                       "&X-Amz-Credential=AKID%2Fx&X-Amz-Security-Token=tok&X-Amz-Signature=ab"
                       "&partNumber=2"),
            "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=REDACTED&X-Amz-Security-Token=REDACTED&X-Amz-Signature=REDACTED"
            "&partNumber=2");
  EXPECT_EQ(redact_url("smtp://user:pw@mail.example:25/x"), "smtp://REDACTED@mail.example:25/x");
  EXPECT_EQ(redact_url("http://h/p?uploads"), "http://h/p?uploads");
  EXPECT_EQ(redact_url("http://h/p"), "http://h/p");
}

// ---------------------------------------------------------------- retries

/// Answers from a script: a status, or -1 for "no response" (NetworkError).
class ScriptedClient : public HttpClient {
 public:
  explicit ScriptedClient(std::deque<long> script) : script_(std::move(script)) {}
  HttpResponse send(const HttpRequest&) override {
    ++calls;
    long next = script_.size() > 1 ? script_.front() : script_.back();
    if (script_.size() > 1) script_.pop_front();
    if (next < 0)
      throw NetworkError("no response to GET 'http://x/': attempt " + std::to_string(calls));
    return with_status(next);
  }
  int calls = 0;

 private:
  std::deque<long> script_;
};

struct Recorded {
  std::vector<std::chrono::milliseconds> delays;
  RetryPolicy policy(int max_attempts) {
    RetryPolicy p;
    p.max_attempts = max_attempts;
    p.sleep = [this](std::chrono::milliseconds d) { delays.push_back(d); };
    return p;
  }
};

TEST(Retry, DefaultRetryableStatuses) {
  for (long s : {500L, 502L, 503L, 504L, 429L})
    EXPECT_TRUE(is_retryable_status(with_status(s))) << s;
  for (long s : {200L, 204L, 301L, 400L, 401L, 403L, 404L, 412L}) {
    EXPECT_FALSE(is_retryable_status(with_status(s))) << s;
  }
}

TEST(Retry, RetriesUntilSuccess) {
  ScriptedClient client({503, -1, 500, 200});
  Recorded rec;
  std::vector<int> told;
  auto r = send_with_retries(client, {}, rec.policy(5), {},
                             [&](int attempt, const std::string&) { told.push_back(attempt); });
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(client.calls, 4);
  EXPECT_EQ(rec.delays.size(), 3u);
  EXPECT_EQ(told, (std::vector<int>{1, 2, 3}));
}

TEST(Retry, ReturnsTheLastResponseWhenAttemptsRunOut) {
  ScriptedClient client({503});
  Recorded rec;
  EXPECT_EQ(send_with_retries(client, {}, rec.policy(4)).status, 503);
  EXPECT_EQ(client.calls, 4);
  EXPECT_EQ(rec.delays.size(), 3u);
}

TEST(Retry, NeverRetriesAuthFailuresOrPlain4xx) {
  for (long status : {401L, 403L}) {
    ScriptedClient client({status, 200});
    Recorded rec;
    auto always = [](const HttpResponse&) { return true; };
    EXPECT_EQ(send_with_retries(client, {}, rec.policy(5), always).status, status);
    EXPECT_EQ(client.calls, 1) << status;
    EXPECT_TRUE(rec.delays.empty());
  }
  ScriptedClient client({400, 200});
  Recorded rec;
  EXPECT_EQ(send_with_retries(client, {}, rec.policy(5)).status, 400);
  EXPECT_EQ(client.calls, 1);
}

TEST(Retry, CallerMayRetryA4xx) {
  ScriptedClient client({400, 400, 200});  // Kinesis throttling arrives as 400
  Recorded rec;
  auto throttled = [](const HttpResponse& r) { return r.status == 400; };
  EXPECT_EQ(send_with_retries(client, {}, rec.policy(5), throttled).status, 200);
  EXPECT_EQ(client.calls, 3);
}

TEST(Retry, RethrowsTheLastNetworkError) {
  ScriptedClient client({-1});
  Recorded rec;
  try {
    send_with_retries(client, {}, rec.policy(3));
    FAIL() << "no exception";
  } catch (const NetworkError& e) {
    EXPECT_STREQ(e.what(), "no response to GET 'http://x/': attempt 3");
  }
  EXPECT_EQ(client.calls, 3);
  EXPECT_EQ(rec.delays.size(), 2u);
}

TEST(Retry, OneAttemptMeansNoRetry) {
  ScriptedClient client({-1});
  Recorded rec;
  EXPECT_THROW(send_with_retries(client, {}, rec.policy(1)), NetworkError);
  EXPECT_EQ(client.calls, 1);
}

// Full jitter: the wait before retry k is uniform on [0, min(cap, base * 2^(k-1))].
// With base 100 ms and cap 1000 ms the ceilings are 100, 200, 400, 800, 1000, 1000.
// Over 2000 runs each retry's mean must be near ceiling/2: the standard error of the
// mean of a uniform[0, c] sample is c / sqrt(12 * 2000) = 0.0065 c, so +-0.03 c is a
// 4.6-sigma band; min and max must reach into the outer 5 % of the range
// (chance of missing: 0.95^2000, about 1e-45).
TEST(Retry, FullJitterStaysWithinTheExponentialCeiling) {
  const std::vector<double> ceilings = {100, 200, 400, 800, 1000, 1000};
  const int runs = 2000;
  std::vector<std::vector<double>> by_retry(ceilings.size());
  for (int run = 0; run < runs; ++run) {
    ScriptedClient client({503});
    Recorded rec;
    RetryPolicy p = rec.policy(static_cast<int>(ceilings.size()) + 1);
    p.base = 100ms;
    p.cap = 1000ms;
    send_with_retries(client, {}, p);
    ASSERT_EQ(rec.delays.size(), ceilings.size());
    for (size_t k = 0; k < ceilings.size(); ++k) {
      by_retry[k].push_back(static_cast<double>(rec.delays[k].count()));
    }
  }
  for (size_t k = 0; k < ceilings.size(); ++k) {
    double c = ceilings[k], sum = 0, lo = c, hi = 0;
    for (double d : by_retry[k]) {
      ASSERT_GE(d, 0);
      ASSERT_LE(d, c) << "retry " << k + 1;
      sum += d;
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    EXPECT_NEAR(sum / runs, c / 2, 0.03 * c) << "retry " << k + 1;
    EXPECT_LT(lo, 0.05 * c) << "retry " << k + 1;
    EXPECT_GT(hi, 0.95 * c) << "retry " << k + 1;
  }
}

TEST(Retry, SleepsForRealWithoutAHook) {
  ScriptedClient client({503, 200});
  RetryPolicy p;
  p.base = 1ms;
  p.cap = 1ms;
  EXPECT_EQ(send_with_retries(client, {}, p).status, 200);
  EXPECT_EQ(client.calls, 2);
}

}  // namespace
}  // namespace lamtool
