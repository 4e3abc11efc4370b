// send_with_retries and the header comparator (the interface in lamtool/http.h).
// NOTE for the merge: written in the nhl branch because it needed the helper before
// the http branch landed; keep whichever implementation is more complete.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <thread>

#include "lamtool/error.h"
#include "lamtool/http.h"

namespace lamtool {

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) <
           std::tolower(static_cast<unsigned char>(y));
  });
}

bool is_retryable_status(const HttpResponse& response) {
  return response.status >= 500 || response.status == 429;
}

namespace {

std::chrono::milliseconds backoff(const RetryPolicy& policy, int retry) {
  long long limit = policy.base.count();
  for (int i = 1; i < retry && limit < policy.cap.count(); ++i) limit *= 2;
  limit = std::min<long long>(limit, policy.cap.count());
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<long long> dist(0, std::max<long long>(limit, 0));
  return std::chrono::milliseconds(dist(rng));
}

}  // namespace

HttpResponse send_with_retries(
    HttpClient& client, const HttpRequest& request, const RetryPolicy& policy,
    const std::function<bool(const HttpResponse&)>& should_retry,
    const std::function<void(int attempt, const std::string& why)>& on_retry) {
  int attempts = std::max(policy.max_attempts, 1);
  for (int attempt = 1;; ++attempt) {
    std::string why;
    try {
      HttpResponse r = client.send(request);
      bool retry = should_retry ? should_retry(r) : is_retryable_status(r);
      if (!retry || attempt >= attempts) return r;
      why = fmt::format("HTTP {}", r.status);
    } catch (const NetworkError& e) {
      if (attempt >= attempts) throw;
      why = e.what();
    }
    if (on_retry) on_retry(attempt, why);
    auto delay = backoff(policy, attempt);
    if (policy.sleep)
      policy.sleep(delay);
    else
      std::this_thread::sleep_for(delay);
  }
}

}  // namespace lamtool
