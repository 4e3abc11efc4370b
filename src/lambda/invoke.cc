#include <fmt/format.h>
#include <fmt/ranges.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "lamtool/encoding.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/job.h"
#include "lamtool/json_scan.h"
#include "lamtool/lambda.h"

namespace lamtool::lambda {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A directory of its own for one invocation (the event file, an HTTP answer's picture),
// removed with everything in it when the invocation ends.
class ScratchDir {
 public:
  ScratchDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = fmt::format("{}/lamtool-invoke-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(pattern.data()) == nullptr)
      throw OutputError(fmt::format("cannot create a directory in '{}': {}",
                                    fs::path(pattern).parent_path().string(),
                                    errno_message(errno)));
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string file(std::string_view name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string flag_of(std::string_view field) {
  std::string name = "--";
  for (char c : field) name += c == '_' ? '-' : c;
  return name;
}

// LAMTOOL_MAIL_TO for --mail-to; LAMTOOL_FRAMES for the positional "frames".
std::string env_name_of(std::string_view flag) {
  std::string name = "LAMTOOL_";
  for (char c : flag.substr(flag.starts_with("--") ? 2 : 0))
    name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::vector<std::string> split_commas(std::string_view s) {
  std::vector<std::string> out;
  for (size_t start = 0;;) {
    size_t comma = s.find(',', start);
    out.emplace_back(s.substr(start, comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string{} : std::string(v);
}

bool is_stream_batch(const json& ev) {
  if (!ev.is_object() || !ev.contains("Records") || !ev["Records"].is_array() ||
      ev["Records"].empty())
    return false;
  const json& r = ev["Records"][0];
  if (!r.is_object()) return false;
  std::string source = r.value("eventSource", "");
  return source == "aws:kinesis" || source == "aws:dynamodb";
}

bool is_http(const json& ev) {
  if (!ev.is_object() || !ev.contains("requestContext")) return false;
  if (ev.contains("httpMethod")) return true;  // API Gateway REST (v1)
  const json& rc = ev["requestContext"];
  return rc.is_object() && rc.contains("http") && rc["http"].is_object();  // v2, Function URL
}

json error_document(std::string_view message, std::string_view type) {
  return {{"errorMessage", message}, {"errorType", type}, {"stackTrace", json::array()}};
}

Outcome error_outcome(const Error& e) {
  return {.ok = false,
          .body = error_document(e.what(), e.name()).dump(),
          .error_type = e.name(),
          .exit_code = e.exit_code()};
}

// The worker's and mediator's messages: one object, an array, or {"messages": [...]},
// as JSON Lines.
std::string messages_as_lines(const json& ev) {
  const json* list = &ev;
  if (ev.is_object() && ev.contains("messages") && ev["messages"].is_array())
    list = &ev["messages"];
  std::string lines;
  if (list->is_array()) {
    for (const auto& m : *list) lines += m.dump() + "\n";
  } else {
    lines = ev.dump() + "\n";
  }
  return lines;
}

// One job, filled from the environment and then from the event.
struct PreparedJob {
  std::unique_ptr<JobInstance> job;
  FlagMap flags;
};

PreparedJob prepare(const HandlerConfig& config) {
  PreparedJob p;
  p.job = find_job(config.handler->job)->make();
  p.job->declare(p.flags);
  for (const auto& [name, value] : config.env_flags) p.flags.set(name, value);
  return p;
}

// Sets the flags of a direct event's fields: strings as they are, numbers as written,
// true for a flag without a value (false and null: left out), arrays one value each.
void set_fields(FlagMap& flags, const json& ev, std::string_view handler) {
  if (!ev.is_object())
    throw DataError(
        fmt::format("event: the {} handler takes a JSON object of its flags "
                    "(for example {{\"game_id\": \"2024020003\"}})",
                    handler));
  for (const auto& [key, value] : ev.items()) {
    std::string name = flag_of(key);
    if (flags.specs().count(name) == 0 && flags.specs().count(key) != 0) name = key;  // positional
    if (flags.specs().count(name) == 0)
      throw UsageError(
          fmt::format("event field '{}': the {} handler has no such flag", key, handler));
    // `field`: clang 14 (the fuzz build) cannot capture a structured binding.
    auto set_one = [&, &field = key](const json& v) {
      if (v.is_string())
        flags.set(name, v.get<std::string>());
      else if (v.is_number())
        flags.set(name, v.dump());
      else if (v.is_boolean()) {
        if (v.get<bool>()) flags.set(name, "");
      } else if (!v.is_null()) {
        throw UsageError(
            fmt::format("event field '{}': expected a string, number or boolean", field));
      }
    };
    if (value.is_array())
      for (const auto& v : value) set_one(v);
    else
      set_one(value);
  }
}

// ---- HTTP (API Gateway REST v1 and HTTP v2 proxy events, Function URLs) ----

json http_response(int status, const json& body_json, std::string allow = {}) {
  json headers = {{"Content-Type", "application/json"}};
  if (!allow.empty()) headers["Allow"] = allow;
  return {{"statusCode", status},
          {"headers", headers},
          {"isBase64Encoded", false},
          {"body", body_json.dump()}};
}

int http_status_of(const Error& e) {
  switch (e.exit_code()) {
    case exit_code::kUsage:
    case exit_code::kDataErr:
      return 400;
    case exit_code::kNoInput:
      return 404;
    case exit_code::kUnavailable:
    case exit_code::kTempFail:
    case exit_code::kNoPerm:
      return 502;
    default:
      return 500;
  }
}

bool is_text(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type.starts_with("image/svg+xml");
}

// The query parameters, one pair per value (v1 multiValueQueryStringParameters when
// present; v2 joins repeated values with commas, kept as one value).
std::vector<std::pair<std::string, std::string>> query_of(const json& ev) {
  std::vector<std::pair<std::string, std::string>> out;
  const char* field = ev.contains("multiValueQueryStringParameters") &&
                              ev["multiValueQueryStringParameters"].is_object()
                          ? "multiValueQueryStringParameters"
                          : "queryStringParameters";
  if (!ev.contains(field) || !ev[field].is_object()) return out;
  for (const auto& [k, v] : ev[field].items()) {
    if (v.is_array()) {
      for (const auto& x : v)
        if (x.is_string()) out.emplace_back(k, x.get<std::string>());
    } else if (v.is_string()) {
      out.emplace_back(k, v.get<std::string>());
    }
  }
  return out;
}

json invoke_http(Context& ctx, const HandlerConfig& config, const json& ev) {
  const Handler& h = *config.handler;
  std::string method = ev.contains("httpMethod") ? ev.value("httpMethod", "")
                                                 : ev["requestContext"]["http"].value("method", "");
  std::string path = ev.contains("rawPath") ? ev.value("rawPath", "/") : ev.value("path", "/");
  if (h.http_params.empty())
    return http_response(404, {{"error", fmt::format("the {} handler does not answer HTTP "
                                                     "requests",
                                                     h.name)}});
  if (method != "GET" && method != "HEAD")
    return http_response(405,
                         {{"error", fmt::format("method {} not allowed: use GET or HEAD", method)}},
                         "GET, HEAD");
  std::string last = path.substr(path.find_last_of('/') + 1);
  if (!last.empty() && last != h.name)
    return http_response(404,
                         {{"error", fmt::format("no such path '{}': ask for /{}", path, h.name)}});
  try {
    ScratchDir dir;
    PreparedJob p = prepare(config);
    bool want_manifest = false;
    for (const auto& [key, value] : query_of(ev)) {
      if (key == "json") {
        want_manifest = value == "1" || value == "true";
        continue;
      }
      if (std::find(h.http_params.begin(), h.http_params.end(), key) == h.http_params.end())
        throw UsageError(fmt::format("unknown parameter '{}': the {} handler takes {} and json",
                                     key, h.name, fmt::join(h.http_params, ", ")));
      p.flags.set(flag_of(key), value);
    }
    p.flags.set("--to", dir.file("out") + "/");
    Manifest m = p.job->run(ctx);
    if (want_manifest)
      return {{"statusCode", 200},
              {"headers", {{"Content-Type", "application/json"}}},
              {"isBase64Encoded", false},
              {"body", method == "HEAD" ? std::string() : m.dump()}};
    const json& out = m.json()["outputs"][0];
    std::string content_type = out.value("content_type", "application/octet-stream");
    std::string bytes = read_file(out.value("uri", ""));
    bool text = is_text(content_type);
    return {{"statusCode", 200},
            {"headers", {{"Content-Type", content_type}}},
            {"isBase64Encoded", !text},
            {"body", method == "HEAD" ? std::string()
                     : text           ? bytes
                                      : base64_encode(bytes)}};
  } catch (const Interrupted&) {
    throw;  // the process ends (130/143), it does not answer
  } catch (const Error& e) {
    ctx.log.error(e.what());
    return http_response(http_status_of(e), {{"error", e.what()}});
  }
}

}  // namespace

const std::vector<Handler>& handlers() {
  static const std::vector<Handler> kHandlers = {
      {.name = "alarm", .job = "alarm", .event_as_input = true, .http_params = {}},
      {.name = "gif", .job = "gif", .event_as_input = false, .http_params = {}},
      {.name = "mediator", .job = "mediator", .event_as_input = true, .http_params = {}},
      {.name = "plot-candles", .job = "plot-candles", .event_as_input = true, .http_params = {}},
      {.name = "predict", .job = "predict", .event_as_input = true, .http_params = {}},
      {.name = "shotmap",
       .job = "shotmap",
       .event_as_input = false,
       .http_params = {"game_id", "format", "size", "strength", "period", "kde", "bw"}},
      {.name = "worker", .job = "worker", .event_as_input = true, .http_params = {}},
  };
  return kHandlers;
}

const Handler& find_handler(std::string_view name) {
  for (const auto& h : handlers())
    if (h.name == name) return h;
  std::vector<std::string_view> names;
  for (const auto& h : handlers()) names.push_back(h.name);
  throw ConfigError(fmt::format("handler '{}': expected one of {} (_HANDLER or --handler)", name,
                                fmt::join(names, ", ")));
}

HandlerConfig handler_config_from_env(std::string_view name) {
  HandlerConfig config;
  config.handler = &find_handler(name);
  PreparedJob p;
  p.job = find_job(config.handler->job)->make();
  p.job->declare(p.flags);
  std::set<std::string> seen;
  for (const auto& [flag_name, spec] : p.flags.specs()) {
    // Each flag once, by its long name (specs() holds every name of a flag).
    std::string long_name = spec.names.substr(spec.names.rfind(',') + 1);
    if (flag_name != long_name || !seen.insert(long_name).second) continue;
    if (long_name == "--in" && config.handler->event_as_input) continue;  // the event
    std::string var = env_name_of(long_name);
    std::string value = env(var.c_str());
    if (value.empty()) continue;
    std::vector<std::string> values = spec.repeated ? split_commas(value) : std::vector{value};
    for (const auto& v : values) {
      try {
        p.flags.set(long_name, v);
      } catch (const UsageError& e) {
        throw ConfigError(fmt::format("{}: {}", var, e.what()));
      }
      config.env_flags.emplace_back(long_name, v);
    }
  }
  auto has = [&config](std::string_view flag) {
    return std::any_of(config.env_flags.begin(), config.env_flags.end(),
                       [&](const auto& f) { return f.first == flag; });
  };
  // The originals' own variables.
  std::string_view h = config.handler->name;
  if (std::string bucket = env("S3_BUCKET"); !bucket.empty()) {
    const char* flag = h == "worker" ? "--store" : "--to";
    if ((h == "shotmap" || h == "plot-candles" || h == "gif" || h == "worker") && !has(flag))
      config.env_flags.emplace_back(flag, fmt::format("s3://{}/", bucket));
  }
  if (std::string stream = env("OUTPUT_STREAM"); !stream.empty() && h == "predict" && !has("--to"))
    config.env_flags.emplace_back("--to", "kinesis://" + stream);
  // Jobs whose output has nowhere to go in Lambda (/var/task is read-only) say so now.
  if ((h == "predict" || h == "plot-candles") && !has("--to"))
    throw ConfigError(
        fmt::format("the {} handler has no destination: set {} or LAMTOOL_TO", h,
                    h == "predict" ? "OUTPUT_STREAM (a Kinesis stream)" : "S3_BUCKET"));
  // Every value once more on a fresh job, so a bad S3_BUCKET is named now, not per event.
  PreparedJob check;
  check.job = find_job(config.handler->job)->make();
  check.job->declare(check.flags);
  for (const auto& [flag, value] : config.env_flags) {
    try {
      check.flags.set(flag, value);
    } catch (const UsageError& e) {
      throw ConfigError(fmt::format("{} from the environment: {}", flag, e.what()));
    }
  }
  return config;
}

Outcome invoke(Context& ctx, const HandlerConfig& config, std::string_view event,
               const InvocationInfo& info) {
  if (info.trace_id.empty())
    unsetenv("_X_AMZN_TRACE_ID");
  else
    setenv("_X_AMZN_TRACE_ID", info.trace_id.c_str(), 1);
  ctx.log.debugf("invocation {} of {}{}{}", info.request_id, config.handler->name,
                 info.trace_id.empty() ? "" : ", _X_AMZN_TRACE_ID=",
                 info.trace_id.empty() ? "" : std::getenv("_X_AMZN_TRACE_ID"));
  ctx.json = true;
  ctx.dry_run = false;
  // json_scan, not nlohmann::json::parse: an event nested deeper than 512 levels is
  // refused here rather than overflowing the stack when it is copied or dumped (one bad
  // event must not kill the runtime loop).
  json ev;
  std::string parse_error;
  if (!json_scan::parse(event, ev, parse_error)) {
    DataError e(fmt::format("event: not JSON ({})", parse_error));
    ctx.log.error(e.what());
    return error_outcome(e);
  }
  if (is_http(ev)) return {.ok = true, .body = invoke_http(ctx, config, ev).dump()};
  const Handler& h = *config.handler;
  try {
    ScratchDir dir;
    PreparedJob p = prepare(config);
    bool messages = h.name == "worker" || h.name == "mediator";
    if (h.event_as_input) {
      std::string in = dir.file("event.json");
      write_file_atomic(in, messages ? messages_as_lines(ev) : std::string(event));
      p.flags.set("--in", in);
      if (messages) p.flags.set("--to", dir.file("messages.jsonl"));
    } else {
      set_fields(p.flags, ev, h.name);
    }
    Manifest m = p.job->run(ctx);
    json response;
    if (is_stream_batch(ev)) {
      response = {{"batchItemFailures", m.json().value("batchItemFailures", json::array())}};
    } else {
      response = m.json();
      if (messages) {
        json list = json::array();
        std::string lines = read_file(dir.file("messages.jsonl"));
        for (size_t start = 0; start < lines.size();) {
          size_t end = lines.find('\n', start);
          std::string_view line = std::string_view(lines).substr(start, end - start);
          if (!line.empty()) list.push_back(json::parse(line));
          start = end == std::string::npos ? lines.size() : end + 1;
        }
        response["messages"] = std::move(list);
      }
    }
    return {.ok = true, .body = response.dump(), .exit_code = m.exit_code()};
  } catch (const Interrupted&) {
    throw;  // the process ends (130/143), it does not answer
  } catch (const Error& e) {
    ctx.log.error(e.what());
    return error_outcome(e);
  } catch (const std::exception& e) {
    ctx.log.errorf("internal error: {}", e.what());
    return {
        .ok = false,
        .body = error_document(fmt::format("internal error: {}", e.what()), "Runtime.InternalError")
                    .dump(),
        .error_type = "Runtime.InternalError",
        .exit_code = exit_code::kSoftware};
  }
}

}  // namespace lamtool::lambda
