// Verification of Cognito-compatible JWTs (RS256 ID and access tokens, key by `kid` from a JWKS)
// and minting of such tokens from a local key, so the JWT path works without Cognito.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/jwks.hpp"

namespace seoagents {

// Tokens longer than this are refused before any decoding.
inline constexpr std::size_t kMaxJwtSize = 8 * 1024;

// What a client is told; the HTTP layer answers 401 with the code to_string() names.
enum class JwtError {
  invalid_token,  // "INVALID_TOKEN": anything wrong with the token but its age
  token_expired   // "TOKEN_EXPIRED": valid in every other respect, but `exp` has passed
};

// "INVALID_TOKEN", "TOKEN_EXPIRED".
std::string_view to_string(JwtError error);

struct JwtFailure {
  // The error code for the client.
  JwtError error = JwtError::invalid_token;
  // The header names a kid the key set does not hold: the caller may refresh the set (at most
  // once a minute) and verify again. Never set together with any other failure.
  bool unknown_kid = false;
  // Why, for logs only and never for clients: a fixed phrase ("signature mismatch", "wrong
  // issuer") with nothing taken from the token. Points to a string literal.
  std::string_view reason;
};

enum class TokenUse { id, access };

// "id", "access".
std::string_view to_string(TokenUse use);

struct JwtOptions {
  // Must equal the `iss` claim, e.g.
  // "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123".
  std::string issuer;
  // The app client id: must equal `aud` (or be one of its entries) in ID tokens, and
  // `client_id` in access tokens.
  std::string audience;
  // Accept `token_use: access` as well as `id`.
  bool accept_access_tokens = false;
  // Allowed clock skew for exp, nbf and iat.
  std::int64_t leeway_s = 60;
  // The string claim that names the account's plan.
  std::string plan_claim = "custom:plan";
};

// What a valid token says.
struct VerifiedToken {
  // The subject (Cognito's user id): a non-empty string.
  std::string sub;
  // Which kind of token it was.
  TokenUse token_use = TokenUse::id;
  // The plan claim (JwtOptions::plan_claim) when the token has it.
  std::optional<std::string> plan;
  // Expiry, seconds since the Unix epoch.
  std::int64_t exp = 0;
};

// Verifies a compact JWS: at most kMaxJwtSize, three base64url segments without padding, a JSON
// object header with `alg` exactly "RS256" (the only algorithm: "none", HS256 and all others are
// refused whatever the key) and a string `kid` found in `keys`, no `crit`; `jku`, `x5u`, `x5c`
// and `jwk` are ignored. Then the RSASSA-PKCS1-v1_5 SHA-256 signature, then the claims: iss,
// token_use, aud or client_id, exp (required) / nbf / iat (optional) as numbers against `now_s`
// with the leeway, sub, the plan claim. Duplicate JSON members: the last one counts (RFC 7519).
// Thread-safe; allocates only for the decoded segments and the result.
Expected<VerifiedToken, JwtFailure> verify_jwt(std::string_view token, const Jwks& keys,
                                               const JwtOptions& options, std::int64_t now_s);

// The same against the cache's current set; on an unknown kid it asks the cache to refresh (which
// fetches at most once per interval) and, if the set was replaced, verifies again. The fetch runs
// on the calling thread.
Expected<VerifiedToken, JwtFailure> verify_jwt(std::string_view token, JwksCache& keys,
                                               const JwtOptions& options, std::int64_t now_s);

// A compact RS256 JWT with header {"alg":"RS256","kid":kid} and `claims` as its payload, signed
// with an RSA private key in PEM. Claims are not checked: tests mint invalid tokens on purpose.
Expected<std::string, std::string> mint_token(std::string_view private_key_pem,
                                              std::string_view kid,
                                              const boost::json::object& claims);

}  // namespace seoagents
