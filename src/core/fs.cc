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
      if (errno == EINTR) {
        check_interrupted();
        continue;
      }
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
  cleanup_.emplace(ExitCleanup::Kind::kUnlink, tmp_);
  ::fchmod(fd_, file_mode());
}

AtomicFile::~AtomicFile() { discard(); }

void AtomicFile::discard() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(tmp_.c_str());
  cleanup_.reset();
  fd_ = -1;
}

void AtomicFile::write(std::string_view bytes) {
  if (interrupt_signal() != 0) {
    discard();
    check_interrupted();
  }
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
  // The bytes reach the disk before the name does, so a power cut leaves the old file
  // or the new one, never an empty or partial one; a signal before the rename leaves
  // the old one.
  check_interrupted();
  int err = 0;
  bool ok = ::fsync(fd_) == 0;
  if (!ok) err = errno;
  if (::close(fd_) != 0 && ok) {
    ok = false;
    err = errno;
  }
  fd_ = -1;
  if (!ok) {
    ::unlink(tmp_.c_str());
    cleanup_.reset();
    throw IoError(fmt::format("cannot write file '{}': {}", path_, errno_message(err)));
  }
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    err = errno;
    ::unlink(tmp_.c_str());
    cleanup_.reset();
    throw OutputError(fmt::format("cannot create file '{}': {}", path_, errno_message(err)));
  }
  cleanup_.reset();
  // The rename itself, durable. A file system that cannot sync a directory (EINVAL)
  // has nothing to flush.
  std::string dir = std::filesystem::path(path_).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    bool synced = ::fsync(dfd) == 0 || errno == EINVAL;
    err = errno;
    ::close(dfd);
    if (!synced)
      throw IoError(fmt::format("cannot write file '{}': {}", path_, errno_message(err)));
  }
}

void write_stdout(std::string_view bytes) {
  check_interrupted();
  if (!write_all(STDOUT_FILENO, bytes))
    throw IoError(fmt::format("cannot write to standard output: {}", errno_message(errno)));
}

}  // namespace lamtool
