#include "fake_http_client.h"

#include "lamtool/error.h"

namespace lamtool::test {

void FakeHttpClient::respond(long status, std::string body, HttpHeaders headers) {
  script_.emplace_back(HttpResponse{status, std::move(headers), std::move(body)});
}

void FakeHttpClient::fail(std::string message) { script_.emplace_back(std::move(message)); }

HttpResponse FakeHttpClient::send(const HttpRequest& request) {
  requests_.push_back(request);
  if (script_.empty())
    throw NetworkError("fake http client: unexpected request " + request.method + " " +
                       request.url);
  auto next = std::move(script_.front());
  script_.pop_front();
  if (auto* message = std::get_if<std::string>(&next)) throw NetworkError(*message);
  return std::get<HttpResponse>(std::move(next));
}

}  // namespace lamtool::test
