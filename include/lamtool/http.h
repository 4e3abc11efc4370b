#pragma once
// HTTP, behind an interface so unit tests need no network (STYLE.md section 5).
// A completed exchange is not an error: send() returns any status and throws
// NetworkError only when no response arrived. Callers turn statuses into errors.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lamtool {

class AtomicFile;
class InputStream;

/// Header names compare case-insensitively.
struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using HttpHeaders = std::map<std::string, std::string, CaseInsensitiveLess>;

/// Adds one received header line ("Name: value\r\n") to `headers`, trimmed; a repeated
/// name gets ", value" appended. A status line ("HTTP/1.1 100 Continue") starts a new
/// block: after a 1xx interim response only the final block counts. Other lines are
/// ignored.
void add_header_line(HttpHeaders& headers, std::string_view line);

/// A request body read in pieces at any offset, so that libcurl can rewind it and a
/// retry can send it again without the whole body in memory (an S3 part read from its
/// file as it is sent).
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual size_t size() const = 0;
  /// Copies up to out.size() bytes from `offset`; fewer only at the end. May throw
  /// (IoError); send() then rethrows it.
  virtual size_t read_at(size_t offset, std::span<char> out) const = 0;
};

/// Where the body of a 2xx response goes instead of HttpResponse::body (a download
/// written straight to its file); bodies of other statuses (error documents) stay in
/// `body`. May throw (IoError); send() then stops and rethrows it.
class BodySink {
 public:
  virtual ~BodySink() = default;
  /// Before the first byte of a 2xx body, on every attempt (drop what an earlier,
  /// broken attempt wrote); also for an empty body. `headers` are the response's.
  virtual void begin(const HttpHeaders& headers) = 0;
  virtual void write(std::string_view bytes) = 0;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;  ///< absolute, already percent-encoded
  /// Sent in this order; a header signed by SigV4 must appear exactly as signed.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// When set, the body is read from here and `body` is ignored.
  std::shared_ptr<const BodySource> body_source{};
  /// When set, a 2xx response body goes here (see BodySink).
  std::shared_ptr<BodySink> body_sink{};
  /// Total time for this attempt; connect timeout is separate (HttpClientOptions).
  /// Zero: no total limit, but an attempt that moves no byte for 30 s fails.
  std::chrono::milliseconds timeout{30000};
};

struct HttpResponse {
  long status = 0;
  HttpHeaders headers;
  std::string body;
  /// The transport sent the request body more than once (libcurl resends by itself
  /// when a reused connection dies before any answer): a non-idempotent request may
  /// have been processed twice.
  bool resent = false;
};

/// Size of the request's body (`body` or `body_source`).
size_t body_size(const HttpRequest& request);
/// The whole request body as bytes (tests, small bodies).
std::string body_bytes(const HttpRequest& request);

/// A BodySource over a byte range of a seekable input (stream.h), read when sent.
std::shared_ptr<const BodySource> input_range_source(const InputStream& in, size_t offset,
                                                     size_t size);
/// A BodySource owning its bytes.
std::shared_ptr<const BodySource> string_source(std::string bytes);

/// Told the bytes of a body received so far and the total announced by the response's
/// Content-Length (0 when it has none).
using TransferProgress = std::function<void(size_t done, size_t total)>;
/// A BodySink writing to `file` (fs.h), which it empties when an attempt begins again.
std::shared_ptr<BodySink> file_sink(AtomicFile& file, TransferProgress progress = {});
/// A BodySink writing to stdout as the bytes arrive. What went out cannot be taken back:
/// an attempt that begins again after some bytes were written fails with IoError.
std::shared_ptr<BodySink> stdout_sink(TransferProgress progress = {});

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  /// One attempt. Throws NetworkError when no response arrived (refused, reset,
  /// timeout, DNS); never for an HTTP status.
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

/// An HttpClient made on first send(), so work that needs no request (presigning,
/// credentials from the environment) needs no transport.
class LazyHttpClient final : public HttpClient {
 public:
  explicit LazyHttpClient(std::function<std::unique_ptr<HttpClient>()> make)
      : make_(std::move(make)) {}
  HttpResponse send(const HttpRequest& request) override {
    if (!client_) client_ = make_();
    return client_->send(request);
  }

 private:
  std::function<std::unique_ptr<HttpClient>()> make_;
  std::unique_ptr<HttpClient> client_;
};

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::string user_agent = "lamtool";
  /// CA bundle that https servers' certificates are checked against; empty: the file
  /// CURL_CA_BUNDLE names, else SSL_CERT_FILE's (as the curl tool and OpenSSL read them),
  /// else libcurl's built-in default (Debian's /etc/ssl/certs/ca-certificates.crt).
  std::string ca_file = {};
};

/// `url` with the values of credential-like query parameters (signature, credential,
/// token, key, secret, password, ...) and any `user:password@` replaced by REDACTED,
/// for error messages and logs.
std::string redact_url(std::string_view url);

/// The host of `url` (any scheme), lower case, without user info, port or IPv6 brackets.
std::string url_host(std::string_view url);
/// True for a host that never leaves the machine: localhost (and *.localhost),
/// 127.0.0.0/8 and ::1. Credentials may go there over plain text.
bool is_loopback_host(std::string_view host);

/// libcurl-backed client; reuses connections across calls. Not thread-safe: use one
/// per thread.
std::unique_ptr<HttpClient> make_curl_http_client(const HttpClientOptions& options = {});

/// Exponential backoff with full jitter: before retry k (k = 1, 2, ...) wait a uniformly
/// random time in [0, min(cap, base * 2^(k-1))].
struct RetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds base{100};
  std::chrono::milliseconds cap{5000};
  /// The wait between attempts; tests replace it to record delays instead of sleeping.
  std::function<void(std::chrono::milliseconds)> sleep;
};

/// Waits before retry `k` (k = 1, 2, ...) as `policy` says: a uniformly random time in
/// [0, min(cap, base * 2^(k-1))], through policy.sleep when set. For loops that decide
/// retries themselves (Kinesis partial failures); send_with_retries() waits the same way.
void backoff_wait(const RetryPolicy& policy, int k);

/// Default retry test: 5xx and 429. Service clients pass their own (S3 SlowDown,
/// Kinesis ProvisionedThroughputExceededException arrive as 503 and 400). Never
/// retry 401/403.
bool is_retryable_status(const HttpResponse& response);

/// Sends `request`, retrying NetworkError and responses for which `should_retry` is
/// true (default is_retryable_status) under `policy`; 401 and 403 are never retried,
/// whatever `should_retry` says. Returns the last response, even a retryable one once
/// attempts run out; rethrows the last NetworkError when no attempt
/// got a response. `on_retry`, if set, is told each retry (for -v diagnostics).
HttpResponse send_with_retries(
    HttpClient& client, const HttpRequest& request, const RetryPolicy& policy,
    const std::function<bool(const HttpResponse&)>& should_retry = {},
    const std::function<void(int attempt, const std::string& why)>& on_retry = {});

}  // namespace lamtool
