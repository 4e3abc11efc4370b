#pragma once
// X API v2 (DESIGN.md section 7): media upload (one request for a still image, chunked
// initialize/append/finalize with status polling for an animated GIF), alt text, and
// posts, signed with OAuth 1.0a user context (oauth1.h).

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "lamtool/clock.h"
#include "lamtool/http.h"
#include "lamtool/x/oauth1.h"

namespace lamtool {
class Logger;
}

namespace lamtool::x {

/// Where and as whom to post.
struct XConfig {
  std::string api_url = "https://api.x.com";  ///< LAMTOOL_X_API_URL, without a trailing '/'
  OAuthCredentials credentials;
};

/// From X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET and
/// LAMTOOL_X_API_URL. ConfigError (78) naming every missing variable, or a URL that is
/// not http(s)://host[/prefix]; plain http only to loopback (127.0.0.0/8, ::1,
/// localhost), so the signed requests never cross a network in clear. All four values
/// are registered with add_secret (log.h).
XConfig x_config_from_env();

/// X's limits (developer documentation, 2025).
inline constexpr size_t kMaxImageBytes = 5'000'000;
inline constexpr size_t kMaxGifBytes = 15'000'000;
inline constexpr size_t kMaxAltTextChars = 1000;
inline constexpr size_t kMaxMediaPerPost = 4;

struct XClientOptions {
  /// Attempts per request on a network failure or a 5xx, with backoff between them.
  RetryPolicy retry{.max_attempts = 4,
                    .base = std::chrono::milliseconds(200),
                    .cap = std::chrono::milliseconds(5000),
                    .sleep = {}};
  /// The longest wait for a rate-limit window (x-rate-limit-reset) to end; a longer one
  /// is a NetworkError (75) saying when the window resets.
  std::chrono::seconds max_rate_limit_wait{900};
  /// Bytes per APPEND of a chunked upload (X takes up to 5 MB).
  size_t chunk_bytes = 4 * 1024 * 1024;
  /// STATUS polls of a processing upload before giving up (NetworkError).
  int max_status_polls = 60;
  /// Waits (rate limits, processing); tests record them instead of sleeping.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// The clock requests are signed with and reset times are measured against: X refuses
  /// a request dated more than minutes away, so never LAMTOOL_NOW.
  std::function<Seconds()> now;
};

/// An uploaded picture, ready to attach.
struct UploadedMedia {
  std::string media_id;
  std::string media_key;
  bool chunked = false;
  int segments = 0;      ///< APPEND requests of a chunked upload
  int status_polls = 0;  ///< STATUS requests until processing succeeded
};

struct PostedTweet {
  std::string id;
  std::string url;  ///< https://x.com/i/status/ID
};

class XClient {
 public:
  XClient(HttpClient& http, XConfig config, Logger& log, XClientOptions options = {});

  /// Uploads `bytes` of `content_type` (image/png, image/jpeg, image/webp, image/gif).
  /// `animated` GIFs go in chunks (media_category tweet_gif) and wait for X's
  /// processing; other pictures in one multipart/form-data request (tweet_image).
  /// `name` names the picture in errors.
  UploadedMedia upload_media(std::string_view bytes, const std::string& content_type, bool animated,
                             const std::string& name);
  /// POST /2/media/metadata: the picture's alt text.
  void set_alt_text(const std::string& media_id, const std::string& alt_text);
  /// POST /2/tweets with the text and up to four media ids.
  PostedTweet post(const std::string& text, const std::vector<std::string>& media_ids);

  /// Errors, by X's answer: 401 and 403 -> AuthError (77) with X's message (a 403 that
  /// refuses duplicate content -> ServiceError (69) saying so); other 4xx ->
  /// ServiceError (69) with X's message; 429 waits until x-rate-limit-reset (at most
  /// max_rate_limit_wait, said on stderr), then tries again; 5xx and network failures
  /// are retried with backoff, then NetworkError (75). Every attempt is signed anew
  /// (X refuses a nonce seen before).
  HttpResponse send(HttpRequest request, const std::string& what);

 private:
  HttpClient& http_;
  XConfig config_;
  Logger& log_;
  XClientOptions options_;
};

/// The weighted length X counts a post's text in (twitter-text configuration v3):
/// code points in U+0000-U+10FF, U+2000-U+200D, U+2010-U+201F and U+2032-U+2037 count 1,
/// every other code point 2, an emoji sequence (joined by U+200D, with variation
/// selectors and skin-tone modifiers) 2 in all, and each http(s):// URL 23. Invalid
/// UTF-8 counts 1 a byte.
size_t weighted_length(std::string_view text);

}  // namespace lamtool::x
