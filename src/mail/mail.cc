// Mail: the MIME message (RFC 5322, 2045-2047, 2231, 2387) and its delivery over SMTP
// through libcurl (opened at run time, http/curl_library.h).

#include "lamtool/mail.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "http/curl_library.h"
#include "lamtool/clock.h"
#include "lamtool/digest.h"
#include "lamtool/encoding.h"
#include "lamtool/error.h"
#include "lamtool/http.h"
#include "lamtool/interrupt.h"
#include "lamtool/log.h"
#include "lamtool/parse.h"

namespace lamtool {
namespace {

// ---------------------------------------------------------------------------------
// Addresses

struct Address {
  std::string display;  // unquoted, may be UTF-8; empty when none
  std::string spec;     // local@domain
};

bool is_atext(unsigned char c) {
  if (c >= 0x80) return true;  // UTF-8 (RFC 6531)
  if (std::isalnum(c)) return true;
  return std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr && c != '\0';
}

// Empty when `spec` is local@domain, otherwise why not.
std::string check_spec(std::string_view spec) {
  size_t at = spec.rfind('@');
  if (at == std::string_view::npos) return "no '@'";
  std::string_view local = spec.substr(0, at);
  std::string_view domain = spec.substr(at + 1);
  if (local.empty()) return "no local part before '@'";
  if (domain.empty()) return "no domain after '@'";
  if (local.size() > 64) return "local part longer than 64 characters";
  if (spec.size() > 254) return "longer than 254 characters";
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return "misplaced '.' in the local part";
  for (unsigned char c : local) {
    if (c == '.') continue;
    if (c == '"') return "quoted local parts are not supported";
    if (!is_atext(c)) return fmt::format("character '{}' in the local part", static_cast<char>(c));
  }
  if (domain.front() == '[') return "address literals are not supported";
  size_t start = 0;
  while (start <= domain.size()) {
    size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63) return "bad domain";
    if (label.front() == '-' || label.back() == '-') return "bad domain";
    for (unsigned char c : label) {
      if (!(std::isalnum(c) || c == '-' || c >= 0x80)) {
        return fmt::format("character '{}' in the domain", static_cast<char>(c));
      }
    }
    start = dot + 1;
  }
  return {};
}

// Parses "a@b", "Name <a@b>" and "\"Quoted, Name\" <a@b>"; nullopt with `why`.
std::optional<Address> parse_address(std::string_view text, std::string& why) {
  if (text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    why = "it contains a line break";
    return std::nullopt;
  }
  std::string_view s = trim(text);
  Address out;
  if (!s.empty() && s.back() == '>') {
    size_t lt = s.rfind('<');
    if (lt == std::string_view::npos) {
      why = "'>' without '<'";
      return std::nullopt;
    }
    out.spec = std::string(s.substr(lt + 1, s.size() - lt - 2));
    std::string_view name = trim(s.substr(0, lt));
    if (!name.empty() && name.front() == '"') {
      std::string unquoted;
      size_t i = 1;
      for (; i < name.size() && name[i] != '"'; ++i) {
        if (name[i] == '\\' && i + 1 < name.size()) ++i;
        unquoted += name[i];
      }
      if (i != name.size() - 1) {
        why = "bad quoted display name";
        return std::nullopt;
      }
      out.display = unquoted;
    } else {
      if (name.find_first_of(",;<>\"@()[]:\\") != std::string_view::npos) {
        why = "the display name holds special characters: quote it";
        return std::nullopt;
      }
      out.display = std::string(name);
    }
  } else {
    out.spec = std::string(s);
  }
  if (out.spec.empty()) {
    why = "no address";
    return std::nullopt;
  }
  for (unsigned char c : out.spec) {
    if (c <= ' ' || c == 0x7F || c == '<' || c == '>' || c == ',' || c == ';') {
      why = c == ',' || c == ';' ? "more than one address" : "space or control character";
      return std::nullopt;
    }
  }
  why = check_spec(out.spec);
  if (!why.empty()) return std::nullopt;
  return out;
}

Address need_address(const std::string& address, const std::string& flag) {
  std::string why;
  auto parsed = parse_address(address, why);
  if (!parsed)
    throw UsageError(fmt::format("{} '{}': not an e-mail address: {}", flag, address, why));
  return *parsed;
}

// ---------------------------------------------------------------------------------
// Header encoding

constexpr size_t kMaxLine = 78;

bool is_plain_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= ' ' && c < 0x7F; });
}

