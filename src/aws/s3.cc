#include "lamtool/aws/s3.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <mutex>
#include <thread>

#include "lamtool/aws/config.h"
#include "lamtool/aws/credentials.h"
#include "lamtool/content_type.h"
#include "lamtool/error.h"
#include "lamtool/interrupt.h"

namespace lamtool::aws {

namespace {

constexpr size_t kMinPartSize = 5 * kMiB;
constexpr size_t kMaxParts = 10000;

// The text of the first <tag>...</tag> in `xml`, with the five XML entities decoded.
std::string xml_text(std::string_view xml, std::string_view tag) {
  std::string open = fmt::format("<{}>", tag);
  std::string close = fmt::format("</{}>", tag);
  size_t b = xml.find(open);
  if (b == std::string_view::npos) return {};
  b += open.size();
  size_t e = xml.find(close, b);
  if (e == std::string_view::npos) return {};
  std::string out;
  std::string_view raw = xml.substr(b, e - b);
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  for (size_t i = 0; i < raw.size(); ++i) {
    bool replaced = false;
    for (const auto& [entity, ch] : kEntities) {
      if (raw.substr(i).starts_with(entity)) {
        out += ch;
        i += entity.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += raw[i];
  }
  return out;
}

bool is_auth_code(std::string_view code) {
  return code == "AccessDenied" || code == "SignatureDoesNotMatch" ||
         code == "InvalidAccessKeyId" || code == "ExpiredToken" || code == "InvalidToken" ||
         code == "TokenRefreshRequired" || code == "AuthorizationHeaderMalformed";
}

bool is_transient_code(std::string_view code) {
  return code == "SlowDown" || code == "RequestTimeout" || code == "InternalError" ||
         code == "ServiceUnavailable";
}

bool should_retry(const HttpResponse& r) {
  if (r.status >= 500 || r.status == 429) return true;
  if (r.status >= 400 && r.status != 403) return is_transient_code(parse_s3_error(r.body).first);
  return false;
}

std::string header_value(const HttpResponse& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string() : it->second;
}

std::string status_text(long status) {
  switch (status) {
    case 400:
      return "BadRequest";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 409:
      return "Conflict";
    case 412:
      return "PreconditionFailed";
    default:
      return "HTTP";
  }
}

bool valid_metadata_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

}  // namespace

/// What a request is for, in error messages and -v lines.
struct S3Client::Call {
  std::string what;  ///< `PutObject 'bucket/key'`
};

std::pair<std::string, std::string> parse_s3_error(std::string_view xml) {
  return {xml_text(xml, "Code"), error_message_line(xml_text(xml, "Message"))};
}

void throw_s3_error(const std::string& what, const HttpResponse& r) {
  auto [code, message] = parse_s3_error(r.body);
  if (code.empty()) code = status_text(r.status);
  std::string msg = fmt::format("s3: {} failed: {} {}", what, r.status, code);
  if (!message.empty()) msg += ": " + message;
  if (is_clock_skew_error(code, message)) throw AuthError(msg + "; " + std::string(kClockSkewHint));
  if (r.status == 401 || r.status == 403 || is_auth_code(code)) throw AuthError(msg);
  if (r.status >= 500 || r.status == 429 || is_transient_code(code)) throw NetworkError(msg);
  if (r.status == 412 || code == "ConditionalRequestConflict") throw ConditionFailed(msg);
  throw ServiceError(msg);
}

S3Client::S3Client(S3Options options, CredentialSource credentials, HttpClientFactory http,
                   const Clock& clock, Logger& log)
    : options_(std::move(options)),
      credentials_(std::move(credentials)),
      http_factory_(std::move(http)),
      http_(http_factory_()),
      clock_(clock),
      log_(log) {
  if (options_.part_size < kMinPartSize) options_.part_size = kMinPartSize;
  if (options_.upload_threads < 1) options_.upload_threads = 1;
}

S3Client::~S3Client() = default;

std::string S3Client::object_url(const std::string& bucket, const std::string& key) const {
  std::string path = percent_encode(key, true);
  if (!options_.endpoint.empty()) return fmt::format("{}/{}/{}", options_.endpoint, bucket, path);
  // Dotted bucket names break the TLS wildcard certificate: path style for them.
  if (options_.path_style || bucket.find('.') != std::string::npos)
    return fmt::format("https://s3.{}.amazonaws.com/{}/{}", options_.region, bucket, path);
  return fmt::format("https://{}.s3.{}.amazonaws.com/{}", bucket, options_.region, path);
}

SigningParams S3Client::signing_params() {
  return SigningParams{credentials_(), options_.region, "s3", clock_.now(), true};
}

HttpResponse S3Client::exchange(HttpClient& http, HttpRequest request, const Call& call,
                                std::string payload_hash) {
  sign_request(request, signing_params(), std::move(payload_hash));
  log_.debugf("s3: {} {}", request.method, request.url);
  return send_with_retries(
      http, request, options_.retry, should_retry, [&](int attempt, const std::string& why) {
        log_.debugf("s3: {} attempt {} failed ({}), retrying", call.what, attempt, why);
      });
}

HttpResponse S3Client::send(HttpClient& http, HttpRequest request, const Call& call,
                            std::string payload_hash) {
  HttpResponse r = exchange(http, std::move(request), call, std::move(payload_hash));
  if (r.status < 200 || r.status > 299) throw_s3_error(call.what, r);
  return r;
}

void S3Client::put_object(const std::string& bucket, const std::string& key, std::string_view bytes,
                          const std::string& content_type) {
  put(bucket, key, bytes, PutOptions{content_type, {}, {}});
}

/// The parts of a multipart upload, handed to the upload threads one at a time.
class S3Client::PartFeed {
 public:
  virtual ~PartFeed() = default;
  /// The next part's body, or null after the last. Called under one lock.
  virtual std::shared_ptr<const BodySource> next() = 0;
};

namespace {

// A byte range of `bytes` (which outlive the upload), not copied.
class ViewSource final : public BodySource {
 public:
  explicit ViewSource(std::string_view bytes) : bytes_(bytes) {}
  size_t size() const override { return bytes_.size(); }
  size_t read_at(size_t offset, std::span<char> out) const override {
    std::string_view rest = offset < bytes_.size() ? bytes_.substr(offset) : std::string_view{};
    size_t n = std::min(out.size(), rest.size());
    std::copy_n(rest.data(), n, out.data());
    return n;
  }

 private:
  std::string_view bytes_;
};

size_t part_size_for(size_t total, size_t part_size) {
  return std::max(part_size, (total + kMaxParts - 1) / kMaxParts);
}

}  // namespace

namespace {

// Parts of a known total, each a range made on demand (of a string or a file).
class RangeFeed final : public S3Client::PartFeed {
 public:
  using MakeSource = S3Client::MakeRange;
  RangeFeed(size_t total, size_t part_size, MakeSource make)
      : total_(total), part_size_(part_size_for(total, part_size)), make_(std::move(make)) {}
  std::shared_ptr<const BodySource> next() override {
    if (offset_ >= total_) return nullptr;
    size_t n = std::min(part_size_, total_ - offset_);
    auto source = make_(offset_, n);
    offset_ += n;
    return source;
  }

 private:
  size_t total_;
  size_t part_size_;
  MakeSource make_;
  size_t offset_ = 0;
};

// Parts of a pipe: those already read to choose multipart, then the rest, read one
// part at a time as the upload threads ask.
class PipeFeed final : public S3Client::PartFeed {
 public:
  PipeFeed(std::vector<std::string> first, InputStream& in, size_t part_size)
      : first_(std::move(first)), in_(in), part_size_(part_size) {}
  std::shared_ptr<const BodySource> next() override {
    if (next_first_ < first_.size()) return string_source(std::move(first_[next_first_++]));
    if (ended_) return nullptr;
    std::string part(part_size_, '\0');
    part.resize(in_.read_full(part));
    ended_ = part.size() < part_size_;
    if (part.empty()) return nullptr;
    return string_source(std::move(part));
  }

 private:
  std::vector<std::string> first_;
  size_t next_first_ = 0;
  InputStream& in_;
  size_t part_size_;
  bool ended_ = false;
};

}  // namespace

std::vector<std::pair<std::string, std::string>> S3Client::put_headers(
    const PutOptions& o, const std::string& content_type) {
  std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", content_type}};
  if (!o.cache_control.empty()) headers.emplace_back("Cache-Control", o.cache_control);
  for (const auto& [name, value] : o.metadata) {
    if (!valid_metadata_name(name))
      throw UsageError(
          fmt::format("bad metadata name '{}': use letters, digits, '-', '_', '.'", name));
    headers.emplace_back("x-amz-meta-" + name, value);
  }
  if (!o.if_match.empty()) headers.emplace_back("If-Match", o.if_match);
  if (!o.if_none_match.empty()) headers.emplace_back("If-None-Match", o.if_none_match);
  return headers;
}

PutResult S3Client::put_single(const std::string& bucket, const std::string& key,
                               HttpRequest request, const PutOptions& o) {
  PutResult result;
  result.bytes = body_size(request);
  HttpResponse r =
      send(*http_, std::move(request), {fmt::format("PutObject '{}/{}'", bucket, key)});
  result.etag = header_value(r, "ETag");
  if (o.on_progress) o.on_progress(result.bytes);
  return result;
}

PutResult S3Client::put_sized(const std::string& bucket, const std::string& key,
                              const PutOptions& o, const std::string& type, size_t total,
                              const MakeRange& range,
                              const std::function<void(HttpRequest&)>& fill_single) {
  auto headers = put_headers(o, type);
  bool conditional = !o.if_match.empty() || !o.if_none_match.empty();
  PutResult result;
  if (total > options_.multipart_threshold && !conditional) {
    RangeFeed feed(total, options_.part_size, range);
    result = put_multipart(bucket, key, feed, headers, o.on_progress);
  } else {
    HttpRequest req{
        .method = "PUT", .url = object_url(bucket, key), .headers = headers, .body = {}};
    fill_single(req);
    result = put_single(bucket, key, std::move(req), o);
  }
  result.content_type = type;
  return result;
}

PutResult S3Client::put(const std::string& bucket, const std::string& key, std::string_view bytes,
                        const PutOptions& o) {
  std::string type = o.content_type.empty() ? detect_content_type(bytes, key) : o.content_type;
  return put_sized(
      bucket, key, o, type, bytes.size(),
      [&](size_t offset, size_t n) {
        return std::make_shared<ViewSource>(bytes.substr(offset, n));
      },
      [&](HttpRequest& req) { req.body = std::string(bytes); });
}

PutResult S3Client::put(const std::string& bucket, const std::string& key, InputStream& in,
                        const PutOptions& o) {
  std::string type = o.content_type;
  if (in.seekable()) {
    // A file: the leading bytes decide the content type, then parts are read where
    // they lie, as they are sent.
    const size_t total = *in.size();
    if (type.empty()) {
      std::string head(std::min(total, kContentTypeWindow), '\0');
      head.resize(in.read_at(0, head));
      type = detect_content_type(head, key);
    }
    return put_sized(
        bucket, key, o, type, total,
        [&](size_t offset, size_t n) { return input_range_source(in, offset, n); },
        [&](HttpRequest& req) { req.body_source = input_range_source(in, 0, total); });
  }
  // A pipe: read whole parts until it ends or passes the threshold. Every part but the
  // last is full, as S3 wants.
  std::vector<std::string> parts;
  size_t have = 0;
  do {
    std::string part(options_.part_size, '\0');
    part.resize(in.read_full(part));
    have += part.size();
    parts.push_back(std::move(part));
  } while (have <= options_.multipart_threshold && parts.back().size() == options_.part_size);
  if (type.empty())
    type = detect_content_type(std::string_view(parts[0]).substr(0, kContentTypeWindow), key);
  PutOptions typed = o;
  typed.content_type = type;
  if (have <= options_.multipart_threshold || !o.if_match.empty() || !o.if_none_match.empty()) {
    // Small, or a conditional write (one PutObject): all of it at once.
    std::string body;
    for (const std::string& p : parts) body += p;
    parts.clear();
    char buf[65536];
    while (size_t n = in.read(buf)) body.append(buf, n);
    return put(bucket, key, body, typed);
  }
  PipeFeed feed(std::move(parts), in, options_.part_size);
  PutResult result = put_multipart(bucket, key, feed, put_headers(typed, type), o.on_progress);
  result.content_type = type;
  return result;
}

PutResult S3Client::put_multipart(const std::string& bucket, const std::string& key, PartFeed& feed,
                                  const std::vector<std::pair<std::string, std::string>>& headers,
                                  const ProgressCallback& progress) {
  const std::string url = object_url(bucket, key);
  const std::string name = fmt::format("'{}/{}'", bucket, key);
  HttpRequest create{.method = "POST", .url = url + "?uploads", .headers = headers, .body = {}};
  HttpResponse r = send(*http_, std::move(create), {"CreateMultipartUpload " + name});
  std::string upload_id = xml_text(r.body, "UploadId");
  if (upload_id.empty())
    throw ServiceError(fmt::format("s3: CreateMultipartUpload {} failed: no UploadId", name));
  const std::string id_query = "uploadId=" + percent_encode(upload_id, false);
  // From here any failure aborts the upload, so S3 keeps (and bills) no parts: S3's
  // errors, a reset after retries, a read error of the source, a signal, anything.
  const std::string by_hand =
      fmt::format("aws s3api abort-multipart-upload --bucket '{}' --key '{}' --upload-id '{}'",
                  bucket, key, upload_id);
  // What a second signal, which exits at once, leaves behind.
  ExitCleanup note(ExitCleanup::Kind::kNote,
                   fmt::format("lamtool: error: multipart upload {} (upload id {}) was not "
                               "aborted; remove it with: {}\n",
                               name, upload_id, by_hand));
  try {
    size_t bytes = 0;
    std::vector<std::string> etags =
        upload_parts(url, upload_id, feed, {"UploadPart " + name}, progress, bytes);
    std::string xml = "<CompleteMultipartUpload>";
    for (size_t i = 0; i < etags.size(); ++i)
      xml +=
          fmt::format("<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>", i + 1, etags[i]);
    xml += "</CompleteMultipartUpload>";
    HttpRequest complete{.method = "POST",
                         .url = url + "?" + id_query,
                         .headers = {{"Content-Type", "application/xml"}},
                         .body = xml};
    const Call call{"CompleteMultipartUpload " + name};
    HttpResponse done = send(*http_, std::move(complete), call);
    // S3 may answer 200 and put the error in the body.
    if (done.body.find("<Error>") != std::string::npos)
      throw_s3_error(call.what, {500, {}, done.body});
    return PutResult{xml_text(done.body, "ETag"), {}, bytes, static_cast<int>(etags.size())};
  } catch (...) {
    // The original error is what the caller sees (and its exit code); a failed abort
    // is one more line, with what a user needs to remove the upload.
    InterruptShield shield;
    try {
      HttpRequest abort{.method = "DELETE", .url = url + "?" + id_query, .headers = {}, .body = {}};
      const Call call{"AbortMultipartUpload " + name};
      HttpResponse answer = exchange(*http_, std::move(abort), call);
      // NoSuchUpload: already gone (a CompleteMultipartUpload whose answer was lost).
      if (answer.status != 404 && (answer.status < 200 || answer.status > 299))
        throw_s3_error(call.what, answer);
      log_.debugf("s3: aborted multipart upload {} (upload id {}): HTTP {}", name, upload_id,
                  answer.status);
    } catch (const std::exception& e) {
      log_.errorf(
          "{}; multipart upload {} (upload id {}) is left in the bucket: remove it with: {}",
          e.what(), name, upload_id, by_hand);
    }
    throw;
  }
}

std::vector<std::string> S3Client::upload_parts(const std::string& url,
                                                const std::string& upload_id, PartFeed& feed,
                                                const Call& call, const ProgressCallback& progress,
                                                size_t& sent) {
  std::vector<std::string> etags;
  bool failed = false;
  std::mutex mu;
  std::exception_ptr first_error;
  auto worker = [&] {
    try {
      std::unique_ptr<HttpClient> http = http_factory_();
      for (;;) {
        size_t index = 0;
        std::shared_ptr<const BodySource> body;
        {
          std::lock_guard lock(mu);
          if (failed) return;
          body = feed.next();
          if (!body) return;
          index = etags.size();
          etags.emplace_back();
        }
        HttpRequest req{.method = "PUT",
                        .url = fmt::format("{}?partNumber={}&uploadId={}", url, index + 1,
                                           percent_encode(upload_id, false)),
                        .headers = {},
                        .body = {},
                        .body_source = body};
        HttpResponse r = send(*http, std::move(req), call);
        std::lock_guard lock(mu);
        etags[index] = header_value(r, "ETag");
        sent += body->size();
        if (progress) progress(sent);
      }
    } catch (...) {
      std::lock_guard lock(mu);
      failed = true;
      if (!first_error) first_error = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < options_.upload_threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (first_error) std::rethrow_exception(first_error);
  return etags;
}

GetResult S3Client::get_object(const std::string& bucket, const std::string& key) {
  HttpRequest req{.method = "GET", .url = object_url(bucket, key), .headers = {}, .body = {}};
  HttpResponse r = send(*http_, std::move(req), {fmt::format("GetObject '{}/{}'", bucket, key)});
  size_t bytes = r.body.size();
  return GetResult{std::move(r.body), header_value(r, "Content-Type"), header_value(r, "ETag"),
                   bytes};
}

std::optional<GetResult> S3Client::get_if_exists(const std::string& bucket,
                                                 const std::string& key) {
  HttpRequest req{.method = "GET", .url = object_url(bucket, key), .headers = {}, .body = {}};
  Call call{fmt::format("GetObject '{}/{}'", bucket, key)};
  HttpResponse r = exchange(*http_, std::move(req), call);
  if (r.status == 404 && parse_s3_error(r.body).first == "NoSuchKey") return std::nullopt;
  if (r.status < 200 || r.status > 299) throw_s3_error(call.what, r);
  size_t bytes = r.body.size();
  return GetResult{std::move(r.body), header_value(r, "Content-Type"), header_value(r, "ETag"),
                   bytes};
}

GetResult S3Client::download(const std::string& bucket, const std::string& key,
                             std::shared_ptr<BodySink> sink) {
  HttpRequest req{.method = "GET",
                  .url = object_url(bucket, key),
                  .headers = {},
                  .body = {},
                  .body_source = {},
                  .body_sink = std::move(sink),
                  // A big object takes as long as it takes: no total limit, only a stall one.
                  .timeout = std::chrono::milliseconds{0}};
  HttpResponse r = send(*http_, std::move(req), {fmt::format("GetObject '{}/{}'", bucket, key)});
  std::string length = header_value(r, "Content-Length");
  return GetResult{{},
                   header_value(r, "Content-Type"),
                   header_value(r, "ETag"),
                   length.empty() ? 0 : static_cast<size_t>(std::stoull(length))};
}

std::optional<HeadResult> S3Client::head(const std::string& bucket, const std::string& key) {
  HttpRequest req{.method = "HEAD", .url = object_url(bucket, key), .headers = {}, .body = {}};
  const Call call{fmt::format("HeadObject '{}/{}'", bucket, key)};
  HttpResponse r = exchange(*http_, std::move(req), call);
  if (r.status == 404) return std::nullopt;
  if (r.status < 200 || r.status > 299) throw_s3_error(call.what, r);
  HeadResult h;
  std::string length = header_value(r, "Content-Length");
  h.size = length.empty() ? 0 : static_cast<size_t>(std::stoull(length));
  h.content_type = header_value(r, "Content-Type");
  h.etag = header_value(r, "ETag");
  constexpr std::string_view kMeta = "x-amz-meta-";
  for (const auto& [name, value] : r.headers) {
    std::string prefix = name.substr(0, kMeta.size());
    for (char& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name.size() > kMeta.size() && prefix == kMeta)
      h.metadata[name.substr(kMeta.size())] = value;
  }
  return h;
}

std::string S3Client::presign_get(const std::string& bucket, const std::string& key,
                                  long expires_seconds) {
  return presign("GET", object_url(bucket, key), signing_params(), expires_seconds).url;
}

std::unique_ptr<S3Client> make_s3_client(Logger& log) {
  EnvClientSetup setup = client_setup_from_env("s3", log);
  S3Options o;
  o.region = setup.region;
  o.endpoint = setup.endpoint;
  return std::make_unique<S3Client>(
      std::move(o), std::move(setup.credentials),
      [] { return std::make_unique<LazyHttpClient>([] { return make_curl_http_client(); }); },
      real_clock(), log);
}

}  // namespace lamtool::aws
