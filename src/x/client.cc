#include "lamtool/x/client.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "lamtool/digest.h"
#include "lamtool/encoding.h"
#include "lamtool/error.h"
#include "lamtool/interrupt.h"
#include "lamtool/log.h"
#include "lamtool/parse.h"

namespace lamtool::x {

namespace {

constexpr int kMaxRateLimitWaits = 5;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string{} : std::string(v);
}

// The most useful sentence of an X error body: v2 problems carry `detail` (and
// `errors[].message`), v1.1 errors `errors[].message`; else the start of the body.
std::string error_message(const HttpResponse& r) {
  try {
    auto j = nlohmann::json::parse(r.body);
    std::vector<std::string> parts;
    if (j.contains("errors") && j["errors"].is_array())
      for (const auto& e : j["errors"])
        if (e.contains("message") && e["message"].is_string())
          parts.push_back(e["message"].get<std::string>());
    if (parts.empty() && j.contains("detail") && j["detail"].is_string())
      parts.push_back(j["detail"].get<std::string>());
    if (parts.empty() && j.contains("title") && j["title"].is_string())
      parts.push_back(j["title"].get<std::string>());
    if (!parts.empty()) return fmt::format("{}", fmt::join(parts, "; "));
  } catch (const nlohmann::json::exception&) {
  }
  std::string text = r.body.substr(0, 200);
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text.empty() ? "no message" : text;
}

nlohmann::json parse_body(const HttpResponse& r, const std::string& what) {
  try {
    return nlohmann::json::parse(r.body);
  } catch (const nlohmann::json::exception&) {
    throw ServiceError(
        fmt::format("X API {}: the answer is not JSON: '{}'", what, r.body.substr(0, 120)));
  }
}

// data.<field> as a string (X sends ids as strings; a number is accepted too).
std::string data_string(const nlohmann::json& j, const char* field, const std::string& what) {
  if (j.contains("data") && j["data"].is_object() && j["data"].contains(field)) {
    const auto& v = j["data"][field];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  }
  throw ServiceError(fmt::format("X API {}: the answer has no data.{}", what, field));
}

// A multipart/form-data body of text fields and one file field named "media".
struct FormData {
  std::string boundary = "lamtool-" + random_alnum(24);
  std::string body;

  void field(std::string_view name, std::string_view value) {
    body += fmt::format("--{}\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n{}\r\n",
                        boundary, name, value);
  }
  void file(std::string_view name, std::string_view content_type, std::string_view bytes) {
    body += fmt::format(
        "--{}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"blob\"\r\n"
        "Content-Type: {}\r\n\r\n",
        boundary, name, content_type);
    body.append(bytes);
    body += "\r\n";
  }
  HttpRequest request(std::string url) && {
    body += fmt::format("--{}--\r\n", boundary);
    HttpRequest r;
    r.method = "POST";
    r.url = std::move(url);
    r.headers.emplace_back("Content-Type", "multipart/form-data; boundary=" + boundary);
    r.body = std::move(body);
    return r;
  }
};

HttpRequest json_request(std::string method, std::string url, const nlohmann::json& body) {
  HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  if (!body.is_null()) {
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = body.dump();
  }
  return r;
}

}  // namespace

XConfig x_config_from_env() {
  XConfig c;
  struct Var {
    const char* name;
    std::string* value;
  } vars[] = {{"X_API_KEY", &c.credentials.consumer_key},
              {"X_API_SECRET", &c.credentials.consumer_secret},
              {"X_ACCESS_TOKEN", &c.credentials.token},
              {"X_ACCESS_TOKEN_SECRET", &c.credentials.token_secret}};
  std::vector<std::string> missing;
  for (auto& v : vars) {
    *v.value = env(v.name);
    if (v.value->empty())
      missing.emplace_back(v.name);
    else
      add_secret(*v.value);
  }
  if (!missing.empty())
    throw ConfigError(fmt::format(
        "X credentials: {} not set (the app's API key and secret and the user's access token "
        "and secret, from the X developer portal)",
        fmt::join(missing, ", ")));
  if (std::string url = env("LAMTOOL_X_API_URL"); !url.empty()) {
    while (url.ends_with('/')) url.pop_back();
    bool https = url.starts_with("https://");
    if (!https && !url.starts_with("http://"))
      throw ConfigError(
          fmt::format("LAMTOOL_X_API_URL '{}': expected http(s)://host[:port]", redact_url(url)));
    std::string host = url_host(url);
    if (host.empty() || url.find('@') != std::string::npos)
      throw ConfigError(
          fmt::format("LAMTOOL_X_API_URL '{}': expected http(s)://host[:port]", redact_url(url)));
    if (!https && !is_loopback_host(host))
      throw ConfigError(fmt::format(
          "LAMTOOL_X_API_URL '{}': plain http only to this machine (127.0.0.1, localhost); "
          "use https",
          url));
    c.api_url = url;
  }
  return c;
}

