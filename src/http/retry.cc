// Retries with exponential backoff and full jitter (the AWS architecture blog's
// "Exponential Backoff And Jitter": sleep = random_between(0, min(cap, base * 2^attempt))).

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <random>

#include "lamtool/error.h"
#include "lamtool/http.h"
#include "lamtool/interrupt.h"

namespace lamtool {

bool is_retryable_status(const HttpResponse& response) {
  if (response.status == 401 || response.status == 403) return false;
  return response.status == 429 || (response.status >= 500 && response.status <= 599);
}

namespace {

// Upper bound of the wait before retry `k` (1-based): min(cap, base * 2^(k-1)),
// computed without overflow for large k.
std::chrono::milliseconds backoff_ceiling(const RetryPolicy& policy, int k) {
  auto ceiling = policy.base;
  for (int i = 1; i < k && ceiling < policy.cap; ++i) ceiling *= 2;
  return std::min(ceiling, policy.cap);
}

std::chrono::milliseconds jittered_delay(const RetryPolicy& policy, int k) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  auto ceiling = backoff_ceiling(policy, k).count();
  if (ceiling <= 0) return std::chrono::milliseconds{0};
  std::uniform_int_distribution<long long> pick(0, static_cast<long long>(ceiling));
  return std::chrono::milliseconds{pick(rng)};
}

}  // namespace

void backoff_wait(const RetryPolicy& policy, int k) {
  std::chrono::milliseconds delay = jittered_delay(policy, k);
  if (policy.sleep) {
    policy.sleep(delay);
  } else {
    interruptible_sleep(delay);
  }
}

HttpResponse send_with_retries(
    HttpClient& client, const HttpRequest& request, const RetryPolicy& policy,
    const std::function<bool(const HttpResponse&)>& should_retry,
    const std::function<void(int attempt, const std::string& why)>& on_retry) {
  const int attempts = std::max(1, policy.max_attempts);
  for (int attempt = 1;; ++attempt) {
    std::string why;
    try {
      HttpResponse response = client.send(request);
      // 401/403 never heal by resending the same signed request, whatever the caller says.
      bool auth_failure = response.status == 401 || response.status == 403;
      bool retry =
          !auth_failure && (should_retry ? should_retry(response) : is_retryable_status(response));
      if (!retry || attempt >= attempts) return response;
      why = fmt::format("HTTP status {}", response.status);
    } catch (const NetworkError& e) {
      if (attempt >= attempts) throw;
      why = e.what();
    }
    if (on_retry) on_retry(attempt, why);
    backoff_wait(policy, attempt);
  }
}

}  // namespace lamtool
