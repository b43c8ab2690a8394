// JWKS parsing into OpenSSL 3 keys (EVP_PKEY_fromdata), the refetch-throttled cache, and the
// local RSA key tools (generate, export as JWKS).
#include "core/jwks.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <bit>
#include <boost/json.hpp>
#include <chrono>
#include <optional>

#include "core/crypto.hpp"

namespace seoagents {

void EvpPkeyFree::operator()(EVP_PKEY* key) const {
  EVP_PKEY_free(key);
}

namespace {

namespace json = boost::json;

template <auto Free>
struct OsslFree {
  template <class T>
  void operator()(T* object) const {
    Free(object);
  }
};
using BignumPtr = std::unique_ptr<BIGNUM, OsslFree<BN_free>>;
using ParamBuildPtr = std::unique_ptr<OSSL_PARAM_BLD, OsslFree<OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, OsslFree<OSSL_PARAM_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslFree<EVP_PKEY_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, OsslFree<BIO_free>>;

// Big-endian bytes without their leading zero bytes.
std::string_view view(const json::string& text) {
  return {text.data(), text.size()};
}

std::string_view strip_leading_zeros(std::string_view bytes) {
  while (!bytes.empty() && bytes.front() == '\0')
    bytes.remove_prefix(1);
  return bytes;
}

int bit_length(std::string_view magnitude) {
  if (magnitude.empty()) return 0;
  auto top = static_cast<unsigned char>(magnitude.front());
  return static_cast<int>((magnitude.size() - 1) * 8) + std::bit_width(top);
}

bool is_odd(std::string_view magnitude) {
  return !magnitude.empty() && (static_cast<unsigned char>(magnitude.back()) & 1) != 0;
}

// The decoded magnitude of a base64url member ("n" or "e"), or nullopt.
std::optional<std::string> decode_member(const json::object& key, std::string_view name) {
  const json::value* member = key.if_contains(name);
  if (member == nullptr || !member->is_string()) return std::nullopt;
  return base64url_decode(view(member->get_string()));
}

BignumPtr to_bignum(std::string_view magnitude) {
  return BignumPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(magnitude.data()),
                             static_cast<int>(magnitude.size()), nullptr));
}

// An RSA public key from its modulus and exponent, checked by OpenSSL; nullptr if refused.
EvpPkeyPtr rsa_public_key(std::string_view modulus, std::string_view exponent) {
  BignumPtr n = to_bignum(modulus);
  BignumPtr e = to_bignum(exponent);
  ParamBuildPtr build(OSSL_PARAM_BLD_new());
  if (!n || !e || !build) return nullptr;
  if (OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return nullptr;
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(build.get()));
  PkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1) return nullptr;
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  EvpPkeyPtr key(raw);
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return nullptr;
  return key;
}

const json::string* string_member(const json::object& object, std::string_view name) {
  const json::value* member = object.if_contains(name);
  return member != nullptr ? member->if_string() : nullptr;
}

// True when the member is absent or is the string `expected`.
bool absent_or_equal(const json::object& object, std::string_view name, std::string_view expected) {
  const json::value* member = object.if_contains(name);
  return member == nullptr || (member->is_string() && view(member->get_string()) == expected);
}

// True for an RSA key with a kid that is not restricted to another use or algorithm.
bool is_rs256_signing_key(const json::object& key) {
  const json::string* kty = string_member(key, "kty");
  const json::string* kid = string_member(key, "kid");
  return kty != nullptr && view(*kty) == "RSA" && kid != nullptr && !kid->empty() &&
         absent_or_equal(key, "use", "sig") && absent_or_equal(key, "alg", "RS256");
}

// The key of one RS256 JWK, or what is wrong with its n or e.
Expected<EvpPkeyPtr, std::string> parse_rsa_key(const json::object& key) {
  std::optional<std::string> n = decode_member(key, "n");
  if (!n) return unexpected(std::string("\"n\" is missing or not base64url"));
  std::optional<std::string> e = decode_member(key, "e");
  if (!e) return unexpected(std::string("\"e\" is missing or not base64url"));
  std::string_view modulus = strip_leading_zeros(*n);
  std::string_view exponent = strip_leading_zeros(*e);
  int bits = bit_length(modulus);
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return unexpected(std::string("modulus of ") + std::to_string(bits) +
                      " bits (2048 to 8192 accepted)");
  }
  if (!is_odd(modulus)) return unexpected(std::string("modulus is even"));
  if (exponent.size() > 8 || !is_odd(exponent)) {
    return unexpected(std::string("exponent is not an odd number of at most 64 bits"));
  }
  EvpPkeyPtr public_key = rsa_public_key(modulus, exponent);
  if (!public_key) {
    ERR_clear_error();  // leave no stale errors for the thread's TLS streams
    return unexpected(std::string("OpenSSL refused the public key"));
  }
  return public_key;
}

Expected<Jwks, std::string> parse_fetched(const Expected<std::string, std::string>& document) {
  if (!document) return unexpected(std::string("JWKS fetch failed: ") + document.error());
  return Jwks::parse(*document);
}

std::string key_error(std::size_t index, std::string_view what) {
  return std::string("JWKS key ") + std::to_string(index) + ": " + std::string(what);
}

}  // namespace

