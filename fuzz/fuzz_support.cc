#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "fuzz.h"

namespace lamtool::fuzz {

MemoryFile::MemoryFile(const std::uint8_t* data, std::size_t size) {
  fd_ = memfd_create("lamtool-fuzz", MFD_CLOEXEC);
  if (fd_ < 0) {
    std::perror("memfd_create");
    std::abort();
  }
  for (std::size_t done = 0; done < size;) {
    ssize_t n = ::write(fd_, data + done, size - done);
    if (n <= 0) {
      std::perror("write");
      std::abort();
    }
    done += static_cast<std::size_t>(n);
  }
  path_ = "/proc/self/fd/" + std::to_string(fd_);
}

MemoryFile::~MemoryFile() { ::close(fd_); }

}  // namespace lamtool::fuzz
