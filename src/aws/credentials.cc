#include "lamtool/aws/credentials.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "lamtool/error.h"
#include "lamtool/fs.h"

namespace lamtool::aws {

namespace {

constexpr std::chrono::minutes kRefreshMargin{5};

TimedCredentials remember(TimedCredentials c) {
  add_secret(c.credentials.secret_access_key);
  add_secret(c.credentials.session_token);
  return c;
}

std::optional<TimedCredentials> from_environment(const Env& env) {
  auto id = env_value(env, "AWS_ACCESS_KEY_ID");
  auto secret = env_value(env, "AWS_SECRET_ACCESS_KEY");
  if (!id && !secret) return std::nullopt;
  if (!id || !secret)
    throw ConfigError(fmt::format("{} is set but {} is not",
                                  id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                                  id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"));
  TimedCredentials c;
  c.credentials = {*id, *secret, env_value(env, "AWS_SESSION_TOKEN").value_or(""), "environment"};
  return c;
}

// The profile's keys in one INI file; `section` is the section name to look for.
std::optional<TimedCredentials> from_ini(const std::string& path, const std::string& section,
                                         const std::string& profile) {
  auto ini = read_ini_file(path);
  if (!ini) return std::nullopt;
  auto it = ini->find(section);
  if (it == ini->end()) return std::nullopt;
  const auto& kv = it->second;
  auto get = [&kv](const char* k) {
    auto f = kv.find(k);
    return f == kv.end() ? std::string() : f->second;
  };
  std::string id = get("aws_access_key_id");
  std::string secret = get("aws_secret_access_key");
  if (id.empty() && secret.empty()) return std::nullopt;
  if (id.empty() || secret.empty())
    throw ConfigError(fmt::format("profile '{}' in '{}' lacks {}", profile, path,
                                  id.empty() ? "aws_access_key_id" : "aws_secret_access_key"));
  TimedCredentials c;
  c.credentials = {id, secret, get("aws_session_token"),
                   fmt::format("profile '{}' in '{}'", profile, path)};
  return c;
}

std::optional<TimedCredentials> from_shared_files(const Env& env) {
  std::string profile = profile_name(env);
  if (auto c = from_ini(credentials_file_path(env), profile, profile)) return c;
  std::string path = config_file_path(env);
  if (auto c = from_ini(path, "profile " + profile, profile)) return c;
  if (profile == "default") return from_ini(path, "default", profile);
  return std::nullopt;
}

}  // namespace

TimedCredentials parse_credentials_json(const std::string& body, const std::string& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception&) {
    throw AuthError(fmt::format("{}: answer is not JSON", source));
  }
  if (j.contains("Code") && j["Code"] != "Success")
    throw AuthError(fmt::format("{}: {}", source, j["Code"].dump()));
  auto str = [&j](const char* k) {
    return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
  };
  TimedCredentials c;
  c.credentials = {str("AccessKeyId"), str("SecretAccessKey"), str("Token"), source};
  add_secret(c.credentials.secret_access_key);
  add_secret(c.credentials.session_token);
  if (c.credentials.access_key_id.empty() || c.credentials.secret_access_key.empty())
    throw AuthError(fmt::format("{}: answer lacks AccessKeyId or SecretAccessKey", source));
  c.expiration = parse_rfc3339(str("Expiration"));
  return c;
}

namespace {

std::string container_url(const Env& env) {
  if (auto rel = env_value(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"))
    return std::string(kContainerHost) + *rel;
  return env_value(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI").value_or("");
}

std::string container_token(const Env& env) {
  if (auto t = env_value(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN")) return *t;
  if (auto path = env_value(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    std::string t = read_file(*path);
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
    return t;
  }
  return {};
}

HttpResponse fetch(HttpClient& http, HttpRequest req, const std::string& what,
                   const ChainOptions& o) {
  req.timeout = o.metadata_timeout;
  HttpResponse r = http.send(req);
  if (r.status == 401 || r.status == 403)
    throw AuthError(fmt::format("{}: {} refused", what, r.status));
  if (r.status != 200) throw NetworkError(fmt::format("{}: HTTP {}", what, r.status));
  return r;
}

std::string imds_endpoint(const Env& env) {
  std::string e =
      env_value(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or(std::string(kImdsEndpoint));
  while (!e.empty() && e.back() == '/') e.pop_back();
  return e;
}

}  // namespace

std::optional<TimedCredentials> container_credentials(const Env& env, HttpClient& http,
                                                      const ChainOptions& o) {
  std::string url = container_url(env);
  if (url.empty()) return std::nullopt;
  HttpRequest req;
  req.url = url;
  std::string token = container_token(env);
  add_secret(token);
  if (!token.empty()) req.headers.emplace_back("Authorization", token);
  std::string what = fmt::format("container credentials '{}'", url);
  return parse_credentials_json(fetch(http, req, what, o).body, "container credentials");
}

std::optional<TimedCredentials> imds_credentials(const Env& env, HttpClient& http,
                                                 const ChainOptions& o) {
  auto disabled = env_value(env, "AWS_EC2_METADATA_DISABLED");
  if (disabled && (*disabled == "true" || *disabled == "TRUE" || *disabled == "True"))
    return std::nullopt;
  std::string base = imds_endpoint(env);
  std::string what = fmt::format("instance metadata '{}'", base);
  HttpRequest put{.method = "PUT",
                  .url = base + "/latest/api/token",
                  .headers = {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}},
                  .body = {}};
  std::string token = fetch(http, put, what, o).body;
  add_secret(token);
  const std::string creds_url = base + "/latest/meta-data/iam/security-credentials/";
  HttpRequest list{.url = creds_url, .headers = {{"X-aws-ec2-metadata-token", token}}, .body = {}};
  std::string role = fetch(http, list, what, o).body;
  role = role.substr(0, role.find('\n'));
  if (role.empty()) throw AuthError(fmt::format("{}: no IAM role attached", what));
  HttpRequest get{
      .url = creds_url + role, .headers = {{"X-aws-ec2-metadata-token", token}}, .body = {}};
  return parse_credentials_json(fetch(http, get, what, o).body, "instance metadata");
}

TimedCredentials resolve_credentials(const Env& env, HttpClient& http, Logger& log,
                                     const ChainOptions& o) {
  std::vector<std::string> looked;
  if (auto c = from_environment(env)) return remember(*c);
  looked.emplace_back("environment (AWS_SECRET_ACCESS_KEY, AWS_ACCESS_KEY_ID)");
  if (auto c = from_shared_files(env)) return remember(*c);
  looked.push_back(fmt::format("profile '{}' in '{}' and '{}'", profile_name(env),
                               credentials_file_path(env), config_file_path(env)));
  if (auto c = container_credentials(env, http, o)) return remember(*c);
  looked.emplace_back(
      "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI unset)");
  try {
    if (auto c = imds_credentials(env, http, o)) return remember(*c);
    looked.emplace_back("instance metadata (AWS_EC2_METADATA_DISABLED=true)");
  } catch (const NetworkError& e) {
    log.debugf("instance metadata: {}", e.what());
    looked.push_back(fmt::format("instance metadata at '{}' (not reachable)", imds_endpoint(env)));
  }
  std::string msg = "no AWS credentials found; looked in:";
  for (size_t i = 0; i < looked.size(); ++i) msg += (i ? ", " : " ") + looked[i];
  throw ConfigError(msg);
}

CredentialCache::CredentialCache(Env env, HttpClient& http, Logger& log, const Clock& clock,
                                 ChainOptions options)
    : env_(std::move(env)), http_(http), log_(log), clock_(clock), options_(options) {}

Credentials CredentialCache::get() {
  std::lock_guard lock(mu_);
  bool stale =
      cached_ && cached_->expiration && clock_.now() + kRefreshMargin >= *cached_->expiration;
  if (!cached_ || stale) {
    cached_ = resolve_credentials(env_, http_, log_, options_);
    log_.debugf("aws: credentials from {}", cached_->credentials.source);
  }
  return cached_->credentials;
}

namespace {

// Owns the HTTP client the credential chain uses, for as long as a client lives.
struct ChainHolder {
  std::unique_ptr<HttpClient> http;
  std::unique_ptr<CredentialCache> cache;
};

}  // namespace

EnvClientSetup client_setup_from_env(std::string_view service, Logger& log) {
  Env env = process_env();
  Region region = resolve_region(env);
  if (region.source == "default")
    log.debugf("aws: no region set (AWS_REGION, AWS_DEFAULT_REGION, profile): using {}",
               region.name);
  else
    log.debugf("aws: region {} from {}", region.name, region.source);
  EnvClientSetup setup;
  setup.region = region.name;
  setup.endpoint = endpoint_override(env, service);
  if (!setup.endpoint.empty()) log.debugf("aws: {} endpoint {}", service, setup.endpoint);
  auto holder = std::make_shared<ChainHolder>();
  holder->http = std::make_unique<LazyHttpClient>([] { return make_curl_http_client(); });
  holder->cache = std::make_unique<CredentialCache>(env, *holder->http, log, real_clock());
  setup.credentials = [holder] { return holder->cache->get(); };
  return setup;
}

}  // namespace lamtool::aws