Expected<Jwks, std::string> Jwks::parse(std::string_view json_text) {
  if (json_text.size() > kMaxJwksSize) return unexpected(std::string("JWKS is too large"));
  boost::system::error_code ec;
  json::value document = json::parse(json_text, ec);
  if (ec) return unexpected(std::string("JWKS is not JSON"));
  const json::object* root = document.if_object();
  const json::value* keys = root != nullptr ? root->if_contains("keys") : nullptr;
  if (keys == nullptr || !keys->is_array()) {
    return unexpected(std::string("JWKS has no \"keys\" array"));
  }
  Jwks set;
  std::size_t index = 0;
  for (const json::value& entry : keys->get_array()) {
    const json::object* key = entry.if_object();
    if (key == nullptr) return unexpected(key_error(index, "not an object"));
    if (is_rs256_signing_key(*key)) {
      std::string kid(view(key->at("kid").get_string()));
      if (set.find(kid) != nullptr) return unexpected(key_error(index, "kid repeated"));
      auto parsed = parse_rsa_key(*key);
      if (!parsed) return unexpected(key_error(index, parsed.error()));
      set.keys_.emplace_back(std::move(kid), std::move(*parsed));
    }
    ++index;
  }
  return set;
}

EVP_PKEY* Jwks::find(std::string_view kid) const {
  for (const auto& [id, key] : keys_) {
    if (id == kid) return key.get();
  }
  return nullptr;
}

JwksCache::JwksCache(Fetch fetch, Clock clock, std::int64_t min_refetch_interval_s)
    : fetch_(std::move(fetch)),
      clock_(std::move(clock)),
      min_interval_s_(min_refetch_interval_s),
      current_(std::make_shared<const Jwks>()) {
  if (!clock_) {
    clock_ = [] {
      auto since_start = std::chrono::steady_clock::now().time_since_epoch();
      return std::chrono::duration_cast<std::chrono::seconds>(since_start).count();
    };
  }
}

std::shared_ptr<const Jwks> JwksCache::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

Expected<bool, std::string> JwksCache::refresh() {
  if (!claim_refresh()) return false;
  return complete_refresh(fetch_());
}

bool JwksCache::claim_refresh() {
  std::lock_guard lock(mutex_);
  std::int64_t now = clock_();
  if (fetched_before_ && now - last_fetch_s_ < min_interval_s_) return false;
  fetched_before_ = true;
  last_fetch_s_ = now;
  return true;
}

Expected<bool, std::string> JwksCache::complete_refresh(
    Expected<std::string, std::string> document) {
  Expected<Jwks, std::string> parsed = parse_fetched(document);
  std::lock_guard lock(mutex_);
  if (!parsed) {
    last_error_ = parsed.error();
    return unexpected(parsed.error());
  }
  current_ = std::make_shared<const Jwks>(std::move(*parsed));
  last_error_.clear();
  return true;
}

std::string JwksCache::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

Expected<EvpPkeyPtr, std::string> read_private_key_pem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return unexpected(std::string("out of memory"));
  // A callback that supplies no passphrase, so an encrypted key fails instead of prompting.
  auto no_passphrase = [](char*, int, int, void*) { return 0; };
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr);
  if (key == nullptr) {
    ERR_clear_error();
    return unexpected(std::string("not an unencrypted PEM private key"));
  }
  return EvpPkeyPtr(key);
}

Expected<std::string, std::string> generate_rsa_key_pem(int bits) {
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return unexpected(std::string("RSA key size must be 2048 to 8192 bits"));
  }
  EvpPkeyPtr key(EVP_RSA_gen(static_cast<unsigned>(bits)));
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!key || !bio) return unexpected(std::string("RSA key generation failed"));
  if (PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return unexpected(std::string("writing the PEM failed"));
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

namespace {

// A big-number parameter of a key as base64url of its big-endian bytes, or nullopt.
std::optional<std::string> bn_param_base64url(const EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return std::nullopt;
  BignumPtr number(raw);
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(number.get())), '\0');
  BN_bn2bin(number.get(), reinterpret_cast<unsigned char*>(bytes.data()));
  return base64url_encode(bytes);
}

}  // namespace

Expected<std::string, std::string> jwks_for_private_key(std::string_view private_key_pem,
                                                        std::string_view kid) {
  if (kid.empty()) return unexpected(std::string("the kid must not be empty"));
  auto key = read_private_key_pem(private_key_pem);
  if (!key) return unexpected(key.error());
  if (EVP_PKEY_is_a(key->get(), "RSA") != 1) return unexpected(std::string("not an RSA key"));
  int bits = EVP_PKEY_get_bits(key->get());
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return unexpected(std::string("RSA key size must be 2048 to 8192 bits"));
  }
  std::optional<std::string> n = bn_param_base64url(key->get(), OSSL_PKEY_PARAM_RSA_N);
  std::optional<std::string> e = bn_param_base64url(key->get(), OSSL_PKEY_PARAM_RSA_E);
  if (!n || !e) return unexpected(std::string("cannot read the RSA public key"));
  json::object jwk{{"kty", "RSA"},   {"kid", kid}, {"use", "sig"},
                   {"alg", "RS256"}, {"n", *n},    {"e", *e}};
  json::object document{{"keys", json::array{std::move(jwk)}}};
  return json::serialize(document);
}

}  // namespace seoagents
