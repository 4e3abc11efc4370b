#pragma once
// Local files: reading whole inputs and writing outputs atomically. To read an input
// piece by piece, see stream.h.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "lamtool/interrupt.h"

namespace lamtool {

/// Reads a whole file; `-` reads stdin. InputError (66) when it cannot be opened,
/// IoError (74) when a read fails midway.
std::string read_file(const std::string& path);

/// Writes `bytes` to `path` through a temporary file in the same directory and a
/// rename, so readers never see a partial file and a failure leaves nothing behind.
/// Creates missing parent directories. OutputError (73) when the file or a directory
/// cannot be created, IoError (74) when a write fails midway.
void write_file_atomic(const std::string& path, std::string_view bytes);

/// A file written piece by piece and published whole: the bytes go to a temporary
/// file `.NAME.XXXXXX` beside `path`, and commit() flushes it to disk (fsync) and
/// renames it into place, then flushes the directory, so readers never see a partial
/// file, nor a power cut an empty one. Destroyed without commit() (an error midway, or
/// Interrupted), it removes the temporary file and leaves `path` as it was; a second
/// signal removes it too (ExitCleanup). write() throws Interrupted once a signal came.
/// Errors as write_file_atomic.
class AtomicFile {
 public:
  /// Creates the temporary file (and missing parent directories).
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view bytes);
  /// Empties the temporary file (a download starting again).
  void truncate();
  /// Bytes written since creation or the last truncate().
  size_t size() const { return size_; }
  void commit();
  const std::string& path() const { return path_; }

 private:
  void discard();

  std::string path_;
  std::string tmp_;
  int fd_ = -1;
  size_t size_ = 0;
  std::optional<ExitCleanup> cleanup_;
};

/// Writes all of `bytes` to stdout; IoError on failure.
void write_stdout(std::string_view bytes);

}  // namespace lamtool
