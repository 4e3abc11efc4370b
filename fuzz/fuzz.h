#pragma once
// The fuzz targets' common part. Each fuzz/<name>_fuzz.cc defines its entry with
// LAMTOOL_FUZZ_TARGET(name) { ... }: built for libFuzzer (LAMTOOL_FUZZ=ON, clang) it is
// LLVMFuzzerTestOneInput; built into lamtool_fuzz_replay (every build) it is one entry
// of a table, run by name over the files of a corpus (fuzz/replay_main.cc).
//
// A target feeds its bytes to a parser of outside data and accepts only lamtool::Error
// (the parser refusing the input with its exit code): any other exception escapes and
// is a finding, as are crashes, leaks, undefined behaviour and timeouts.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lamtool::fuzz {

using TargetFn = int (*)(const std::uint8_t* data, std::size_t size);

/// Registers a target for the replay program; returns true.
bool register_target(const char* name, TargetFn fn);

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// The bytes as a file that InputStream::open() can read: an anonymous memory file
/// (memfd), named by its /proc/self/fd path, closed when this goes.
class MemoryFile {
 public:
  MemoryFile(const std::uint8_t* data, std::size_t size);
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace lamtool::fuzz

#ifdef LAMTOOL_FUZZ_REPLAY
#define LAMTOOL_FUZZ_TARGET(name)                                             \
  static int lamtool_fuzz_##name(const std::uint8_t* data, std::size_t size); \
  [[maybe_unused]] static const bool lamtool_fuzz_registered_##name =         \
      lamtool::fuzz::register_target(#name, lamtool_fuzz_##name);             \
  static int lamtool_fuzz_##name(const std::uint8_t* data, std::size_t size)
#else
#define LAMTOOL_FUZZ_TARGET(name) \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
#endif
