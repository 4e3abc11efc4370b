#pragma once
// Byte encodings shared by the services: Kinesis record data, and later event payloads
// and mail attachments.

#include <string>
#include <string_view>

namespace lamtool {

/// Standard base64 (RFC 4648 section 4) with padding.
std::string base64_encode(std::string_view bytes);

}  // namespace lamtool
