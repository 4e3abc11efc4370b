// Request bodies that are not held in HttpRequest::body, and response bodies that go
// straight to a file or stdout.

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <exception>

#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/http.h"
#include "lamtool/stream.h"

namespace lamtool {

namespace {

class InputRangeSource final : public BodySource {
 public:
  InputRangeSource(const InputStream& in, size_t offset, size_t size)
      : in_(in), offset_(offset), size_(size) {}
  size_t size() const override { return size_; }
  size_t read_at(size_t offset, std::span<char> out) const override {
    if (offset >= size_) return 0;
    size_t n = std::min(out.size(), size_ - offset);
    return in_.read_at(offset_ + offset, out.first(n));
  }

 private:
  const InputStream& in_;
  size_t offset_;
  size_t size_;
};

class StringSource final : public BodySource {
 public:
  explicit StringSource(std::string bytes) : bytes_(std::move(bytes)) {}
  size_t size() const override { return bytes_.size(); }
  size_t read_at(size_t offset, std::span<char> out) const override {
    if (offset >= bytes_.size()) return 0;
    size_t n = std::min(out.size(), bytes_.size() - offset);
    std::memcpy(out.data(), bytes_.data() + offset, n);
    return n;
  }

 private:
  std::string bytes_;
};

size_t content_length(const HttpHeaders& headers) {
  auto it = headers.find("Content-Length");
  if (it == headers.end()) return 0;
  try {
    return static_cast<size_t>(std::stoull(it->second));
  } catch (const std::exception&) {
    return 0;
  }
}

class FileSink final : public BodySink {
 public:
  FileSink(AtomicFile& file, TransferProgress progress)
      : file_(file), progress_(std::move(progress)) {}
  void begin(const HttpHeaders& headers) override {
    file_.truncate();
    total_ = content_length(headers);
  }
  void write(std::string_view bytes) override {
    file_.write(bytes);
    if (progress_) progress_(file_.size(), total_);
  }

 private:
  AtomicFile& file_;
  TransferProgress progress_;
  size_t total_ = 0;
};

class StdoutSink final : public BodySink {
 public:
  explicit StdoutSink(TransferProgress progress) : progress_(std::move(progress)) {}
  void begin(const HttpHeaders& headers) override {
    if (written_ > 0)
      // A retry would repeat what the reader already has; say so rather than retry.
      throw IoError(fmt::format("the download broke off after {} bytes had gone to standard output",
                                written_));
    total_ = content_length(headers);
  }
  void write(std::string_view bytes) override {
    write_stdout(bytes);
    written_ += bytes.size();
    if (progress_) progress_(written_, total_);
  }

 private:
  TransferProgress progress_;
  size_t total_ = 0;
  size_t written_ = 0;
};

}  // namespace

std::shared_ptr<BodySink> file_sink(AtomicFile& file, TransferProgress progress) {
  return std::make_shared<FileSink>(file, std::move(progress));
}

std::shared_ptr<BodySink> stdout_sink(TransferProgress progress) {
  return std::make_shared<StdoutSink>(std::move(progress));
}

size_t body_size(const HttpRequest& request) {
  return request.body_source ? request.body_source->size() : request.body.size();
}

std::string body_bytes(const HttpRequest& request) {
  if (!request.body_source) return request.body;
  std::string out(request.body_source->size(), '\0');
  out.resize(request.body_source->read_at(0, out));
  return out;
}

std::shared_ptr<const BodySource> input_range_source(const InputStream& in, size_t offset,
                                                     size_t size) {
  return std::make_shared<InputRangeSource>(in, offset, size);
}

std::shared_ptr<const BodySource> string_source(std::string bytes) {
  return std::make_shared<StringSource>(std::move(bytes));
}

}  // namespace lamtool
