// build_mime read back by a parser not ours (Python's email package, through
// tests/tools/mime_inspect.py), check_address, rfc5322_date and smtp_config_from_env.

#include "lamtool/mail.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "lamtool/digest.h"
#include "lamtool/error.h"
#include "temp_dir.h"

namespace lamtool {
namespace {

using nlohmann::json;

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

// The message as Python's email package (policy default) sees it.
json inspect(const std::string& mime) {
  test::TempDir dir;
  test::spit(dir / "message.eml", mime);
  std::string command =
      "/usr/bin/python3 " LAMTOOL_SOURCE_DIR "/tests/tools/mime_inspect.py " + dir / "message.eml";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string out;
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  int status = pclose(pipe);
  if (status != 0) throw std::runtime_error("mime_inspect.py failed: " + out);
  return json::parse(out);
}

std::string lf(std::string s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    out += s[i];
  }
  return out;
}

// Every line ends with CRLF (no bare CR or LF) and has at most 78 characters.
void expect_crlf_and_short_lines(const std::string& mime) {
  size_t start = 0;
  size_t longest = 0;
  for (size_t i = 0; i < mime.size(); ++i) {
    if (mime[i] == '\n') {
      ASSERT_TRUE(i > 0 && mime[i - 1] == '\r') << "bare LF at " << i;
      longest = std::max(longest, i - 1 - start);
      start = i + 1;
    } else if (mime[i] == '\r') {
      ASSERT_TRUE(i + 1 < mime.size() && mime[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  EXPECT_EQ(start, mime.size()) << "the message does not end with CRLF";
  EXPECT_LE(longest, 78u);
}

Mail weather_mail() {
  Mail m;
  m.from = "Zoë Météo <weather@example.com>";
  m.to = {"alice@example.com", "\"Bob, Jr.\" <bob@example.org>"};
  m.subject = "Météo : radar des dernières 24 heures — pluie 🌧 sur Zürich et São Paulo";
  m.text =
      "Bonjour,\n\nle radar des dernières heures est ci-dessous.\nDeux images : l'animation et "
      "une vignette.\n\n. une ligne qui commence par un point\nx = 1 & y < 2 > z \"q\" "
      "<b>pas du html</b>\nune très longue ligne "
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa fin\nespaces en fin   \n";
  m.inline_parts = {
      {"radar.gif", "image/gif", "radar.gif@lamtool", random_bytes(100000, 1)},
      {"vignette.png", "image/png", "thumb-1@lamtool", random_bytes(5003, 2)},
  };
  m.date = "Tue, 01 Dec 2026 07:00:00 +0000";
  return m;
}

TEST(MailMime, StructureReadBackByPythonEmail) {
  Mail m = weather_mail();
  std::string mime = build_mime(m);
  expect_crlf_and_short_lines(mime);
  json r = inspect(mime);
  EXPECT_TRUE(r["defects"].empty()) << r["defects"];
  EXPECT_EQ(r["headers"]["Subject"], m.subject);
  EXPECT_EQ(r["headers"]["Date"], m.date);
  EXPECT_EQ(r["headers"]["MIME-Version"], "1.0");
  EXPECT_EQ(r["from_addresses"], json::array({"weather@example.com"}));
  EXPECT_EQ(r["from_names"], json::array({"Zoë Météo"}));
  EXPECT_EQ(r["to_addresses"], json::array({"alice@example.com", "bob@example.org"}));
  std::string id = r["headers"]["Message-ID"];
  EXPECT_EQ(id.size(), 32u + 10u) << id;
  EXPECT_TRUE(id.starts_with("<") && id.ends_with("@lamtool>")) << id;

  const json& tree = r["tree"];
  EXPECT_EQ(tree["type"], "multipart/alternative");
  ASSERT_EQ(tree["parts"].size(), 2u);
  const json& plain = tree["parts"][0];
  EXPECT_EQ(plain["type"], "text/plain");
  EXPECT_EQ(plain["charset"], "utf-8");
  EXPECT_EQ(plain["cte"], "quoted-printable");
  EXPECT_EQ(lf(plain["text"]), m.text);

  const json& related = tree["parts"][1];
  EXPECT_EQ(related["type"], "multipart/related");
  EXPECT_EQ(related["params"]["type"], "text/html");
  ASSERT_EQ(related["parts"].size(), 3u);
  const json& html = related["parts"][0];
  EXPECT_EQ(html["type"], "text/html");
  std::string body = html["text"];
  EXPECT_NE(body.find("<p>Bonjour,</p>"), std::string::npos) << body;
  EXPECT_NE(body.find("le radar des dernières heures est ci-dessous.<br>"), std::string::npos);
  EXPECT_NE(body.find("x = 1 &amp; y &lt; 2 &gt; z &quot;q&quot; &lt;b&gt;pas du html&lt;/b&gt;"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("<title>Météo : radar"), std::string::npos);
  size_t first = body.find("<img src=\"cid:radar.gif@lamtool\" alt=\"radar.gif\">");
  size_t second = body.find("<img src=\"cid:thumb-1@lamtool\" alt=\"vignette.png\">");
  EXPECT_NE(first, std::string::npos) << body;
  EXPECT_NE(second, std::string::npos) << body;
  EXPECT_LT(first, second);
  EXPECT_LT(body.find("fin"), first);  // the text first, then the pictures

  for (size_t i = 0; i < 2; ++i) {
    const json& part = related["parts"][i + 1];
    const MailPart& sent = m.inline_parts[i];
    EXPECT_EQ(part["type"], sent.content_type);
    EXPECT_EQ(part["cte"], "base64");
    EXPECT_EQ(part["content_id"], "<" + sent.content_id + ">");
    EXPECT_EQ(part["disposition"], "inline");
    EXPECT_EQ(part["filename"], sent.filename);
    EXPECT_EQ(part["params"]["name"], sent.filename);
    EXPECT_EQ(part["size"], sent.bytes.size());
    EXPECT_EQ(part["sha256"], sha256_hex(sent.bytes));
    EXPECT_TRUE(part["defects"].empty()) << part["defects"];
  }
}

TEST(MailMime, Base64LinesAre76Characters) {
  Mail m = weather_mail();
  std::string mime = build_mime(m);
  // The lines of the 100,000-byte picture: all 76 characters but the last.
  size_t start = mime.find("\r\n\r\n", mime.find("Content-ID: <radar.gif@lamtool>")) + 4;
  size_t end = mime.find("\r\n\r\n--", start);
  std::string b64 = mime.substr(start, end - start);
  size_t lines = 0;
  size_t pos = 0;
  while (pos < b64.size()) {
    size_t eol = b64.find("\r\n", pos);
    if (eol == std::string::npos) eol = b64.size();
    size_t len = eol - pos;
    ++lines;
    if (eol != b64.size()) {
      EXPECT_EQ(len, 76u) << "line " << lines;
    } else {
      EXPECT_EQ(len, (100000 % 57 + 2) / 3 * 4);
    }
    pos = eol + 2;
  }
  EXPECT_EQ(lines, (100000 + 56) / 57);
}

TEST(MailMime, AsciiSubjectAndNoPictures) {
  Mail m;
  m.from = "weather@example.com";
  m.to = {"alice@example.com"};
  m.subject =
      "A long ASCII subject that has to be folded over more than one line because it is "
      "well over seventy-eight characters long";
  m.text = "Just text.\r\nWith CRLF line ends.\r\n";
  m.date = "Tue, 01 Dec 2026 07:00:00 +0000";
  std::string mime = build_mime(m);
  expect_crlf_and_short_lines(mime);
  EXPECT_EQ(mime.find("=?UTF-8?"), std::string::npos);
  json r = inspect(mime);
  EXPECT_TRUE(r["defects"].empty());
  EXPECT_EQ(r["headers"]["Subject"], m.subject);
  const json& tree = r["tree"];
  EXPECT_EQ(tree["type"], "multipart/alternative");
  ASSERT_EQ(tree["parts"].size(), 2u);
  EXPECT_EQ(tree["parts"][0]["type"], "text/plain");
  EXPECT_EQ(lf(tree["parts"][0]["text"]), "Just text.\nWith CRLF line ends.\n");
  EXPECT_EQ(tree["parts"][1]["type"], "text/html");
  EXPECT_NE(lf(tree["parts"][1]["text"]).find("<p>Just text.<br>\nWith CRLF line ends.</p>"),
            std::string::npos);
}

TEST(MailMime, QuotedPrintableRoundTripsAwkwardText) {
  Mail m;
  m.from = "weather@example.com";
  m.to = {"alice@example.com"};
  m.subject = "=?not-an-encoded-word?= and\r\nno injected: header";
  std::string text;
  text += ".\n..\n.leading dot\n";
  text += "trailing space \ntrailing tab\t\n";
  text += "equals = and =3D and a soft break =\n";
  text += std::string(200, '=') + "\n";
  text += std::string(75, 'x') + " " + std::string(10, 'y') + "\n";
  text += "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x8C\xA7 " + std::string(100, 'z') + "\xC3\xA9\n";
  text += "--=_lamtool_alt_ lookalike boundary line\n";
  text += "no final line end";
  m.text = text;
  m.date = "Tue, 01 Dec 2026 07:00:00 +0000";
  std::string mime = build_mime(m);
  expect_crlf_and_short_lines(mime);
  EXPECT_EQ(mime.find("\r\nno injected"), std::string::npos);
  json r = inspect(mime);
  EXPECT_TRUE(r["defects"].empty());
  EXPECT_EQ(r["headers"]["Subject"], "=?not-an-encoded-word?= and  no injected: header");
  std::string back = lf(r["tree"]["parts"][0]["text"]);
  // The body's last line end belongs to the boundary: the text comes back whole.
  EXPECT_EQ(back, text) << back;
}

TEST(MailMime, NonAsciiAndLongFileNames) {
  Mail m = weather_mail();
  m.inline_parts = {
      {"météo – radar (Zürich).gif", "image/gif", "a@x", "GIF89a"},
      {std::string(120, 'f') + ".png", "image/png", "b@x", "\x89PNG"},
  };
  std::string mime = build_mime(m);
  expect_crlf_and_short_lines(mime);
  json r = inspect(mime);
  const json& related = r["tree"]["parts"][1];
  EXPECT_EQ(related["parts"][1]["filename"], m.inline_parts[0].filename);
  EXPECT_EQ(related["parts"][2]["filename"], m.inline_parts[1].filename);
  EXPECT_EQ(related["parts"][1]["size"], 6);
  std::string html = related["parts"][0]["text"];
  EXPECT_NE(html.find("alt=\"météo – radar (Zürich).gif\""), std::string::npos) << html;
}

TEST(MailMime, ThreeMegabytePictureIsQuick) {
  Mail m = weather_mail();
  m.inline_parts = {{"big.gif", "image/gif", "big@lamtool", random_bytes(3 << 20, 3)}};
  auto t0 = std::chrono::steady_clock::now();
  std::string mime = build_mime(m);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(elapsed, std::chrono::seconds(2));  // about 20 ms in a release build
  EXPECT_GT(mime.size(), (3u << 20) * 4 / 3);
  json r = inspect(mime);
  EXPECT_EQ(r["tree"]["parts"][1]["parts"][1]["sha256"], sha256_hex(m.inline_parts[0].bytes));
}

TEST(MailMime, SameMailSameMessageIdAndBoundariesOtherwiseNot) {
  Mail m = weather_mail();
  std::string a = build_mime(m);
  EXPECT_EQ(a, build_mime(m));
  Mail later = m;
  later.date = "Tue, 01 Dec 2026 08:00:00 +0000";
  json ra = inspect(a);
  json rb = inspect(build_mime(later));
  EXPECT_NE(ra["headers"]["Message-ID"], rb["headers"]["Message-ID"]);
}

TEST(MailMime, RefusesBadContentIdsAndAddresses) {
  Mail m = weather_mail();
  m.inline_parts[1].content_id = m.inline_parts[0].content_id;
  EXPECT_THROW(build_mime(m), DataError);
  m = weather_mail();
  m.inline_parts[0].content_id = "has space";
  EXPECT_THROW(build_mime(m), DataError);
  m.inline_parts[0].content_id = "";
  EXPECT_THROW(build_mime(m), DataError);
  m = weather_mail();
  m.from = "nobody";
  EXPECT_THROW(build_mime(m), UsageError);
  m = weather_mail();
  m.to.push_back("a@b.com\r\nBcc: evil@example.com");
  EXPECT_THROW(build_mime(m), UsageError);
  m = weather_mail();
  m.to.clear();
  EXPECT_THROW(build_mime(m), UsageError);
}

TEST(MailAddress, AcceptsOneAddress) {
  for (const char* ok :
       {"user@example.com", "first.last+tag@sub.example.co.uk", "Name <user@example.com>",
        "\"Doe, J.\" <j@example.com>", "Zoë <zoe@exämple.com>", "o'brien@example.com",
        "root@localhost", "  spaced@example.com  ", "x_y-z@a-b.example"}) {
    EXPECT_NO_THROW(check_address(ok, "--mail-to")) << ok;
  }
}

TEST(MailAddress, RefusesOthersNamingTheFlag) {
  for (const char* bad : {"",
                          "user",
                          "@example.com",
                          "user@",
                          "a@b@c",
                          "a b@example.com",
                          "a@example..com",
                          ".a@example.com",
                          "a.@example.com",
                          "a..b@example.com",
                          "a@-example.com",
                          "a@example.com, b@example.com",
                          "Doe, J. <j@example.com>",
                          "Name <>",
                          "Name <user@example.com",
                          "a@example.com\r\nBcc: b@example.com",
                          "a@example.com\n",
                          "\"quoted\"@example.com",
                          "a@[127.0.0.1]",
                          "<a@example.com> trailing"}) {
    try {
      check_address(bad, "--mail-to");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const UsageError& e) {
      EXPECT_TRUE(std::string(e.what()).starts_with("--mail-to '")) << e.what();
    }
  }
}

TEST(MailDate, FormatsUtc) {
  using namespace std::chrono;
  EXPECT_EQ(rfc5322_date(sys_days{2026y / December / 1} + 7h + 5min + 9s),
            "Tue, 01 Dec 2026 07:05:09 +0000");
  EXPECT_EQ(rfc5322_date(sys_seconds{}), "Thu, 01 Jan 1970 00:00:00 +0000");
}

class MailSmtpEnv : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v : {"LAMTOOL_SMTP_URL", "LAMTOOL_SMTP_USER", "LAMTOOL_SMTP_PASSWORD",
                          "CURL_CA_BUNDLE", "SSL_CERT_FILE"}) {
      unsetenv(v);
    }
  }
  void TearDown() override { SetUp(); }
};

TEST_F(MailSmtpEnv, ReadsTheVariables) {
  setenv("LAMTOOL_SMTP_URL", "smtp://mail.example.com:587", 1);
  setenv("LAMTOOL_SMTP_USER", "me", 1);
  setenv("LAMTOOL_SMTP_PASSWORD", "pa55word-secret", 1);
  setenv("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt", 1);
  SmtpConfig c = smtp_config_from_env();
  EXPECT_EQ(c.url, "smtp://mail.example.com:587");
  EXPECT_EQ(c.user, "me");
  EXPECT_EQ(c.password, "pa55word-secret");
  EXPECT_EQ(c.ca_file, "/etc/ssl/certs/ca-certificates.crt");
  setenv("CURL_CA_BUNDLE", "/tmp/ca.pem", 1);
  EXPECT_EQ(smtp_config_from_env().ca_file, "/tmp/ca.pem");
  setenv("LAMTOOL_SMTP_URL", "SMTPS://mail.example.com", 1);
  EXPECT_NO_THROW(smtp_config_from_env());
}

TEST_F(MailSmtpEnv, RefusesMissingOrBadSettings) {
  EXPECT_THROW(smtp_config_from_env(), ConfigError);
  for (const char* url :
       {"http://mail.example.com", "mail.example.com:25", "smtp://", "smtp://:25"}) {
    setenv("LAMTOOL_SMTP_URL", url, 1);
    EXPECT_THROW(smtp_config_from_env(), ConfigError) << url;
  }
  setenv("LAMTOOL_SMTP_URL", "smtp://me:hunter22@mail.example.com", 1);
  try {
    smtp_config_from_env();
    ADD_FAILURE() << "accepted credentials in the URL";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter22"), std::string::npos) << e.what();
  }
  setenv("LAMTOOL_SMTP_URL", "smtp://mail.example.com", 1);
  setenv("LAMTOOL_SMTP_USER", "me", 1);
  EXPECT_THROW(smtp_config_from_env(), ConfigError);
  unsetenv("LAMTOOL_SMTP_USER");
  setenv("LAMTOOL_SMTP_PASSWORD", "pw-only", 1);
  EXPECT_THROW(smtp_config_from_env(), ConfigError);
}

}  // namespace
}  // namespace lamtool
