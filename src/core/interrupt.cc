#include "lamtool/interrupt.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace lamtool {

namespace {

static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");

std::atomic<int> g_signal{0};
// Written once by the first signal and never drained, so it stays readable: every
// poll that includes it returns at once from then on, in any thread.
int g_wake[2] = {-1, -1};
thread_local int t_shield = 0;

// What a second signal must do. A slot is free (0), being filled (1), or holds a path
// to unlink (2) or a note for stderr (3).
constexpr int kSlots = 32;
constexpr size_t kSlotBytes = 4096;
struct Slot {
  std::atomic<int> state{0};
  char text[kSlotBytes];
};
Slot g_slots[kSlots];

void write_stderr(const char* text) {
  size_t n = 0;
  while (text[n] != '\0') ++n;
  while (n > 0) {
    ssize_t w = ::write(STDERR_FILENO, text, n);
    if (w <= 0) return;
    text += w;
    n -= static_cast<size_t>(w);
  }
}

extern "C" void on_signal(int sig) {
  int saved = errno;
  int first = 0;
  if (g_signal.compare_exchange_strong(first, sig)) {
    if (g_wake[1] >= 0) {
      char c = 1;
      [[maybe_unused]] ssize_t w = ::write(g_wake[1], &c, 1);
    }
    errno = saved;
    return;
  }
  // A second signal: the cleanup after the first takes too long for the user (or the
  // service manager). Async-signal-safe calls only.
  for (Slot& s : g_slots) {
    int state = s.state.load();
    if (state == 2) ::unlink(s.text);
    if (state == 3) write_stderr(s.text);
  }
  ::_exit(128 + first);
}

int pending() noexcept { return t_shield > 0 ? 0 : g_signal.load(std::memory_order_relaxed); }

}  // namespace

Interrupted::Interrupted(int signal)
    : Error(signal == SIGTERM ? "terminated (SIGTERM)" : "interrupted (SIGINT)",
            signal == SIGTERM ? exit_code::kTerminated : exit_code::kInterrupted, "Interrupted"),
      signal_(signal) {}

void install_interrupt_handlers() {
  if (g_wake[0] < 0 && ::pipe2(g_wake, O_CLOEXEC | O_NONBLOCK) != 0) g_wake[0] = g_wake[1] = -1;
  for (int sig : {SIGINT, SIGTERM}) {
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a blocking call returns EINTR
    ::sigaction(sig, &sa, nullptr);
  }
}

int interrupt_signal() noexcept { return pending(); }

void check_interrupted() {
  if (int sig = pending()) throw Interrupted(sig);
}

namespace {

// Polls `fd` (when >= 0) and the wake pipe; true when `fd` is ready, false on timeout.
bool wait_for(int fd, short events, int timeout_ms) {
  for (;;) {
    check_interrupted();
    pollfd p[2] = {{fd, events, 0}, {t_shield > 0 ? -1 : g_wake[0], POLLIN, 0}};
    int n = ::poll(p, 2, timeout_ms);
    if (n < 0 && errno == EINTR) continue;  // the loop checks the flag
    if (n < 0) return true;                 // let the caller's read or write report it
    check_interrupted();
    return n > 0;
  }
}

}  // namespace

void wait_ready(int fd, short events) { wait_for(fd, events, -1); }

void interruptible_sleep(std::chrono::milliseconds d) {
  using Clock = std::chrono::steady_clock;
  const auto end = Clock::now() + d;
  for (auto now = Clock::now(); now < end; now = Clock::now()) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(end - now).count();
    wait_for(-1, 0, static_cast<int>(left));
  }
  check_interrupted();
}

InterruptShield::InterruptShield() { ++t_shield; }
InterruptShield::~InterruptShield() { --t_shield; }

ExitCleanup::ExitCleanup(Kind kind, std::string_view text) {
  if (text.size() >= kSlotBytes) return;
  for (int i = 0; i < kSlots; ++i) {
    int free = 0;
    if (!g_slots[i].state.compare_exchange_strong(free, 1)) continue;
    std::memcpy(g_slots[i].text, text.data(), text.size());
    g_slots[i].text[text.size()] = '\0';
    g_slots[i].state.store(kind == Kind::kUnlink ? 2 : 3);
    slot_ = i;
    return;
  }
}

ExitCleanup::~ExitCleanup() { release(); }

void ExitCleanup::release() noexcept {
  if (slot_ >= 0) g_slots[slot_].state.store(0);
  slot_ = -1;
}

}  // namespace lamtool
