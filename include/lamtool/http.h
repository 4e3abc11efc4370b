#pragma once
// HTTP, behind an interface so unit tests need no network (STYLE.md section 5).
// A completed exchange is not an error: send() returns any status and throws
// NetworkError only when no response arrived. Callers turn statuses into errors.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lamtool {

/// Header names compare case-insensitively.
struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using HttpHeaders = std::map<std::string, std::string, CaseInsensitiveLess>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  ///< absolute, already percent-encoded
  /// Sent in this order; a header signed by SigV4 must appear exactly as signed.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Total time for this attempt; connect timeout is separate (HttpClientOptions).
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
};

/// `url` with the values of credential-like query parameters (signature, credential,
/// token, key, secret, password, ...) and any `user:password@` replaced by REDACTED,
/// for error messages and logs.
std::string redact_url(std::string_view url);

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