// RFC 2047 B encoded-words of at most 42 bytes each (56 base64 characters: a word of 68
// characters, which fits after "Subject: " on a line of 78), never splitting a UTF-8
// sequence.
std::vector<std::string> encoded_words(std::string_view text) {
  constexpr size_t kChunk = 42;
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = std::min(text.size(), pos + kChunk);
    while (end < text.size() && end > pos + 1 &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    words.push_back("=?UTF-8?B?" + base64_encode(text.substr(pos, end - pos)) + "?=");
    pos = end;
  }
  return words;
}

// Appends "Name: token token ...\r\n", folding between tokens so lines stay within 78
// characters where the tokens allow. `separators[i]` goes before token i (i > 0).
void folded_header(std::string& out, std::string_view name, const std::vector<std::string>& tokens,
                   const std::vector<std::string>& separators) {
  out += name;
  out += ':';
  size_t column = name.size() + 1;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string sep = i == 0 ? "" : separators[i];
    // A separator ends with the space that folding replaces: "," + " " or " ".
    std::string before = sep.empty() ? "" : sep.substr(0, sep.size() - 1);
    if (i > 0 && column + sep.size() + tokens[i].size() > kMaxLine) {
      out += before;
      out += "\r\n ";
      column = 1;
    } else {
      out += i == 0 ? " " : sep;
      column += i == 0 ? 1 : sep.size();
    }
    out += tokens[i];
    column += tokens[i].size();
  }
  out += "\r\n";
}

std::string one_line(std::string_view text) {
  std::string s(text);
  for (char& c : s) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  }
  return s;
}

// Unstructured text (Subject): words folded at spaces when plain ASCII, otherwise
// encoded-words.
void text_header(std::string& out, std::string_view name, std::string_view value) {
  std::string text = one_line(value);
  std::vector<std::string> tokens;
  bool encode = !is_plain_ascii(text) || text.find("=?") != std::string::npos;
  if (!encode) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t sp = text.find(' ', pos);
      if (sp == std::string::npos) sp = text.size();
      if (sp > pos) tokens.push_back(text.substr(pos, sp - pos));
      pos = sp + 1;
    }
    // Runs of spaces and very long words do not survive folding: encode those instead.
    size_t rebuilt = 0;
    for (const auto& t : tokens) {
      rebuilt += t.size() + 1;
      if (t.size() > kMaxLine - name.size() - 3) encode = true;
    }
    if (!tokens.empty() && rebuilt - 1 != text.size()) encode = true;
  }
  if (encode) tokens = encoded_words(text);
  if (tokens.empty()) {
    out += fmt::format("{}: \r\n", name);
    return;
  }
  folded_header(out, name, tokens, std::vector<std::string>(tokens.size(), " "));
}

// The tokens of one address: display name (quoted or encoded) and <spec>.
std::vector<std::string> address_tokens(const Address& a) {
  std::vector<std::string> tokens;
  if (!a.display.empty()) {
    std::string name = one_line(a.display);
    if (is_plain_ascii(name) && name.size() < 60 && name.find("=?") == std::string::npos) {
      std::string quoted = "\"";
      for (char c : name) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
      }
      quoted += '"';
      tokens.push_back(quoted);
    } else {
      tokens = encoded_words(name);
    }
    tokens.push_back("<" + a.spec + ">");
  } else {
    tokens.push_back(a.spec);
  }
  return tokens;
}

void address_header(std::string& out, std::string_view name, const std::vector<Address>& list) {
  std::vector<std::string> tokens;
  std::vector<std::string> separators;
  for (size_t i = 0; i < list.size(); ++i) {
    auto t = address_tokens(list[i]);
    for (size_t j = 0; j < t.size(); ++j) {
      separators.push_back(j == 0 ? (i == 0 ? "" : ", ") : " ");
      tokens.push_back(std::move(t[j]));
    }
  }
  folded_header(out, name, tokens, separators);
}

