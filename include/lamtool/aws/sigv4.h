#pragma once
// AWS Signature Version 4, our own (Debian's libcurl CURLOPT_AWS_SIGV4 mis-signs
// value-less query parameters and '+' in keys). Each stage is a function so tests can
// check canonical request, string to sign and signature separately against the
// published test suite.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lamtool/clock.h"
#include "lamtool/digest.h"
#include "lamtool/encoding.h"
#include "lamtool/http.h"

namespace lamtool::aws {

/// An access key, its secret, and the session token of temporary credentials.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  ///< empty for long-term keys
  /// Where they came from ("environment", "shared credentials file '...'", ...).
  std::string source;
};

using lamtool::sha256_hex;  // and the BodySource overload below
/// SHA-256 of a body read piece by piece (a multipart part in its file), lower-case hex.
std::string sha256_hex(const BodySource& body);

/// SHA-256 of the empty payload.
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// Payload hash of an S3 presigned URL, whose body is not known when signing.
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

/// RFC 3986 remove_dot_segments plus collapsing of repeated '/'; keeps a trailing '/'.
std::string normalize_path(std::string_view path);

/// The canonical URI of `path` as sent on the wire. S3 (`s3` true): the path as it is
/// (already encoded once, never normalized). Other services: normalized and encoded
/// again, so a path sent as `/a%20b` signs as `/a%2520b` and the suite's raw `/a b`
/// signs as `/a%20b`.
std::string canonical_uri(std::string_view path, bool s3);
/// The canonical query string of a raw query (`b=2&a=1&acl`): names and values
/// decoded and re-encoded strictly, sorted by name then value, a value-less
/// parameter written `name=`.
std::string canonical_query(std::string_view query);

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// Canonical headers block and the signed-headers list of `headers` (all are signed):
/// names lower-cased and sorted, values trimmed with inner runs of spaces collapsed,
/// duplicate names joined with ',' in their order.
struct CanonicalHeaders {
  std::string block;           ///< `name:value\n` per header
  std::string signed_headers;  ///< `host;x-amz-date`
};
CanonicalHeaders canonical_headers(const HeaderList& headers);

/// What a canonical request is made of.
struct RequestParts {
  std::string method;
  std::string path;    ///< as on the wire, e.g. `/my%20key`
  std::string query;   ///< raw, without '?'
  HeaderList headers;  ///< every header to sign, Host included
  std::string payload_hash;
};
std::string canonical_request(const RequestParts& parts, bool s3);

/// `20150830T123600Z`
std::string amz_date(Seconds t);
/// `20150830/us-east-1/service/aws4_request`
std::string credential_scope(Seconds t, std::string_view region, std::string_view service);
std::string string_to_sign(Seconds t, std::string_view scope, std::string_view canonical_request);
/// kSigning = HMAC chain over "AWS4"+secret, date, region, service, "aws4_request".
std::string signing_key(std::string_view secret, Seconds t, std::string_view region,
                        std::string_view service);
/// Hex HMAC of the string to sign under the signing key.
std::string signature(std::string_view signing_key, std::string_view string_to_sign);

/// Who signs, where, when.
struct SigningParams {
  Credentials credentials;
  std::string region;
  std::string service;
  Seconds time{};
  /// S3 rules: path not normalized or re-encoded, x-amz-content-sha256 sent.
  bool s3 = false;
};

/// Every stage of one signature, for tests and -v diagnostics (the signature itself
/// is a secret-free hash, but logs still redact it).
struct Signed {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  std::string authorization;  ///< the Authorization header value (header signing)
  std::string url;            ///< the presigned URL (query signing)
};

/// Signs `parts` as they are (Host and X-Amz-Date must be among the headers; a session
/// token is added as x-amz-security-token unless present) and returns every stage.
Signed sign_parts(RequestParts parts, const SigningParams& params);

/// Signs an HttpRequest in place: adds Host (from the URL), X-Amz-Date,
/// X-Amz-Security-Token, x-amz-content-sha256 (S3, or when `payload_hash` is
/// kUnsignedPayload), and Authorization. `payload_hash` empty: SHA-256 of the body.
/// Every header already in the request is signed.
Signed sign_request(HttpRequest& request, const SigningParams& params,
                    std::string payload_hash = {});

/// Query-string signing (a presigned URL) of `method url`, valid for `expires_seconds`
/// (1..604800). Only Host is signed; the payload is UNSIGNED-PAYLOAD for S3.
Signed presign(std::string_view method, std::string_view url, const SigningParams& params,
               long expires_seconds);

/// Scheme, host (with port) and path+query of an absolute URL.
struct UrlParts {
  std::string scheme;
  std::string host;   ///< `example.com` or `127.0.0.1:4569`, as the Host header
  std::string path;   ///< `/` when absent
  std::string query;  ///< without '?'
};
/// ConfigError when `url` is not http(s)://host[...].
UrlParts split_url(std::string_view url);

}  // namespace lamtool::aws
