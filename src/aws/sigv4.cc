#include "lamtool/aws/sigv4.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>
#include <vector>

#include "lamtool/encoding.h"
#include "lamtool/error.h"

namespace lamtool::aws {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr long kMaxExpires = 604800;  // seven days, the SigV4 limit

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Trims the value and collapses each run of spaces and tabs into one space.
std::string canonical_value(std::string_view v) {
  std::string out;
  bool in_space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty()) out += ' ';
    in_space = false;
    out += c;
  }
  return out;
}

bool has_header(const HeaderList& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return lower(h.first) == lower(name); });
}

std::string ymd(Seconds t) { return fmt::format("{:%Y%m%d}", t); }

}  // namespace

std::string sha256_hex(const BodySource& body) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("cannot start a SHA-256 digest");
  std::vector<char> buf(256 * 1024);
  for (size_t offset = 0; offset < body.size();) {
    size_t n = body.read_at(offset, buf);
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buf.data(), n);
    offset += n;
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(md), len));
}

std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(pos, end - pos);
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    pos = end + 1;
  }
  std::string out;
  for (auto seg : segments) out += "/" + std::string(seg);
  bool trailing =
      !path.empty() && (path.back() == '/' || path.ends_with("/.") || path.ends_with("/.."));
  if (out.empty() || (trailing && path.size() > 1)) out += '/';
  if (out == "//") out = "/";
  return out;
}

std::string canonical_uri(std::string_view path, bool s3) {
  if (path.empty()) return "/";
  if (s3) return std::string(path);
  return percent_encode(normalize_path(path), true);
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  size_t pos = 0;
  while (pos < query.size()) {
    size_t end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    std::string_view item = query.substr(pos, end - pos);
    if (!item.empty()) {
      size_t eq = item.find('=');
      std::string_view name = item.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : item.substr(eq + 1);
      params.emplace_back(percent_encode(percent_decode(name), false),
                          percent_encode(percent_decode(value), false));
    }
    pos = end + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

CanonicalHeaders canonical_headers(const HeaderList& headers) {
  // Stable sort by lower-cased name keeps duplicates in their order.
  std::vector<std::pair<std::string, std::string>> sorted;
  for (const auto& [name, value] : headers)
    sorted.emplace_back(lower(name), canonical_value(value));
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  CanonicalHeaders out;
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0 && sorted[i].first == sorted[i - 1].first) {
      out.block.pop_back();  // the '\n' of the previous value
      out.block += "," + sorted[i].second + "\n";
      continue;
    }
    if (!out.signed_headers.empty()) out.signed_headers += ';';
    out.signed_headers += sorted[i].first;
    out.block += sorted[i].first + ":" + sorted[i].second + "\n";
  }
  return out;
}

std::string canonical_request(const RequestParts& parts, bool s3) {
  CanonicalHeaders ch = canonical_headers(parts.headers);
  return fmt::format("{}\n{}\n{}\n{}\n{}\n{}", parts.method, canonical_uri(parts.path, s3),
                     canonical_query(parts.query), ch.block, ch.signed_headers, parts.payload_hash);
}

std::string amz_date(Seconds t) { return fmt::format("{:%Y%m%dT%H%M%SZ}", t); }

std::string credential_scope(Seconds t, std::string_view region, std::string_view service) {
  return fmt::format("{}/{}/{}/aws4_request", ymd(t), region, service);
}

std::string string_to_sign(Seconds t, std::string_view scope, std::string_view creq) {
  return fmt::format("{}\n{}\n{}\n{}", kAlgorithm, amz_date(t), scope, sha256_hex(creq));
}

std::string signing_key(std::string_view secret, Seconds t, std::string_view region,
                        std::string_view service) {
  std::string k = hmac_sha256("AWS4" + std::string(secret), ymd(t));
  k = hmac_sha256(k, region);
  k = hmac_sha256(k, service);
  return hmac_sha256(k, "aws4_request");
}

std::string signature(std::string_view key, std::string_view sts) {
  return hex_encode(hmac_sha256(key, sts));
}

