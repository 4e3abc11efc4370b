#pragma once
// Byte encodings shared by the services: base64 (Kinesis record data, mail attachments)
// and percent-encoding (S3 keys, SigV4 and OAuth 1.0a signatures, form bodies).

#include <string>
#include <string_view>

namespace lamtool {

/// Standard base64 (RFC 4648 section 4) with padding.
std::string base64_encode(std::string_view bytes);

/// Decodes standard base64 (RFC 4648 section 4) into `out` (replacing its contents).
/// Strict: the length is a multiple of 4, padding only at the end, no other characters
/// (no white space), and the bits past the last byte are zero. False when `text` is
/// not such base64; `out` then holds nothing useful.
bool base64_decode(std::string_view text, std::string& out);

/// Code points of UTF-8 text (each byte that is not a continuation byte counts one).
size_t utf8_length(std::string_view text);
/// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code
/// points past U+10FFFF); the offset of the first bad byte in `bad_at` otherwise.
bool utf8_valid(std::string_view text, size_t* bad_at = nullptr);
/// ASCII letters lower-cased, every other byte kept (header names, schemes, hosts).
std::string ascii_lower(std::string_view text);

/// Percent-encodes every byte outside the RFC 3986 unreserved set A-Z a-z 0-9 - . _ ~
/// as %XX with upper-case hex; '/' too unless `keep_slash`. Space is %20, '+' is %2B,
/// UTF-8 is encoded bytewise. This is the encoding both AWS SigV4 and OAuth 1.0a
/// (RFC 5849 section 3.6) sign with.
std::string percent_encode(std::string_view text, bool keep_slash = false);
/// Decodes %XX escapes; a malformed escape is kept as it is. '+' stays '+' (for
/// application/x-www-form-urlencoded, where '+' is a space, see form_decode()).
std::string percent_decode(std::string_view text);
/// Decodes one name or value of an application/x-www-form-urlencoded string: '+' is a
/// space, then %XX escapes as percent_decode().
std::string form_decode(std::string_view text);

}  // namespace lamtool
