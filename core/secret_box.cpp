// AES-256-GCM through OpenSSL's EVP interface.
#include "core/secret_box.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "core/random_id.hpp"

namespace seoagents {
namespace {

constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext new_context() {
  CipherContext context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!context) throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  return context;
}

const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

SecretBox::SecretBox(std::string key) : key_(std::move(key)) {
  if (key_.size() != 32) throw std::invalid_argument("SecretBox needs a 32-byte key");
}

std::string SecretBox::seal(std::string_view plaintext, std::string_view associated_data) const {
  std::string sealed(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  secure_random_bytes(std::span(out, kNonceBytes));
  CipherContext context = new_context();
  int length = 0;
  bool ok = EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, bytes(key_), out) == 1 &&
            EVP_EncryptUpdate(context.get(), nullptr, &length, bytes(associated_data),
                              static_cast<int>(associated_data.size())) == 1 &&
            EVP_EncryptUpdate(context.get(), out + kNonceBytes, &length, bytes(plaintext),
                              static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(context.get(), out + kNonceBytes + length, &length) == 1 &&
            EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                                out + kNonceBytes + plaintext.size()) == 1;
  if (!ok) throw std::runtime_error("AES-256-GCM encryption failed");
  return sealed;
}

std::optional<std::string> SecretBox::open(std::string_view sealed,
                                           std::string_view associated_data) const {
  if (sealed.size() < kNonceBytes + kTagBytes) return std::nullopt;
  std::size_t text_size = sealed.size() - kNonceBytes - kTagBytes;
  std::string plaintext(text_size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  const unsigned char* in = bytes(sealed);
  std::string tag(sealed.substr(kNonceBytes + text_size));
  CipherContext context = new_context();
  int length = 0;
  bool ok = EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, bytes(key_), in) == 1 &&
            EVP_DecryptUpdate(context.get(), nullptr, &length, bytes(associated_data),
                              static_cast<int>(associated_data.size())) == 1 &&
            EVP_DecryptUpdate(context.get(), out, &length, in + kNonceBytes,
                              static_cast<int>(text_size)) == 1 &&
            EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
            EVP_DecryptFinal_ex(context.get(), out + length, &length) == 1;
  if (!ok) return std::nullopt;
  return plaintext;
}

}  // namespace seoagents