XClient::XClient(HttpClient& http, XConfig config, Logger& log, XClientOptions options)
    : http_(http), config_(std::move(config)), log_(log), options_(std::move(options)) {
  if (!options_.sleep) options_.sleep = [](std::chrono::milliseconds d) { interruptible_sleep(d); };
  if (!options_.retry.sleep) options_.retry.sleep = options_.sleep;
  if (!options_.now)
    options_.now = [] {
      return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    };
}

HttpResponse XClient::send(HttpRequest request, const std::string& what) {
  bool ambiguous = false;  // an earlier attempt may have reached X without an answer
  bool resigned = false;   // signed anew after a resend (below)
  int rate_waits = 0;
  for (int attempt = 1;; ++attempt) {
    sign_request(request, config_.credentials, options_.now());  // replaces the last signature
    HttpResponse r;
    try {
      r = http_.send(request);
    } catch (const NetworkError& e) {
      if (attempt >= options_.retry.max_attempts)
        throw NetworkError(fmt::format("X API {}: {} ({} attempts)", what, e.what(), attempt));
      log_.debugf("X API {}: {}; trying again", what, e.what());
      ambiguous = true;
      backoff_wait(options_.retry, attempt);
      continue;
    }
    log_.debugf("X API {} -> HTTP {}", what, r.status);
    if (r.status >= 200 && r.status < 300) return r;
    // libcurl sends a request again by itself when a reused connection dies before the
    // answer; if X had taken the first copy, the second replays its nonce and X answers
    // 401. Signed anew (a fresh nonce), it goes once more.
    if (r.status == 401 && r.resent && !resigned) {
      log_.debugf("X API {}: 401 after the transport resent the request; signing it anew", what);
      resigned = true;
      ambiguous = true;
      continue;
    }
    if (r.status == 429) {
      Seconds now = options_.now();
      Seconds reset =
          now + std::chrono::seconds(60);  // X's windows are 15 minutes; no header: a minute
      if (auto it = r.headers.find("x-rate-limit-reset"); it != r.headers.end()) {
        try {
          reset = Seconds(std::chrono::seconds(parse_int(it->second, "x-rate-limit-reset")));
        } catch (const Error&) {
        }
      }
      auto wait = std::max(reset - now, std::chrono::seconds(0)) + std::chrono::seconds(1);
      if (wait > options_.max_rate_limit_wait || ++rate_waits > kMaxRateLimitWaits)
        throw NetworkError(fmt::format(
            "X API {}: rate limited until {:%Y-%m-%dT%H:%M:%SZ} ({} s from now), longer than "
            "lamtool waits ({} s, --max-wait)",
            what, reset, (reset - now).count(), options_.max_rate_limit_wait.count()));
      log_.infof("X API {}: rate limited; waiting {} s for the window to reset", what,
                 wait.count());
      options_.sleep(wait);
      attempt = 0;
      continue;
    }
    if (r.status >= 500) {
      if (attempt >= options_.retry.max_attempts)
        throw NetworkError(fmt::format("X API {}: HTTP {}: {} ({} attempts)", what, r.status,
                                       error_message(r), attempt));
      log_.debugf("X API {}: HTTP {}; trying again", what, r.status);
      ambiguous = true;
      backoff_wait(options_.retry, attempt);
      continue;
    }
    std::string message = error_message(r);
    if (r.status == 403 && message.find("duplicate") != std::string::npos)
      throw ServiceError(fmt::format(
          "X refused the post as duplicate content: '{}'{}", message,
          ambiguous ? " (an earlier attempt that got no answer may have posted it: check the "
                      "account's timeline)"
                    : " (X refuses a text identical to one of the account's recent posts)"));
    if (r.status == 401 || r.status == 403)
      throw AuthError(
          fmt::format("X API {}: HTTP {}: {} (check X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and "
                      "X_ACCESS_TOKEN_SECRET, and that the app has read and write permission)",
                      what, r.status, message));
    throw ServiceError(fmt::format("X API {}: HTTP {}: {}", what, r.status, message));
  }
}