// A MIME parameter: name="value" when short ASCII, else RFC 2231 continuations
// (name*0*=UTF-8''...). Each returned line is preceded by " " when written.
std::vector<std::string> mime_parameter(std::string_view name, std::string_view value) {
  std::string v = one_line(value);
  bool simple = is_plain_ascii(v) && v.find_first_of("\"\\") == std::string::npos;
  if (simple && name.size() + v.size() + 5 <= kMaxLine - 1) {
    return {fmt::format("{}=\"{}\"", name, v)};
  }
  // attr-char (RFC 2231 / 5987): ALPHA DIGIT !#$&+-.^_`|~; anything else as %XX.
  std::vector<std::string> pieces;  // never split a %XX
  for (unsigned char c : v) {
    if (std::isalnum(c) || std::strchr("!#$&+-.^_`|~", c) != nullptr) {
      pieces.emplace_back(1, static_cast<char>(c));
    } else {
      pieces.push_back(fmt::format("%{:02X}", c));
    }
  }
  std::vector<std::string> lines;
  std::string current = "UTF-8''";
  auto flush = [&] {
    lines.push_back(fmt::format("{}*{}*={}", name, lines.size(), current));
    current.clear();
  };
  for (const auto& p : pieces) {
    // " name*NN*=" + current + ";" within 78.
    if (name.size() + 7 + current.size() + p.size() > kMaxLine - 1) flush();
    current += p;
  }
  if (!current.empty() || lines.empty()) flush();
  return lines;
}

// "Name: value;\r\n param1;\r\n param2\r\n".
void parameter_header(std::string& out, std::string_view name, std::string_view value,
                      const std::vector<std::string>& params) {
  out += fmt::format("{}: {}", name, value);
  for (const auto& p : params) {
    out += ";\r\n ";
    out += p;
  }
  out += "\r\n";
}

// ---------------------------------------------------------------------------------
// Body encodings

// Quoted-printable (RFC 2045 section 6.7) of text whose line ends (CRLF, LF or CR)
// become CRLF; encoded lines of at most 76 characters; a '.' starting a line is encoded
// too, so no line of the body can read as SMTP's end of data.
void quoted_printable(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  size_t column = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
      column = 0;
      continue;
    }
    const bool at_eol = i + 1 == text.size() || text[i + 1] == '\r' || text[i + 1] == '\n';
    auto literal = [&](size_t col) {
      if (c == ' ' || c == '\t') return !at_eol;
      if (c == '.' && col == 0) return false;
      return c >= 33 && c <= 126 && c != '=';
    };
    size_t width = literal(column) ? 1 : 3;
    if (column + width > 75) {
      out += "=\r\n";
      column = 0;
      width = literal(column) ? 1 : 3;
    }
    if (width == 1) {
      out += static_cast<char>(c);
    } else {
      out += '=';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
    column += width;
  }
}

// Base64 in lines of 76 characters, each ended by CRLF, written in one pass.
void base64_lines(std::string_view bytes, std::string& out) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  constexpr size_t kLineBytes = 57;  // 76 characters
  const size_t full_lines = bytes.size() / kLineBytes;
  const size_t total = (bytes.size() + 2) / 3 * 4 + (full_lines + 1) * 2;
  size_t at = out.size();
  out.resize(at + total);
  char* p = out.data() + at;
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  size_t i = 0;
  size_t in_line = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    *p++ = kAlphabet[v >> 18];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = kAlphabet[(v >> 6) & 63];
    *p++ = kAlphabet[v & 63];
    if (++in_line == kLineBytes / 3) {
      *p++ = '\r';
      *p++ = '\n';
      in_line = 0;
    }
  }
  if (i < n) {
    uint32_t v = uint32_t{in[i]} << 16;
    if (i + 1 < n) v |= uint32_t{in[i + 1]} << 8;
    *p++ = kAlphabet[v >> 18];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = i + 1 < n ? kAlphabet[(v >> 6) & 63] : '=';
    *p++ = '=';
    ++in_line;
  }
  if (in_line > 0) {
    *p++ = '\r';
    *p++ = '\n';
  }
  out.resize(static_cast<size_t>(p - out.data()));
}

