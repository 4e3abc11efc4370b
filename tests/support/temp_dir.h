#pragma once
// A temporary directory removed with everything in it when the object goes.

#include <string>

namespace lamtool::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Whole contents of a file; empty string if it cannot be read.
std::string slurp(const std::string& path);
/// Writes a file (test setup).
void spit(const std::string& path, const std::string& text);

}  // namespace lamtool::test
