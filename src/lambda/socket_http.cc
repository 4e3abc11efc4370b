#include "socket_http.h"

#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include "lamtool/error.h"
#include "lamtool/interrupt.h"

namespace lamtool::lambda {

namespace {

// One response read from the front of `buffer`, calling `fill` for more bytes.
class ResponseReader {
 public:
  ResponseReader(std::string& buffer, const std::function<bool()>& fill, std::string_view peer)
      : buffer_(buffer), fill_(fill), peer_(peer) {}

  std::string read_line() {
    for (;;) {
      size_t end = buffer_.find("\r\n", pos_);
      if (end != std::string::npos) {
        std::string line = buffer_.substr(pos_, end - pos_);
        pos_ = end + 2;
        return line;
      }
      if (!fill_()) throw NetworkError(fmt::format("Runtime API '{}': connection closed", peer_));
    }
  }

  std::string read_exactly(size_t n) {
    while (buffer_.size() - pos_ < n)
      if (!fill_()) throw NetworkError(fmt::format("Runtime API '{}': body cut short", peer_));
    std::string out = buffer_.substr(pos_, n);
    pos_ += n;
    return out;
  }

  HttpResponse read_response(bool& close_after) {
    pos_ = 0;
    HttpResponse r;
    std::string status = read_line();
    // "HTTP/1.1 200 OK"
    if (status.rfind("HTTP/1.", 0) != 0 || status.size() < 12)
      throw NetworkError(
          fmt::format("Runtime API '{}': not HTTP: '{}'", peer_, status.substr(0, 60)));
    r.status = std::strtol(status.c_str() + 9, nullptr, 10);
    for (std::string line = read_line(); !line.empty(); line = read_line()) {
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      r.headers[line.substr(0, colon)] = value;
    }
    close_after = false;
    if (auto it = r.headers.find("Connection"); it != r.headers.end())
      close_after = strcasecmp(it->second.c_str(), "close") == 0;
    if (auto it = r.headers.find("Transfer-Encoding");
        it != r.headers.end() && strcasecmp(it->second.c_str(), "chunked") == 0) {
      for (;;) {
        size_t size = std::strtoul(read_line().c_str(), nullptr, 16);
        if (size == 0) {
          while (!read_line().empty()) {
          }
          break;
        }
        r.body += read_exactly(size);
        read_line();
      }
    } else if (auto len = r.headers.find("Content-Length"); len != r.headers.end()) {
      r.body = read_exactly(std::strtoul(len->second.c_str(), nullptr, 10));
    } else if (r.status != 204 && r.status != 304) {
      while (fill_()) {
      }
      r.body = buffer_.substr(pos_);
      pos_ = buffer_.size();
      close_after = true;
    }
    buffer_.erase(0, pos_);
    return r;
  }

 private:
  std::string& buffer_;
  const std::function<bool()>& fill_;
  std::string_view peer_;
  size_t pos_ = 0;
};

class SocketHttpClient final : public HttpClient {
 public:
  explicit SocketHttpClient(std::string host_port) : host_port_(std::move(host_port)) {
    size_t colon = host_port_.rfind(':');
    host_ = host_port_.substr(0, colon);
    port_ = colon == std::string::npos ? "80" : host_port_.substr(colon + 1);
    if (host_.size() > 2 && host_.front() == '[' && host_.back() == ']')
      host_ = host_.substr(1, host_.size() - 2);
  }
  ~SocketHttpClient() override { close_socket(); }

  HttpResponse send(const HttpRequest& request) override {
    for (int attempt = 1;; ++attempt) {
      bool fresh = fd_ < 0;
      try {
        if (fd_ < 0) connect_socket();
        write_request(request);
        return read_response();
      } catch (const Interrupted&) {
        close_socket();  // half a response may be unread
        throw;
      } catch (const NetworkError&) {
        close_socket();
        // A kept-alive connection the server closed fails before any answer: once more.
        if (fresh || attempt > 1 || got_bytes_) throw;
      }
    }
  }

 private:
  void connect_socket() {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    if (int rc = getaddrinfo(host_.c_str(), port_.c_str(), &hints, &list); rc != 0)
      throw NetworkError(
          fmt::format("Runtime API '{}': cannot resolve: {}", host_port_, gai_strerror(rc)));
    int err = 0;
    for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
      int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0) {
        err = errno;
        continue;
      }
      if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fd_ = fd;
        break;
      }
      err = errno;
      ::close(fd);
    }
    freeaddrinfo(list);
    if (fd_ < 0)
      throw NetworkError(
          fmt::format("Runtime API '{}': cannot connect: {}", host_port_, std::strerror(err)));
    buffer_.clear();
  }

  void close_socket() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    buffer_.clear();
  }

  void write_all(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw NetworkError(
            fmt::format("Runtime API '{}': send failed: {}", host_port_, std::strerror(errno)));
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  void write_request(const HttpRequest& request) {
    got_bytes_ = false;
    std::string_view url = request.url;
    size_t scheme = url.find("://");
    size_t path_start = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
    std::string_view path = path_start == std::string_view::npos ? "/" : url.substr(path_start);
    std::string head =
        fmt::format("{} {} HTTP/1.1\r\nHost: {}\r\n", request.method, path, host_port_);
    for (const auto& [name, value] : request.headers)
      head += fmt::format("{}: {}\r\n", name, value);
    std::string body = body_bytes(request);
    if (!body.empty() || request.method == "POST" || request.method == "PUT")
      head += fmt::format("Content-Length: {}\r\n", body.size());
    head += "\r\n";
    write_all(head + body);
  }

  // More bytes into buffer_; false at the end of the stream.
  bool fill() {
    char chunk[65536];
    for (;;) {
      wait_ready(fd_, POLLIN);  // /next waits for ever; a signal ends the wait
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0)
        throw NetworkError(
            fmt::format("Runtime API '{}': receive failed: {}", host_port_, std::strerror(errno)));
      if (n == 0) return false;
      got_bytes_ = true;
      buffer_.append(chunk, static_cast<size_t>(n));
      return true;
    }
  }

  HttpResponse read_response() {
    bool close_after = false;
    HttpResponse r = read_http_response(
        buffer_, [this] { return fill(); }, host_port_, close_after);
    if (close_after) close_socket();
    return r;
  }

  std::string host_port_, host_, port_;
  int fd_ = -1;
  std::string buffer_;
  bool got_bytes_ = false;
};

}  // namespace

HttpResponse read_http_response(std::string& buffer, const std::function<bool()>& fill,
                                std::string_view peer, bool& close_after) {
  return ResponseReader(buffer, fill, peer).read_response(close_after);
}

HttpResponse parse_http_response(std::string_view bytes, std::string_view peer) {
  std::string buffer(bytes);
  bool close_after = false;
  return read_http_response(
      buffer, [] { return false; }, peer, close_after);
}

std::unique_ptr<HttpClient> make_socket_http_client(std::string host_port) {
  return std::make_unique<SocketHttpClient>(std::move(host_port));
}

}  // namespace lamtool::lambda
