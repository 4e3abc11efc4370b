// TimeZone: a TZif file (RFC 8536) read without touching the process's TZ.
//
// Why our own reader and not Howard Hinnant's date/tz (libhowardhinnant-date-dev, where
// std::chrono's tzdb came from), which would remove this file and posix_tz.cc (~400
// lines): Debian 12's build reads the system zoneinfo but ignores the POSIX TZ footer
// that governs every instant after a file's last explicit transition (upstream issue
// #794). Measured on 2026-11-30: it gives New York in July 2040 and 2100 an offset of
// -5 h (no daylight saving), where glibc, Python's zoneinfo and this reader give -4 h; a
// schedule set in a zone would drift by an hour for dates past 2037. It is also one more
// shared library (libdate-tz.so.3) for every command to load at start-up.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "lamtool/error.h"
#include "lamtool/schedule.h"
#include "schedule/posix_tz.h"

namespace lamtool::schedule {

namespace {

constexpr const char* kDefaultZoneDir = "/usr/share/zoneinfo";
constexpr std::uintmax_t kMaxTzifBytes = 1 << 20;

class ByteReader {
 public:
  ByteReader(std::string_view bytes, const std::string& zone) : b_(bytes), zone_(zone) {}

  std::int64_t be(size_t width) {
    need(width);
    std::uint64_t v = 0;
    for (size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(b_[pos_ + i]);
    pos_ += width;
    if (width == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
  }
  unsigned char byte() { return static_cast<unsigned char>(be(1)); }
  std::string_view take(size_t n) {
    need(n);
    auto s = b_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  void skip(size_t n) { take(n); }
  std::string_view rest() const { return b_.substr(pos_); }
  [[noreturn]] void fail(std::string_view why) const {
    throw DataError(fmt::format("invalid time zone file for '{}': {}", zone_, why));
  }

 private:
  void need(size_t n) const {
    if (b_.size() - pos_ < n) fail("truncated");
  }
  std::string_view b_;
  const std::string& zone_;
  size_t pos_ = 0;
};

struct Header {
  char version = 0;
  size_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
};

Header read_header(ByteReader& r) {
  if (r.take(4) != "TZif") r.fail("no TZif magic");
  Header h;
  h.version = static_cast<char>(r.byte());
  r.skip(15);
  for (size_t* field : {&h.isutcnt, &h.isstdcnt, &h.leapcnt, &h.timecnt, &h.typecnt, &h.charcnt})
    *field = static_cast<size_t>(static_cast<std::uint32_t>(r.be(4)));
  if (h.typecnt == 0) r.fail("no local time types");
  return h;
}

bool valid_zone_name(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos)
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '_' || c == '-' ||
           c == '+';
  });
}

}  // namespace

struct TimeZone::Rules {
  std::vector<std::int64_t> transitions;
  std::vector<unsigned char> type_of;  // per transition
  std::vector<int> offsets;            // per local time type
  std::optional<PosixTz> footer;

