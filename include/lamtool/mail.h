#pragma once
// Mail (DESIGN.md section 5): a MIME message with pictures inline, sent over SMTP with
// libcurl. Configuration from the environment: LAMTOOL_SMTP_URL (smtp://host:port or
// smtps://host:port), LAMTOOL_SMTP_USER, LAMTOOL_SMTP_PASSWORD. With smtp:// STARTTLS is
// used when the server offers it; certificates are verified against the system store, or
// the bundle named by CURL_CA_BUNDLE or SSL_CERT_FILE. A password is never sent in
// clear: with smtp:// to a host other than loopback (127.0.0.0/8, ::1, localhost) and a
// user set, STARTTLS is required (libcurl's CURLUSESSL_ALL) and the mail is not sent
// when the server does not offer it; to loopback, and without a user, STARTTLS is used
// when offered (CURLUSESSL_TRY).

#include <chrono>
#include <string>
#include <vector>

namespace lamtool {

class Logger;
struct RetryPolicy;

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
/// address with a local part and a domain and no CR/LF. The local part is a dot-atom
/// (quoted local parts are refused); UTF-8 is allowed in both halves (RFC 6531); a
/// display name holding ',', ';', '<', '>', '"' or '@' must be quoted ("Doe, J." <a@b>).
void check_address(const std::string& address, const std::string& flag);

/// RFC 5322 date-time for the Date: header: "Tue, 01 Dec 2026 07:00:00 +0000".
std::string rfc5322_date(std::chrono::sys_seconds t);

/// The message as sent: headers (From, To, Subject encoded as RFC 2047 when not ASCII,
/// Date, Message-ID, MIME-Version), multipart/alternative of text/plain and
/// multipart/related (text/html + the inline parts, base64, Content-ID,
/// Content-Disposition inline), CRLF line ends, lines under 78 characters.
/// Both text parts are quoted-printable UTF-8 (text line ends become CRLF); the HTML shows
/// the text (escaped; paragraphs at blank lines, <br> at single line ends) and then each
/// picture as <img src="cid:ID" alt="FILENAME">. Pictures are base64 in 76-character
/// lines. Without inline parts the alternative holds text/plain and text/html directly.
/// Boundaries begin with "=_", which quoted-printable and base64 bodies cannot contain.
/// An empty `date` takes process_clock() (clock.h). The Message-ID is
/// <32 hex digits of a SHA-256 over the date and the content @lamtool>. DataError for a
/// Content-ID that is empty, repeated, or holds characters other than letters, digits
/// and !#$%&'*+-./=?^_`{|}~@; CR and LF in the subject are turned into spaces.
std::string build_mime(const Mail& mail);

struct SmtpConfig {
  std::string url;  ///< smtp://host:port, smtps://host:port
  std::string user;
  std::string password;
  /// CA bundle to verify the server's certificate with; empty: CURL_CA_BUNDLE, then
  /// SSL_CERT_FILE, then libcurl's default store.
  std::string ca_file;
  std::chrono::milliseconds connect_timeout{10000};
  /// The whole exchange of one attempt; a transfer moving no byte for 30 s also fails.
  std::chrono::milliseconds timeout{300000};
};

/// From LAMTOOL_SMTP_URL / _USER / _PASSWORD (and ca_file from CURL_CA_BUNDLE or
/// SSL_CERT_FILE); ConfigError (78) when the URL is not set, not smtp:// or smtps://,
/// has no host or holds credentials (user:password@), or when only one of the user and
/// the password is set. The password is registered with add_secret (log.h).
SmtpConfig smtp_config_from_env();

/// Sends `mime` (build_mime's output) from `from` to every address in `to`. Errors:
/// AuthError (77) for a refused login, ServiceError (69) for a refused sender or
/// recipient, NetworkError (75) when the server cannot be reached or the connection
/// fails; messages name the server's URL without credentials and never the password.
/// Addresses may be "Name <a@b>": the envelope takes the address between < and >.
/// More precisely: a refused login or a 530/534/535/538 reply -> AuthError; any other
/// 5xx reply -> ServiceError naming the refused step (sender, recipient, message) and
/// the server's reply; a server without STARTTLS when it is required -> ServiceError;
/// 4xx replies and transport failures -> NetworkError after retries. A transport
/// failure is retried only while the message cannot have been delivered (before its
/// last byte was handed to the server), so a retry never sends a second copy.
/// Default retries: 3 attempts, 500 ms base, 4 s cap (RetryPolicy, http.h).
void send_mail(const SmtpConfig& config, const std::string& from,
               const std::vector<std::string>& to, const std::string& mime, Logger& log);
/// The same with the caller's retry policy (tests make the waits short).
void send_mail(const SmtpConfig& config, const std::string& from,
               const std::vector<std::string>& to, const std::string& mime, Logger& log,
               const RetryPolicy& retry);

}  // namespace lamtool