// ---------------------------------------------------------------------------------
// HTML

void html_escape(std::string_view text, std::string& out) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

// cid: URL (RFC 2392) of a Content-ID: characters other than unreserved ones and '@'
// percent-encoded.
std::string cid_url(std::string_view id) {
  std::string out = "cid:";
  for (unsigned char c : id) {
    if (std::isalnum(c) || std::strchr("-._~@", c) != nullptr) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string make_html(const Mail& mail) {
  std::string html = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>";
  html_escape(one_line(mail.subject), html);
  html += "</title>\n</head>\n<body>\n";
  // Paragraphs at blank lines; a single line end is a <br>.
  std::vector<std::string_view> lines;
  std::string_view text = mail.text;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(pos, end - pos));
    pos = end;
    if (pos < text.size() && text[pos] == '\r') ++pos;
    if (pos < text.size() && text[pos] == '\n') ++pos;
  }
  bool open = false;
  for (std::string_view line : lines) {
    if (trim(line).empty()) {
      if (open) html += "</p>\n";
      open = false;
      continue;
    }
    html += open ? "<br>\n" : "<p>";
    open = true;
    html_escape(line, html);
  }
  if (open) html += "</p>\n";
  for (const auto& part : mail.inline_parts) {
    html += "<p><img src=\"";
    html_escape(cid_url(part.content_id), html);
    html += "\" alt=\"";
    html_escape(one_line(part.filename), html);
    html += "\"></p>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

void check_content_ids(const Mail& mail) {
  std::set<std::string> seen;
  for (const auto& part : mail.inline_parts) {
    const std::string& id = part.content_id;
    if (id.empty())
      throw DataError(fmt::format("inline part '{}' has no Content-ID", part.filename));
    for (unsigned char c : id) {
      if (!(std::isalnum(c) || std::strchr("!#$%&'*+-./=?^_`{|}~@", c) != nullptr)) {
        throw DataError(fmt::format("Content-ID '{}' of '{}': character '{}' not allowed",
                                    one_line(id), part.filename, static_cast<char>(c)));
      }
    }
    if (!seen.insert(id).second) {
      throw DataError(fmt::format("Content-ID '{}' is used by two inline parts", id));
    }
  }
}

std::string media_type(std::string_view type) {
  auto token = [](std::string_view t) {
    return !t.empty() && std::all_of(t.begin(), t.end(), [](unsigned char c) {
      return std::isalnum(c) || std::strchr("!#$&-^_.+", c) != nullptr;
    });
  };
  size_t slash = type.find('/');
  if (slash == std::string_view::npos || !token(type.substr(0, slash)) ||
      !token(type.substr(slash + 1))) {
    return "application/octet-stream";
  }
  return std::string(type);
}

}  // namespace

void check_address(const std::string& address, const std::string& flag) {
  need_address(address, flag);
}

std::string rfc5322_date(std::chrono::sys_seconds t) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{t - day};
  std::chrono::weekday wd{day};
  return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} +0000", kDays[wd.c_encoding()],
                     static_cast<unsigned>(ymd.day()),
                     kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::string build_mime(const Mail& mail) {
  Address from = need_address(mail.from, "From");
  if (mail.to.empty()) throw UsageError("a mail needs at least one recipient");
  std::vector<Address> to;
  for (const auto& a : mail.to) to.push_back(need_address(a, "To"));
  check_content_ids(mail);
  const std::string date = mail.date.empty() ? rfc5322_date(process_clock().now()) : mail.date;

  // One digest over everything: the Message-ID and the boundaries.
  std::string seed = fmt::format("{}\n{}\n{}\n{}\n{}\n", date, mail.from, fmt::join(mail.to, ","),
                                 mail.subject, sha256_hex(mail.text));
  for (const auto& part : mail.inline_parts) {
    seed += fmt::format("{}\n{}\n{}\n{}\n", part.filename, part.content_type, part.content_id,
                        sha256_hex(part.bytes));
  }
  const std::string digest = sha256_hex(seed);
  // "=_" cannot occur in quoted-printable or base64 text, so no body holds a boundary.
  const std::string alt_boundary = "=_lamtool_alt_" + digest.substr(32, 16);
  const std::string rel_boundary = "=_lamtool_rel_" + digest.substr(48, 16);

  size_t estimate = 4096 + mail.text.size() * 4;
  for (const auto& part : mail.inline_parts) estimate += part.bytes.size() * 138 / 100 + 512;
  std::string out;
  out.reserve(estimate);

  address_header(out, "From", {from});
  address_header(out, "To", to);
  text_header(out, "Subject", mail.subject);
  out += fmt::format("Date: {}\r\n", one_line(date));
  out += fmt::format("Message-ID: <{}@lamtool>\r\n", digest.substr(0, 32));
  out += "MIME-Version: 1.0\r\n";
  parameter_header(out, "Content-Type", "multipart/alternative",
                   {fmt::format("boundary=\"{}\"", alt_boundary)});
  out += "\r\nThis is a message in MIME format.\r\n";

  out += fmt::format("\r\n--{}\r\n", alt_boundary);
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
  quoted_printable(mail.text, out);

  const std::string html = make_html(mail);
  auto html_part = [&] {
    out += "Content-Type: text/html; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    quoted_printable(html, out);
  };
  out += fmt::format("\r\n--{}\r\n", alt_boundary);
  if (mail.inline_parts.empty()) {
    html_part();
  } else {
    parameter_header(out, "Content-Type", "multipart/related",
                     {"type=\"text/html\"", fmt::format("boundary=\"{}\"", rel_boundary)});
    out += fmt::format("\r\n--{}\r\n", rel_boundary);
    html_part();
    for (const auto& part : mail.inline_parts) {
      out += fmt::format("\r\n--{}\r\n", rel_boundary);
      std::string name = part.filename.empty() ? part.content_id : part.filename;
      parameter_header(out, "Content-Type", media_type(part.content_type),
                       mime_parameter("name", name));
      out += "Content-Transfer-Encoding: base64\r\n";
      out += fmt::format("Content-ID: <{}>\r\n", part.content_id);
      parameter_header(out, "Content-Disposition", "inline", mime_parameter("filename", name));
      out += "\r\n";
      base64_lines(part.bytes, out);
    }
    out += fmt::format("\r\n--{}--\r\n", rel_boundary);
  }
  out += fmt::format("\r\n--{}--\r\n", alt_boundary);
  return out;
}

