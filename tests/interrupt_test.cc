// SIGINT and SIGTERM as Interrupted (lamtool/interrupt.h). Each case runs in a child
// process of its own: a signal, once received, stays for the life of the process. A
// child that hangs is ended by alarm(10), which the parent sees as a failure.

#include "lamtool/interrupt.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <thread>

#include "lamtool/fs.h"
#include "lamtool/image/gif.h"
#include "lamtool/stream.h"
#include "temp_dir.h"

namespace lamtool {
namespace {

using test::slurp;
using test::spit;
using test::TempDir;

// Runs `body` in a child process with stderr to `stderr_file` (when given); its exit
// status, or 200 + the signal that killed it.
int in_child(const std::function<int()>& body, const std::string& stderr_file = "") {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::alarm(10);
    if (!stderr_file.empty()) {
      int fd = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd, STDERR_FILENO);
    }
    int rc = 90;
    try {
      rc = body();
    } catch (const Interrupted&) {
      rc = 91;  // an Interrupted the case did not expect
    } catch (...) {
      rc = 92;
    }
    ::_exit(rc);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
}

// The exit code of the Interrupted that `f` throws, 1 if it throws none.
int interrupted_code(const std::function<void()>& f) {
  try {
    f();
  } catch (const Interrupted& e) {
    return e.exit_code();
  }
  return 1;
}

std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Interrupt, EachSignalIsInterruptedWithItsExitCode) {
  EXPECT_EQ(in_child([] {
              install_interrupt_handlers();
              check_interrupted();  // nothing yet
              ::raise(SIGINT);
              return interrupted_code(check_interrupted);
            }),
            130);
  EXPECT_EQ(in_child([] {
              install_interrupt_handlers();
              ::raise(SIGTERM);
              return interrupted_code(check_interrupted);
            }),
            143);
}

TEST(Interrupt, ASignalTheParentIgnoredStaysIgnored) {
  EXPECT_EQ(in_child([] {
              ::signal(SIGINT, SIG_IGN);
              install_interrupt_handlers();
              ::raise(SIGINT);
              check_interrupted();
              ::raise(SIGTERM);  // not ignored: still handled
              return interrupted_code(check_interrupted);
            }),
            143);
}

// The signal goes to the main thread (the reader's thread blocks it), so only the wake
// pipe can end the reader's blocking read of a pipe that never gets data.
TEST(Interrupt, ABlockedReadInAnotherThreadEnds) {
  EXPECT_EQ(in_child([] {
              install_interrupt_handlers();
              int p[2];
              if (::pipe(p) != 0) return 2;
              InputStream in = InputStream::open("/proc/self/fd/" + std::to_string(p[0]));
              int code = 1;
              std::thread reader([&] {
                sigset_t set;
                sigemptyset(&set);
                sigaddset(&set, SIGINT);
                sigaddset(&set, SIGTERM);
                pthread_sigmask(SIG_BLOCK, &set, nullptr);
                code = interrupted_code([&] {
                  char buf[16];
                  in.read(buf);
                });
              });
              ::kill(::getpid(), SIGINT);
              reader.join();
              return code;
            }),
            130);
}

TEST(Interrupt, ASleepEndsEarly) {
  EXPECT_EQ(in_child([] {
              install_interrupt_handlers();
              std::thread([] { ::kill(::getpid(), SIGTERM); }).detach();
              auto start = std::chrono::steady_clock::now();
              int code =
                  interrupted_code([] { interruptible_sleep(std::chrono::milliseconds(60000)); });
              return std::chrono::steady_clock::now() - start < std::chrono::seconds(5) ? code : 3;
            }),
            143);
}

TEST(Interrupt, AShieldLetsCleanupRunThenTheSignalCounts) {
  EXPECT_EQ(in_child([] {
              install_interrupt_handlers();
              ::raise(SIGINT);
              {
                InterruptShield shield;
                if (interrupt_signal() != 0) return 2;
                check_interrupted();
                interruptible_sleep(std::chrono::milliseconds(5));  // sleeps, not interrupted
              }
              return interrupted_code(check_interrupted);
            }),
            130);
}

TEST(Interrupt, AnAtomicFileStopsAndLeavesThePreviousFile) {
  TempDir dir;
  spit(dir / "out.txt", "previous, complete\n");
  EXPECT_EQ(in_child([&] {
              install_interrupt_handlers();
              AtomicFile f(dir / "out.txt");
              f.write("half of the new ");
              if (names_in(dir.path()).size() != 2) return 2;  // the temporary is there
              ::raise(SIGTERM);
              return interrupted_code([&] { f.write("contents"); });
            }),
            143);
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"out.txt"});
  EXPECT_EQ(slurp(dir / "out.txt"), "previous, complete\n");
}

// The first signal's cleanup hangs (here: never runs); a second one exits at once,
// removing the temporary file and printing the registered note.
TEST(Interrupt, ASecondSignalExitsAtOnceAfterRemovingTemporaries) {
  TempDir dir;
  spit(dir / "out.txt", "previous\n");
  int rc = in_child(
      [&] {
        install_interrupt_handlers();
        AtomicFile f(dir / "out.txt");
        f.write("partial");
        ExitCleanup note(ExitCleanup::Kind::kNote, "note: upload U left in bucket B\n");
        ::raise(SIGINT);
        ::raise(SIGINT);  // does not return
        return 3;
      },
      dir / "stderr.txt");
  EXPECT_EQ(rc, 130);
  EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"out.txt", "stderr.txt"}));
  EXPECT_EQ(slurp(dir / "out.txt"), "previous\n");
  EXPECT_EQ(slurp(dir / "stderr.txt"), "note: upload U left in bucket B\n");
}

TEST(Interrupt, AReleasedCleanupIsNotRun) {
  TempDir dir;
  spit(dir / "keep.txt", "kept\n");
  EXPECT_EQ(in_child([&] {
              install_interrupt_handlers();
              ExitCleanup cleanup(ExitCleanup::Kind::kUnlink, dir / "keep.txt");
              cleanup.release();
              ::raise(SIGTERM);
              ::raise(SIGTERM);
              return 3;
            }),
            143);
  EXPECT_EQ(slurp(dir / "keep.txt"), "kept\n");
}

// Frames that raise SIGINT while the third is decoded: the encoder stops before the
// fourth and writes no more.
class SignallingFrames final : public image::FrameSource {
 public:
  std::size_t count() const override { return 8; }
  image::Image frame(std::size_t i) override {
    requested = std::max(requested, i + 1);
    if (i == 2) ::raise(SIGINT);
    image::Image img(16, 16);
    for (std::size_t k = 0; k < img.rgba.size(); k += 4) {
      img.rgba[k] = static_cast<std::uint8_t>(i * 30);
      img.rgba[k + 3] = 255;
    }
    return img;
  }
  int delay_ms(std::size_t) const override { return 100; }
  std::size_t requested = 0;
};

TEST(Interrupt, AGifStopsBetweenFrames) {
  EXPECT_EQ(in_child([] {
              install_interrupt_handlers();
              SignallingFrames frames;
              int code =
                  interrupted_code([&] { image::encode_gif(frames, {}, [](std::string_view) {}); });
              return frames.requested == 3 ? code : 4;
            }),
            130);
}

}  // namespace
}  // namespace lamtool
