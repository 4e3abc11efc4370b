#pragma once
// A scripted HttpClient for unit tests: records every request and answers from a
// queue of responses (or NetworkErrors), or from a handler function; a 2xx body goes
// to the request's BodySink when it has one, as with the real client. Clients made by
// factory() share one script and one log, so code that makes a client per thread can
// be tested too. Thread-safe.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "lamtool/http.h"

namespace lamtool::test {

class FakeHttpClient : public HttpClient {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  FakeHttpClient();

  /// Queues a response for the next request.
  void push(long status, std::string body = {}, HttpHeaders headers = {});
  /// Queues a NetworkError for the next request.
  void push_network_error(std::string message = "connection reset by peer");
  /// Answers requests when the queue is empty. Without one, an empty queue throws
  /// std::logic_error (the test scripted too few answers).
  void set_handler(Handler handler);

  HttpResponse send(const HttpRequest& request) override;

  /// Every request seen so far, by all clients of this script, in arrival order.
  std::vector<HttpRequest> requests() const;
  size_t request_count() const;
  /// Queued answers not yet used.
  size_t pending() const;
  /// A new client sharing this script and log (for per-thread client factories).
  std::function<std::unique_ptr<HttpClient>()> factory();

 private:
  struct Script;
  explicit FakeHttpClient(std::shared_ptr<Script> script);
  std::shared_ptr<Script> script_;
};

/// The value of the first header named `name` (case-insensitive) in `request`.
std::optional<std::string> header(const HttpRequest& request, const std::string& name);

}  // namespace lamtool::test
