#include "lamtool/log.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ostream>

namespace lamtool {

namespace {

constexpr std::string_view kRedacted = "[redacted]";

// Markers after which a value is secret. Matched case-insensitively; the value starts
// after any run of separators and ends at a delimiter.
constexpr std::array<std::string_view, 14> kMarkers = {"signature=",
                                                       "x-amz-signature=",
                                                       "x-amz-security-token=",
                                                       "x-amz-security-token:",
                                                       "authorization:",
                                                       "aws_secret_access_key",
                                                       "aws_session_token",
                                                       "secretaccesskey",
                                                       "\"token\"",
                                                       "sessiontoken",
                                                       "oauth_signature",
                                                       "password",
                                                       "x-aws-ec2-metadata-token:",
                                                       "oauth_token_secret"};

constexpr std::array<const char*, 8> kSecretEnv = {
    "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "X_API_SECRET",          "X_ACCESS_TOKEN",    "X_ACCESS_TOKEN_SECRET",
    "LAMTOOL_SMTP_PASSWORD", "X_API_KEY"};

struct SecretRegistry {
  std::mutex mu;
  std::vector<std::string> secrets;
  SecretRegistry() {
    for (const char* name : kSecretEnv) {
      const char* v = std::getenv(name);
      if (v != nullptr && std::string_view(v).size() >= 4) secrets.emplace_back(v);
    }
  }
};

SecretRegistry& registry() {
  static SecretRegistry r;
  return r;
}

bool is_separator(char c) { return c == ' ' || c == '=' || c == ':' || c == '"' || c == '\''; }
bool is_delimiter(char c) {
  return c == '&' || c == ',' || c == ';' || c == '"' || c == '\'' || c == '\n' || c == '}' ||
         c == ' ';
}

size_t find_ci(std::string_view hay, std::string_view needle, size_t from) {
  if (needle.size() > hay.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= hay.size(); ++i) {
    bool eq = true;
    for (size_t j = 0; j < needle.size() && eq; ++j)
      eq = std::tolower(static_cast<unsigned char>(hay[i + j])) == needle[j];
    if (eq) return i;
  }
  return std::string_view::npos;
}

}  // namespace

void add_secret(std::string_view secret) {
  if (secret.size() < 4) return;
  auto& r = registry();
  std::lock_guard lock(r.mu);
  if (std::find(r.secrets.begin(), r.secrets.end(), secret) == r.secrets.end())
    r.secrets.emplace_back(secret);
}

std::string redact(std::string_view text) {
  std::string out(text);
  {
    auto& r = registry();
    std::lock_guard lock(r.mu);
    for (const auto& s : r.secrets) {
      for (size_t p = out.find(s); p != std::string::npos; p = out.find(s, p + kRedacted.size()))
        out.replace(p, s.size(), kRedacted);
    }
  }
  for (std::string_view marker : kMarkers) {
    for (size_t p = find_ci(out, marker, 0); p != std::string::npos;) {
      size_t v = p + marker.size();
      while (v < out.size() && is_separator(out[v])) ++v;
      // "Authorization: AWS4-HMAC-SHA256 Credential=..., Signature=..." : redact the
      // whole header value, which runs to the end of the line.
      bool whole_line = marker == "authorization:";
      size_t e = v;
      while (e < out.size() && out[e] != '\n' && (whole_line || !is_delimiter(out[e]))) ++e;
      if (e > v && out.compare(v, e - v, kRedacted) != 0) out.replace(v, e - v, kRedacted);
      p = find_ci(out, marker, v);
    }
  }
  return out;
}

Logger::Logger(Verbosity v) : verbosity_(v), sink_(nullptr) {}
Logger::Logger(Verbosity v, std::ostream& sink) : verbosity_(v), sink_(&sink) {}

void Logger::line(std::string_view severity, std::string_view msg) {
  std::string text = fmt::format("lamtool: {}{}\n", severity, redact(msg));
  std::lock_guard lock(mu_);
  if (sink_ != nullptr) {
    *sink_ << text;
    sink_->flush();
  } else {
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
  }
}

}  // namespace lamtool
