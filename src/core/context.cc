#include "lamtool/context.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace lamtool {

namespace {

// The directory of the running executable, or empty.
std::filesystem::path exe_dir() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path{} : p.parent_path();
}

}  // namespace

std::string Context::data_dir() {
  const char* dir = std::getenv("LAMTOOL_DATA_DIR");
  if (dir != nullptr && *dir != '\0') return dir;
  // Installed (and relocatable, as in the Lambda zip): <prefix>/bin/lamtool with
  // <prefix>/share/lamtool; then the configured prefix; then, for a binary run from its
  // build tree, the source tree's data/.
  std::error_code ec;
  auto exe = exe_dir();
  if (!exe.empty() && std::filesystem::is_directory(exe / "../share/lamtool", ec))
    return (exe / "../share/lamtool").lexically_normal().string();
#ifdef LAMTOOL_INSTALL_DATADIR
  if (std::filesystem::is_directory(LAMTOOL_INSTALL_DATADIR, ec)) return LAMTOOL_INSTALL_DATADIR;
#endif
#ifdef LAMTOOL_SOURCE_DATADIR
  if (std::filesystem::is_directory(LAMTOOL_SOURCE_DATADIR, ec)) return LAMTOOL_SOURCE_DATADIR;
#endif
#ifdef LAMTOOL_INSTALL_DATADIR
  return LAMTOOL_INSTALL_DATADIR;
#else
  return "/usr/local/share/lamtool";
#endif
}

}  // namespace lamtool
