// Secrets at rest (WordPress application passwords, webhook signing secrets): AES-256-GCM with
// a random 96-bit nonce, sealed as nonce | ciphertext | tag. The associated data binds a sealed
// secret to the record it belongs to, so it cannot be moved to another row.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace seoagents {

class SecretBox {
 public:
  // `key`: 32 bytes (derive_key(master_key, "secrets")).
  explicit SecretBox(std::string key);

  std::string seal(std::string_view plaintext, std::string_view associated_data) const;
  // nullopt when the box was altered, or sealed under another key or associated data.
  std::optional<std::string> open(std::string_view sealed, std::string_view associated_data) const;

 private:
  std::string key_;
};

}  // namespace seoagents
