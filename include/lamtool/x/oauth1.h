#pragma once
// OAuth 1.0a, HMAC-SHA1, user context (RFC 5849), as X's API wants it. Each stage is a
// function so tests can check the parameter string, the signature base string and the
// signature against the published examples (RFC 5849 and X's "Creating a signature").
// Percent-encoding and HMAC are the ones SigV4 uses (encoding.h, digest.h).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lamtool/clock.h"

namespace lamtool {
struct HttpRequest;
}

namespace lamtool::x {

/// The four secrets of a user-context request. All but consumer_key and token are
/// secret; the key and token identify the app and the user and are redacted too.
struct OAuthCredentials {
  std::string consumer_key;     ///< X_API_KEY
  std::string consumer_secret;  ///< X_API_SECRET
  std::string token;            ///< X_ACCESS_TOKEN
  std::string token_secret;     ///< X_ACCESS_TOKEN_SECRET
};

/// Name/value pairs, decoded (as the user meant them), in any order, repeats allowed.
using ParamList = std::vector<std::pair<std::string, std::string>>;

/// The pairs of an application/x-www-form-urlencoded string or a URL's query: split at
/// '&', then at the first '=' (a pair without one has an empty value), each side decoded
/// with '+' as space (RFC 5849 section 3.4.1.3.1). Empty pieces are skipped.
ParamList parse_form(std::string_view text);

/// RFC 5849 section 3.4.1.3.2: every name and value percent-encoded, sorted by name then
/// value (bytewise), joined as name=value with '&'.
std::string normalized_parameters(const ParamList& params);

/// RFC 5849 section 3.4.1.2: scheme and host lower-cased, the default port (80 for http,
/// 443 for https) dropped, the path (default '/'), no query or fragment. ConfigError
/// when `url` is not http(s)://host[...].
std::string base_string_uri(std::string_view url);

/// RFC 5849 section 3.4.1: METHOD&enc(base string URI)&enc(normalized parameters), where
/// the parameters are the URL's query, `body_params` (a form body's) and `oauth_params`
/// (every oauth_* but oauth_signature).
std::string signature_base_string(std::string_view method, std::string_view url,
                                  const ParamList& body_params, const ParamList& oauth_params);

/// RFC 5849 section 3.4.2: base64(HMAC-SHA1(enc(consumer_secret)&enc(token_secret), base)).
std::string hmac_sha1_signature(std::string_view base_string, std::string_view consumer_secret,
                                std::string_view token_secret);

/// Every stage of one signature, for tests and -v diagnostics (which redact it).
struct OAuthSigned {
  ParamList oauth_params;  ///< with oauth_signature, in header order
  std::string base_string;
  std::string signature;
  std::string authorization;  ///< the Authorization header value
};

/// Signs `method url` (+ form body parameters) with the given nonce and timestamp: the
/// oauth_* parameters are consumer key, nonce, signature method HMAC-SHA1, timestamp,
/// token and version 1.0. The header is `OAuth k="v", ...` with percent-encoded values
/// (RFC 5849 section 3.5.1), in that order.
OAuthSigned sign(std::string_view method, std::string_view url, const ParamList& body_params,
                 const OAuthCredentials& credentials, std::string_view nonce,
                 std::string_view timestamp);

/// Signs an HttpRequest in place with a fresh nonce (32 random letters and digits) and
/// `now` as the timestamp: sets (or replaces) its Authorization header. The body's
/// parameters are signed only when its Content-Type is application/x-www-form-urlencoded
/// (never JSON or multipart bodies, RFC 5849 section 3.4.1.3.1).
OAuthSigned sign_request(HttpRequest& request, const OAuthCredentials& credentials, Seconds now);

}  // namespace lamtool::x
