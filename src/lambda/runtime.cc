#include <fmt/format.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "lamtool/aws/clients.h"
#include "lamtool/clock.h"
#include "lamtool/error.h"
#include "lamtool/http.h"
#include "lamtool/interrupt.h"
#include "lamtool/lambda.h"
#include "lamtool/log.h"
#include "socket_http.h"

namespace lamtool::lambda {

namespace {

using nlohmann::json;
using Clock = std::chrono::system_clock;

/// Requests to the Runtime API that get no answer or a 5xx, tried this many times.
constexpr int kRuntimeApiAttempts = 3;

constexpr std::string_view kApi = "/2018-06-01/runtime";

// The Runtime API's answers and the requests we make of it.
class RuntimeApi {
 public:
  explicit RuntimeApi(std::string base) : base_(std::move(base)) {}

  // Blocks until the next event (the socket client waits however long that takes);
  // NetworkError when the API is gone.
  HttpResponse next(HttpClient& http) {
    HttpRequest r;
    r.url = fmt::format("{}{}/invocation/next", base_, kApi);
    return http.send(r);
  }
  long post(HttpClient& http, std::string path, std::string body, std::string error_type = {}) {
    HttpRequest r;
    r.method = "POST";
    r.url = base_ + std::string(kApi) + path;
    r.headers.emplace_back("Content-Type", "application/json");
    if (!error_type.empty())
      r.headers.emplace_back("Lambda-Runtime-Function-Error-Type", error_type);
    r.body = std::move(body);
    r.timeout = std::chrono::seconds(30);
    return http.send(r).status;
  }