UploadedMedia XClient::upload_media(std::string_view bytes, const std::string& content_type,
                                    bool animated, const std::string& name) {
  const std::string& base = config_.api_url;
  UploadedMedia m;
  if (!animated) {
    FormData form;
    form.field("media_category", "tweet_image");
    form.field("media_type", content_type);
    form.file("media", content_type, bytes);
    std::string what = fmt::format("POST /2/media/upload ('{}')", name);
    auto j = parse_body(send(std::move(form).request(base + "/2/media/upload"), what), what);
    m.media_id = data_string(j, "id", what);
    if (j["data"].contains("media_key") && j["data"]["media_key"].is_string())
      m.media_key = j["data"]["media_key"];
    return m;
  }
  // Chunked: initialize, append each chunk, finalize, then poll until processed.
  m.chunked = true;
  std::string what = fmt::format("POST /2/media/upload/initialize ('{}')", name);
  auto init = parse_body(send(json_request("POST", base + "/2/media/upload/initialize",
                                           {{"media_type", content_type},
                                            {"total_bytes", bytes.size()},
                                            {"media_category", "tweet_gif"}}),
                              what),
                         what);
  m.media_id = data_string(init, "id", what);
  if (init["data"].contains("media_key") && init["data"]["media_key"].is_string())
    m.media_key = init["data"]["media_key"];
  const std::string id_path = base + "/2/media/upload/" + percent_encode(m.media_id);
  for (size_t offset = 0, index = 0; offset < bytes.size();
       offset += options_.chunk_bytes, ++index) {
    FormData form;
    form.field("segment_index", std::to_string(index));
    form.file("media", "application/octet-stream", bytes.substr(offset, options_.chunk_bytes));
    send(std::move(form).request(id_path + "/append"),
         fmt::format("POST /2/media/upload/ID/append segment {} ('{}')", index, name));
    ++m.segments;
  }
  what = fmt::format("POST /2/media/upload/ID/finalize ('{}')", name);
  auto fin = parse_body(send(json_request("POST", id_path + "/finalize", nullptr), what), what);
  nlohmann::json info = fin["data"].value("processing_info", nlohmann::json());
  while (info.is_object()) {
    std::string state = info.value("state", "");
    if (state == "succeeded") break;
    if (state == "failed") {
      std::string why = info.contains("error") && info["error"].is_object()
                            ? info["error"].value("message", info["error"].value("name", "failed"))
                            : "failed";
      throw ServiceError(fmt::format("X could not process '{}': {}", name, why));
    }
    if (m.status_polls >= options_.max_status_polls)
      throw NetworkError(
          fmt::format("X is still processing '{}' after {} status checks", name, m.status_polls));
    int after = std::clamp(info.value("check_after_secs", 1), 0, 60);
    log_.debugf("X is processing '{}' ({}): checking again in {} s", name, state, after);
    options_.sleep(std::chrono::seconds(after));
    ++m.status_polls;
    what = fmt::format("GET /2/media/upload STATUS ('{}')", name);
    auto status = parse_body(send(json_request("GET",
                                               base + "/2/media/upload?command=STATUS&media_id=" +
                                                   percent_encode(m.media_id),
                                               nullptr),
                                  what),
                             what);
    info = status.contains("data") && status["data"].is_object()
               ? status["data"].value("processing_info", nlohmann::json())
               : nlohmann::json();
  }
  return m;
}

void XClient::set_alt_text(const std::string& media_id, const std::string& alt_text) {
  send(json_request("POST", config_.api_url + "/2/media/metadata",
                    {{"id", media_id}, {"metadata", {{"alt_text", {{"text", alt_text}}}}}}),
       "POST /2/media/metadata");
}

PostedTweet XClient::post(const std::string& text, const std::vector<std::string>& media_ids) {
  nlohmann::json body = nlohmann::json::object();
  if (!text.empty()) body["text"] = text;
  if (!media_ids.empty()) body["media"] = {{"media_ids", media_ids}};
  const std::string what = "POST /2/tweets";
  auto j = parse_body(send(json_request("POST", config_.api_url + "/2/tweets", body), what), what);
  PostedTweet t;
  t.id = data_string(j, "id", what);
  t.url = "https://x.com/i/status/" + t.id;
  return t;
}

namespace {

// One UTF-8 code point at text[i]; advances i. Invalid bytes come back one at a time as
// U+FFFD's stand-in value -1.
long next_code_point(std::string_view text, size_t& i) {
  auto b = static_cast<unsigned char>(text[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > text.size()) {
    ++i;
    return -1;
  }
  long cp = len == 1 ? b : b & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(text[i + k]);
    if ((c >> 6) != 2) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += len;
  return cp;
}

bool light(long cp) {
  return (cp >= 0 && cp <= 0x10FF) || (cp >= 0x2000 && cp <= 0x200D) ||
         (cp >= 0x2010 && cp <= 0x201F) || (cp >= 0x2032 && cp <= 0x2037);
}

// Code points that extend the emoji before them instead of counting on their own.
bool emoji_extender(long cp) {
  return cp == 0xFE0F || cp == 0xFE0E || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
         (cp >= 0xE0020 && cp <= 0xE007F) || cp == 0x20E3;
}

}  // namespace

size_t weighted_length(std::string_view text) {
  constexpr size_t kUrlWeight = 23;
  size_t total = 0;
  bool joined = false;  // the previous code point was a ZWJ inside an emoji sequence
  long previous = 0;
  for (size_t i = 0; i < text.size();) {
    // A URL: http(s):// up to the next white space counts 23 whatever its length.
    std::string_view rest = text.substr(i);
    if (rest.starts_with("http://") || rest.starts_with("https://")) {
      size_t end = rest.find_first_of(" \t\r\n");
      i += end == std::string_view::npos ? rest.size() : end;
      total += kUrlWeight;
      joined = false;
      previous = 0;
      continue;
    }
    long cp = next_code_point(text, i);
    if (cp == 0x200D && previous >= 0x2000 && !light(previous)) {
      joined = true;  // ZWJ: the next code point belongs to the same emoji
      continue;
    }
    if (joined || (emoji_extender(cp) && previous != 0 && !light(previous))) {
      joined = false;
      previous = cp == 0xFE0F || emoji_extender(cp) ? previous : cp;
      continue;
    }
    total += light(cp) || cp < 0 ? 1 : 2;
    previous = cp;
  }
  return total;
}

}  // namespace lamtool::x
