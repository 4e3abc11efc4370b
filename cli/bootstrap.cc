// `bootstrap`, the launcher in lamtool's Lambda zip (lamtool package). Linked fully
// static: it runs on the Lambda image before any of our libraries can be found, and
// then runs lamtool through the dynamic loader shipped beside it, with the shipped libc:
//
//   <root>/lib/ld-linux-*.so.* --library-path <root>/lib --argv0 lamtool <root>/lamtool ARGS
//
// <root> is the directory of argv[0] when it names one, else LAMBDA_TASK_ROOT, else
// /var/task. ARGS are the launcher's own arguments, or `lambda` (the Runtime API loop)
// when there are none. LAMTOOL_DATA_DIR and SSL_CERT_FILE point into the zip unless
// already set. On failure: one line `bootstrap: error: ...` and exit status 127.

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

#if defined(__x86_64__)
constexpr const char* kLoader = "ld-linux-x86-64.so.2";
#elif defined(__aarch64__)
constexpr const char* kLoader = "ld-linux-aarch64.so.1";
#else
#error "lamtool-bootstrap: unknown architecture (add its glibc loader name)"
#endif

constexpr int kExitCannotRun = 127;

[[noreturn]] void fail(const std::string& message) {
  std::string line = "bootstrap: error: " + message + "\n";
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  static_cast<void>(ignored);
  std::_Exit(kExitCannotRun);
}

bool set(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0';
}

std::string package_root(const char* argv0) {
  std::string self = argv0 != nullptr ? argv0 : "";
  size_t slash = self.rfind('/');
  if (slash != std::string::npos) {
    std::string dir = slash == 0 ? "/" : self.substr(0, slash);
    if (dir.front() == '/') return dir;
    // Relative: made absolute, so the paths given to lamtool hold wherever it runs.
    std::vector<char> cwd(4096);
    if (::getcwd(cwd.data(), cwd.size()) == nullptr)
      fail("cannot tell the current directory: " + std::string(std::strerror(errno)));
    return std::string(cwd.data()) + "/" + dir;
  }
  if (set("LAMBDA_TASK_ROOT")) return std::getenv("LAMBDA_TASK_ROOT");
  return "/var/task";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string root = package_root(argc > 0 ? argv[0] : nullptr);
  const std::string loader = root + "/lib/" + kLoader;
  const std::string lamtool = root + "/lamtool";
  const std::string data = root + "/share/lamtool";
  if (!set("LAMTOOL_DATA_DIR") && ::setenv("LAMTOOL_DATA_DIR", data.c_str(), 1) != 0)
    fail("cannot set LAMTOOL_DATA_DIR: " + std::string(std::strerror(errno)));
  if (!set("SSL_CERT_FILE") &&
      ::setenv("SSL_CERT_FILE", (data + "/ca-certificates.crt").c_str(), 1) != 0)
    fail("cannot set SSL_CERT_FILE: " + std::string(std::strerror(errno)));
  if (::access(lamtool.c_str(), R_OK) != 0)
    fail("cannot read '" + lamtool + "': " + std::strerror(errno));

  std::vector<std::string> args = {loader,    "--library-path", root + "/lib",
                                   "--argv0", "lamtool",        lamtool};
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  if (argc <= 1) args.emplace_back("lambda");
  std::vector<char*> exec_argv;
  for (std::string& a : args) exec_argv.push_back(a.data());
  exec_argv.push_back(nullptr);
  ::execv(loader.c_str(), exec_argv.data());
  fail("cannot run '" + loader + "': " + std::strerror(errno));
}
