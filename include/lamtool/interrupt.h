#pragma once
// SIGINT and SIGTERM as an exception. The handlers (installed by cli/main.cc, so also for
// `lamtool lambda`) only record the signal and wake a pipe; blocking reads and waits poll
// that pipe beside their descriptor, long loops and libcurl's progress callback check the
// flag, and all of them throw Interrupted. Unwinding then runs the destructors that
// remove temporary files and the handlers that abort multipart uploads; main exits 130
// (SIGINT) or 143 (SIGTERM). A second signal while that runs exits at once, after
// removing the registered temporary files and printing the registered notes with
// async-signal-safe calls only.

#include <chrono>
#include <string_view>

#include "lamtool/error.h"

namespace lamtool {

/// Installs the SIGINT and SIGTERM handlers (without SA_RESTART). A signal the parent
/// left ignored (`nohup`, a background job of a non-interactive shell) stays ignored.
void install_interrupt_handlers();

/// The first signal received (SIGINT or SIGTERM), 0 if none; 0 also while this thread
/// holds an InterruptShield.
int interrupt_signal() noexcept;

/// Throws Interrupted once a signal has arrived (unless shielded).
void check_interrupted();

/// Waits until `fd` is ready for `events` (POLLIN, POLLOUT), or throws Interrupted when
/// a signal comes first. Without handlers installed, only waits.
void wait_ready(int fd, short events);

/// Sleeps for `d`, or throws Interrupted when a signal comes first.
void interruptible_sleep(std::chrono::milliseconds d);

/// While alive, this thread's checks ignore the signal: for the cleanup that runs
/// after it (aborting a multipart upload), which a second signal still cuts short.
class InterruptShield {
 public:
  InterruptShield();
  ~InterruptShield();
  InterruptShield(const InterruptShield&) = delete;
  InterruptShield& operator=(const InterruptShield&) = delete;
};

/// Registers what a second signal must do before the process exits: remove the file
/// `path` (kUnlink) or write `text` to stderr (kNote). Unregistered by the destructor.
/// Silently not registered when all slots are taken or the text is too long.
class ExitCleanup {
 public:
  enum class Kind { kUnlink, kNote };
  ExitCleanup(Kind kind, std::string_view text);
  ~ExitCleanup();
  ExitCleanup(const ExitCleanup&) = delete;
  ExitCleanup& operator=(const ExitCleanup&) = delete;
  /// Unregisters now (the file was renamed or removed).
  void release() noexcept;

 private:
  int slot_ = -1;
};

}  // namespace lamtool
