// lamtool_fuzz_replay TARGET PATH...: runs fuzz target TARGET once on each file, and on
// each file of each directory, PATH names (a corpus, or the regressions its fuzzing
// found), so that the ordinary build checks them without clang or libFuzzer. Exits 0
// when every input was handled; a finding aborts (or fails under the sanitizers) as it
// would under libFuzzer. A PATH after `--optional` may be missing (a target with no
// regressions yet). `--list` prints the targets.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "fuzz.h"

namespace lamtool::fuzz {
namespace {
std::map<std::string, TargetFn>& targets() {
  static std::map<std::string, TargetFn> table;
  return table;
}
}  // namespace

bool register_target(const char* name, TargetFn fn) {
  targets()[name] = fn;
  return true;
}

}  // namespace lamtool::fuzz

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  auto& table = lamtool::fuzz::targets();
  if (argc == 2 && std::string(argv[1]) == "--list") {
    for (const auto& [name, fn] : table) std::printf("%s\n", name.c_str());
    return 0;
  }
  if (argc < 3) {
    std::fprintf(stderr, "usage: lamtool_fuzz_replay TARGET PATH... | --list\n");
    return 64;
  }
  auto it = table.find(argv[1]);
  if (it == table.end()) {
    std::fprintf(stderr, "lamtool_fuzz_replay: no target '%s'\n", argv[1]);
    return 64;
  }
  std::vector<fs::path> files;
  bool optional = false;
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--optional") {
      optional = true;
      continue;
    }
    fs::path p(argv[i]);
    if (optional && !fs::exists(p)) continue;
    if (fs::is_directory(p)) {
      for (const auto& e : fs::recursive_directory_iterator(p))
        if (e.is_regular_file()) files.push_back(e.path());
    } else if (fs::is_regular_file(p)) {
      files.push_back(p);
    } else {
      std::fprintf(stderr, "lamtool_fuzz_replay: '%s' is not a file or directory\n", argv[i]);
      return 66;
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "lamtool_fuzz_replay: no input under the paths given\n");
    return 66;
  }
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    it->second(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("%s: %zu inputs replayed\n", argv[1], files.size());
  return 0;
}