// ---------------------------------------------------------------------------------
// SMTP

SmtpConfig smtp_config_from_env() {
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v ? v : "");
  };
  SmtpConfig c;
  c.url = std::string(trim(env("LAMTOOL_SMTP_URL")));
  c.user = env("LAMTOOL_SMTP_USER");
  c.password = env("LAMTOOL_SMTP_PASSWORD");
  if (!c.password.empty()) add_secret(c.password);
  if (c.url.empty()) {
    throw ConfigError("LAMTOOL_SMTP_URL is not set (smtp://host:port or smtps://host:port)");
  }
  std::string lower = c.url;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  size_t scheme = lower.find("://");
  std::string_view s = lower;
  if (scheme == std::string::npos ||
      (s.substr(0, scheme) != "smtp" && s.substr(0, scheme) != "smtps")) {
    throw ConfigError(
        fmt::format("LAMTOOL_SMTP_URL '{}': expected smtp://host:port or smtps://host:port",
                    redact_url(c.url)));
  }
  std::string_view authority = s.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    throw ConfigError(
        fmt::format("LAMTOOL_SMTP_URL '{}': put the user and password in LAMTOOL_SMTP_USER and "
                    "LAMTOOL_SMTP_PASSWORD, not in the URL",
                    redact_url(c.url)));
  }
  if (authority.empty() || authority.front() == ':') {
    throw ConfigError(fmt::format("LAMTOOL_SMTP_URL '{}': no host", redact_url(c.url)));
  }
  if (c.user.empty() != c.password.empty()) {
    throw ConfigError(c.user.empty() ? "LAMTOOL_SMTP_PASSWORD is set but LAMTOOL_SMTP_USER is not"
                                     : "LAMTOOL_SMTP_USER is set but LAMTOOL_SMTP_PASSWORD is not");
  }
  c.ca_file = env("CURL_CA_BUNDLE");
  if (c.ca_file.empty()) c.ca_file = env("SSL_CERT_FILE");
  return c;
}

