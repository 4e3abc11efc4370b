#pragma once
// Local files: reading whole inputs and writing outputs atomically.

#include <string>
#include <string_view>

namespace lamtool {

/// Reads a whole file; `-` reads stdin. InputError (66) when it cannot be opened,
/// IoError (74) when a read fails midway.
std::string read_file(const std::string& path);

/// Writes `bytes` to `path` through a temporary file in the same directory and a
/// rename, so readers never see a partial file and a failure leaves nothing behind.
/// Creates missing parent directories. OutputError (73) when the file or a directory
/// cannot be created, IoError (74) when a write fails midway.
void write_file_atomic(const std::string& path, std::string_view bytes);

/// Writes all of `bytes` to stdout; IoError on failure.
void write_stdout(std::string_view bytes);

}  // namespace lamtool
