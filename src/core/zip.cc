// The zip writer (lamtool/zip.h): little-endian records of APPNOTE 6.3, section 4.3.

#include "lamtool/zip.h"

#include <fmt/format.h>
#include <libdeflate.h>
#include <sys/stat.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <string_view>

#include "lamtool/error.h"

namespace lamtool {

namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr uint16_t kMethodStored = 0;
constexpr uint16_t kMethodDeflate = 8;
// "Version made by": host system 3 (Unix), so readers take the external attributes'
// high 16 bits as st_mode; specification version 2.0.
constexpr uint16_t kMadeByUnix = (3 << 8) | 20;

struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

void put16(std::string& out, uint32_t v) {
  out += static_cast<char>(v & 0xff);
  out += static_cast<char>((v >> 8) & 0xff);
}

void put32(std::string& out, uint32_t v) {
  put16(out, v & 0xffff);
  put16(out, v >> 16);
}

void check_name(const std::string& name) {
  if (name.empty()) throw UsageError("zip: a member has an empty name");
  if (name.front() == '/' || name.back() == '/' || name.find('\\') != std::string::npos)
    throw UsageError(fmt::format("zip: member name '{}' is not a relative file path", name));
  size_t pos = 0;
  while (pos <= name.size()) {
    size_t slash = name.find('/', pos);
    if (slash == std::string::npos) slash = name.size();
    std::string_view part(name.data() + pos, slash - pos);
    if (part.empty() || part == "." || part == "..")
      throw UsageError(fmt::format("zip: member name '{}' has an empty, '.' or '..' part", name));
    pos = slash + 1;
  }
}

uint32_t checked32(uint64_t v, const std::string& what) {
  if (v >= std::numeric_limits<uint32_t>::max())
    throw DataError(fmt::format("zip: {} is 4 GiB or more (ZIP64 is not written)", what));
  return static_cast<uint32_t>(v);
}

}  // namespace

ZipResult zip_archive(std::vector<ZipMember> members, int level) {
  std::sort(members.begin(), members.end(),
            [](const ZipMember& a, const ZipMember& b) { return a.name < b.name; });
  for (size_t i = 0; i < members.size(); ++i) {
    check_name(members[i].name);
    if (i > 0 && members[i].name == members[i - 1].name)
      throw UsageError(fmt::format("zip: member '{}' given twice", members[i].name));
  }
  if (members.size() >= 0xffff)
    throw DataError(fmt::format("zip: {} members (ZIP64 is not written)", members.size()));
  std::unique_ptr<libdeflate_compressor, CompressorDeleter> compressor(
      libdeflate_alloc_compressor(level));
  if (!compressor) throw IoError("zip: cannot create a libdeflate compressor");

  ZipResult result;
  std::string central;
  std::string& out = result.bytes;
  std::string packed;
  for (const ZipMember& m : members) {
    const uint32_t size = checked32(m.data.size(), fmt::format("member '{}'", m.name));
    const uint32_t crc = libdeflate_crc32(0, m.data.data(), m.data.size());
    packed.resize(libdeflate_deflate_compress_bound(compressor.get(), m.data.size()));
    size_t n = libdeflate_deflate_compress(compressor.get(), m.data.data(), m.data.size(),
                                           packed.data(), packed.size());
    const bool deflated = n > 0 && n < m.data.size();
    std::string_view body = deflated ? std::string_view(packed.data(), n) : m.data;
    const uint16_t method = deflated ? kMethodDeflate : kMethodStored;
    const uint16_t needed = deflated ? 20 : 10;
    const uint32_t offset = checked32(out.size(), "the archive");
    const auto name_size = static_cast<uint32_t>(m.name.size());

    put32(out, kLocalHeader);
    put16(out, needed);
    put16(out, 0);  // flags
    put16(out, method);
    put16(out, 0);  // time 00:00:00
    put16(out, kZipDosDate1980);
    put32(out, crc);
    put32(out, static_cast<uint32_t>(body.size()));
    put32(out, size);
    put16(out, name_size);
    put16(out, 0);  // extra field length
    out += m.name;
    out += body;

    put32(central, kCentralHeader);
    put16(central, kMadeByUnix);
    put16(central, needed);
    put16(central, 0);
    put16(central, method);
    put16(central, 0);
    put16(central, kZipDosDate1980);
    put32(central, crc);
    put32(central, static_cast<uint32_t>(body.size()));
    put32(central, size);
    put16(central, name_size);
    put16(central, 0);  // extra field length
    put16(central, 0);  // comment length
    put16(central, 0);  // disk number
    put16(central, 0);  // internal attributes
    put32(central, (S_IFREG | (m.mode & 07777)) << 16);
    put32(central, offset);
    central += m.name;

    result.entries.push_back({.name = m.name,
                              .bytes = m.data.size(),
                              .compressed = body.size(),
                              .mode = m.mode & 07777,
                              .deflated = deflated});
    result.uncompressed_bytes += m.data.size();
  }
  const uint32_t central_offset = checked32(out.size(), "the archive");
  const uint32_t central_size = checked32(central.size(), "the central directory");
  out += central;
  checked32(out.size(), "the archive");
  const auto count = static_cast<uint32_t>(members.size());
  put32(out, kEndOfCentralDirectory);
  put16(out, 0);  // this disk
  put16(out, 0);  // disk of the central directory
  put16(out, count);
  put16(out, count);
  put32(out, central_size);
  put32(out, central_offset);
  put16(out, 0);  // comment length
  return result;
}

}  // namespace lamtool
