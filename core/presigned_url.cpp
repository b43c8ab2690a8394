// Signing and checking presigned URLs (see presigned_url.hpp).
#include "core/presigned_url.hpp"

#include <charconv>

#include "core/crypto.hpp"

namespace seoagents {
namespace {

constexpr std::size_t kSignatureHexLength = 64;

std::string hex_of(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

// Unix seconds written as plain decimal digits (no sign, no leading zeros beyond "0").
std::optional<std::int64_t> parse_expiry(std::string_view text) {
  if (text.empty() || text.size() > 18 || (text.size() > 1 && text.front() == '0'))
    return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

std::string UrlSigner::signature_of(std::string_view path, std::int64_t expires_unix) const {
  std::string message(path);
  message.append("\n").append(std::to_string(expires_unix));
  return hex_of(hmac_sha256(key_, message));
}

std::string UrlSigner::sign(std::string_view path, std::int64_t expires_unix) const {
  std::string url(path);
  url.append("?expires=").append(std::to_string(expires_unix));
  url.append("&signature=").append(signature_of(path, expires_unix));
  return url;
}

PresignedCheck UrlSigner::check(std::string_view path, std::string_view expires,
                                std::string_view signature, std::int64_t now_unix) const {
  std::optional<std::int64_t> expiry = parse_expiry(expires);
  if (!expiry || signature.size() != kSignatureHexLength) return PresignedCheck::invalid;
  if (!constant_time_equal(signature, signature_of(path, *expiry))) return PresignedCheck::invalid;
  if (now_unix >= *expiry) return PresignedCheck::expired;
  return PresignedCheck::valid;
}

}  // namespace seoagents
