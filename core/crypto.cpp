// OpenSSL-backed primitives and the text encodings around them.
#include "core/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <vector>

namespace seoagents {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

// SHA-256 fetched from the default provider once: EVP_sha256() makes OpenSSL 3 look the
// algorithm up (under a lock) on every use. Never freed; it lives as long as the process.
const EVP_MD* fetched_sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("SHA-256 is not available");
  return md;
}

namespace {

// One digest context per thread, reset for each use: EVP_Digest would allocate and free a
// context (and the provider's state) on every call.
EVP_MD_CTX& thread_digest_context() {
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!context) throw std::runtime_error("SHA-256 failed: no digest context");
  return *context;
}

}  // namespace

Sha256Hex sha256_hex_digits(std::string_view data) {
  EVP_MD_CTX& context = thread_digest_context();
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  if (EVP_DigestInit_ex2(&context, fetched_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(&context, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(&context, digest.data(), &length) != 1 || length != digest.size()) {
    throw std::runtime_error("SHA-256 failed");
  }
  Sha256Hex hex;
  for (std::size_t i = 0; i < digest.size(); ++i) {
    hex.digits[2 * i] = kHex[digest[i] >> 4];
    hex.digits[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return hex;
}

std::string sha256_hex(std::string_view data) {
  return std::string(sha256_hex_digits(data).view());
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(),
           &length) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(mac.data()), length);
}

std::string base62_encode(std::span<const unsigned char> bytes) {
  // Repeated division of the big-endian number by 62; digits come out least significant first.
  std::vector<unsigned char> number(bytes.begin(), bytes.end());
  auto width = static_cast<std::size_t>(std::ceil(bytes.size() * 8 / std::log2(62.0)));
  std::string digits;
  digits.reserve(width);
  while (digits.size() < width) {
    unsigned remainder = 0;
    for (unsigned char& byte : number) {
      unsigned value = (remainder << 8) | byte;
      byte = static_cast<unsigned char>(value / 62);
      remainder = value % 62;
    }
    digits += kBase62[remainder];
  }
  return std::string(digits.rbegin(), digits.rend());
}

std::string base64url_encode(std::string_view bytes) {
  std::string text;
  text.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    unsigned chunk = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    for (int shift : {18, 12, 6, 0})
      text += kBase64Url[(chunk >> shift) & 63];
  }
  if (std::size_t rest = bytes.size() - i; rest > 0) {
    unsigned chunk = byte(i) << 16;
    if (rest == 2) chunk |= byte(i + 1) << 8;
    text += kBase64Url[(chunk >> 18) & 63];
    text += kBase64Url[(chunk >> 12) & 63];
    if (rest == 2) text += kBase64Url[(chunk >> 6) & 63];
  }
  return text;
}

std::string base64_encode(std::string_view bytes) {
  std::string text = base64url_encode(bytes);
  for (char& c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (text.size() % 4 != 0)
    text += '=';
  return text;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string bytes;
  bytes.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value = base64url_value(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  // Leftover bits must be zero, so that every byte string has exactly one encoding.
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return bytes;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace seoagents
