// Minimal retry helper and header comparison so the AWS branch links on its own.
// The transport branch carries the full versions; theirs win at merge.

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
  auto ceiling = policy.base.count() << std::min(retry - 1, 30);
  ceiling = std::min<long long>(ceiling, policy.cap.count());
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<long long> dist(0, std::max<long long>(ceiling, 0));
  return std::chrono::milliseconds(dist(rng));
}

}  // namespace

HttpResponse send_with_retries(
    HttpClient& client, const HttpRequest& request, const RetryPolicy& policy,
    const std::function<bool(const HttpResponse&)>& should_retry,
    const std::function<void(int attempt, const std::string& why)>& on_retry) {
  const auto retryable = should_retry ? should_retry : is_retryable_status;
  for (int attempt = 1;; ++attempt) {
    std::string why;
    try {
      HttpResponse r = client.send(request);
      if (!retryable(r) || attempt >= policy.max_attempts) return r;
      why = "HTTP " + std::to_string(r.status);
    } catch (const NetworkError& e) {
      if (attempt >= policy.max_attempts) throw;
      why = e.what();
    }
    if (on_retry) on_retry(attempt, why);
    auto wait = backoff(policy, attempt);
    if (policy.sleep) {
      policy.sleep(wait);
    } else {
      std::this_thread::sleep_for(wait);
    }
  }
}

}  // namespace lamtool
