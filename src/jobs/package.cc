#include "lamtool/jobs/package.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <link.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lamtool/destination.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/zip.h"

extern char** environ;

namespace lamtool::jobs::package {

namespace fs = std::filesystem;

namespace {

constexpr const char* kLauncherName = "lamtool-bootstrap";
constexpr const char* kCurlSoname = "libcurl.so.4";
// Debian's libcurl is built to read this bundle; on Lambda the launcher points
// SSL_CERT_FILE at the copy in the zip.
constexpr const char* kCaBundle = "/etc/ssl/certs/ca-certificates.crt";
// What of the data directory the jobs read at run time (the rest is demo and test data).
constexpr const char* kAssets[] = {"fonts", "predict/model.json", "predict/NOTICE"};
constexpr const char* kAssetPrefix = "share/lamtool/";

// This executable (/proc/self/exe) and the dynamic loader that runs it (its PT_INTERP).
// Not meant to be run through a loader given as a command (`ld.so lamtool package`, as
// the Lambda launcher runs lamtool): /proc/self/exe would then be the loader.
struct Program {
  fs::path exe;
  std::string loader;
};

Program own_program() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw ConfigError(fmt::format("cannot find the running executable: {}", ec.message()));
  std::string interp;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) -> int {
        for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
          if (info->dlpi_phdr[i].p_type == PT_INTERP) {
            *static_cast<std::string*>(data) =
                reinterpret_cast<const char*>(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
          }
        }
        return 1;  // the first object is the executable itself
      },
      &interp);
  if (interp.empty())
    throw ConfigError("cannot find this executable's dynamic loader (no PT_INTERP)");
  if (exe.filename() == fs::path(interp).filename() || fs::equivalent(exe, interp, ec))
    throw ConfigError(fmt::format(
        "lamtool runs through its loader '{}' as a command; run the lamtool binary itself to "
        "package it",
        interp));
  return {exe, interp};
}

// The static launcher: beside this executable (the build tree), else in the
// installed libexec directory (relative to this binary's prefix, then the configured one).
fs::path find_launcher(const fs::path& exe) {
  std::vector<fs::path> candidates = {
      exe.parent_path() / kLauncherName,
      (exe.parent_path() / "../libexec/lamtool" / kLauncherName).lexically_normal()};
#ifdef LAMTOOL_INSTALL_LIBEXECDIR
  candidates.emplace_back(fs::path(LAMTOOL_INSTALL_LIBEXECDIR) / kLauncherName);
#endif
  std::string looked;
  for (const fs::path& p : candidates) {
    if (::access(p.c_str(), X_OK) == 0) return p;
    if (looked.find(p.string()) != std::string::npos) continue;
    looked += looked.empty() ? "" : ", ";
    looked += "'" + p.string() + "'";
  }
  throw ConfigError(fmt::format(
      "cannot find the Lambda launcher '{}': looked at {} (build the lamtool-bootstrap target "
      "or install lamtool)",
      kLauncherName, looked));
}

// The real file of libcurl.so.4 as the loader finds it for lamtool.
std::string curl_path() {
  void* handle = dlopen(kCurlSoname, RTLD_LAZY | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    throw ConfigError(
        fmt::format("cannot load '{}' to package it: {} (on Debian, apt-get "
                    "install libcurl4)",
                    kCurlSoname, why ? why : "unknown error"));
  }
  link_map* map = nullptr;
  std::string path;
  if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name) path = map->l_name;
  dlclose(handle);
  if (path.empty())
    throw ConfigError(fmt::format("cannot tell where '{}' was loaded from", kCurlSoname));
  return path;
}

// `<loader> --list FILE`: stdout and stderr together. ConfigError when it fails.
std::string loader_list(const std::string& loader, const std::string& file) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw IoError(fmt::format("cannot run '{}': {}", loader, errno_message(errno)));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<std::string> args = {loader, "--list", file};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, loader.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    throw ConfigError(fmt::format("cannot run '{}': {}", loader, errno_message(rc)));
  }
  std::string out;
  char buffer[8192];
  for (;;) {
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string first = out.substr(0, out.find('\n'));
    throw ConfigError(fmt::format("'{} --list {}' failed: {}", loader, file,
                                  first.empty() ? "no output" : first));
  }
  return out;
}

std::string octal_mode(uint32_t mode) { return fmt::format("{:04o}", mode); }

}  // namespace

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "--to",
                .help = "Destination: FILE, DIR/ (lamtool.zip below it), -, s3://bucket/key or "
                        "s3://bucket/prefix/",
                .value_name = "DEST",
                .default_text = "lamtool.zip"},
               [&opts](const std::string& v) { opts.to = v; });
}

