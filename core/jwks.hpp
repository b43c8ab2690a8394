// The RSA keys that sign JWTs: a JSON Web Key Set (RFC 7517) parsed into OpenSSL keys selected by
// `kid`, a cache that refetches it at most once a minute, and the local key tools behind the CLI.
#pragma once

#include <openssl/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/expected.hpp"

namespace seoagents {

// JWKS documents longer than this are refused (Cognito's is about 1 KiB).
inline constexpr std::size_t kMaxJwksSize = 256 * 1024;
// RSA moduli outside these bounds are refused: small ones are weak, big ones make each
// verification slow.
inline constexpr int kMinRsaBits = 2048;
inline constexpr int kMaxRsaBits = 8192;

struct EvpPkeyFree {
  void operator()(EVP_PKEY* key) const;
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;

// The RS256 signing keys of a JWKS, by key id. Immutable once parsed: any number of threads may
// look keys up and verify with them at once.
class Jwks {
 public:
  // An empty set: every kid is unknown.
  Jwks() = default;

  // Parses `{"keys":[{"kty":"RSA","kid":..,"n":..,"e":..,"alg":"RS256","use":"sig"}, ...]}`.
  // Keys that are not RSA, have a `use` other than "sig" or an `alg` other than "RS256", or have
  // no kid are skipped. The whole document is refused (with a message for the operator) when it
  // is not JSON, has no "keys" array, repeats a kid, or holds an RSA signing key whose n or e is
  // malformed: not base64url, a modulus outside [kMinRsaBits, kMaxRsaBits], an exponent that
  // OpenSSL's public-key check rejects.
  static Expected<Jwks, std::string> parse(std::string_view json_text);

  // The key with this id, or nullptr. Compared byte for byte: the kid is only a lookup key. The
  // key lives as long as this set; use it only to verify.
  EVP_PKEY* find(std::string_view kid) const;

  // How many keys the set holds.
  std::size_t size() const { return keys_.size(); }

 private:
  // (kid, key); a handful of entries, so a linear search beats a map.
  std::vector<std::pair<std::string, EvpPkeyPtr>> keys_;
};

// The current Jwks, replaced by refetching the document, at most once per interval. Thread-safe:
// any loop thread may call any member at once. The mutex guards only the current set and the time
// of the last fetch; it is never held while fetching or parsing.
class JwksCache {
 public:
  // Returns the JWKS document's text, or a message saying why it could not.
  using Fetch = std::function<Expected<std::string, std::string>()>;
  // Seconds on a monotonic clock.
  using Clock = std::function<std::int64_t()>;

  static constexpr std::int64_t kDefaultRefetchInterval = 60;

  // `clock` defaults to std::chrono::steady_clock. Nothing is fetched until refresh().
  explicit JwksCache(Fetch fetch, Clock clock = {},
                     std::int64_t min_refetch_interval_s = kDefaultRefetchInterval);

  // The current set: empty until a refresh succeeded.
  std::shared_ptr<const Jwks> current() const;

  // Fetches and parses the document and installs it, unless a fetch started less than the
  // interval ago (also one that failed, or that is still running on another thread). True when
  // the set was replaced, false when throttled; an error when fetching or parsing failed (the
  // previous set stays).
  Expected<bool, std::string> refresh();

  // refresh() in two steps, for callers whose fetch is asynchronous (a coroutine on a loop):
  // claim_refresh() is true when a fetch may start now (and counts it as started);
  // complete_refresh() then parses and installs the fetched document, or records its failure,
  // and answers like refresh().
  bool claim_refresh();
  Expected<bool, std::string> complete_refresh(Expected<std::string, std::string> document);

  // Why the last refresh failed; empty when it succeeded or none ran yet.
  std::string last_error() const;

 private:
  Fetch fetch_;
  Clock clock_;
  std::int64_t min_interval_s_;
  mutable std::mutex mutex_;
  // Guarded by mutex_.
  std::shared_ptr<const Jwks> current_;
  // Guarded by mutex_: when the last fetch started; unset before the first.
  bool fetched_before_ = false;
  std::int64_t last_fetch_s_ = 0;
  // Guarded by mutex_.
  std::string last_error_;
};

// Reads a PEM private key (PKCS#8 or traditional; never prompts for a passphrase).
Expected<EvpPkeyPtr, std::string> read_private_key_pem(std::string_view pem);

// A new RSA private key as PKCS#8 PEM; `bits` within [kMinRsaBits, kMaxRsaBits].
Expected<std::string, std::string> generate_rsa_key_pem(int bits = 2048);

// The JWKS text (`{"keys":[{"kty":"RSA","kid":..,"use":"sig","alg":"RS256","n":..,"e":..}]}`)
// with the public half of an RSA private key in PEM, so Jwks::parse accepts what mint_token signs.
Expected<std::string, std::string> jwks_for_private_key(std::string_view private_key_pem,
                                                        std::string_view kid);

}  // namespace seoagents
