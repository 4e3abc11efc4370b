// send_mail against the real SMTP server of the servers.start fixture
// (tests/servers/smtp-sink.js: smtp-server from npm, STARTTLS with a throwaway CA, AUTH
// required), the message read back as mailparser parsed it.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "lamtool/digest.h"
#include "lamtool/encoding.h"
#include "lamtool/error.h"
#include "lamtool/http.h"
#include "lamtool/log.h"
#include "lamtool/mail.h"
#include "temp_dir.h"
#include "test_servers.h"

namespace lamtool {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

// A port of 127.0.0.1 nobody listens on (bound, then released).
int closed_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

RetryPolicy fast_policy(std::vector<std::chrono::milliseconds>* delays) {
  RetryPolicy p;
  p.max_attempts = 3;
  p.base = 10ms;
  p.cap = 20ms;
  p.sleep = [delays](std::chrono::milliseconds d) { delays->push_back(d); };
  return p;
}

class MailSmtp : public ::testing::Test {
 protected:
  test::TestServers servers_ = test::TestServers::load();
  std::ostringstream log_text_;
  Logger log_{Verbosity::kVerbose, log_text_};

  SmtpConfig config() const {
    SmtpConfig c;
    c.url = servers_.smtp_url;
    c.user = servers_.smtp_user;
    c.password = servers_.smtp_password;
    c.ca_file = servers_.smtp_ca;
    c.connect_timeout = 2s;
    c.timeout = 20s;
    return c;
  }

  // A mail with a subject no other test uses.
  Mail mail(const std::string& to) const {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    Mail m;
    m.from = "Lamtool Weather <weather@example.com>";
    m.to = {to};
    m.subject = "Météo " + name + " " +
                std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
    m.text = "Bonjour,\n\nthe radar loop and its thumbnail.\n.a line with a leading dot\n";
    m.inline_parts = {
        {"radar.gif", "image/gif", "radar@lamtool", random_bytes(300000, 7)},
        {"thumb.png", "image/png", "thumb@lamtool", random_bytes(4000, 8)},
    };
    m.date = "Tue, 01 Dec 2026 07:00:00 +0000";
    return m;
  }

  // The sink's JSON record of the message with this Message-ID; polls up to 10 s.
  json wait_for(const std::string& message_id) const {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      for (const auto& entry : std::filesystem::directory_iterator(servers_.mail_dir)) {
        if (entry.path().extension() != ".json") continue;
        json record = json::parse(test::slurp(entry.path().string()), nullptr, false);
        if (record.is_object() && record["messageId"] == message_id) return record;
      }
      std::this_thread::sleep_for(50ms);
    }
    throw std::runtime_error("no mail with Message-ID " + message_id + " in " + servers_.mail_dir);
  }

  static std::string message_id(const std::string& mime) {
    size_t at = mime.find("Message-ID: ") + 12;
    return mime.substr(at, mime.find("\r\n", at) - at);
  }

  void expect_no_password(const std::string& text) const {
    EXPECT_EQ(text.find(servers_.smtp_password), std::string::npos) << text;
    // Nor in AUTH PLAIN's base64 ("\0user\0password").
    std::string plain =
        base64_encode(std::string(1, '\0') + servers_.smtp_user + '\0' + servers_.smtp_password);
    EXPECT_EQ(text.find(plain), std::string::npos) << text;
    EXPECT_EQ(text.find(base64_encode(servers_.smtp_password)), std::string::npos) << text;
  }
};

TEST_F(MailSmtp, DeliversTwoInlinePicturesOverStartTls) {
  Mail m = mail("Alice <alice@example.com>");
  std::string mime = build_mime(m);
  send_mail(config(), m.from, m.to, mime, log_);
  json r = wait_for(message_id(mime));

  EXPECT_TRUE(r["session"]["secure"].get<bool>()) << r["session"];
  EXPECT_EQ(r["session"]["user"], servers_.smtp_user);
  EXPECT_EQ(r["session"]["mailFrom"], "weather@example.com");
  EXPECT_EQ(r["session"]["rcptTo"], json::array({"alice@example.com"}));
  EXPECT_EQ(r["subject"], m.subject);
  ASSERT_EQ(r["to"].size(), 1u);
  EXPECT_EQ(r["to"][0]["address"], "alice@example.com");
  EXPECT_EQ(r["to"][0]["name"], "Alice");
  EXPECT_EQ(r["from"][0]["name"], "Lamtool Weather");
  EXPECT_EQ(r["text"], m.text);
  std::string html = r["html"];
  EXPECT_NE(html.find("src=\"cid:radar@lamtool\""), std::string::npos) << html;
  EXPECT_NE(html.find("src=\"cid:thumb@lamtool\""), std::string::npos) << html;
  ASSERT_EQ(r["attachments"].size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const json& a = r["attachments"][i];
    const MailPart& sent = m.inline_parts[i];
    EXPECT_EQ(a["filename"], sent.filename);
    EXPECT_EQ(a["contentType"], sent.content_type);
    EXPECT_EQ(a["cid"], sent.content_id);
    EXPECT_EQ(a["contentDisposition"], "inline");
    EXPECT_TRUE(a["related"].get<bool>());
    EXPECT_EQ(a["size"], sent.bytes.size());
    EXPECT_EQ(a["sha256"], sha256_hex(sent.bytes));
  }
  // The server received exactly the bytes built (dot-stuffing undone).
  std::string eml = test::slurp(servers_.mail_dir + "/" + r["file"].get<std::string>());
  EXPECT_EQ(eml.size(), mime.size());
  EXPECT_TRUE(eml == mime) << "the received message differs from the one sent";

  // -v shows the dialogue, never the credentials.
  std::string log = log_text_.str();
  EXPECT_NE(log.find("STARTTLS"), std::string::npos) << log;
  EXPECT_NE(log.find("RCPT TO:<alice@example.com>"), std::string::npos) << log;
  EXPECT_NE(log.find("AUTH "), std::string::npos) << log;
  expect_no_password(log);
}

