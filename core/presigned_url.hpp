// Presigned URLs: a path the server hands out (an audit report's) that anyone holding it may GET
// without credentials until it expires. The query carries `expires` (Unix seconds) and
// `signature`, the hex HMAC-SHA256 of "<path>\n<expires>" under a key derived from the master
// key, so the link survives restarts and cannot be moved to another path or extended.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace seoagents {

// Whether a presented (path, expires, signature) may be served.
enum class PresignedCheck { valid, expired, invalid };

class UrlSigner {
 public:
  // `key`: a secret for this purpose (derive_key(master_key, "report-urls")).
  explicit UrlSigner(std::string key) : key_(std::move(key)) {}

  // "<path>?expires=<expires_unix>&signature=<64 hex>". `path` must be percent-encoded already
  // and carry no query.
  std::string sign(std::string_view path, std::int64_t expires_unix) const;

  // Checks the `expires` and `signature` query values presented with `path` at `now_unix`. A
  // signature that does not match (tampered path, expiry or signature; malformed values) is
  // `invalid`; a matching one past its expiry is `expired`. Compared in constant time.
  PresignedCheck check(std::string_view path, std::string_view expires, std::string_view signature,
                       std::int64_t now_unix) const;

 private:
  std::string signature_of(std::string_view path, std::int64_t expires_unix) const;

  std::string key_;
};

}  // namespace seoagents
