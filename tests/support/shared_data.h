#pragma once
// Data whose licence keeps it out of the repository (the real NHL games; later the radar
// frames) sits beside the checkout in ../shared/data, as in CI, or wherever
// LAMTOOL_SHARED_DATA_DIR says. Tests on it are skipped, saying why, when it is absent,
// so a fresh clone passes and CI still runs them.

#include <gtest/gtest.h>

#include <string>

namespace lamtool::test {

/// $LAMTOOL_SHARED_DATA_DIR when set and not empty, else <source dir>/../shared/data.
std::string shared_data_dir();

/// Base of a suite on shared data: SetUp skips each test (GTEST_SKIP, so ctest reports it
/// skipped) when the folder `folder()` under shared_data_dir() does not exist.
class SharedDataTest : public ::testing::Test {
 protected:
  void SetUp() override;
  /// The folder the suite reads, e.g. "shotmap".
  virtual std::string folder() const = 0;
  /// shared_data_dir()/folder()/name.
  std::string path(const std::string& name) const;
};

}  // namespace lamtool::test
