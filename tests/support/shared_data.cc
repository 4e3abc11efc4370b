#include "shared_data.h"

#include <cstdlib>
#include <filesystem>

namespace lamtool::test {

std::string shared_data_dir() {
  const char* dir = std::getenv("LAMTOOL_SHARED_DATA_DIR");
  if (dir != nullptr && *dir != '\0') return dir;
  return LAMTOOL_SOURCE_DIR "/../shared/data";
}

void SharedDataTest::SetUp() {
  std::string dir = shared_data_dir() + "/" + folder();
  if (!std::filesystem::is_directory(dir))
    GTEST_SKIP() << "needs the shared data '" << dir
                 << "' (not in the repository: its licence keeps it out); point "
                    "LAMTOOL_SHARED_DATA_DIR at it to run this test";
}

std::string SharedDataTest::path(const std::string& name) const {
  return shared_data_dir() + "/" + folder() + "/" + name;
}

}  // namespace lamtool::test
