#include "lamtool/x/oauth1.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "lamtool/aws/sigv4.h"
#include "lamtool/digest.h"
#include "lamtool/encoding.h"
#include "lamtool/http.h"

namespace lamtool::x {

namespace {

constexpr size_t kNonceLength = 32;

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii_lower(s.substr(0, prefix.size())) == prefix;
}

}  // namespace

ParamList parse_form(std::string_view text) {
  ParamList out;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos)
      out.emplace_back(form_decode(pair), std::string{});
    else
      out.emplace_back(form_decode(pair.substr(0, eq)), form_decode(pair.substr(eq + 1)));
  }
  return out;
}

std::string normalized_parameters(const ParamList& params) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const auto& [name, value] : params)
    encoded.emplace_back(percent_encode(name), percent_encode(value));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string base_string_uri(std::string_view url) {
  aws::UrlParts u = aws::split_url(url);
  std::string host = ascii_lower(u.host);
  // A port is kept unless it is the scheme's default. IPv6 hosts end with ']' before it.
  if (size_t colon = host.rfind(':'); colon != std::string::npos && host.back() != ']') {
    std::string_view port = std::string_view(host).substr(colon + 1);
    if ((u.scheme == "http" && port == "80") || (u.scheme == "https" && port == "443"))
      host.resize(colon);
  }
  return fmt::format("{}://{}{}", u.scheme, host, u.path);
}

std::string signature_base_string(std::string_view method, std::string_view url,
                                  const ParamList& body_params, const ParamList& oauth_params) {
  ParamList all = parse_form(aws::split_url(url).query);
  all.insert(all.end(), body_params.begin(), body_params.end());
  all.insert(all.end(), oauth_params.begin(), oauth_params.end());
  std::string upper(method);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return fmt::format("{}&{}&{}", upper, percent_encode(base_string_uri(url)),
                     percent_encode(normalized_parameters(all)));
}

std::string hmac_sha1_signature(std::string_view base_string, std::string_view consumer_secret,
                                std::string_view token_secret) {
  std::string key = percent_encode(consumer_secret) + '&' + percent_encode(token_secret);
  return base64_encode(hmac_sha1(key, base_string));
}

OAuthSigned sign(std::string_view method, std::string_view url, const ParamList& body_params,
                 const OAuthCredentials& credentials, std::string_view nonce,
                 std::string_view timestamp) {
  OAuthSigned s;
  const std::pair<std::string_view, std::string_view> fields[] = {
      {"oauth_consumer_key", credentials.consumer_key},
      {"oauth_nonce", nonce},
      {"oauth_signature_method", "HMAC-SHA1"},
      {"oauth_timestamp", timestamp},
      {"oauth_token", credentials.token},
      {"oauth_version", "1.0"}};
  ParamList params;
  for (const auto& [name, value] : fields)
    params.emplace_back(std::string(name), std::string(value));
  s.base_string = signature_base_string(method, url, body_params, params);
  s.signature =
      hmac_sha1_signature(s.base_string, credentials.consumer_secret, credentials.token_secret);
  // The header lists them in name order, the signature among them.
  for (auto& p : params) {
    if (p.first == "oauth_signature_method")
      s.oauth_params.emplace_back("oauth_signature", s.signature);
    s.oauth_params.push_back(std::move(p));
  }
  s.authorization = "OAuth ";
  for (size_t i = 0; i < s.oauth_params.size(); ++i) {
    if (i > 0) s.authorization += ", ";
    s.authorization += fmt::format("{}=\"{}\"", percent_encode(s.oauth_params[i].first),
                                   percent_encode(s.oauth_params[i].second));
  }
  return s;
}

OAuthSigned sign_request(HttpRequest& request, const OAuthCredentials& credentials, Seconds now) {
  ParamList body_params;
  auto& headers = request.headers;
  auto content_type = std::find_if(headers.begin(), headers.end(), [](const auto& h) {
    return ascii_lower(h.first) == "content-type";
  });
  if (content_type != headers.end() &&
      starts_with_ci(content_type->second, "application/x-www-form-urlencoded"))
    body_params = parse_form(body_bytes(request));
  OAuthSigned s = sign(request.method, request.url, body_params, credentials,
                       random_alnum(kNonceLength), std::to_string(now.time_since_epoch().count()));
  std::erase_if(headers, [](const auto& h) { return ascii_lower(h.first) == "authorization"; });
  headers.emplace_back("Authorization", s.authorization);
  return s;
}

}  // namespace lamtool::x
