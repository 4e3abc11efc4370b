// libcurl behind HttpClient: one easy handle per client, reset per request so the
// connection cache survives while no option leaks from one request into the next.
// libcurl itself is opened on the first request (http/curl_library.h).

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include "http/curl_library.h"
#include "lamtool/encoding.h"
#include "lamtool/error.h"
#include "lamtool/http.h"
#include "lamtool/interrupt.h"
#include "lamtool/log.h"
#include "lamtool/parse.h"

namespace lamtool {

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
  return std::lexicographical_compare(
      a.begin(), a.end(), b.begin(), b.end(),
      [](unsigned char x, unsigned char y) { return std::tolower(x) < std::tolower(y); });
}

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

bool icontains(std::string_view haystack, std::string_view needle) {
  auto it = std::search(
      haystack.begin(), haystack.end(), needle.begin(), needle.end(),
      [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
  return it != haystack.end();
}

// Query parameters whose values are credentials (presigned URLs, API keys).
bool is_secret_param(std::string_view name) {
  for (std::string_view marker :
       {"signature", "credential", "token", "secret", "password", "key", "sig", "auth"}) {
    if (icontains(name, marker)) return true;
  }
  return false;
}

std::string redact_query(std::string_view query) {
  std::string out;
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view item = query.substr(pos, amp - pos);
    size_t eq = item.find('=');
    if (!out.empty() || pos > 0) out += '&';
    if (eq != std::string_view::npos && is_secret_param(item.substr(0, eq))) {
      out += item.substr(0, eq + 1);
      out += "REDACTED";
    } else {
      out += item;
    }
    pos = amp + 1;
  }
  return out;
}

// Drops `user:password@` from the authority.
std::string redact_userinfo(std::string_view url) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  size_t end = url.find_first_of("/?#", start);
  if (end == std::string_view::npos) end = url.size();
  size_t at = url.substr(start, end - start).rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, start)) + "REDACTED@" + std::string(url.substr(start + at + 1));
}

}  // namespace

std::string url_host(std::string_view url) {
  size_t scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  size_t at = rest.rfind('@');
  if (at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    return ascii_lower(
        rest.substr(1, close == std::string_view::npos ? rest.size() - 1 : close - 1));
  }
  return ascii_lower(rest.substr(0, rest.find(':')));
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  if (host.size() > 10 && host.ends_with(".localhost")) return true;
  return host.starts_with("127.") && host.find_first_not_of("0123456789.") == std::string::npos;
}

