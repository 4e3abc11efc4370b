#include "lamtool/stream.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "lamtool/error.h"
#include "lamtool/interrupt.h"

namespace lamtool {

namespace {

constexpr size_t kChunk = 64 * 1024;

[[noreturn]] void throw_read_error(const InputStream& in, int err) {
  throw IoError(fmt::format("cannot read {}: {}", in.describe(), errno_message(err)));
}

}  // namespace

InputStream::InputStream(int fd, bool owned, std::string path, std::optional<size_t> size,
                         size_t start)
    : fd_(fd), owned_(owned), path_(std::move(path)), size_(size), start_(start) {}

InputStream InputStream::open(const std::string& path) {
  bool is_stdin = path == "-";
  int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw InputError(fmt::format("cannot open file '{}': {}", path, errno_message(errno)));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (!is_stdin) ::close(fd);
    throw InputError(fmt::format("cannot read file '{}': Is a directory", path));
  }
  std::optional<size_t> size;
  size_t start = 0;
  if (S_ISREG(st.st_mode)) {
    off_t at = is_stdin ? ::lseek(fd, 0, SEEK_CUR) : 0;
    if (at >= 0 && at <= st.st_size) {
      start = static_cast<size_t>(at);
      size = static_cast<size_t>(st.st_size - at);
    }
  }
  return InputStream(fd, !is_stdin, path, size, start);
}

InputStream::~InputStream() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

InputStream::InputStream(InputStream&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      owned_(std::exchange(other.owned_, false)),
      path_(std::move(other.path_)),
      size_(other.size_),
      start_(other.start_),
      position_(other.position_) {}

InputStream& InputStream::operator=(InputStream&& other) noexcept {
  if (this != &other) {
    if (owned_ && fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    owned_ = std::exchange(other.owned_, false);
    path_ = std::move(other.path_);
    size_ = other.size_;
    start_ = other.start_;
    position_ = other.position_;
  }
  return *this;
}

std::string InputStream::describe() const {
  return path_ == "-" ? "standard input" : fmt::format("file '{}'", path_);
}

std::string InputStream::at_line(size_t line) const {
  return path_ == "-" ? fmt::format("stdin line {}", line)
                      : fmt::format("'{}' line {}", path_, line);
}

bool InputStream::readable_now() const {
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, 0) != 0;  // ready, hung up, or an error read() will report
}

size_t InputStream::read(std::span<char> out) {
  for (;;) {
    // A pipe or terminal may block for ever: wait for it or for a signal. A file
    // answers at once; a signal is seen before the next read.
    if (size_) {
      check_interrupted();
    } else {
      wait_ready(fd_, POLLIN);
    }
    ssize_t n = ::read(fd_, out.data(), out.size());
    if (n >= 0) {
      position_ += static_cast<size_t>(n);
      return static_cast<size_t>(n);
    }
    if (errno != EINTR) throw_read_error(*this, errno);
  }
}

size_t InputStream::read_full(std::span<char> out) {
  size_t total = 0;
  while (total < out.size()) {
    size_t n = read(out.subspan(total));
    if (n == 0) break;
    total += n;
  }
  return total;
}

size_t InputStream::read_at(size_t offset, std::span<char> out) const {
  check_interrupted();
  size_t total = 0;
  while (total < out.size()) {
    ssize_t n = ::pread(fd_, out.data() + total, out.size() - total,
                        static_cast<off_t>(start_ + offset + total));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_read_error(*this, errno);
    }
    total += static_cast<size_t>(n);
  }
  return total;
}

LineReader::LineReader(InputStream& in, size_t max_line, LongLines long_lines)
    : in_(in), max_line_(max_line), long_lines_(long_lines) {}

void LineReader::throw_too_long() const {
  throw DataError(fmt::format("{}: longer than {} bytes", in_.at_line(line_number_), max_line_));
}

bool LineReader::line_ready() const { return eof_ || buf_.find('\n', begin_) != std::string::npos; }

std::string_view LineReader::skip_long_line() {
  too_long_ = true;
  ++line_number_;
  for (;;) {
    size_t nl = buf_.find('\n', begin_);
    if (nl != std::string::npos) {
      consumed_ += nl + 1 - begin_;
      begin_ = nl + 1;
      return {};
    }
    consumed_ += buf_.size() - begin_;
    buf_.clear();
    begin_ = 0;
    if (eof_) return {};
    buf_.resize(kChunk);
    size_t n = in_.read(std::span<char>(buf_.data(), kChunk));
    buf_.resize(n);
    if (n == 0) eof_ = true;
  }
}

std::optional<std::string_view> LineReader::next_line() {
  too_long_ = false;
  size_t scanned = begin_;
  for (;;) {
    size_t nl = buf_.find('\n', scanned);
    if (nl != std::string::npos || (eof_ && begin_ < buf_.size())) {
      size_t end = nl == std::string::npos ? buf_.size() : nl;
      if (max_line_ > 0 && end - begin_ > max_line_ && long_lines_ == LongLines::kSkip)
        return skip_long_line();
      std::string_view line(buf_.data() + begin_, end - begin_);
      consumed_ += end - begin_ + (nl == std::string::npos ? 0 : 1);
      begin_ = nl == std::string::npos ? buf_.size() : nl + 1;
      ++line_number_;
      if (max_line_ > 0 && line.size() > max_line_) throw_too_long();
      if (line.ends_with('\r')) line.remove_suffix(1);
      return line;
    }
    if (eof_) return std::nullopt;
    if (max_line_ > 0 && buf_.size() - begin_ > max_line_) {
      if (long_lines_ == LongLines::kSkip) return skip_long_line();
      ++line_number_;
      throw_too_long();
    }
    // Drop what was returned, then read more after the unfinished line.
    buf_.erase(0, begin_);
    scanned = buf_.size();
    begin_ = 0;
    size_t old = buf_.size();
    buf_.resize(old + kChunk);
    size_t n = in_.read(std::span<char>(buf_.data() + old, kChunk));
    buf_.resize(old + n);
    if (n == 0) eof_ = true;
  }
}

std::string LineReader::read_rest() {
  std::string rest = buf_.substr(begin_);
  buf_.clear();
  begin_ = 0;
  char chunk[kChunk];
  while (size_t n = in_.read(chunk)) rest.append(chunk, n);
  eof_ = true;
  consumed_ += rest.size();
  return rest;
}

size_t read_first_line(InputStream& in, std::string& head, size_t max_line) {
  constexpr size_t kChunk = 64 * 1024;
  size_t content = std::string::npos;
  for (;;) {
    if (content == std::string::npos) content = head.find_first_not_of(" \t\r\n");
    if (content != std::string::npos &&
        (head.find('\n', content) != std::string::npos || head.size() - content > max_line))
      return content;
    size_t old = head.size();
    head.resize(old + kChunk);
    size_t n = in.read(std::span<char>(head.data() + old, kChunk));
    head.resize(old + n);
    if (n == 0) return content;
  }
}

}  // namespace lamtool
