// Hashing, MACs, encodings and constant-time comparison on OpenSSL 3: the primitives behind
// API keys (SHA-256), cursors (HMAC-SHA256) and secrets at rest.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace seoagents {

// SHA-256 of `data` as 64 lowercase hex characters.
std::string sha256_hex(std::string_view data);

// The same digits in a fixed array: no allocation, for the API key lookup of every request.
struct Sha256Hex {
  std::array<char, 64> digits;
  std::string_view view() const { return {digits.data(), digits.size()}; }
};
Sha256Hex sha256_hex_digits(std::string_view data);

// HMAC-SHA256 of `data` under `key`: 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);

// Base62 (0-9, A-Z, a-z) of `bytes` read as one big-endian number, left-padded with '0' to the
// length that every input of this size needs (43 characters for 32 bytes).
std::string base62_encode(std::span<const unsigned char> bytes);

// Standard base64 with padding (RFC 4648 §4), as HTTP Basic authentication needs.
std::string base64_encode(std::string_view bytes);

// Base64url without padding (RFC 4648 §5).
std::string base64url_encode(std::string_view bytes);
// Decodes base64url without padding; nullopt for any character outside the alphabet or an
// impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

// Compares in time that depends only on the lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace seoagents
