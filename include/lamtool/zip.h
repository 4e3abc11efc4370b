#pragma once
// A zip archive written in memory (PKWARE APPNOTE 6.3): local headers, the central
// directory and its end record, each member raw deflate (libdeflate) or stored when
// deflate does not make it smaller. Unix modes go in the external attributes, so an
// unzip keeps executables executable. The output is deterministic: members sorted by
// name, one fixed time, no extra fields.

#include <cstdint>
#include <string>
#include <vector>

namespace lamtool {

struct ZipMember {
  /// Path inside the archive, '/'-separated, no leading '/' ("lib/libc.so.6").
  std::string name;
  std::string data;
  /// Unix permission bits (0644, 0755); stored with S_IFREG.
  uint32_t mode = 0644;
};

/// What zip_archive() did with one member.
struct ZipEntryInfo {
  std::string name;
  uint64_t bytes = 0;       ///< uncompressed
  uint64_t compressed = 0;  ///< as stored
  uint32_t mode = 0;
  bool deflated = false;
};

struct ZipResult {
  std::string bytes;
  std::vector<ZipEntryInfo> entries;  ///< in archive order (sorted by name)
  uint64_t uncompressed_bytes = 0;
};

/// The 1980-01-01 00:00 of MS-DOS date and time fields: the earliest a zip can say.
inline constexpr uint16_t kZipDosDate1980 = (0 << 9) | (1 << 5) | 1;

/// Builds the archive. `level` is libdeflate's compression level (1-12). Throws
/// UsageError for an empty, absolute or duplicate name, or one with a "." or ".."
/// component; DataError when the archive would need ZIP64 (a member or the whole over
/// 4 GiB, or more than 65535 members).
ZipResult zip_archive(std::vector<ZipMember> members, int level = 9);

}  // namespace lamtool
