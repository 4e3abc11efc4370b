#pragma once
// A scripted HttpClient for unit tests: records every request and answers from a queue
// of responses or network failures. Running out of script is a test failure.

#include <deque>
#include <string>
#include <variant>
#include <vector>

#include "lamtool/http.h"

namespace lamtool::test {

class FakeHttpClient final : public HttpClient {
 public:
  /// Queues a response.
  void respond(long status, std::string body = {}, HttpHeaders headers = {});
  /// Queues a failure: send() throws NetworkError with this message.
  void fail(std::string message = "connection refused");

  HttpResponse send(const HttpRequest& request) override;

  const std::vector<HttpRequest>& requests() const { return requests_; }
  /// Queued answers not yet used.
  size_t pending() const { return script_.size(); }

 private:
  std::deque<std::variant<HttpResponse, std::string>> script_;
  std::vector<HttpRequest> requests_;
};

}  // namespace lamtool::test
