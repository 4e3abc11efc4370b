#include "lamtool/fs.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "lamtool/error.h"

namespace lamtool {

namespace {

// Reads everything from `fd`; returns false with errno set on a failed read.
bool read_all(int fd, std::string& out) {
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) return true;
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    out.append(buf, static_cast<size_t>(n));
  }
}

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
  std::string out;
  if (path == "-") {
    if (!read_all(STDIN_FILENO, out))
      throw IoError(fmt::format("cannot read standard input: {}", errno_message(errno)));
    return out;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw InputError(fmt::format("cannot open file '{}': {}", path, errno_message(errno)));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw InputError(fmt::format("cannot read file '{}': Is a directory", path));
  }
  if (st.st_size > 0) out.reserve(static_cast<size_t>(st.st_size));
  bool ok = read_all(fd, out);
  int err = errno;
  ::close(fd);
  if (!ok) throw IoError(fmt::format("cannot read file '{}': {}", path, errno_message(err)));
  return out;
}

void write_file_atomic(const std::string& path, std::string_view bytes) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path dir = target.parent_path();
  if (!dir.empty()) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
      throw OutputError(
          fmt::format("cannot create directory '{}': {}", dir.string(), ec.message()));
  }
  std::string tmp =
      (dir.empty() ? fs::path(".") : dir).string() + "/." + target.filename().string() + ".XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0)
    throw OutputError(fmt::format("cannot create file '{}': {}", path, errno_message(errno)));
  ::fchmod(fd, file_mode());
  bool ok = write_all(fd, bytes);
  int err = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    throw IoError(fmt::format("cannot write file '{}': {}", path, errno_message(err)));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    ::unlink(tmp.c_str());
    throw OutputError(fmt::format("cannot create file '{}': {}", path, errno_message(err)));
  }
}

void write_stdout(std::string_view bytes) {
  if (!write_all(STDOUT_FILENO, bytes))
    throw IoError(fmt::format("cannot write to standard output: {}", errno_message(errno)));
}

}  // namespace lamtool