void add_header_line(HttpHeaders& headers, std::string_view line) {
  if (line.substr(0, 5) == "HTTP/") {
    headers.clear();
    return;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  std::string name(trim(line.substr(0, colon)));
  std::string value(trim(line.substr(colon + 1)));
  auto [it, inserted] = headers.emplace(name, value);
  if (!inserted) it->second += ", " + value;
}

std::string redact_url(std::string_view url) {
  std::string clean = redact_userinfo(url);
  size_t q = clean.find('?');
  if (q == std::string::npos) return clean;
  size_t hash = clean.find('#', q);
  std::string fragment = hash == std::string::npos ? "" : clean.substr(hash);
  std::string query =
      clean.substr(q + 1, (hash == std::string::npos ? clean.size() : hash) - q - 1);
  return clean.substr(0, q + 1) + redact_query(query) + fragment;
}

namespace {

const CurlLibrary& lib() { return curl_library(); }

using EasyDeleter = CurlEasyDeleter;
using SlistDeleter = CurlSlistDeleter;
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// Where the response body goes: HttpResponse::body, or the request's BodySink once the
// status is known to be 2xx. An exception from the sink stops the transfer and is
// rethrown after curl_easy_perform (it cannot cross libcurl's C frames).
struct BodyWriter {
  CURL* handle;
  HttpResponse* response;
  BodySink* sink;
  bool to_sink = false;
  bool decided = false;
  std::exception_ptr error;

  void decide() {
    if (decided) return;
    decided = true;
    long status = 0;
    lib().easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    to_sink = sink != nullptr && status >= 200 && status <= 299;
    if (to_sink) sink->begin(response->headers);
  }
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* w = static_cast<BodyWriter*>(user);
  try {
    w->decide();
    if (w->to_sink) {
      w->sink->write(std::string_view(data, size * count));
    } else {
      w->response->body.append(data, size * count);
    }
  } catch (...) {
    w->error = std::current_exception();
    return 0;
  }
  return size * count;
}

// One header line per call (add_header_line).
size_t on_header(char* data, size_t size, size_t count, void* user) {
  add_header_line(*static_cast<HttpHeaders*>(user), std::string_view(data, size * count));
  return size * count;
}

// A request body read by libcurl through callbacks (rather than CURLOPT_POSTFIELDS), so
// that we see libcurl rewinding it: when a reused connection dies before any answer,
// libcurl sends the request again on a fresh one by itself, and the first copy may have
// been processed. `resent` tells the caller (HttpResponse::resent).
// A BodySource (an S3 part in its file) is read where libcurl asks, so it is never
// held in memory whole.
struct BodyReader {
  std::string_view body;
  const BodySource* source = nullptr;
  size_t pos = 0;
  bool resent = false;
  std::exception_ptr error;

  size_t size() const { return source ? source->size() : body.size(); }
};

size_t read_body(char* buffer, size_t size, size_t count, void* user) {
  auto* r = static_cast<BodyReader*>(user);
  size_t n = std::min(size * count, r->size() - r->pos);
  if (r->source) {
    try {
      n = r->source->read_at(r->pos, std::span<char>(buffer, n));
    } catch (...) {
      r->error = std::current_exception();
      return CURL_READFUNC_ABORT;
    }
  } else {
    std::memcpy(buffer, r->body.data() + r->pos, n);
  }
  r->pos += n;
  return n;
}

int seek_body(void* user, curl_off_t offset, int origin) {
  auto* r = static_cast<BodyReader*>(user);
  if (origin != SEEK_SET || offset < 0 || static_cast<size_t>(offset) > r->size())
    return CURL_SEEKFUNC_CANTSEEK;
  if (r->pos > 0) r->resent = true;
  r->pos = static_cast<size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

bool has_header(const HttpRequest& request, std::string_view name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [&](const auto& h) { return iequals(h.first, name); });
}

class CurlHttpClient : public HttpClient {
 public:
  explicit CurlHttpClient(const HttpClientOptions& options) : options_(options) {
    // The packaged Lambda runtime points SSL_CERT_FILE at the bundle it carries, since
    // the built-in default path is Debian's (lamtool package, cli/bootstrap.cc).
    for (const char* name : {"CURL_CA_BUNDLE", "SSL_CERT_FILE"}) {
      if (!options_.ca_file.empty()) break;
      const char* v = std::getenv(name);
      if (v != nullptr && *v != '\0') options_.ca_file = v;
    }
  }

  HttpResponse send(const HttpRequest& request) override {
    if (!easy_) {
      easy_.reset(lib().easy_init());
      if (!easy_) throw NetworkError("cannot create a libcurl handle");
    }
    CURL* h = easy_.get();
    lib().easy_reset(h);
    HttpResponse response;
    char error_buffer[CURL_ERROR_SIZE] = {};
    Slist headers = header_list(request);
    BodyReader reader{.body = request.body, .source = request.body_source.get(), .error = {}};
    BodyWriter writer{
        .handle = h, .response = &response, .sink = request.body_sink.get(), .error = {}};
    set_common(h, request, error_buffer);
    set_method(h, request, reader);
    lib().easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    lib().easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    lib().easy_setopt(h, CURLOPT_WRITEDATA, &writer);
    lib().easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    lib().easy_setopt(h, CURLOPT_HEADERDATA, &response.headers);
    stop_on_interrupt(h);
    check_interrupted();
    CURLcode rc = lib().easy_perform(h);
    if (rc == CURLE_ABORTED_BY_CALLBACK) check_interrupted();
    if (reader.error) std::rethrow_exception(reader.error);
    if (writer.error) std::rethrow_exception(writer.error);
    if (rc != CURLE_OK) throw_network_error(request, rc, error_buffer);
    lib().easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    if (request.method != "HEAD") writer.decide();  // an empty 2xx body still begins
    response.resent = reader.resent;
    return response;
  }

 private:
  void set_common(CURL* h, const HttpRequest& request, char* error_buffer) const {
    lib().easy_setopt(h, CURLOPT_URL, request.url.c_str());
    lib().easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    lib().easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    lib().easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                      static_cast<long>(options_.connect_timeout.count()));
    lib().easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    if (request.timeout.count() == 0) {
      lib().easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
      lib().easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 30L);
    }
    lib().easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    // Send the path as signed: S3 keys may hold "./" or "../", which curl would squash.
    lib().easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
    // Only http(s), also when a server redirects (we never follow, but be explicit).
    lib().easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    if (!options_.ca_file.empty()) lib().easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (!has_header(request, "User-Agent")) {
      lib().easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
    }
  }

  static void set_method(CURL* h, const HttpRequest& request, BodyReader& reader) {
    const std::string& m = request.method;
    const size_t size = reader.size();
    if (m == "GET" && size == 0) {
      lib().easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (m == "HEAD") {
      lib().easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (size > 0 || m == "POST" || m == "PUT" || m == "PATCH") {
      // A POST of POSTFIELDSIZE bytes from the read callback, with a Content-Length;
      // the custom method turns it into PUT etc. without changing that.
      lib().easy_setopt(h, CURLOPT_POST, 1L);
      lib().easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(size));
      lib().easy_setopt(h, CURLOPT_READFUNCTION, read_body);
      lib().easy_setopt(h, CURLOPT_READDATA, &reader);
      lib().easy_setopt(h, CURLOPT_SEEKFUNCTION, seek_body);
      lib().easy_setopt(h, CURLOPT_SEEKDATA, &reader);
      lib().easy_setopt(h, CURLOPT_CUSTOMREQUEST, m.c_str());
    } else {
      lib().easy_setopt(h, CURLOPT_CUSTOMREQUEST, m.c_str());
    }
  }

  // The caller's headers in order, plus empty overrides that stop libcurl from adding
  // its own Expect, Accept and (for bodies) Content-Type.
  static Slist header_list(const HttpRequest& request) {
    Slist list;
    auto append = [&](const std::string& line) {
      curl_slist* next = lib().slist_append(list.get(), line.c_str());
      if (!next) throw NetworkError("cannot build the request header list: out of memory");
      static_cast<void>(list.release());
      list.reset(next);
    };
    for (const auto& [name, value] : request.headers) {
      // "Name:" would delete the header in libcurl; "Name;" sends it with no value.
      append(value.empty() ? name + ";" : name + ": " + value);
    }
    for (const char* name : {"Expect", "Accept", "Content-Type"}) {
      if (!has_header(request, name)) append(std::string(name) + ":");
    }
    return list;
  }

  [[noreturn]] static void throw_network_error(const HttpRequest& request, CURLcode rc,
                                               const char* error_buffer) {
    std::string detail = lib().easy_strerror(rc);
    if (error_buffer[0] != '\0') detail += fmt::format(" ({})", redact(error_buffer));
    if (is_tls_verification_failure(rc)) {
      throw ServiceError(fmt::format("cannot trust '{}': {}; {}", redact_url(request.url), detail,
                                     kTlsVerificationHint));
    }
    throw NetworkError(
        fmt::format("no response to {} '{}': {}", request.method, redact_url(request.url), detail));
  }

  HttpClientOptions options_;
  EasyHandle easy_;
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_http_client(const HttpClientOptions& options) {
  return std::make_unique<CurlHttpClient>(options);
}

}  // namespace lamtool