Signed sign_parts(RequestParts parts, const SigningParams& p) {
  const Credentials& c = p.credentials;
  if (!c.session_token.empty() && !has_header(parts.headers, "x-amz-security-token"))
    parts.headers.emplace_back("X-Amz-Security-Token", c.session_token);
  std::string scope = credential_scope(p.time, p.region, p.service);
  Signed s;
  s.canonical_request = canonical_request(parts, p.s3);
  s.string_to_sign = string_to_sign(p.time, scope, s.canonical_request);
  s.signature =
      signature(signing_key(c.secret_access_key, p.time, p.region, p.service), s.string_to_sign);
  s.authorization = fmt::format("{} Credential={}/{}, SignedHeaders={}, Signature={}", kAlgorithm,
                                c.access_key_id, scope,
                                canonical_headers(parts.headers).signed_headers, s.signature);
  return s;
}

UrlParts split_url(std::string_view url) {
  UrlParts u;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) throw ConfigError(fmt::format("bad url '{}'", url));
  u.scheme = lower(url.substr(0, scheme_end));
  if (u.scheme != "http" && u.scheme != "https")
    throw ConfigError(fmt::format("bad url '{}': scheme must be http or https", url));
  std::string_view rest = url.substr(scheme_end + 3);
  size_t path_start = rest.find_first_of("/?");
  u.host = std::string(rest.substr(0, path_start));
  if (u.host.empty()) throw ConfigError(fmt::format("bad url '{}': no host", url));
  std::string_view tail = path_start == std::string_view::npos ? "" : rest.substr(path_start);
  size_t q = tail.find('?');
  u.path = std::string(tail.substr(0, q));
  if (u.path.empty()) u.path = "/";
  if (q != std::string_view::npos) u.query = std::string(tail.substr(q + 1));
  return u;
}

Signed sign_request(HttpRequest& request, const SigningParams& p, std::string payload_hash) {
  UrlParts u = split_url(request.url);
  if (payload_hash.empty())
    payload_hash =
        request.body_source ? sha256_hex(*request.body_source) : sha256_hex(request.body);
  auto& h = request.headers;
  if (!has_header(h, "host")) h.emplace_back("Host", u.host);
  h.emplace_back("X-Amz-Date", amz_date(p.time));
  if (p.s3 || payload_hash == kUnsignedPayload)
    h.emplace_back("x-amz-content-sha256", payload_hash);
  if (!p.credentials.session_token.empty() && !has_header(h, "x-amz-security-token"))
    h.emplace_back("X-Amz-Security-Token", p.credentials.session_token);
  RequestParts parts{request.method, u.path, u.query, h, payload_hash};
  Signed s = sign_parts(std::move(parts), p);
  h.emplace_back("Authorization", s.authorization);
  return s;
}

Signed presign(std::string_view method, std::string_view url, const SigningParams& p,
               long expires_seconds) {
  if (expires_seconds < 1 || expires_seconds > kMaxExpires)
    throw UsageError(
        fmt::format("presign expiry {} out of range 1..{} seconds", expires_seconds, kMaxExpires));
  UrlParts u = split_url(url);
  const Credentials& c = p.credentials;
  std::string scope = credential_scope(p.time, p.region, p.service);
  std::string query = u.query;
  auto add = [&query](std::string_view name, std::string_view value) {
    if (!query.empty()) query += '&';
    query += fmt::format("{}={}", name, percent_encode(value, false));
  };
  add("X-Amz-Algorithm", kAlgorithm);
  add("X-Amz-Credential", c.access_key_id + "/" + scope);
  add("X-Amz-Date", amz_date(p.time));
  add("X-Amz-Expires", std::to_string(expires_seconds));
  if (!c.session_token.empty()) add("X-Amz-Security-Token", c.session_token);
  add("X-Amz-SignedHeaders", "host");
  std::string payload = p.s3 ? std::string(kUnsignedPayload) : sha256_hex("");
  RequestParts parts{std::string(method), u.path, query, {{"host", u.host}}, payload};
  Signed s;
  s.canonical_request = canonical_request(parts, p.s3);
  s.string_to_sign = string_to_sign(p.time, scope, s.canonical_request);
  s.signature =
      signature(signing_key(c.secret_access_key, p.time, p.region, p.service), s.string_to_sign);
  s.url =
      fmt::format("{}://{}{}?{}&X-Amz-Signature={}", u.scheme, u.host, u.path, query, s.signature);
  return s;
}

}  // namespace lamtool::aws
