#include "fake_http_client.h"

#include <deque>
#include <stdexcept>
#include <variant>

#include "lamtool/error.h"

namespace lamtool::test {

struct FakeHttpClient::Script {
  std::mutex mu;
  std::deque<std::variant<HttpResponse, std::string>> queue;  // string: a NetworkError
  Handler handler;
  std::vector<HttpRequest> log;
};

FakeHttpClient::FakeHttpClient() : script_(std::make_shared<Script>()) {}
FakeHttpClient::FakeHttpClient(std::shared_ptr<Script> script) : script_(std::move(script)) {}

void FakeHttpClient::push(long status, std::string body, HttpHeaders headers) {
  std::lock_guard lock(script_->mu);
  script_->queue.emplace_back(HttpResponse{status, std::move(headers), std::move(body)});
}

void FakeHttpClient::push_network_error(std::string message) {
  std::lock_guard lock(script_->mu);
  script_->queue.emplace_back(std::move(message));
}

void FakeHttpClient::set_handler(Handler handler) {
  std::lock_guard lock(script_->mu);
  script_->handler = std::move(handler);
}

namespace {

// As a real client does: a 2xx body goes to the request's sink, if it has one.
HttpResponse deliver(const HttpRequest& request, HttpResponse response) {
  if (request.body_sink && response.status >= 200 && response.status <= 299) {
    request.body_sink->begin(response.headers);
    request.body_sink->write(response.body);
    response.body.clear();
  }
  return response;
}

}  // namespace

HttpResponse FakeHttpClient::send(const HttpRequest& request) {
  Handler handler;
  {
    std::lock_guard lock(script_->mu);
    script_->log.push_back(request);
    if (!script_->queue.empty()) {
      auto next = std::move(script_->queue.front());
      script_->queue.pop_front();
      if (auto* r = std::get_if<HttpResponse>(&next)) return deliver(request, *r);
      throw NetworkError(std::get<std::string>(next));
    }
    handler = script_->handler;
  }
  if (!handler) throw std::logic_error("FakeHttpClient: no scripted answer for " + request.url);
  return deliver(request, handler(request));
}

std::vector<HttpRequest> FakeHttpClient::requests() const {
  std::lock_guard lock(script_->mu);
  return script_->log;
}

size_t FakeHttpClient::request_count() const {
  std::lock_guard lock(script_->mu);
  return script_->log.size();
}

size_t FakeHttpClient::pending() const {
  std::lock_guard lock(script_->mu);
  return script_->queue.size();
}

std::function<std::unique_ptr<HttpClient>()> FakeHttpClient::factory() {
  auto script = script_;
  return [script] { return std::unique_ptr<HttpClient>(new FakeHttpClient(script)); };
}

std::optional<std::string> header(const HttpRequest& request, const std::string& name) {
  CaseInsensitiveLess less;
  for (const auto& [k, v] : request.headers)
    if (!less(k, name) && !less(name, k)) return v;
  return std::nullopt;
}

}  // namespace lamtool::test