namespace {

const CurlLibrary& lib() { return curl_library(); }

using EasyDeleter = CurlEasyDeleter;
using SlistDeleter = CurlSlistDeleter;

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return out;
}

// The message handed to libcurl piece by piece.
struct Upload {
  std::string_view bytes;
  size_t pos = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t n = std::min(size * count, u->bytes.size() - u->pos);
  std::memcpy(buffer, u->bytes.data() + u->pos, n);
  u->pos += n;
  return n;
}

// What the SMTP dialogue showed: the last command and the last reply (for error
// messages), logged with -v. Commands other than the plain SMTP verbs (AUTH and the
// base64 lines that answer its challenges) are never kept or logged in clear.
struct Dialogue {
  Logger* log;
  std::string last_command;
  std::string last_reply;
  // The first refusal (4xx or 5xx) and the command it answered: libcurl sends QUIT after
  // a refusal, whose "221 Bye" must not hide it.
  std::string refused_command;
  std::string refusal;
};

std::string safe_command(std::string_view line) {
  std::string upper;
  for (char c : line.substr(0, line.find(' ')))
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static constexpr std::array<std::string_view, 12> kVerbs = {"EHLO", "HELO", "STARTTLS", "MAIL",
                                                              "RCPT", "DATA", "QUIT",     "RSET",
                                                              "NOOP", "VRFY", "EXPN",     "HELP"};
  if (std::find(kVerbs.begin(), kVerbs.end(), upper) != kVerbs.end()) return std::string(line);
  if (upper == "AUTH") {
    std::string_view rest = line.substr(std::min(line.size(), size_t{5}));
    return fmt::format("AUTH {} [redacted]", rest.substr(0, rest.find(' ')));
  }
  return "[redacted]";
}

int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto* d = static_cast<Dialogue*>(user);
  if (type != CURLINFO_HEADER_IN && type != CURLINFO_HEADER_OUT && type != CURLINFO_TEXT) return 0;
  std::string_view text(data, size);
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (type == CURLINFO_HEADER_OUT) {
      d->last_command = safe_command(line);
      d->log->debugf("smtp: > {}", d->last_command);
    } else if (type == CURLINFO_HEADER_IN) {
      d->last_reply = redact(line);
      d->log->debugf("smtp: < {}", d->last_reply);
      if (d->refusal.empty() && line.size() >= 3 && (line[0] == '4' || line[0] == '5')) {
        d->refused_command = d->last_command;
        d->refusal = d->last_reply;
      }
    } else {
      d->log->debugf("smtp: {}", redact(line));
    }
  }
  return 0;
}

enum class Failure { kNone, kAuth, kService, kTemporary, kMaybeDelivered, kFatal };

struct Attempt {
  Failure failure = Failure::kNone;
  std::string message;
};

// What a refused step was, from the last command sent.
std::string refused_step(const Dialogue& d) {
  std::string_view c = d.refusal.empty() ? d.last_command : d.refused_command;
  auto arg = [&](std::string_view verb) {
    std::string_view rest = c.substr(std::min(c.size(), verb.size()));
    size_t lt = rest.find('<');
    return lt == std::string_view::npos ? std::string(trim(rest)) : std::string(rest.substr(lt));
  };
  std::string upper = lowercase(c.substr(0, 9));
  if (upper.starts_with("mail from")) return "the sender " + arg("MAIL FROM:");
  if (upper.starts_with("rcpt to")) return "the recipient " + arg("RCPT TO:");
  if (upper.starts_with("data")) return "the message";
  if (upper.starts_with("auth")) return "the login";
  if (upper.starts_with("starttls")) return "STARTTLS";
  if (upper.starts_with("ehlo") || upper.starts_with("helo")) return "the greeting";
  return "the session";
}