std::vector<LoaderDependency> parse_loader_list(const std::string& output,
                                                const std::string& file) {
  std::vector<LoaderDependency> deps;
  size_t pos = 0;
  while (pos < output.size()) {
    size_t end = output.find('\n', pos);
    if (end == std::string::npos) end = output.size();
    std::string_view line(output.data() + pos, end - pos);
    pos = end + 1;
    size_t arrow = line.find(" => ");
    if (arrow == std::string_view::npos) continue;
    std::string_view name = line.substr(0, arrow);
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
    std::string_view rest = line.substr(arrow + 4);
    if (rest.starts_with("not found"))
      throw ConfigError(
          fmt::format("'{}' needs '{}', which the dynamic loader cannot find", file, name));
    size_t paren = rest.rfind(" (");
    std::string_view path = paren == std::string_view::npos ? rest : rest.substr(0, paren);
    if (name.empty() || path.empty() || path.front() != '/') continue;
    deps.push_back({std::string(name), std::string(path)});
  }
  return deps;
}

Manifest run(Context& ctx, const Options& opts) {
  const Destination dest = require_stdout_free(ctx, Destination::parse(opts.to));
  if (dest.kind == Destination::Kind::kKinesis)
    throw UsageError(fmt::format("--to '{}': a zip goes to a file or S3, not a stream", opts.to));

  // 1. What goes in: this binary, its launcher, the loader and every library lamtool
  //    and libcurl need (as the system's loader resolves them), the assets, a CA bundle.
  const Program program = own_program();
  const fs::path& exe = program.exe;
  const std::string& loader = program.loader;
  const fs::path launcher = find_launcher(exe);
  const std::string loader_name = fs::path(loader).filename().string();
  const std::string curl = curl_path();
  std::map<std::string, std::string> libraries;  // soname -> path
  for (const std::string& file : {exe.string(), curl}) {
    for (auto& dep : parse_loader_list(loader_list(loader, file), file))
      libraries.emplace(dep.soname, dep.path);
  }
  libraries.emplace(kCurlSoname, curl);
  libraries.erase(loader_name);

  const fs::path data = Context::data_dir();
  std::error_code ec;
  if (!fs::is_directory(data / "fonts", ec))
    throw ConfigError(
        fmt::format("no fonts in the data directory '{}' (set LAMTOOL_DATA_DIR)", data.string()));
  if (::access(kCaBundle, R_OK) != 0)
    throw ConfigError(
        fmt::format("cannot read the CA bundle '{}' (on Debian, apt-get install "
                    "ca-certificates)",
                    kCaBundle));

  ctx.log.debugf("package: lamtool from '{}', bootstrap from '{}', lib/{} from '{}'", exe.string(),
                 launcher.string(), loader_name, loader);
  std::vector<ZipMember> members;
  members.push_back({.name = "lamtool", .data = read_file(exe.string()), .mode = 0755});
  members.push_back({.name = "bootstrap", .data = read_file(launcher.string()), .mode = 0755});
  members.push_back({.name = "lib/" + loader_name, .data = read_file(loader), .mode = 0755});
  for (const auto& [soname, path] : libraries) {
    ctx.log.debugf("package: lib/{} from '{}'", soname, path);
    members.push_back({.name = "lib/" + soname, .data = read_file(path), .mode = 0644});
  }
  for (const char* asset : kAssets) {
    fs::path p = data / asset;
    if (fs::is_regular_file(p, ec)) {
      members.push_back(
          {.name = std::string(kAssetPrefix) + asset, .data = read_file(p.string()), .mode = 0644});
      continue;
    }
    if (!fs::is_directory(p, ec)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(p)) {
      if (!entry.is_regular_file()) continue;
      members.push_back(
          {.name = kAssetPrefix + entry.path().lexically_relative(data).generic_string(),
           .data = read_file(entry.path().string()),
           .mode = 0644});
    }
  }
  members.push_back({.name = std::string(kAssetPrefix) + "ca-certificates.crt",
                     .data = read_file(kCaBundle),
                     .mode = 0644});

  // 2. The zip, and where it goes.
  ZipResult zip = zip_archive(std::move(members));
  OutputRecord out = write_output(ctx, dest, "lamtool.zip", zip.bytes, "application/zip");

  // 3. Say what was done.
  Manifest m("package");
  m.add_output(out);
  nlohmann::json files = nlohmann::json::array();
  for (const ZipEntryInfo& e : zip.entries) {
    files.push_back({{"path", e.name},
                     {"bytes", e.bytes},
                     {"compressed_bytes", e.compressed},
                     {"mode", octal_mode(e.mode)}});
  }
  m["files"] = std::move(files);
  m["uncompressed_bytes"] = zip.uncompressed_bytes;
  m["zip_bytes"] = zip.bytes.size();
  return m;
}

}  // namespace lamtool::jobs::package
