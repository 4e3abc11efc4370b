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
#include "lamtool/error.h"
#include "lamtool/http.h"
#include "lamtool/log.h"
#include "lamtool/stream.h"

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

/// Bytes sent so far (after each part, and at the end); from any upload thread, one
/// call at a time.
using ProgressCallback = std::function<void(size_t done)>;

struct PutOptions {
  std::string content_type;  ///< empty: detected from the bytes, then the key's extension
  std::string cache_control;
  std::vector<std::pair<std::string, std::string>> metadata;  ///< sent as x-amz-meta-NAME
  /// Conditional write (single PutObject only): If-Match ETag / If-None-Match `*`. A
  /// failed condition is a ServiceError naming `412 PreconditionFailed`.
  std::string if_match{};
  std::string if_none_match{};
  ProgressCallback on_progress{};
};

struct PutResult {
  std::string etag;
  std::string content_type;
  size_t bytes = 0;
  int parts = 0;  ///< 0 for a single PutObject
};

struct GetResult {
  std::string body;  ///< empty when the body went to a sink (S3Client::download)
  std::string content_type;
  std::string etag;
  size_t bytes = 0;
};

struct HeadResult {
  size_t size = 0;
  std::string content_type;
  std::string etag;
  std::map<std::string, std::string> metadata;  ///< x-amz-meta-* without the prefix
};

class S3Client final : public ObjectStore {
 public:
  class PartFeed;
  /// The body of the part at `offset`, `size` bytes long.
  using MakeRange = std::function<std::shared_ptr<const BodySource>(size_t offset, size_t size)>;

  S3Client(S3Options options, CredentialSource credentials, HttpClientFactory http,
           const Clock& clock, Logger& log);
  ~S3Client() override;

  /// ObjectStore: put with an explicit content type.
  void put_object(const std::string& bucket, const std::string& key, std::string_view bytes,
                  const std::string& content_type) override;
  PutResult put(const std::string& bucket, const std::string& key, std::string_view bytes,
                const PutOptions& options = {});
  /// Uploads `in` from its position to its end without holding it in memory: one
  /// PutObject up to the multipart threshold, else multipart with each part read from
  /// the input as it is sent. A file (seekable) is read with pread per part, so a
  /// retried part is read again and parts go in parallel; a pipe is read part by part,
  /// at most upload_threads + 2 parts held at once. Content type detected as put() does.
  PutResult put(const std::string& bucket, const std::string& key, InputStream& in,
                const PutOptions& options = {});
  GetResult get_object(const std::string& bucket, const std::string& key);
  /// GetObject; nullopt when the key does not exist (NoSuchKey), where get_object throws.
  std::optional<GetResult> get_if_exists(const std::string& bucket, const std::string& key);
  /// GetObject with the body written to `sink` as it arrives (begun again on a retry).
  GetResult download(const std::string& bucket, const std::string& key,
                     std::shared_ptr<BodySink> sink);
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
  std::vector<std::pair<std::string, std::string>> put_headers(const PutOptions& options,
                                                               const std::string& content_type);
  PutResult put_single(const std::string& bucket, const std::string& key, HttpRequest request,
                       const PutOptions& options);
  /// `total` bytes: one PutObject whose body `fill_single` sets, or multipart (above
  /// the threshold, unless conditional) with parts `range(offset, size)`.
  PutResult put_sized(const std::string& bucket, const std::string& key, const PutOptions& options,
                      const std::string& type, size_t total, const MakeRange& range,
                      const std::function<void(HttpRequest&)>& fill_single);
  PutResult put_multipart(const std::string& bucket, const std::string& key, PartFeed& feed,
                          const std::vector<std::pair<std::string, std::string>>& headers,
                          const ProgressCallback& progress);
  /// Sends the feed's parts from upload_threads threads; their ETags in part order.
  /// `sent` counts the bytes of finished parts.
  std::vector<std::string> upload_parts(const std::string& url, const std::string& upload_id,
                                        PartFeed& feed, const Call& call,
                                        const ProgressCallback& progress, size_t& sent);

  S3Options options_;
  CredentialSource credentials_;
  HttpClientFactory http_factory_;
  std::unique_ptr<HttpClient> http_;
  const Clock& clock_;
  Logger& log_;
};

/// A conditional write refused: 412 PreconditionFailed (the object changed since its
/// ETag was read, or exists despite If-None-Match), or 409 ConditionalRequestConflict
/// (another conditional write to the key in flight). Read again and retry.
class ConditionFailed final : public ServiceError {
 public:
  using ServiceError::ServiceError;
};

/// The `Code` and `Message` of an S3 error document (empty when absent).
std::pair<std::string, std::string> parse_s3_error(std::string_view xml);

/// Throws the error class for a failed S3 call: AuthError for 401/403 and bad
/// credentials, ServiceError for missing buckets/keys and other 4xx, NetworkError for
/// 5xx and throttling. `what` is `PutObject 'bucket/key'`.
[[noreturn]] void throw_s3_error(const std::string& what, const HttpResponse& response);

/// An S3Client for this process: region, endpoint and credentials from the
/// environment and shared files, libcurl transport, requests signed with real_clock()
/// (not LAMTOOL_NOW). Logs the region's source with -v.
std::unique_ptr<S3Client> make_s3_client(Logger& log);

}  // namespace lamtool::aws