  int offset_at(std::int64_t t) const {
    if (transitions.empty()) return footer ? footer->offset_at(t) : offsets[0];
    auto it = std::upper_bound(transitions.begin(), transitions.end(), t);
    if (it == transitions.begin()) return offsets[0];
    if (it == transitions.end() && footer) return footer->offset_at(t);
    return offsets[type_of[static_cast<size_t>(it - transitions.begin()) - 1]];
  }
};

TimeZone::TimeZone(std::string name, std::unique_ptr<Rules> rules)
    : name_(std::move(name)), rules_(std::move(rules)) {}
TimeZone::TimeZone(TimeZone&&) noexcept = default;
TimeZone& TimeZone::operator=(TimeZone&&) noexcept = default;
TimeZone::~TimeZone() = default;

TimeZone TimeZone::utc() {
  auto rules = std::make_unique<Rules>();
  rules->offsets.push_back(0);
  return TimeZone("UTC", std::move(rules));
}

namespace {

// The transition table and local time types of one TZif data block.
void read_data_block(ByteReader& r, const Header& h, size_t time_width,
                     std::vector<std::int64_t>& transitions, std::vector<unsigned char>& type_of,
                     std::vector<int>& offsets) {
  for (size_t i = 0; i < h.timecnt; ++i) {
    std::int64_t t = r.be(time_width);
    if (!transitions.empty() && t <= transitions.back()) r.fail("transition times out of order");
    transitions.push_back(t);
  }
  for (size_t i = 0; i < h.timecnt; ++i) {
    unsigned char type = r.byte();
    if (type >= h.typecnt) r.fail("transition type out of range");
    type_of.push_back(type);
  }
  for (size_t i = 0; i < h.typecnt; ++i) {
    auto offset = r.be(4);
    if (offset < -25 * 3600 || offset > 26 * 3600) r.fail("offset out of range");
    offsets.push_back(static_cast<int>(offset));
    r.skip(2);  // isdst, abbreviation index
  }
  r.skip(h.charcnt + h.isstdcnt + h.isutcnt);
}

// The POSIX TZ string between two newlines after a v2+ data block; nullopt if empty.
std::optional<PosixTz> read_footer(ByteReader& r) {
  std::string_view footer = r.rest();
  if (footer.size() < 2 || footer.front() != '\n') r.fail("missing TZ string footer");
  footer = footer.substr(1, footer.find('\n', 1) - 1);
  if (footer.empty()) return std::nullopt;
  auto tz = parse_posix_tz(footer);
  if (!tz) r.fail(fmt::format("bad TZ string '{}'", footer));
  return tz;
}

}  // namespace

TimeZone TimeZone::from_tzif(std::string_view name, std::string_view bytes) {
  std::string zone(name);
  ByteReader r(bytes, zone);
  Header h = read_header(r);
  size_t time_width = 4;
  if (h.version >= '2') {
    // Skip the 32-bit block; the 64-bit one follows with its own header.
    r.skip(h.timecnt * 5 + h.typecnt * 6 + h.charcnt + h.leapcnt * 8 + h.isstdcnt + h.isutcnt);
    h = read_header(r);
    time_width = 8;
  }
  if (h.leapcnt != 0) r.fail("leap-second zones (right/...) are not supported");
  auto rules = std::make_unique<Rules>();
  read_data_block(r, h, time_width, rules->transitions, rules->type_of, rules->offsets);
  if (time_width == 8) rules->footer = read_footer(r);
  return TimeZone(std::move(zone), std::move(rules));
}

TimeZone TimeZone::load(std::string_view name) {
  const char* dir = std::getenv("TZDIR");
  return load(name, dir != nullptr && *dir != '\0' ? dir : kDefaultZoneDir);
}

TimeZone TimeZone::load(std::string_view name, const std::string& dir) {
  namespace fs = std::filesystem;
  if (!valid_zone_name(name))
    throw UsageError(
        fmt::format("unknown time zone '{}': not a zone name such as "
                    "America/New_York",
                    name));
  fs::path path = fs::path(dir) / std::string(name);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw UsageError(fmt::format("unknown time zone '{}': no such zone in {}", name, dir));
  if (fs::file_size(path, ec) > kMaxTzifBytes || ec)
    throw UsageError(
        fmt::format("unknown time zone '{}': {} is not a TZif file", name, path.string()));
  std::ifstream in(path, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in && !in.eof())
    throw IoError(fmt::format("cannot read time zone file '{}'", path.string()));
  if (bytes.compare(0, 4, "TZif") != 0)
    throw UsageError(
        fmt::format("unknown time zone '{}': {} is not a TZif file", name, path.string()));
  return from_tzif(name, bytes);
}

int TimeZone::offset_at(Seconds t) const { return rules_->offset_at(t.time_since_epoch().count()); }

std::optional<Seconds> TimeZone::to_utc(LocalSeconds local) const {
  // A wall-clock time L is valid at u = L - off when the zone's offset at u is off.
  // The offsets a day before, at and a day after L cover every transition near L
  // (zones change at most once in any two days).
  const std::int64_t l = local.time_since_epoch().count();
  std::optional<std::int64_t> best;
  for (std::int64_t probe : {l - 86400, l, l + 86400}) {
    std::int64_t u = l - rules_->offset_at(probe);
    if (l - u == rules_->offset_at(u) && (!best || u < *best)) best = u;
  }
  if (!best) return std::nullopt;
  return Seconds{std::chrono::seconds{*best}};
}

}  // namespace lamtool::schedule
