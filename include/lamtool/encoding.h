#pragma once
// Byte encodings shared by the services: Kinesis record data, and later event payloads
// and mail attachments.

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

}  // namespace lamtool
