// RS256 JWT verification and minting on OpenSSL 3 EVP: segments, header, signature, then claims,
// each step refusing what it does not expect before the next one looks at the token.
#include "core/jwt.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cmath>
#include <memory>
#include <optional>

#include "core/crypto.hpp"

namespace seoagents {
namespace {

namespace json = boost::json;

// The only algorithm: fixed here, never taken from the token.
constexpr std::string_view kAlgorithm = "RS256";
// NumericDate claims are clamped to ±this many seconds (about 34,000 years), so that adding the
// leeway cannot overflow.
constexpr std::int64_t kMaxNumericDate = std::int64_t{1} << 40;

struct MdCtxFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

Unexpected<JwtFailure> refuse(std::string_view reason) {
  return unexpected(JwtFailure{JwtError::invalid_token, false, reason});
}

std::string_view view(const json::string& text) {
  return {text.data(), text.size()};
}

// The three base64url segments of a compact JWS and the text its signature covers.
struct Segments {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  // "header.payload"
  std::string_view signing_input;
};

// Exactly three non-empty segments, or nullopt.
std::optional<Segments> split_segments(std::string_view token) {
  std::size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  Segments segments{token.substr(0, first), token.substr(first + 1, second - first - 1),
                    token.substr(second + 1), token.substr(0, second)};
  if (segments.header.empty() || segments.payload.empty() || segments.signature.empty()) {
    return std::nullopt;
  }
  return segments;
}

// A segment decoded and parsed as a JSON object allocated from `storage`, or nullopt.
std::optional<json::object> decode_object(std::string_view segment, json::storage_ptr storage) {
  std::optional<std::string> text = base64url_decode(segment);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  json::value value = json::parse(*text, ec, std::move(storage));
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

const json::string* string_member(const json::object& object, std::string_view name) {
  const json::value* member = object.if_contains(name);
  return member != nullptr ? member->if_string() : nullptr;
}

// The verification key the header asks for, once its algorithm is RS256 and it has no critical
// extensions. Keys the header embeds or points to (jwk, jku, x5u, x5c) are never looked at.
Expected<EVP_PKEY*, JwtFailure> select_key(const json::object& header, const Jwks& keys) {
  const json::string* alg = string_member(header, "alg");
  if (alg == nullptr || view(*alg) != kAlgorithm) return refuse("algorithm is not RS256");
  if (header.contains("crit")) return refuse("critical header extensions");
  const json::string* kid = string_member(header, "kid");
  if (kid == nullptr) return refuse("no kid string in the header");
  EVP_PKEY* key = keys.find(view(*kid));
  if (key == nullptr) return unexpected(JwtFailure{JwtError::invalid_token, true, "unknown kid"});
  return key;
}

// RSASSA-PKCS1-v1_5 with SHA-256 over `signing_input`.
bool rs256_signature_valid(EVP_PKEY* key, std::string_view signing_input,
                           std::string_view signature) {
  if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key))) return false;
  MdCtxPtr context(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_context = nullptr;  // owned by `context`
  bool valid =
      context &&
      EVP_DigestVerifyInit_ex(context.get(), &key_context, "SHA256", nullptr, nullptr, key,
                              nullptr) == 1 &&
      EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PADDING) == 1 &&
      EVP_DigestVerify(
          context.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
          reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
  if (!valid) ERR_clear_error();  // leave no stale errors for the thread's TLS streams
  return valid;
}

std::optional<std::string> rs256_sign(EVP_PKEY* key, std::string_view signing_input) {
  MdCtxPtr context(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_context = nullptr;  // owned by `context`
  std::string signature(static_cast<std::size_t>(EVP_PKEY_get_size(key)), '\0');
  std::size_t size = signature.size();
  bool signed_ok =
      context &&
      EVP_DigestSignInit_ex(context.get(), &key_context, "SHA256", nullptr, nullptr, key,
                            nullptr) == 1 &&
      EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PADDING) == 1 &&
      EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) == 1;
  if (!signed_ok) {
    ERR_clear_error();
    return std::nullopt;
  }
  signature.resize(size);
  return signature;
}

// A NumericDate claim: nullopt when absent, clamped to ±kMaxNumericDate; refused (with `reason`)
// when it is not a JSON number.
Expected<std::optional<std::int64_t>, JwtFailure> numeric_date(const json::object& claims,
                                                               std::string_view name,
                                                               std::string_view reason) {
  const json::value* claim = claims.if_contains(name);
  if (claim == nullptr) return std::optional<std::int64_t>();
  if (const std::int64_t* number = claim->if_int64()) {
    return std::optional(std::clamp(*number, -kMaxNumericDate, kMaxNumericDate));
  }
  if (claim->is_uint64()) return std::optional(kMaxNumericDate);  // only beyond INT64_MAX
  const double* real = claim->if_double();
  if (real == nullptr || !std::isfinite(*real)) return refuse(reason);
  double clamped = std::clamp(std::floor(*real), -static_cast<double>(kMaxNumericDate),
                              static_cast<double>(kMaxNumericDate));
  return std::optional(static_cast<std::int64_t>(clamped));
}

// True when `aud` is the audience or an array holding it.
bool audience_matches(const json::value* aud, std::string_view audience) {
  if (aud == nullptr) return false;
  if (const json::string* single = aud->if_string()) return view(*single) == audience;
  const json::array* many = aud->if_array();
  if (many == nullptr) return false;
  for (const json::value& entry : *many) {
    if (entry.is_string() && view(entry.get_string()) == audience) return true;
  }
  return false;
}

