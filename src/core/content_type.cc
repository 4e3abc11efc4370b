// Content type from the bytes, then from the name: what `s3 put` sends when the user
// gives none.

#include "lamtool/content_type.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace lamtool {

namespace {

constexpr size_t kSniffBytes = 4096;

// Text if every byte sequence is UTF-8 and no control character but whitespace
// appears. `truncated`: `s` is a window of a longer text, so a sequence may be cut.
bool valid_utf8(std::string_view s, bool truncated) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') return false;
      ++i;
      continue;
    }
    size_t extra = (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 0;
    if (extra == 0) return false;
    if (i + extra >= s.size()) return truncated;
    for (size_t k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += extra + 1;
  }
  return true;
}

std::string_view skip_space(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);  // UTF-8 byte-order mark
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

bool looks_like_svg(std::string_view text) {
  std::string_view head = text.substr(0, kSniffBytes);
  if (!(head.starts_with("<?xml") || head.starts_with("<svg") || head.starts_with("<!DOCTYPE svg")))
    return false;
  return head.find("<svg") != std::string_view::npos;
}

bool looks_like_json(std::string_view text, std::string_view whole) {
  if (text.empty() || (text.front() != '{' && text.front() != '[')) return false;
  if (whole.size() < kContentTypeWindow) return nlohmann::json::accept(whole);
  return true;  // too big to parse just for a guess: the opening bracket will do
}

// CSV: the first lines (at least two) have the same number (> 1) of commas.
bool looks_like_csv(std::string_view text) {
  std::string_view head = text.substr(0, kSniffBytes);
  std::array<long, 5> commas{};
  size_t lines = 0;
  size_t start = 0;
  while (lines < commas.size() && start < head.size()) {
    size_t end = head.find('\n', start);
    if (end == std::string_view::npos) {
      if (head.size() < text.size()) break;  // a cut line says nothing
      end = head.size();
    }
    std::string_view line = head.substr(start, end - start);
    commas[lines++] = std::count(line.begin(), line.end(), ',');
    start = end + 1;
  }
  if (lines < 2 || commas[0] < 1) return false;
  return std::all_of(commas.begin(), commas.begin() + static_cast<long>(lines),
                     [&](long c) { return c == commas[0]; });
}

std::string by_extension(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".png", "image/png"},
      {".gif", "image/gif"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".svg", "image/svg+xml"},
      {".json", "application/json"},
      {".csv", "text/csv"},
      {".txt", "text/plain; charset=utf-8"},
      {".html", "text/html; charset=utf-8"},
      {".pdf", "application/pdf"},
      {".xml", "application/xml"},
      {".zip", "application/zip"},
      {".gz", "application/gzip"}};
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [ext, type] : kTypes)
    if (lower.ends_with(ext)) return std::string(type);
  return {};
}

}  // namespace

std::string detect_content_type(std::string_view bytes, std::string_view name) {
  if (bytes.starts_with("\x89PNG\r\n\x1a\n")) return "image/png";
  if (bytes.starts_with("GIF87a") || bytes.starts_with("GIF89a")) return "image/gif";
  if (bytes.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
  if (bytes.starts_with("%PDF-")) return "application/pdf";
  if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP")
    return "image/webp";
  std::string_view head = bytes.substr(0, kSniffBytes);
  if (!bytes.empty() && valid_utf8(head, head.size() < bytes.size())) {
    std::string_view text = skip_space(bytes);
    if (looks_like_svg(text)) return "image/svg+xml";
    if (looks_like_json(text, bytes)) return "application/json";
    std::string ext = by_extension(name);
    if (!ext.empty() && ext.starts_with("text/")) return ext;  // .html, .csv named as such
    if (looks_like_csv(bytes)) return "text/csv";
    return "text/plain; charset=utf-8";
  }
  std::string ext = by_extension(name);
  return ext.empty() ? "application/octet-stream" : ext;
}

}  // namespace lamtool
