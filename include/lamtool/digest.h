#pragma once
// Hashes, HMACs and random tokens over OpenSSL's libcrypto, shared by the request
// signers (AWS SigV4, X's OAuth 1.0a) and everything that names content by its digest.

#include <cstddef>
#include <string>
#include <string_view>

namespace lamtool {

/// Lower-case hex of raw bytes.
std::string hex_encode(std::string_view bytes);
/// Lower-case hex of SHA-256(data).
std::string sha256_hex(std::string_view data);
/// Raw HMAC-SHA256(key, data) bytes (AWS SigV4).
std::string hmac_sha256(std::string_view key, std::string_view data);
/// Raw HMAC-SHA1(key, data) bytes (OAuth 1.0a, RFC 5849 section 3.4.2).
std::string hmac_sha1(std::string_view key, std::string_view data);
/// `length` characters drawn uniformly from A-Z a-z 0-9 by the operating system's
/// random source (getrandom): nonces and multipart boundaries.
std::string random_alnum(size_t length);

}  // namespace lamtool