// iss, then token_use with the audience claim that goes with it.
Expected<TokenUse, JwtFailure> check_issuer_and_audience(const json::object& claims,
                                                         const JwtOptions& options) {
  const json::string* iss = string_member(claims, "iss");
  if (iss == nullptr || view(*iss) != options.issuer) return refuse("wrong issuer");
  const json::string* token_use = string_member(claims, "token_use");
  if (token_use != nullptr && view(*token_use) == "id") {
    if (!audience_matches(claims.if_contains("aud"), options.audience)) {
      return refuse("wrong audience");
    }
    return TokenUse::id;
  }
  if (token_use == nullptr || view(*token_use) != "access") return refuse("wrong token_use");
  if (!options.accept_access_tokens) return refuse("access tokens are not accepted");
  const json::string* client_id = string_member(claims, "client_id");
  if (client_id == nullptr || view(*client_id) != options.audience) {
    return refuse("wrong client_id");
  }
  return TokenUse::access;
}

// exp (required), nbf and iat against the clock. An expired token is reported last, so that
// TOKEN_EXPIRED means the token is good in every other respect.
Expected<std::int64_t, JwtFailure> check_times(const json::object& claims,
                                               const JwtOptions& options, std::int64_t now_s) {
  auto exp = numeric_date(claims, "exp", "exp is not a number");
  if (!exp) return unexpected(exp.error());
  if (!*exp) return refuse("no exp");
  auto nbf = numeric_date(claims, "nbf", "nbf is not a number");
  if (!nbf) return unexpected(nbf.error());
  auto iat = numeric_date(claims, "iat", "iat is not a number");
  if (!iat) return unexpected(iat.error());
  std::int64_t latest_start = now_s + options.leeway_s;
  if (*nbf && **nbf > latest_start) return refuse("nbf is in the future");
  if (*iat && **iat > latest_start) return refuse("iat is in the future");
  if (**exp <= now_s - options.leeway_s) {
    return unexpected(JwtFailure{JwtError::token_expired, false, "expired"});
  }
  return **exp;
}

Expected<VerifiedToken, JwtFailure> check_claims(const json::object& claims,
                                                 const JwtOptions& options, std::int64_t now_s) {
  VerifiedToken token;
  auto use = check_issuer_and_audience(claims, options);
  if (!use) return unexpected(use.error());
  token.token_use = *use;
  const json::string* sub = string_member(claims, "sub");
  if (sub == nullptr || sub->empty()) return refuse("no sub");
  token.sub = view(*sub);
  if (const json::value* plan = claims.if_contains(options.plan_claim)) {
    if (!plan->is_string()) return refuse("plan claim is not a string");
    token.plan = std::string(view(plan->get_string()));
  }
  auto exp = check_times(claims, options, now_s);
  if (!exp) return unexpected(exp.error());
  token.exp = *exp;
  return token;
}

}  // namespace

std::string_view to_string(JwtError error) {
  return error == JwtError::token_expired ? "TOKEN_EXPIRED" : "INVALID_TOKEN";
}

std::string_view to_string(TokenUse use) {
  return use == TokenUse::access ? "access" : "id";
}

Expected<VerifiedToken, JwtFailure> verify_jwt(std::string_view token, const Jwks& keys,
                                               const JwtOptions& options, std::int64_t now_s) {
  if (options.issuer.empty() || options.audience.empty()) return refuse("verifier not configured");
  if (token.size() > kMaxJwtSize) return refuse("token too large");
  std::optional<Segments> segments = split_segments(token);
  if (!segments) return refuse("not three non-empty segments");
  // Header and claims are parsed into this buffer: no heap allocation for typical tokens.
  std::array<unsigned char, 4096> buffer;
  json::monotonic_resource resource(buffer.data(), buffer.size());
  std::optional<json::object> header = decode_object(segments->header, &resource);
  if (!header) return refuse("header is not a base64url JSON object");
  auto key = select_key(*header, keys);
  if (!key) return unexpected(key.error());
  std::optional<std::string> signature = base64url_decode(segments->signature);
  if (!signature || !rs256_signature_valid(*key, segments->signing_input, *signature)) {
    return refuse("signature mismatch");
  }
  std::optional<json::object> claims = decode_object(segments->payload, &resource);
  if (!claims) return refuse("payload is not a base64url JSON object");
  return check_claims(*claims, options, now_s);
}

Expected<VerifiedToken, JwtFailure> verify_jwt(std::string_view token, JwksCache& keys,
                                               const JwtOptions& options, std::int64_t now_s) {
  auto result = verify_jwt(token, *keys.current(), options, now_s);
  if (result || !result.error().unknown_kid) return result;
  Expected<bool, std::string> refreshed = keys.refresh();
  if (!refreshed || !*refreshed) return result;
  return verify_jwt(token, *keys.current(), options, now_s);
}

Expected<std::string, std::string> mint_token(std::string_view private_key_pem,
                                              std::string_view kid,
                                              const boost::json::object& claims) {
  auto key = read_private_key_pem(private_key_pem);
  if (!key) return unexpected(key.error());
  if (EVP_PKEY_is_a(key->get(), "RSA") != 1) return unexpected(std::string("not an RSA key"));
  json::object header{{"alg", kAlgorithm}, {"kid", kid}};
  std::string token = base64url_encode(json::serialize(header));
  token += '.';
  token += base64url_encode(json::serialize(claims));
  std::optional<std::string> signature = rs256_sign(key->get(), token);
  if (!signature) return unexpected(std::string("signing failed"));
  token += '.';
  token += base64url_encode(*signature);
  return token;
}

}  // namespace seoagents