Attempt attempt_send(const SmtpConfig& config, const std::string& envelope_from,
                     const std::vector<std::string>& envelope_to, std::string_view mime,
                     bool require_tls, const std::string& where, Logger& log) {
  std::unique_ptr<CURL, EasyDeleter> easy(lib().easy_init());
  if (!easy) return {Failure::kFatal, "cannot create a libcurl handle"};
  CURL* h = easy.get();
  std::unique_ptr<curl_slist, SlistDeleter> rcpt;
  for (const auto& r : envelope_to) {
    curl_slist* next = lib().slist_append(rcpt.get(), fmt::format("<{}>", r).c_str());
    if (!next) return {Failure::kFatal, "out of memory"};
    static_cast<void>(rcpt.release());
    rcpt.reset(next);
  }
  const std::string from = fmt::format("<{}>", envelope_from);
  Upload upload{.bytes = mime};
  Dialogue dialogue{
      .log = &log, .last_command = {}, .last_reply = {}, .refused_command = {}, .refusal = {}};
  char error_buffer[CURL_ERROR_SIZE] = {};

  lib().easy_setopt(h, CURLOPT_URL, config.url.c_str());
  lib().easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  lib().easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  lib().easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  lib().easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                    static_cast<long>(config.connect_timeout.count()));
  lib().easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(config.timeout.count()));
  lib().easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  lib().easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 30L);
  lib().easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  lib().easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.get());
  lib().easy_setopt(h, CURLOPT_UPLOAD, 1L);
  lib().easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
  lib().easy_setopt(h, CURLOPT_READDATA, &upload);
  // Announced with SIZE when the server supports it: too big a mail is refused up front.
  lib().easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mime.size()));
  lib().easy_setopt(
      h, CURLOPT_USE_SSL,
      require_tls ? static_cast<long>(CURLUSESSL_ALL) : static_cast<long>(CURLUSESSL_TRY));
  if (!config.user.empty()) {
    lib().easy_setopt(h, CURLOPT_USERNAME, config.user.c_str());
    lib().easy_setopt(h, CURLOPT_PASSWORD, config.password.c_str());
  }
  std::string ca = config.ca_file;
  if (ca.empty()) {
    for (const char* name : {"CURL_CA_BUNDLE", "SSL_CERT_FILE"}) {
      const char* v = std::getenv(name);
      if (v && *v) {
        ca = v;
        break;
      }
    }
  }
  if (!ca.empty()) lib().easy_setopt(h, CURLOPT_CAINFO, ca.c_str());
  // The dialogue is always followed (error messages quote the server's reply); it is
  // logged with -v.
  lib().easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
  lib().easy_setopt(h, CURLOPT_DEBUGDATA, &dialogue);
  lib().easy_setopt(h, CURLOPT_VERBOSE, 1L);

  stop_on_interrupt(h);
  check_interrupted();
  CURLcode rc = lib().easy_perform(h);
  if (rc == CURLE_OK) return {};
  if (rc == CURLE_ABORTED_BY_CALLBACK) check_interrupted();
  long code = 0;
  lib().easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  // The refusal seen in the dialogue wins over the last code (a QUIT may follow it).
  const std::string& refusal = dialogue.refusal;
  if (refusal.size() >= 3 && std::all_of(refusal.begin(), refusal.begin() + 3,
                                         [](unsigned char ch) { return std::isdigit(ch); })) {
    code = std::stol(refusal.substr(0, 3));
  }
  std::string detail = lib().easy_strerror(rc);
  if (error_buffer[0] != '\0') detail += fmt::format(" ({})", redact(error_buffer));
  auto reply = [&] {
    if (!dialogue.refusal.empty()) return dialogue.refusal;
    return fmt::format("{}", code);
  };

  if (rc == CURLE_LOGIN_DENIED || code == 530 || code == 534 || code == 535 || code == 538) {
    std::string why = dialogue.refusal.empty() ? detail : dialogue.refusal;
    if (config.user.empty() && code == 530) why += " (LAMTOOL_SMTP_USER is not set)";
    return {Failure::kAuth,
            fmt::format("cannot send mail through {}: login refused: {}", where, why)};
  }
  if (is_tls_verification_failure(rc)) {
    return {Failure::kService, fmt::format("cannot send mail through {}: {}; {}", where, detail,
                                           kTlsVerificationHint)};
  }
  if (rc == CURLE_USE_SSL_FAILED) {
    return {Failure::kService,
            fmt::format("cannot send mail through {}: the server does not offer STARTTLS, and "
                        "the password is not sent in clear (use smtps://)",
                        where)};
  }
  if (code >= 500) {
    return {Failure::kService, fmt::format("cannot send mail through {}: the server refused {}: {}",
                                           where, refused_step(dialogue), reply())};
  }
  if (code >= 400) {
    return {Failure::kTemporary,
            fmt::format("cannot send mail through {}: the server deferred {}: {}", where,
                        refused_step(dialogue), reply())};
  }
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_PARTIAL_FILE:
      if (upload.pos == mime.size() && !mime.empty()) {
        return {Failure::kMaybeDelivered,
                fmt::format("cannot send mail through {}: {}; the whole message had been sent, "
                            "so the server may have delivered it (not retried)",
                            where, detail)};
      }
      return {Failure::kTemporary, fmt::format("cannot send mail through {}: {}", where, detail)};
    default:
      return {Failure::kFatal, fmt::format("cannot send mail through {}: {}", where, detail)};
  }
}

