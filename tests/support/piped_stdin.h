#pragma once
// Stdin replaced by a pipe for a test's lifetime, as when lamtool reads `... | lamtool`.
// A thread writes the given bytes, then waits on `before_close` (if set) before it
// closes the pipe, so a test can check what the reader did while its input was open.

#include <signal.h>
#include <unistd.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace lamtool::test {

class PipedStdin {
 public:
  /// Writes each chunk in turn; between chunks calls `between(i)` (i = chunks written),
  /// which may wait for the reader to act on what it has.
  explicit PipedStdin(std::vector<std::string> chunks, std::function<void(size_t)> between = {}) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    ::signal(SIGPIPE, SIG_IGN);  // a reader that stops early must not kill the test
    saved_ = ::dup(STDIN_FILENO);
    ::dup2(fds[0], STDIN_FILENO);
    ::close(fds[0]);
    writer_ = std::thread([fd = fds[1], chunks = std::move(chunks), between = std::move(between)] {
      for (size_t i = 0; i < chunks.size(); ++i) {
        if (i > 0 && between) between(i);
        const std::string& bytes = chunks[i];
        for (size_t at = 0; at < bytes.size();) {
          ssize_t n = ::write(fd, bytes.data() + at, bytes.size() - at);
          if (n <= 0) break;
          at += static_cast<size_t>(n);
        }
      }
      ::close(fd);
    });
  }
  explicit PipedStdin(std::string bytes) : PipedStdin(std::vector<std::string>{std::move(bytes)}) {}
  ~PipedStdin() {
    ::close(STDIN_FILENO);  // a writer still blocked gets EPIPE
    writer_.join();
    ::dup2(saved_, STDIN_FILENO);
    ::close(saved_);
  }
  PipedStdin(const PipedStdin&) = delete;
  PipedStdin& operator=(const PipedStdin&) = delete;

 private:
  int saved_ = -1;
  std::thread writer_;
};

}  // namespace lamtool::test