 private:
  std::string base_;
};

std::string header(const HttpResponse& r, const char* name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string{} : it->second;
}

std::string error_json(std::string_view message, std::string_view type) {
  return json{{"errorMessage", message}, {"errorType", type}, {"stackTrace", json::array()}}.dump();
}

// Answers an invocation with Runtime.Timeout and ends the process when its job is still
// running `margin` before the deadline: Lambda would freeze it mid-write otherwise, and a
// job cannot be stopped half way. Lambda starts a fresh process for the next event.
class Watchdog {
 public:
  Watchdog(RuntimeApi& api, Logger& log, std::string host_port, std::string request_id,
           Clock::time_point fire)
      : thread_(
            [this, &api, &log, host_port = std::move(host_port), id = std::move(request_id), fire] {
              std::unique_lock lock(mu_);
              if (cv_.wait_until(lock, fire, [this] { return done_; })) return;
              auto http = make_socket_http_client(host_port);
              log.errorf(
                  "invocation {}: the deadline is near and the job is still running; "
                  "answering Runtime.Timeout and exiting",
                  id);
              try {
                api.post(*http, fmt::format("/invocation/{}/error", id),
                         error_json("the job did not finish before the function's deadline",
                                    "Runtime.Timeout"),
                         "Runtime.Timeout");
              } catch (const Error&) {
              }
              std::_Exit(exit_code::kTempFail);
            }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

InvocationInfo invocation_info(const HttpResponse& next, std::chrono::system_clock::time_point now,
                               Logger& log) {
  InvocationInfo info;
  info.request_id = header(next, "Lambda-Runtime-Aws-Request-Id");
  info.function_arn = header(next, "Lambda-Runtime-Invoked-Function-Arn");
  info.trace_id = header(next, "Lambda-Runtime-Trace-Id");
  if (std::string ms = header(next, "Lambda-Runtime-Deadline-Ms"); !ms.empty()) {
    char* end = nullptr;
    long long v = std::strtoll(ms.c_str(), &end, 10);
    // Only a time that can be a deadline (Lambda's longest timeout is 15 minutes);
    // emulators send other numbers (@vercel/fun: a constant 5000).
    // Compared in milliseconds: a huge value would overflow the clock's nanoseconds.
    long long now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    if (end != ms.c_str() && *end == '\0' && v > now_ms - 60'000 && v < now_ms + 16 * 60'000)
      info.deadline = Clock::time_point(std::chrono::milliseconds(v));
    else
      log.debugf(
          "Lambda-Runtime-Deadline-Ms '{}' is not a time in the next 15 minutes: "
          "no deadline",
          ms);
  }
  if (info.request_id.empty())
    throw ServiceError("the Runtime API gave an event without Lambda-Runtime-Aws-Request-Id");
  return info;
}

void run_runtime(Logger& log, const RuntimeOptions& options) {
  const char* api_env = std::getenv("AWS_LAMBDA_RUNTIME_API");
  if (api_env == nullptr || *api_env == '\0')
    throw ConfigError(
        "AWS_LAMBDA_RUNTIME_API is not set: lamtool lambda runs inside AWS Lambda (or a "
        "Runtime API emulator); use lamtool invoke to run an event here");
  RuntimeApi api(std::string("http://") + api_env);
  auto http = make_socket_http_client(api_env);

  // Init: the handler and its configuration, once.
  HandlerConfig config;
  try {
    std::string name = options.handler;
    if (name.empty()) {
      const char* h = std::getenv("_HANDLER");
      name = h == nullptr ? "" : h;
    }
    if (name.empty()) throw ConfigError("no handler: set _HANDLER or give --handler");
    config = handler_config_from_env(name);
  } catch (const Error& e) {
    try {
      api.post(*http, "/init/error", error_json(e.what(), std::string("Runtime.") + e.name()),
               std::string("Runtime.") + e.name());
    } catch (const Error& post_error) {
      log.errorf("cannot report the init error: {}", post_error.what());
    }
    throw;
  }
  log.debugf("lamtool lambda: handler {}", config.handler->name);

  aws::LazyClients clients;
  // The Runtime API is on the same host: a reset or a 5xx is tried again a few times,
  // briefly; then the process exits 75 and Lambda starts a fresh one.
  RetryPolicy retry;
  retry.max_attempts = kRuntimeApiAttempts;
  for (long n = 0; options.max_invocations == 0 || n < options.max_invocations; ++n) {
    HttpResponse next;
    for (int attempt = 1;; ++attempt) {
      std::string why;
      try {
        next = api.next(*http);
        if (next.status < 500) break;
        why = fmt::format("HTTP {}", next.status);
      } catch (const NetworkError& e) {
        why = e.what();
      }
      if (attempt >= retry.max_attempts)
        throw NetworkError(
            fmt::format("the Runtime API does not answer /next: {} ({} attempts)", why, attempt));
      log.warningf("the Runtime API /next: {}; trying again", why);
      backoff_wait(retry, attempt);
    }
    if (next.status != 200)
      throw ServiceError(fmt::format("the Runtime API answered /next with HTTP {}: {}", next.status,
                                     next.body.substr(0, 200)));
    InvocationInfo info = invocation_info(next, Clock::now(), log);

    Outcome outcome;
    {
      std::optional<Watchdog> watchdog;
      if (info.deadline)
        watchdog.emplace(api, log, api_env, info.request_id,
                         *info.deadline - options.deadline_margin);
      Context ctx{log, process_clock()};
      clients.attach(ctx);
      try {
        outcome = invoke(ctx, config, next.body, info);
      } catch (const Interrupted& e) {
        // Lambda's shutdown (or a kill): say so for this invocation, then end (143/130).
        InterruptShield shield;
        try {
          api.post(*http, fmt::format("/invocation/{}/error", info.request_id),
                   error_json(e.what(), "Runtime.Interrupted"), "Runtime.Interrupted");
        } catch (const Error& post_error) {
          log.errorf("invocation {}: cannot report the interruption: {}", info.request_id,
                     post_error.what());
        }
        throw;
      }
    }
    try {
      std::string path =
          fmt::format("/invocation/{}/{}", info.request_id, outcome.ok ? "response" : "error");
      long status = 0;
      for (int attempt = 1;; ++attempt) {
        std::string why;
        try {
          status = api.post(*http, path, outcome.body, outcome.ok ? "" : outcome.error_type);
          // A retry refused as InvalidStateTransition: the attempt before did arrive.
          if (attempt > 1 && status == 400) {
            log.debugf("invocation {}: the answer had arrived before", info.request_id);
            status = 202;
          }
          if (status < 500) break;
          why = fmt::format("HTTP {}", status);
        } catch (const NetworkError& e) {
          why = e.what();
        }
        if (attempt >= retry.max_attempts)
          throw NetworkError(fmt::format("{} ({} attempts)", why, attempt));
        log.warningf("invocation {}: posting the answer: {}; trying again", info.request_id, why);
        backoff_wait(retry, attempt);
      }
      if (status == 413 && outcome.ok) {
        status = api.post(*http, fmt::format("/invocation/{}/error", info.request_id),
                          error_json(fmt::format("the response of {} bytes is larger than "
                                                 "Lambda takes (6 MB)",
                                                 outcome.body.size()),
                                     "Runtime.ResponseTooLarge"),
                          "Runtime.ResponseTooLarge");
      }
      if (status < 200 || status >= 300)
        log.errorf("invocation {}: the Runtime API answered HTTP {}", info.request_id, status);
    } catch (const NetworkError& e) {
      throw NetworkError(
          fmt::format("invocation {}: cannot deliver the answer: {}", info.request_id, e.what()));
    }
  }
}

}  // namespace lamtool::lambda