TEST_F(MailSmtp, PlainServerWithoutCredentials) {
  SmtpConfig c;
  c.url = servers_.smtp_plain_url;
  Mail m = mail("bob@example.org");
  m.inline_parts.clear();
  std::string mime = build_mime(m);
  send_mail(c, m.from, m.to, mime, log_);
  json r = wait_for(message_id(mime));
  EXPECT_FALSE(r["session"]["secure"].get<bool>());
  EXPECT_TRUE(r["session"]["user"].is_null());
  EXPECT_EQ(r["subject"], m.subject);
  EXPECT_TRUE(r["attachments"].empty());
}

TEST_F(MailSmtp, WrongPasswordIsAnAuthError) {
  SmtpConfig c = config();
  c.password = "not-the-" + servers_.smtp_password;
  Mail m = mail("alice@example.com");
  std::vector<std::chrono::milliseconds> delays;
  try {
    send_mail(c, m.from, m.to, build_mime(m), log_, fast_policy(&delays));
    FAIL() << "sent with a wrong password";
  } catch (const AuthError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find(servers_.smtp_url), std::string::npos) << what;
    EXPECT_NE(what.find("535"), std::string::npos) << what;
    EXPECT_EQ(what.find(c.password), std::string::npos) << what;
    expect_no_password(what);
  }
  EXPECT_TRUE(delays.empty());  // a refused login is not retried
  EXPECT_EQ(log_text_.str().find(c.password), std::string::npos);
}

TEST_F(MailSmtp, NoCredentialsForAServerThatWantsThemIsAnAuthError) {
  SmtpConfig c = config();
  c.user.clear();
  c.password.clear();
  Mail m = mail("alice@example.com");
  EXPECT_THROW(send_mail(c, m.from, m.to, build_mime(m), log_), AuthError);
}

TEST_F(MailSmtp, RefusedRecipientIsAServiceError) {
  Mail m = mail("alice@example.com");
  m.to.push_back("nobody@reject.invalid");
  std::vector<std::chrono::milliseconds> delays;
  try {
    send_mail(config(), m.from, m.to, build_mime(m), log_, fast_policy(&delays));
    FAIL() << "a refused recipient went unnoticed";
  } catch (const ServiceError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("recipient <nobody@reject.invalid>"), std::string::npos) << what;
    EXPECT_NE(what.find("550"), std::string::npos) << what;
    EXPECT_NE(what.find(servers_.smtp_url), std::string::npos) << what;
    expect_no_password(what);
  }
  EXPECT_TRUE(delays.empty());
}

TEST_F(MailSmtp, ClosedPortIsANetworkErrorAfterRetries) {
  SmtpConfig c = config();
  c.url = "smtp://127.0.0.1:" + std::to_string(closed_port());
  Mail m = mail("alice@example.com");
  std::vector<std::chrono::milliseconds> delays;
  try {
    send_mail(c, m.from, m.to, build_mime(m), log_, fast_policy(&delays));
    FAIL() << "sent to a closed port";
  } catch (const NetworkError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find(c.url), std::string::npos) << what;
    EXPECT_NE(what.find("after 3 attempts"), std::string::npos) << what;
    expect_no_password(what);
  }
  EXPECT_EQ(delays.size(), 2u);
}

TEST_F(MailSmtp, UntrustedCertificateIsRefused) {
  SmtpConfig c = config();
  test::TempDir dir;
  // A CA bundle without the sink's CA: a certificate of its own, not the one that signed.
  std::string pem = test::slurp(servers_.smtp_ca);
  ASSERT_FALSE(pem.empty());
  c.ca_file = "/etc/ssl/certs/ca-certificates.crt";
  if (!std::filesystem::exists(c.ca_file)) GTEST_SKIP() << "no system CA bundle";
  Mail m = mail("alice@example.com");
  std::vector<std::chrono::milliseconds> delays;
  try {
    send_mail(c, m.from, m.to, build_mime(m), log_, fast_policy(&delays));
    FAIL() << "sent to a server whose certificate is not trusted";
  } catch (const ServiceError& e) {  // 69, with how to trust a CA
    expect_no_password(e.what());
    EXPECT_NE(std::string(e.what()).find("CURL_CA_BUNDLE or SSL_CERT_FILE"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(delays.empty());  // not retried: it would fail the same way
  expect_no_password(log_text_.str());
}

}  // namespace
}  // namespace lamtool
