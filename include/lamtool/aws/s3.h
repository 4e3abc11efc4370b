#pragma once
// Amazon S3: PutObject (multipart above a threshold), GetObject, HeadObject and
// presigned URLs, signed with our SigV4. Virtual-hosted addressing on AWS
// (`bucket.s3.region.amazonaws.com`), path style on a custom endpoint
// (`http://127.0.0.1:4569/bucket/key`).

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lamtool/aws/sigv4.h"
#include "lamtool/clock.h"
#include "lamtool/destination.h"
#include "lamtool/http.h"
#include "lamtool/log.h"

namespace lamtool::aws {

/// Makes one HttpClient (each worker thread gets its own).
using HttpClientFactory = std::function<std::unique_ptr<HttpClient>()>;
/// Current credentials (a CredentialCache::get, or fixed ones in tests).
using CredentialSource = std::function<Credentials()>;

inline constexpr size_t kMiB = 1024 * 1024;

struct S3Options {
  std::string region = "us-east-1";
  /// Custom endpoint (`http://127.0.0.1:4569`); empty: AWS. A custom endpoint uses
  /// path-style addressing.
  std::string endpoint{};
  bool path_style = false;  ///< force path style on AWS too
  RetryPolicy retry{};
  size_t multipart_threshold = 16 * kMiB;  ///< objects larger than this go multipart
  size_t part_size = 8 * kMiB;             ///< at least 5 MiB (S3's minimum)
  int upload_threads = 4;
};

struct PutOptions {
  std::string content_type;  ///< empty: detected from the bytes, then the key's extension
  std::string cache_control;
  std::vector<std::pair<std::string, std::string>> metadata;  ///< sent as x-amz-meta-NAME
  /// Conditional write (single PutObject only): If-Match ETag / If-None-Match `*`. A
  /// failed condition is a ServiceError naming `412 PreconditionFailed`.
  std::string if_match{};
  std::string if_none_match{};
};

struct PutResult {
  std::string etag;
  std::string content_type;
  size_t bytes = 0;
  int parts = 0;  ///< 0 for a single PutObject
};

struct GetResult {
  std::string body;
  std::string content_type;
  std::string etag;
};

struct HeadResult {
  size_t size = 0;
  std::string content_type;
  std::string etag;
  std::map<std::string, std::string> metadata;  ///< x-amz-meta-* without the prefix
};

class S3Client final : public ObjectStore {
 public:
  S3Client(S3Options options, CredentialSource credentials, HttpClientFactory http,
           const Clock& clock, Logger& log);
  ~S3Client() override;

  /// ObjectStore: put with an explicit content type.
  void put_object(const std::string& bucket, const std::string& key, std::string_view bytes,
                  const std::string& content_type) override;
  PutResult put(const std::string& bucket, const std::string& key, std::string_view bytes,
                const PutOptions& options = {});
  GetResult get_object(const std::string& bucket, const std::string& key);
  /// nullopt when the object does not exist.
  std::optional<HeadResult> head(const std::string& bucket, const std::string& key);
  /// A presigned GET URL valid for `expires_seconds` (1..604800).
  std::string presign_get(const std::string& bucket, const std::string& key, long expires_seconds);
  /// The object's URL (no query), virtual-hosted or path style.
  std::string object_url(const std::string& bucket, const std::string& key) const;

 private:
  struct Call;
  /// Signs and sends with retries; any status.
  HttpResponse exchange(HttpClient& http, HttpRequest request, const Call& call,
                        std::string payload_hash = {});
  /// exchange(), throwing the mapped error for a non-2xx status.
  HttpResponse send(HttpClient& http, HttpRequest request, const Call& call,
                    std::string payload_hash = {});
  SigningParams signing_params();
  PutResult put_multipart(const std::string& bucket, const std::string& key, std::string_view bytes,
                          const std::vector<std::pair<std::string, std::string>>& headers);
  std::vector<std::string> upload_parts(const std::string& url, const std::string& upload_id,
                                        std::string_view bytes, const Call& call);

  S3Options options_;
  CredentialSource credentials_;
  HttpClientFactory http_factory_;
  std::unique_ptr<HttpClient> http_;
  const Clock& clock_;
  Logger& log_;
};

/// The `Code` and `Message` of an S3 error document (empty when absent).
std::pair<std::string, std::string> parse_s3_error(std::string_view xml);

/// Throws the error class for a failed S3 call: AuthError for 401/403 and bad
/// credentials, ServiceError for missing buckets/keys and other 4xx, NetworkError for
/// 5xx and throttling. `what` is `PutObject 'bucket/key'`.
[[noreturn]] void throw_s3_error(const std::string& what, const HttpResponse& response);

/// An S3Client for this process: region, endpoint and credentials from the
/// environment and shared files, libcurl transport. Logs the region's source with -v.
std::unique_ptr<S3Client> make_s3_client(const Clock& clock, Logger& log);

}  // namespace lamtool::aws
