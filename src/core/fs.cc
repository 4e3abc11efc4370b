#include "lamtool/fs.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "lamtool/error.h"
#include "lamtool/stream.h"

namespace lamtool {

namespace {

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

mode_t file_mode() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return static_cast<mode_t>(0666 & ~mask);
}

}  // namespace

std::string read_file(const std::string& path) {
  InputStream in = InputStream::open(path);
  std::string out;
  if (in.size()) out.reserve(*in.size());
  char buf[65536];
  while (size_t n = in.read(buf)) out.append(buf, n);
  return out;
}

void write_file_atomic(const std::string& path, std::string_view bytes) {
  AtomicFile file(path);
  file.write(bytes);
  file.commit();
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  namespace fs = std::filesystem;
  fs::path target(path_);
  fs::path dir = target.parent_path();
  if (!dir.empty()) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
      throw OutputError(
          fmt::format("cannot create directory '{}': {}", dir.string(), ec.message()));
  }
  tmp_ =
      (dir.empty() ? fs::path(".") : dir).string() + "/." + target.filename().string() + ".XXXXXX";
  fd_ = ::mkstemp(tmp_.data());
  if (fd_ < 0)
    throw OutputError(fmt::format("cannot create file '{}': {}", path_, errno_message(errno)));
  ::fchmod(fd_, file_mode());
}

AtomicFile::~AtomicFile() { discard(); }

void AtomicFile::discard() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(tmp_.c_str());
  fd_ = -1;
}

void AtomicFile::write(std::string_view bytes) {
  if (!write_all(fd_, bytes)) {
    int err = errno;
    discard();
    throw IoError(fmt::format("cannot write file '{}': {}", path_, errno_message(err)));
  }
  size_ += bytes.size();
}

void AtomicFile::truncate() {
  if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0) {
    int err = errno;
    discard();
    throw IoError(fmt::format("cannot write file '{}': {}", path_, errno_message(err)));
  }
  size_ = 0;
}

void AtomicFile::commit() {
  // No fsync: as before, the rename protects readers, not against a power cut, and
  // an fsync per small output would cost more than the rest of a cron job.
  int err = 0;
  bool ok = ::close(fd_) == 0;
  if (!ok) err = errno;
  fd_ = -1;
  if (!ok) {
    ::unlink(tmp_.c_str());
    throw IoError(fmt::format("cannot write file '{}': {}", path_, errno_message(err)));
  }
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    err = errno;
    ::unlink(tmp_.c_str());
    throw OutputError(fmt::format("cannot create file '{}': {}", path_, errno_message(err)));
  }
}

void write_stdout(std::string_view bytes) {
  if (!write_all(STDOUT_FILENO, bytes))
    throw IoError(fmt::format("cannot write to standard output: {}", errno_message(errno)));
}

}  // namespace lamtool
