#include "lamtool/progress.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "lamtool/log.h"

namespace lamtool {

namespace {

size_t terminal_width() {
  winsize ws{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
  return 80;
}

}  // namespace

ProgressBar::ProgressBar(std::string label, size_t total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled) {}

ProgressBar::~ProgressBar() { finish(); }

std::string ProgressBar::render(const std::string& label, size_t done, size_t total, size_t width) {
  done = std::min(done, total);
  std::string counts = fmt::format(" {}/{}", done, total);
  size_t fixed = label.size() + 3 + counts.size();  // "label [" + "]" + counts
  size_t bar = width > fixed + 10 ? width - fixed - 1 : 10;
  size_t filled = total == 0 ? bar : bar * done / total;
  return fmt::format("{} [{}{}]{}", label, std::string(filled, '#'), std::string(bar - filled, ' '),
                     counts);
}

void ProgressBar::update(size_t done) {
  done_ = done;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && done_ < total_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  drawn_ = true;
  std::string line = fmt::format("\r{}", render(label_, done_, total_, terminal_width()));
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

bool progress_enabled(const Logger& log) {
  return log.verbosity() != Verbosity::kQuiet && isatty(STDERR_FILENO) == 1;
}

}  // namespace lamtool
