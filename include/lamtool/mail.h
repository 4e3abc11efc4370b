#pragma once
// Mail (DESIGN.md section 5): a MIME message with pictures inline, sent over SMTP with
// libcurl. Configuration from the environment: LAMTOOL_SMTP_URL (smtp://host:port or
// smtps://host:port), LAMTOOL_SMTP_USER, LAMTOOL_SMTP_PASSWORD. With smtp:// STARTTLS is
// used when the server offers it; certificates are verified against the system store, or
// the bundle named by CURL_CA_BUNDLE or SSL_CERT_FILE.

#include <string>
#include <vector>

namespace lamtool {

class Logger;

/// A picture shown in the HTML body as <img src="cid:CONTENT_ID">.
struct MailPart {
  std::string filename;      ///< "weather.gif"
  std::string content_type;  ///< "image/gif"
  std::string content_id;    ///< unique within the message, without <>
  std::string bytes;
};

struct Mail {
  std::string from;
  std::vector<std::string> to;
  std::string subject;
  /// Plain-text alternative; the HTML body is made from it and the parts (each picture
  /// shown inline, in order, with its file name as alt text).
  std::string text;
  std::vector<MailPart> inline_parts;
  /// Date: header value and the seed of the Message-ID (RFC 5322 date-time).
  std::string date;
};

/// "user@example.com" or "Name <user@example.com>": UsageError naming `flag` unless one
/// address with a local part and a domain and no CR/LF.
void check_address(const std::string& address, const std::string& flag);

/// The message as sent: headers (From, To, Subject encoded as RFC 2047 when not ASCII,
/// Date, Message-ID, MIME-Version), multipart/alternative of text/plain and
/// multipart/related (text/html + the inline parts, base64, Content-ID,
/// Content-Disposition inline), CRLF line ends, lines under 78 characters.
std::string build_mime(const Mail& mail);

struct SmtpConfig {
  std::string url;  ///< smtp://host:port, smtps://host:port
  std::string user;
  std::string password;
};

/// From LAMTOOL_SMTP_URL / _USER / _PASSWORD; ConfigError (78) when the URL is not set or
/// not smtp:// or smtps://.
SmtpConfig smtp_config_from_env();

/// Sends `mime` (build_mime's output) from `from` to every address in `to`. Errors:
/// AuthError (77) for a refused login, ServiceError (69) for a refused sender or
/// recipient, NetworkError (75) when the server cannot be reached or the connection
/// fails; messages name the server's URL without credentials and never the password.
void send_mail(const SmtpConfig& config, const std::string& from,
               const std::vector<std::string>& to, const std::string& mime, Logger& log);

}  // namespace lamtool