std::string without_password(std::string text, const std::string& password) {
  if (password.empty()) return text;
  for (size_t at; (at = text.find(password)) != std::string::npos;) {
    text.replace(at, password.size(), "[redacted]");
  }
  return text;
}

}  // namespace

void send_mail(const SmtpConfig& config, const std::string& from,
               const std::vector<std::string>& to, const std::string& mime, Logger& log) {
  RetryPolicy policy;
  policy.max_attempts = 3;
  policy.base = std::chrono::milliseconds{500};
  policy.cap = std::chrono::milliseconds{4000};
  send_mail(config, from, to, mime, log, policy);
}

void send_mail(const SmtpConfig& config, const std::string& from,
               const std::vector<std::string>& to, const std::string& mime, Logger& log,
               const RetryPolicy& retry) {
  if (to.empty()) throw UsageError("a mail needs at least one recipient");
  const std::string sender = need_address(from, "mail sender").spec;
  std::vector<std::string> recipients;
  for (const auto& r : to) recipients.push_back(need_address(r, "mail recipient").spec);
  if (!config.password.empty()) add_secret(config.password);

  const std::string where = fmt::format("'{}'", redact_url(config.url));
  const std::string scheme = lowercase(config.url.substr(0, config.url.find("://")));
  // A password never crosses a network in clear: over smtp:// to another host, STARTTLS
  // is required rather than tried.
  const bool require_tls =
      scheme == "smtps" || (!config.user.empty() && !is_loopback_host(url_host(config.url)));
  log.debugf("smtp: {} bytes from <{}> to {} recipient(s) through {} (TLS {})", mime.size(), sender,
             recipients.size(), where, require_tls ? "required" : "when offered");

  const int attempts = std::max(1, retry.max_attempts);
  for (int attempt = 1;; ++attempt) {
    Attempt a = attempt_send(config, sender, recipients, mime, require_tls, where, log);
    std::string message = without_password(a.message, config.password);
    switch (a.failure) {
      case Failure::kNone:
        log.debugf("smtp: accepted by {}", where);
        return;
      case Failure::kAuth:
        throw AuthError(message);
      case Failure::kService:
        throw ServiceError(message);
      case Failure::kMaybeDelivered:
      case Failure::kFatal:
        throw NetworkError(message);
      case Failure::kTemporary:
        if (attempt >= attempts) {
          throw NetworkError(attempts > 1 ? fmt::format("{} (after {} attempts)", message, attempts)
                                          : message);
        }
        log.debugf("smtp: attempt {} failed, retrying: {}", attempt, message);
        backoff_wait(retry, attempt);
        break;
    }
  }
}

}  // namespace lamtool
