#include "lamtool/context.h"

#include <cstdlib>

namespace lamtool {

std::string Context::data_dir() {
  const char* dir = std::getenv("LAMTOOL_DATA_DIR");
  if (dir != nullptr && *dir != '\0') return dir;
#ifdef LAMTOOL_INSTALL_DATADIR
  return LAMTOOL_INSTALL_DATADIR;
#else
  return "/usr/local/share/lamtool";
#endif
}

}  // namespace lamtool
