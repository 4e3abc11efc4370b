#include "lamtool/sources.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "lamtool/aws/s3.h"
#include "lamtool/encoding.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/http.h"
#include "lamtool/jobs/s3.h"
#include "lamtool/progress.h"

namespace lamtool {

SourceKind source_kind(std::string_view name) {
  if (name.starts_with("http://") || name.starts_with("https://")) return SourceKind::kUrl;
  if (name.starts_with("s3://")) return SourceKind::kS3;
  return SourceKind::kFile;
}

std::string source_base_name(std::string_view name) {
  std::string_view path = name;
  if (source_kind(name) == SourceKind::kUrl) {
    size_t scheme = path.find("://");
    path.remove_prefix(scheme + 3);
    size_t slash = path.find('/');
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
    path = path.substr(0, path.find_first_of("?#"));
  }
  size_t slash = path.rfind('/');
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  return source_kind(name) == SourceKind::kFile ? std::string(path) : percent_decode(path);
}

namespace {

std::string fetch_url(HttpClient& http, const std::string& url, const FetchOptions& options,
                      Logger& log) {
  HttpRequest request;
  request.url = url;
  request.timeout = std::chrono::milliseconds(60000);
  RetryPolicy policy;
  policy.max_attempts = std::max(1, options.attempts);
  HttpResponse response;
  try {
    response =
        send_with_retries(http, request, policy, {}, [&](int attempt, const std::string& why) {
          log.debugf("'{}': attempt {} failed ({}), retrying", redact_url(url), attempt, why);
        });
  } catch (const NetworkError& e) {
    throw NetworkError(fmt::format("'{}': {} (after {} attempts)", redact_url(url), e.what(),
                                   policy.max_attempts));
  }
  if (response.status >= 200 && response.status < 300) {
    if (response.body.size() > options.max_bytes)
      throw DataError(fmt::format("'{}': {} bytes, more than the {} taken", redact_url(url),
                                  response.body.size(), options.max_bytes));
    return std::move(response.body);
  }
  if (is_retryable_status(response))
    throw NetworkError(fmt::format("'{}': HTTP {} (after {} attempts)", redact_url(url),
                                   response.status, policy.max_attempts));
  throw InputError(fmt::format("'{}': HTTP {}", redact_url(url), response.status));
}

}  // namespace

std::vector<std::string> read_sources(Context& ctx, const std::vector<std::string>& names,
                                      const FetchOptions& options) {
  std::vector<std::string> out(names.size());
  std::vector<size_t> remote;
  for (size_t i = 0; i < names.size(); ++i) {
    if (source_kind(names[i]) == SourceKind::kFile) {
      out[i] = read_file(names[i]);
      if (out[i].size() > options.max_bytes)
        throw DataError(fmt::format("'{}': {} bytes, more than the {} taken", names[i],
                                    out[i].size(), options.max_bytes));
    } else {
      if (source_kind(names[i]) == SourceKind::kS3) jobs::parse_s3_object(names[i]);
      remote.push_back(i);
    }
  }
  if (remote.empty()) return out;

  bool any_url = std::any_of(remote.begin(), remote.end(),
                             [&](size_t i) { return source_kind(names[i]) == SourceKind::kUrl; });
  if (any_url && !ctx.make_http) throw ConfigError("no network access to fetch URLs");
  ProgressBar bar(options.label, remote.size(), progress_enabled(ctx.log));
  std::mutex mu;
  std::vector<std::exception_ptr> errors(names.size());
  std::atomic<size_t> next{0};
  // S3 objects go through the one S3 client, one at a time; URLs each through a
  // connection of their thread's own.
  std::mutex s3_mu;
  auto work = [&] {
    std::unique_ptr<HttpClient> http;
    for (size_t k = next++; k < remote.size(); k = next++) {
      size_t i = remote[k];
      try {
        if (source_kind(names[i]) == SourceKind::kUrl) {
          if (!http) http = ctx.make_http();
          out[i] = fetch_url(*http, names[i], options, ctx.log);
        } else {
          auto [bucket, key] = jobs::parse_s3_object(names[i]);
          std::lock_guard<std::mutex> lock(s3_mu);
          out[i] = ctx.s3().get_object(bucket, key).body;
        }
      } catch (...) {
        errors[i] = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mu);
      bar.add();
    }
  };
  size_t n = std::min<size_t>(remote.size(), static_cast<size_t>(std::max(1, options.parallel)));
  std::vector<std::thread> threads;
  for (size_t t = 1; t < n; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  bar.finish();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return out;
}

}  // namespace lamtool
