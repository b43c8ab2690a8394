// Tests of JWT verification and the JWKS: valid Cognito-shaped tokens, each claim rule, and the
// hostile tokens (alg none, HS256 with the public key, foreign keys, malformed segments), built
// with mint_token and, for what mint_token would never produce, with raw OpenSSL.
#include "core/jwt.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <atomic>
#include <boost/json.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/crypto.hpp"
#include "core/jwks.hpp"

namespace seoagents {
namespace {

namespace json = boost::json;

constexpr std::string_view kIssuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123";
constexpr std::string_view kAudience = "3n4b5urk1ft4fl3mg5e62d9ado";
constexpr std::int64_t kNow = 1'700'000'000;

// ---- keys, built once: RSA key generation takes a while ----

struct TestKeys {
  std::string pem1;
  std::string pem2;
  std::string attacker_pem;
  EvpPkeyPtr key1;
  EvpPkeyPtr key2;
  EvpPkeyPtr attacker;
  // JWKS text with key-1 only, and with key-1 and key-2.
  std::string jwks1;
  std::string jwks12;
};

std::string new_pem() {
  auto pem = generate_rsa_key_pem();
  if (!pem) throw std::runtime_error(pem.error());
  return *pem;
}

EvpPkeyPtr load(const std::string& pem) {
  auto key = read_private_key_pem(pem);
  if (!key) throw std::runtime_error(key.error());
  return std::move(*key);
}

json::object jwks_object(const std::string& pem, std::string_view kid) {
  auto text = jwks_for_private_key(pem, kid);
  if (!text) throw std::runtime_error(text.error());
  return json::parse(*text).as_object();
}

TestKeys make_keys() {
  TestKeys keys;
  keys.pem1 = new_pem();
  keys.pem2 = new_pem();
  keys.attacker_pem = new_pem();
  keys.key1 = load(keys.pem1);
  keys.key2 = load(keys.pem2);
  keys.attacker = load(keys.attacker_pem);
  json::object one = jwks_object(keys.pem1, "key-1");
  keys.jwks1 = json::serialize(one);
  json::object both = one;
  both["keys"].as_array().push_back(jwks_object(keys.pem2, "key-2")["keys"].as_array()[0]);
  keys.jwks12 = json::serialize(both);
  return keys;
}

const TestKeys& keys() {
  static const TestKeys instance = make_keys();
  return instance;
}

const Jwks& jwks1() {
  static const Jwks instance = [] {
    auto parsed = Jwks::parse(keys().jwks1);
    if (!parsed) throw std::runtime_error(parsed.error());
    return std::move(*parsed);
  }();
  return instance;
}

// ---- token building ----

JwtOptions options() {
  JwtOptions result;
  result.issuer = kIssuer;
  result.audience = kAudience;
  return result;
}

json::object id_claims() {
  return {{"sub", "5d6e7f80-aaaa-bbbb-cccc-0123456789ab"},
          {"iss", kIssuer},
          {"aud", kAudience},
          {"token_use", "id"},
          {"auth_time", kNow - 20},
          {"iat", kNow - 10},
          {"exp", kNow + 3600},
          {"custom:plan", "agency"},
          {"email", "editor@example.com"}};
}

json::object access_claims() {
  return {{"sub", "5d6e7f80-aaaa-bbbb-cccc-0123456789ab"},
          {"iss", kIssuer},
          {"client_id", kAudience},
          {"token_use", "access"},
          {"scope", "aws.cognito.signin.user.admin"},
          {"iat", kNow - 10},
          {"exp", kNow + 3600}};
}

std::string mint(const json::object& claims, std::string_view kid = "key-1",
                 const std::string& pem = keys().pem1) {
  auto token = mint_token(pem, kid, claims);
  if (!token) throw std::runtime_error(token.error());
  return *token;
}

std::string text_of(const json::value& value) {
  return json::value_to<std::string>(value);
}

std::string segment(const json::value& value) {
  return base64url_encode(json::serialize(value));
}

// A signature made with raw OpenSSL, independently of the code under test.
std::string raw_sign(EVP_PKEY* key, const EVP_MD* digest, std::string_view input) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  EVP_MD_CTX_free);
  std::string signature(static_cast<std::size_t>(EVP_PKEY_get_size(key)), '\0');
  std::size_t size = signature.size();
  if (EVP_DigestSignInit(context.get(), nullptr, digest, nullptr, key) != 1 ||
      EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    throw std::runtime_error("raw signing failed");
  }
  signature.resize(size);
  return signature;
}

// header.payload.signature from the encoded segments, signed with `key` (RS256 by default).
std::string sign_segments(const std::string& header, const std::string& payload, EVP_PKEY* key,
                          const EVP_MD* digest = EVP_sha256()) {
  std::string input = header + "." + payload;
  return input + "." + base64url_encode(raw_sign(key, digest, input));
}

std::string raw_token(const json::object& header, const json::object& claims,
                      EVP_PKEY* key = keys().key1.get(), const EVP_MD* digest = EVP_sha256()) {
  return sign_segments(segment(header), segment(claims), key, digest);
}

json::object rs256_header(std::string_view kid = "key-1") {
  return {{"alg", "RS256"}, {"kid", kid}};
}

// The public half of a key as PEM text or DER bytes: what an HS256 confusion attack uses.
std::string public_key_pem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PUBKEY(bio.get(), key);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string public_key_der(EVP_PKEY* key) {
  unsigned char* data = nullptr;
  int size = i2d_PUBKEY(key, &data);
  std::string der(reinterpret_cast<char*>(data), static_cast<std::size_t>(size));
  OPENSSL_free(data);
  return der;
}

// ---- expectations ----

Expected<VerifiedToken, JwtFailure> verify(std::string_view token,
                                           const JwtOptions& opts = options(),
                                           std::int64_t now = kNow) {
  return verify_jwt(token, jwks1(), opts, now);
}

void expect_valid(const Expected<VerifiedToken, JwtFailure>& result) {
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().reason);
}

void expect_invalid(const Expected<VerifiedToken, JwtFailure>& result) {
  ASSERT_FALSE(result.has_value()) << "accepted, sub=" << result->sub;
  EXPECT_EQ(result.error().error, JwtError::invalid_token) << result.error().reason;
  EXPECT_FALSE(result.error().unknown_kid) << result.error().reason;
  EXPECT_FALSE(result.error().reason.empty());
}

// Refused for its algorithm, before any key or signature is looked at.
void expect_wrong_algorithm(const Expected<VerifiedToken, JwtFailure>& result) {
  expect_invalid(result);
  if (!result) {
    EXPECT_EQ(result.error().reason, "algorithm is not RS256");
  }
}

void expect_unknown_kid(const Expected<VerifiedToken, JwtFailure>& result) {
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().error, JwtError::invalid_token);
  EXPECT_TRUE(result.error().unknown_kid) << result.error().reason;
}

// ---- valid tokens ----

TEST(Jwt, AcceptsValidIdToken) {
  auto result = verify(mint(id_claims()));
  ASSERT_TRUE(result.has_value()) << result.error().reason;
  EXPECT_EQ(result->sub, "5d6e7f80-aaaa-bbbb-cccc-0123456789ab");
  EXPECT_EQ(result->token_use, TokenUse::id);
  EXPECT_EQ(result->plan, "agency");
  EXPECT_EQ(result->exp, kNow + 3600);
}

TEST(Jwt, TokenWithoutPlanClaimHasNoPlan) {
  json::object claims = id_claims();
  claims.erase("custom:plan");
  auto result = verify(mint(claims));
  ASSERT_TRUE(result.has_value()) << result.error().reason;
  EXPECT_FALSE(result->plan.has_value());
}

TEST(Jwt, PlanClaimNameIsConfigurable) {
  json::object claims = id_claims();
  claims["custom:tier"] = "starter";
  JwtOptions opts = options();
  opts.plan_claim = "custom:tier";
  auto result = verify(mint(claims), opts);
  ASSERT_TRUE(result.has_value()) << result.error().reason;
  EXPECT_EQ(result->plan, "starter");
}

TEST(Jwt, RefusesPlanClaimThatIsNotAString) {
  json::object claims = id_claims();
  claims["custom:plan"] = 3;
  expect_invalid(verify(mint(claims)));
}

TEST(Jwt, AcceptsAccessTokenWhenEnabled) {
  JwtOptions opts = options();
  opts.accept_access_tokens = true;
  auto result = verify(mint(access_claims()), opts);
  ASSERT_TRUE(result.has_value()) << result.error().reason;
  EXPECT_EQ(result->token_use, TokenUse::access);
  EXPECT_EQ(result->sub, "5d6e7f80-aaaa-bbbb-cccc-0123456789ab");
}

TEST(Jwt, RefusesAccessTokenWhenNotEnabled) {
  expect_invalid(verify(mint(access_claims())));
}

TEST(Jwt, AcceptsAudienceArrayHoldingTheClient) {
  json::object claims = id_claims();
  claims["aud"] = json::array{"other-client", kAudience};
  expect_valid(verify(mint(claims)));
}

TEST(Jwt, AcceptsFractionalNumericDates) {
  json::object claims = id_claims();
  claims["exp"] = static_cast<double>(kNow) + 100.5;
  claims["iat"] = static_cast<double>(kNow) - 0.25;
  auto result = verify(mint(claims));
  ASSERT_TRUE(result.has_value()) << result.error().reason;
  EXPECT_EQ(result->exp, kNow + 100);
}

TEST(Jwt, ErrorCodesAreTheApiNames) {
  EXPECT_EQ(to_string(JwtError::invalid_token), "INVALID_TOKEN");
  EXPECT_EQ(to_string(JwtError::token_expired), "TOKEN_EXPIRED");
  EXPECT_EQ(to_string(TokenUse::id), "id");
  EXPECT_EQ(to_string(TokenUse::access), "access");
}

// ---- time claims ----

TEST(Jwt, ReportsExpiredTokenAsTokenExpired) {
  json::object claims = id_claims();
  claims["exp"] = kNow - 61;
  auto result = verify(mint(claims));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().error, JwtError::token_expired);
  EXPECT_FALSE(result.error().unknown_kid);
}

TEST(Jwt, AcceptsTokenExpiredWithinLeeway) {
  json::object claims = id_claims();
  claims["exp"] = kNow - 59;
  expect_valid(verify(mint(claims)));
}

TEST(Jwt, LeewayIsConfigurable) {
  json::object claims = id_claims();
  claims["exp"] = kNow - 5;
  JwtOptions opts = options();
  opts.leeway_s = 0;
  auto result = verify(mint(claims), opts);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().error, JwtError::token_expired);
}

TEST(Jwt, RefusesNbfInTheFutureBeyondLeeway) {
  json::object claims = id_claims();
  claims["nbf"] = kNow + 61;
  expect_invalid(verify(mint(claims)));
}

TEST(Jwt, AcceptsNbfInTheFutureWithinLeeway) {
  json::object claims = id_claims();
  claims["nbf"] = kNow + 59;
  expect_valid(verify(mint(claims)));
}

TEST(Jwt, RefusesIatInTheFutureBeyondLeeway) {
  json::object claims = id_claims();
  claims["iat"] = kNow + 61;
  expect_invalid(verify(mint(claims)));
}

TEST(Jwt, RefusesMissingExp) {
  json::object claims = id_claims();
  claims.erase("exp");
  expect_invalid(verify(mint(claims)));
}

TEST(Jwt, RefusesExpThatIsNotANumber) {
  json::object claims = id_claims();
  claims["exp"] = std::to_string(kNow + 3600);
  expect_invalid(verify(mint(claims)));
  claims["exp"] = true;
  expect_invalid(verify(mint(claims)));
  claims["exp"] = nullptr;
  expect_invalid(verify(mint(claims)));
}

TEST(Jwt, RefusesNbfOrIatThatIsNotANumber) {
  json::object claims = id_claims();
  claims["nbf"] = "0";
  expect_invalid(verify(mint(claims)));
  claims = id_claims();
  claims["iat"] = json::array{kNow};
  expect_invalid(verify(mint(claims)));
}

TEST(Jwt, HugeExpDoesNotOverflow) {
  json::object claims = id_claims();
  claims["exp"] = std::uint64_t{18446744073709551615u};
  expect_valid(verify(mint(claims)));
  claims["exp"] = std::int64_t{-9223372036854775807 - 1};
  auto result = verify(mint(claims));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().error, JwtError::token_expired);
}

TEST(Jwt, ExpiredTokenWithWrongIssuerIsInvalidNotExpired) {
  json::object claims = id_claims();
  claims["exp"] = kNow - 3600;
  claims["iss"] = "https://attacker.example";
  expect_invalid(verify(mint(claims)));
}

// ---- identity claims ----

TEST(Jwt, RefusesWrongIssuer) {
  json::object claims = id_claims();
  claims["iss"] = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1";
  expect_invalid(verify(mint(claims)));
}

TEST(Jwt, RefusesIssuerWithTrailingSlash) {
  json::object claims = id_claims();
  claims["iss"] = std::string(kIssuer) + "/";
  expect_invalid(verify(mint(claims)));
}

TEST(Jwt, RefusesWrongAudience) {
  json::object claims = id_claims();
  claims["aud"] = "another-app-client";
  expect_invalid(verify(mint(claims)));
}

TEST(Jwt, RefusesIdTokenWithoutAudience) {
  json::object claims = id_claims();
  claims.erase("aud");
  claims["client_id"] = kAudience;  // belongs to access tokens; does not stand in for aud
  expect_invalid(verify(mint(claims)));
}

TEST(Jwt, RefusesWrongClientIdForAccessToken) {
  json::object claims = access_claims();
  claims["client_id"] = "another-app-client";
  claims["aud"] = kAudience;  // access tokens are checked on client_id only
  JwtOptions opts = options();
  opts.accept_access_tokens = true;
  expect_invalid(verify(mint(claims), opts));
}

TEST(Jwt, RefusesWrongTokenUse) {
  json::object claims = id_claims();
  claims["token_use"] = "refresh";
  expect_invalid(verify(mint(claims)));
  claims["token_use"] = "ID";
  expect_invalid(verify(mint(claims)));
  claims.erase("token_use");
  expect_invalid(verify(mint(claims)));
}

TEST(Jwt, RefusesMissingSub) {
  json::object claims = id_claims();
  claims.erase("sub");
  expect_invalid(verify(mint(claims)));
}

TEST(Jwt, RefusesEmptyOrNonStringSub) {
  json::object claims = id_claims();
  claims["sub"] = "";
  expect_invalid(verify(mint(claims)));
  claims["sub"] = 42;
  expect_invalid(verify(mint(claims)));
}

TEST(Jwt, RefusesEverythingWhenIssuerOrAudienceIsNotConfigured) {
  std::string token = mint(id_claims());
  JwtOptions opts = options();
  opts.audience.clear();
  expect_invalid(verify(token, opts));
  opts = options();
  opts.issuer.clear();
  expect_invalid(verify(token, opts));
}

// ---- algorithms ----

TEST(Jwt, RefusesAlgNoneWithoutSignature) {
  json::object header{{"alg", "none"}, {"kid", "key-1"}};
  expect_invalid(verify(segment(header) + "." + segment(id_claims()) + "."));
  expect_invalid(verify(segment(json::object{{"alg", "none"}}) + "." + segment(id_claims()) + "."));
}

TEST(Jwt, RefusesAlgNoneWithSignature) {
  // The signature is a real RS256 one over these very segments: only the algorithm is wrong.
  json::object header{{"alg", "none"}, {"kid", "key-1"}};
  expect_wrong_algorithm(verify(raw_token(header, id_claims())));
  header["alg"] = "None";
  expect_wrong_algorithm(verify(raw_token(header, id_claims())));
}

TEST(Jwt, RefusesHs256WithSomeSecret) {
  json::object header{{"alg", "HS256"}, {"kid", "key-1"}};
  std::string input = segment(header) + "." + segment(id_claims());
  expect_wrong_algorithm(verify(input + "." + base64url_encode(hmac_sha256("secret", input))));
}

TEST(Jwt, RefusesHs256SignedWithThePublicKeyPem) {
  json::object header{{"alg", "HS256"}, {"kid", "key-1"}, {"typ", "JWT"}};
  std::string input = segment(header) + "." + segment(id_claims());
  std::string secret = public_key_pem(keys().key1.get());
  ASSERT_NE(secret.find("BEGIN PUBLIC KEY"), std::string::npos);
  expect_wrong_algorithm(verify(input + "." + base64url_encode(hmac_sha256(secret, input))));
}

TEST(Jwt, RefusesHs256SignedWithThePublicKeyDer) {
  json::object header{{"alg", "HS256"}, {"kid", "key-1"}};
  std::string input = segment(header) + "." + segment(id_claims());
  std::string secret = public_key_der(keys().key1.get());
  ASSERT_GT(secret.size(), 256u);
  expect_wrong_algorithm(verify(input + "." + base64url_encode(hmac_sha256(secret, input))));
}

TEST(Jwt, RefusesRs512EvenWhenCorrectlySigned) {
  json::object header{{"alg", "RS512"}, {"kid", "key-1"}};
  expect_wrong_algorithm(verify(raw_token(header, id_claims(), keys().key1.get(), EVP_sha512())));
}

TEST(Jwt, RefusesEs256) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> ec(EVP_EC_gen("P-256"), EVP_PKEY_free);
  ASSERT_TRUE(ec);
  json::object header{{"alg", "ES256"}, {"kid", "key-1"}};
  expect_wrong_algorithm(verify(raw_token(header, id_claims(), ec.get())));
}

TEST(Jwt, RefusesAlgSpelledDifferently) {
  for (std::string_view alg : {"rs256", "RS256 ", "PS256", ""}) {
    json::object header{{"alg", alg}, {"kid", "key-1"}};
    expect_wrong_algorithm(verify(raw_token(header, id_claims())));
  }
  json::object header{{"alg", json::array{"RS256"}}, {"kid", "key-1"}};
  expect_wrong_algorithm(verify(raw_token(header, id_claims())));
  expect_wrong_algorithm(verify(raw_token(json::object{{"kid", "key-1"}}, id_claims())));
}

TEST(Jwt, RefusesCriticalHeaderExtensions) {
  json::object header = rs256_header();
  header["crit"] = json::array{"b64"};
  header["b64"] = false;
  expect_invalid(verify(raw_token(header, id_claims())));
}

// ---- key selection ----

TEST(Jwt, HandBuiltRs256TokenVerifies) {
  // The raw-OpenSSL builder and the verifier agree, so the hostile cases below fail for their
  // hostile part only.
  expect_valid(verify(raw_token(rs256_header(), id_claims())));
}

TEST(Jwt, MintedTokenHasTheCognitoHeader) {
  std::string token = mint(id_claims());
  auto header = base64url_decode(token.substr(0, token.find('.')));
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(json::parse(*header), json::parse(R"({"alg":"RS256","kid":"key-1"})"));
}

TEST(Jwt, ReportsUnknownKidDistinctly) {
  expect_unknown_kid(verify(mint(id_claims(), "key-2", keys().pem2)));
}

TEST(Jwt, RefusesMissingOrNonStringKid) {
  expect_invalid(verify(raw_token(json::object{{"alg", "RS256"}}, id_claims())));
  expect_invalid(verify(raw_token(json::object{{"alg", "RS256"}, {"kid", 1}}, id_claims())));
}

TEST(Jwt, Kid10KiBLongIsRefusedBeforeParsing) {
  std::string token = mint(id_claims(), std::string(10 * 1024, 'k'));
  ASSERT_GT(token.size(), kMaxJwtSize);
  expect_invalid(verify(token));
}

TEST(Jwt, LongKidIsJustUnknown) {
  std::string token = mint(id_claims(), std::string(4 * 1024, 'k'));
  ASSERT_LE(token.size(), kMaxJwtSize);
  expect_unknown_kid(verify(token));
}

TEST(Jwt, PathLikeKidIsJustUnknown) {
  auto result = verify(mint(id_claims(), "../../etc/passwd"));
  expect_unknown_kid(result);
  EXPECT_EQ(result.error().reason.find("passwd"), std::string_view::npos);
  expect_unknown_kid(verify(mint(id_claims(), std::string("key-1\0", 6))));
}

TEST(Jwt, KidMatchesExactly) {
  expect_unknown_kid(verify(mint(id_claims(), "KEY-1")));
  expect_unknown_kid(verify(mint(id_claims(), "key-1 ")));
  expect_unknown_kid(verify(mint(id_claims(), "key-")));
}

TEST(Jwt, JkuX5uAndJwkHeadersAreIgnored) {
  json::object header = rs256_header();
  header["jku"] = "https://attacker.example/jwks.json";
  header["x5u"] = "https://attacker.example/cert.pem";
  header["x5c"] = json::array{"MIIB"};
  header["jwk"] = jwks_object(keys().attacker_pem, "key-1")["keys"].as_array()[0];
  expect_valid(verify(raw_token(header, id_claims())));
}

TEST(Jwt, RefusesTokenSignedByTheKeyInItsJwkHeader) {
  json::object attacker_jwk =
      jwks_object(keys().attacker_pem, "key-1")["keys"].as_array()[0].as_object();
  json::object header = rs256_header("key-1");
  header["jwk"] = attacker_jwk;
  expect_invalid(verify(raw_token(header, id_claims(), keys().attacker.get())));
  header = rs256_header("attacker");
  header["jwk"] = attacker_jwk;
  header["jku"] = "https://attacker.example/jwks.json";
  expect_unknown_kid(verify(raw_token(header, id_claims(), keys().attacker.get())));
}

TEST(Jwt, RefusesTokenSignedByAnotherKeyUnderAKnownKid) {
  expect_invalid(verify(mint(id_claims(), "key-1", keys().pem2)));
}

// ---- malformed tokens ----

TEST(Jwt, RefusesOneSegment) {
  expect_invalid(verify(segment(rs256_header())));
}

TEST(Jwt, RefusesTwoSegments) {
  std::string token = mint(id_claims());
  expect_invalid(verify(token.substr(0, token.rfind('.'))));
}

TEST(Jwt, RefusesFourSegments) {
  std::string token = mint(id_claims());
  expect_invalid(verify(token + ".AAAA"));
  expect_invalid(verify(token + "."));
}

TEST(Jwt, RefusesEmptySegments) {
  std::string token = mint(id_claims());
  std::size_t first = token.find('.');
  std::size_t second = token.rfind('.');
  std::string header = token.substr(0, first);
  std::string payload = token.substr(first + 1, second - first - 1);
  std::string signature = token.substr(second + 1);
  expect_invalid(verify("." + payload + "." + signature));
  expect_invalid(verify(header + ".." + signature));
  expect_invalid(verify(header + "." + payload + "."));
  expect_invalid(verify(".."));
  expect_invalid(verify(""));
}

TEST(Jwt, RefusesBadBase64urlCharacters) {
  std::string token = mint(id_claims());
  for (char bad : {'+', '/', ' ', '!', '\0', '\n'}) {
    for (std::size_t at : {std::size_t{3}, token.find('.') + 3, token.size() - 3}) {
      std::string corrupted = token;
      corrupted[at] = bad;
      expect_invalid(verify(corrupted));
    }
  }
}

TEST(Jwt, RefusesPaddedSegments) {
  // A header whose encoding needs padding, then the same token with the padding written out.
  json::object header = rs256_header();
  header["typ"] = "JWT";
  std::string encoded = segment(header);
  while (encoded.size() % 4 == 0) {
    header["x"] = header.contains("x") ? text_of(header["x"]) + "x" : "x";
    encoded = segment(header);
  }
  std::string payload = segment(id_claims());
  expect_valid(verify(sign_segments(encoded, payload, keys().key1.get())));
  std::string padded = encoded + std::string(4 - encoded.size() % 4, '=');
  expect_invalid(verify(sign_segments(padded, payload, keys().key1.get())));
  std::string token = mint(id_claims());
  expect_invalid(verify(token + "=="));
}

TEST(Jwt, RefusesHeaderThatIsNotJson) {
  std::string header = base64url_encode(R"({"alg":"RS256","kid":"key-1")");
  expect_invalid(verify(sign_segments(header, segment(id_claims()), keys().key1.get())));
  header = base64url_encode("RS256");
  expect_invalid(verify(sign_segments(header, segment(id_claims()), keys().key1.get())));
}

TEST(Jwt, RefusesHeaderThatIsAJsonArray) {
  std::string header = segment(json::array{"RS256", "key-1"});
  expect_invalid(verify(sign_segments(header, segment(id_claims()), keys().key1.get())));
  header = segment(json::value("RS256"));
  expect_invalid(verify(sign_segments(header, segment(id_claims()), keys().key1.get())));
}

TEST(Jwt, RefusesPayloadThatIsNotJson) {
  // Correctly signed, so it is the payload check that refuses it.
  std::string payload = base64url_encode("sub=alice&exp=9999999999");
  expect_invalid(verify(sign_segments(segment(rs256_header()), payload, keys().key1.get())));
  payload = base64url_encode(std::string("{\"sub\":\"a\xff\"}"));
  expect_invalid(verify(sign_segments(segment(rs256_header()), payload, keys().key1.get())));
}

TEST(Jwt, RefusesPayloadThatIsAJsonArray) {
  std::string payload = segment(json::array{id_claims()});
  expect_invalid(verify(sign_segments(segment(rs256_header()), payload, keys().key1.get())));
  payload = segment(json::value(42));
  expect_invalid(verify(sign_segments(segment(rs256_header()), payload, keys().key1.get())));
}

TEST(Jwt, RefusesTokenOver8KiBBeforeParsing) {
  std::string huge(kMaxJwtSize + 1, 'A');
  huge[100] = '.';
  huge[200] = '.';
  auto result = verify(huge);
  expect_invalid(result);
  EXPECT_EQ(result.error().reason, "token too large");
}

TEST(Jwt, SizeLimitIsExactly8KiB) {
  // Grow a padding claim until the token crosses the limit: the last token within it verifies,
  // the first beyond it does not.
  json::object claims = id_claims();
  std::size_t base = mint(claims).size();
  std::size_t pad = (kMaxJwtSize - base) * 3 / 4 - 32;
  std::string within;
  std::string beyond;
  while (beyond.empty()) {
    claims["pad"] = std::string(pad++, 'p');
    std::string token = mint(claims);
    (token.size() <= kMaxJwtSize ? within : beyond) = token;
  }
  ASSERT_FALSE(within.empty());
  EXPECT_GE(within.size(), kMaxJwtSize - 2);
  expect_valid(verify(within));
  expect_invalid(verify(beyond));
}

TEST(Jwt, RefusesSignatureWithOneBitFlipped) {
  std::string token = mint(id_claims());
  std::size_t start = token.rfind('.') + 1;
  std::string signature = *base64url_decode(token.substr(start));
  for (std::size_t at : {std::size_t{0}, signature.size() / 2, signature.size() - 1}) {
    std::string flipped = signature;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x01);
    expect_invalid(verify(token.substr(0, start) + base64url_encode(flipped)));
  }
}

TEST(Jwt, RefusesTruncatedOrExtendedSignature) {
  std::string token = mint(id_claims());
  std::size_t start = token.rfind('.') + 1;
  std::string signature = *base64url_decode(token.substr(start));
  expect_invalid(verify(token.substr(0, start) + base64url_encode(signature.substr(1))));
  expect_invalid(verify(token.substr(0, start) + base64url_encode(signature + '\0')));
  expect_invalid(
      verify(token.substr(0, start) + base64url_encode(std::string(1, '\0') + signature)));
}

TEST(Jwt, RefusesTamperedPayload) {
  std::string token = mint(id_claims());
  std::size_t first = token.find('.');
  std::size_t second = token.rfind('.');
  json::object claims = id_claims();
  claims["sub"] = "someone-else";
  std::string forged = token.substr(0, first + 1) + segment(claims) + token.substr(second);
  expect_invalid(verify(forged));
}

TEST(Jwt, RefusesTamperedHeader) {
  std::string token = mint(id_claims());
  json::object header = rs256_header();
  header["typ"] = "JWT";
  expect_invalid(verify(segment(header) + token.substr(token.find('.'))));
}

TEST(Jwt, MintTokenRefusesWhatIsNotAnRsaPrivateKey) {
  EXPECT_FALSE(mint_token("not a key", "key-1", id_claims()).has_value());
  EXPECT_FALSE(mint_token(public_key_pem(keys().key1.get()), "key-1", id_claims()).has_value());
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> ec(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), ec.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  std::string ec_pem(data, static_cast<std::size_t>(size));
  EXPECT_FALSE(mint_token(ec_pem, "key-1", id_claims()).has_value());
  EXPECT_FALSE(jwks_for_private_key(ec_pem, "key-1").has_value());
}

// ---- JWKS ----

json::object rsa_jwk(std::string_view kid, const std::string& pem = keys().pem1) {
  return jwks_object(pem, kid)["keys"].as_array()[0].as_object();
}

std::string jwks_text(json::array keys_array) {
  return json::serialize(json::object{{"keys", std::move(keys_array)}});
}

TEST(Jwks, ExportedKeyHasTheCognitoShape) {
  json::object jwk = rsa_jwk("key-1");
  EXPECT_EQ(text_of(jwk["kty"]), "RSA");
  EXPECT_EQ(text_of(jwk["kid"]), "key-1");
  EXPECT_EQ(text_of(jwk["alg"]), "RS256");
  EXPECT_EQ(text_of(jwk["use"]), "sig");
  EXPECT_EQ(text_of(jwk["e"]), "AQAB");
  EXPECT_EQ(base64url_decode(text_of(jwk["n"]))->size(), 256u);
}

TEST(Jwks, ParsesKeysAndFindsThemByKid) {
  auto set = Jwks::parse(keys().jwks12);
  ASSERT_TRUE(set.has_value()) << set.error();
  EXPECT_EQ(set->size(), 2u);
  EXPECT_NE(set->find("key-1"), nullptr);
  EXPECT_NE(set->find("key-2"), nullptr);
  EXPECT_EQ(set->find("key-3"), nullptr);
  EXPECT_EQ(set->find(""), nullptr);
}

TEST(Jwks, SkipsKeysThatAreNotRs256SigningKeys) {
  json::object encryption = rsa_jwk("enc");
  encryption["use"] = "enc";
  json::object rs512 = rsa_jwk("rs512");
  rs512["alg"] = "RS512";
  json::object no_kid = rsa_jwk("x");
  no_kid.erase("kid");
  json::object ec{{"kty", "EC"},
                  {"kid", "ec"},
                  {"crv", "P-256"},
                  {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                  {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}};
  json::object oct{{"kty", "oct"}, {"kid", "hmac"}, {"k", "c2VjcmV0"}};
  json::object bare = rsa_jwk("bare");  // no use, no alg: still an RSA key
  bare.erase("use");
  bare.erase("alg");
  auto set = Jwks::parse(jwks_text({encryption, rs512, no_kid, ec, oct, bare, rsa_jwk("key-1")}));
  ASSERT_TRUE(set.has_value()) << set.error();
  EXPECT_EQ(set->size(), 2u);
  EXPECT_NE(set->find("bare"), nullptr);
  EXPECT_NE(set->find("key-1"), nullptr);
  EXPECT_EQ(set->find("hmac"), nullptr);
  EXPECT_EQ(set->find("ec"), nullptr);
}

TEST(Jwks, RefusesDocumentsThatAreNotAKeySet) {
  for (std::string_view text : {"", "not json", "[]", "{}", R"({"keys":{}})", R"({"keys":"x"})",
                                R"({"keys":[1]})", R"({"keys":[]} trailing)"}) {
    EXPECT_FALSE(Jwks::parse(text).has_value()) << text;
  }
  EXPECT_FALSE(Jwks::parse(std::string(kMaxJwksSize + 1, ' ')).has_value());
}

TEST(Jwks, EmptyKeySetParsesAndKnowsNoKid) {
  auto set = Jwks::parse(R"({"keys":[]})");
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->size(), 0u);
  expect_unknown_kid(verify_jwt(mint(id_claims()), *set, options(), kNow));
}

TEST(Jwks, RefusesMalformedModulus) {
  for (json::value bad : json::array{"", "!!!!", "AQAB=", "AQ+B", 12345, nullptr}) {
    json::object key = rsa_jwk("key-1");
    key["n"] = bad;
    EXPECT_FALSE(Jwks::parse(jwks_text({key})).has_value()) << bad;
  }
  json::object missing = rsa_jwk("key-1");
  missing.erase("n");
  EXPECT_FALSE(Jwks::parse(jwks_text({missing})).has_value());
}

TEST(Jwks, RefusesMalformedExponent) {
  for (json::value bad : json::array{"", "AQA", "AQAB==", "AAAA", "AQ", "Ag", "AQAAAAAAAAAB", 3}) {
    json::object key = rsa_jwk("key-1");
    key["e"] = bad;
    EXPECT_FALSE(Jwks::parse(jwks_text({key})).has_value()) << bad;
  }
}

TEST(Jwks, RefusesEvenOrTooSmallModulus) {
  json::object key = rsa_jwk("key-1");
  std::string n = *base64url_decode(text_of(key["n"]));
  std::string even = n;
  even.back() = static_cast<char>(even.back() & ~1);
  key["n"] = base64url_encode(even);
  EXPECT_FALSE(Jwks::parse(jwks_text({key})).has_value());
  key["n"] = base64url_encode(n.substr(128));  // 1024 bits
  EXPECT_FALSE(Jwks::parse(jwks_text({key})).has_value());
}

TEST(Jwks, Refuses1024BitKey) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> small(EVP_RSA_gen(1024), EVP_PKEY_free);
  ASSERT_TRUE(small);
  BIGNUM* n = nullptr;
  ASSERT_EQ(EVP_PKEY_get_bn_param(small.get(), OSSL_PKEY_PARAM_RSA_N, &n), 1);
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(n)), '\0');
  BN_bn2bin(n, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(n);
  json::object key{{"kty", "RSA"}, {"kid", "small"}, {"n", base64url_encode(bytes)}, {"e", "AQAB"}};
  EXPECT_FALSE(Jwks::parse(jwks_text({key})).has_value());
  EXPECT_FALSE(generate_rsa_key_pem(1024).has_value());
}

TEST(Jwks, AcceptsModulusWithALeadingZeroByte) {
  json::object key = rsa_jwk("key-1");
  std::string n = *base64url_decode(text_of(key["n"]));
  key["n"] = base64url_encode(std::string(1, '\0') + n);
  auto set = Jwks::parse(jwks_text({key}));
  ASSERT_TRUE(set.has_value()) << set.error();
  expect_valid(verify_jwt(mint(id_claims()), *set, options(), kNow));
}

TEST(Jwks, RefusesRepeatedKid) {
  EXPECT_FALSE(Jwks::parse(jwks_text({rsa_jwk("same"), rsa_jwk("same", keys().pem2)})));
}

TEST(Jwks, RotatedSetVerifiesTokenWithTheNewKid) {
  std::string token = mint(id_claims(), "key-2", keys().pem2);
  auto before = Jwks::parse(keys().jwks1);
  ASSERT_TRUE(before.has_value());
  expect_unknown_kid(verify_jwt(token, *before, options(), kNow));
  auto after = Jwks::parse(keys().jwks12);
  ASSERT_TRUE(after.has_value());
  expect_valid(verify_jwt(token, *after, options(), kNow));
  expect_valid(verify_jwt(mint(id_claims()), *after, options(), kNow));
}

// A fetch function and a clock the test moves by hand.
struct FakeJwksSource {
  std::mutex mutex;
  std::string document;
  bool failing = false;
  std::atomic<int> fetches{0};
  std::atomic<std::int64_t> now{1000};

  JwksCache cache() {
    return JwksCache(
        [this]() -> Expected<std::string, std::string> {
          ++fetches;
          std::lock_guard lock(mutex);
          if (failing) return unexpected(std::string("connection refused"));
          return document;
        },
        [this] { return now.load(); });
  }
};

TEST(JwksCache, FetchesOnFirstUnknownKid) {
  FakeJwksSource source;
  source.document = keys().jwks1;
  JwksCache cache = source.cache();
  EXPECT_EQ(cache.current()->size(), 0u);
  expect_valid(verify_jwt(mint(id_claims()), cache, options(), kNow));
  EXPECT_EQ(source.fetches, 1);
  expect_valid(verify_jwt(mint(id_claims()), cache, options(), kNow));
  EXPECT_EQ(source.fetches, 1);
}

TEST(JwksCache, RefetchesOnUnknownKidAtMostOnceAMinute) {
  FakeJwksSource source;
  source.document = keys().jwks1;
  JwksCache cache = source.cache();
  ASSERT_TRUE(cache.refresh().has_value());
  std::string token2 = mint(id_claims(), "key-2", keys().pem2);
  source.document = keys().jwks12;  // the issuer rotates its keys
  source.now += 10;
  expect_unknown_kid(verify_jwt(token2, cache, options(), kNow));  // fetched 10 s ago: throttled
  EXPECT_EQ(source.fetches, 1);
  source.now += 49;
  expect_unknown_kid(verify_jwt(token2, cache, options(), kNow));
  EXPECT_EQ(source.fetches, 1);
  source.now += 1;  // 60 s after the first fetch
  expect_valid(verify_jwt(token2, cache, options(), kNow));
  EXPECT_EQ(source.fetches, 2);
  std::string unknown = mint(id_claims(), "key-3", keys().attacker_pem);
  for (int i = 0; i < 20; ++i)
    expect_unknown_kid(verify_jwt(unknown, cache, options(), kNow));
  EXPECT_EQ(source.fetches, 2);
  source.now += 60;
  expect_unknown_kid(verify_jwt(unknown, cache, options(), kNow));
  EXPECT_EQ(source.fetches, 3);
}

TEST(JwksCache, KeepsThePreviousSetWhenAFetchFails) {
  FakeJwksSource source;
  source.document = keys().jwks1;
  JwksCache cache = source.cache();
  ASSERT_TRUE(cache.refresh().has_value());
  source.now += 60;
  source.failing = true;
  auto failed = cache.refresh();
  ASSERT_FALSE(failed.has_value());
  EXPECT_NE(failed.error().find("connection refused"), std::string::npos);
  EXPECT_EQ(cache.last_error(), failed.error());
  EXPECT_EQ(cache.current()->size(), 1u);
  expect_valid(verify_jwt(mint(id_claims()), cache, options(), kNow));
  source.now += 60;
  source.failing = false;
  source.document = "{\"keys\": 7}";
  EXPECT_FALSE(cache.refresh().has_value());
  EXPECT_EQ(cache.current()->size(), 1u);
  source.now += 60;
  source.document = keys().jwks12;
  EXPECT_EQ(cache.refresh().value(), true);
  EXPECT_EQ(cache.current()->size(), 2u);
  EXPECT_EQ(cache.last_error(), "");
}

TEST(JwksCache, TwoStepRefreshForAsynchronousFetches) {
  FakeJwksSource source;
  JwksCache cache = source.cache();
  ASSERT_TRUE(cache.claim_refresh());
  EXPECT_FALSE(cache.claim_refresh());  // one fetch at a time, and one a minute
  EXPECT_EQ(cache.complete_refresh(keys().jwks1).value(), true);
  expect_valid(verify_jwt(mint(id_claims()), *cache.current(), options(), kNow));
  source.now += 59;
  EXPECT_FALSE(cache.claim_refresh());
  source.now += 1;
  ASSERT_TRUE(cache.claim_refresh());
  auto failed = cache.complete_refresh(unexpected(std::string("timeout")));
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(cache.last_error(), "JWKS fetch failed: timeout");
  EXPECT_EQ(cache.current()->size(), 1u);
  EXPECT_EQ(source.fetches, 0);  // the fetch function is refresh()'s alone
}

TEST(JwksCache, ConcurrentUnknownKidsFetchOnce) {
  FakeJwksSource source;
  source.document = keys().jwks1;
  JwksCache cache = source.cache();
  std::string token = mint(id_claims());
  std::atomic<int> valid{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (verify_jwt(token, cache, options(), kNow)) ++valid;
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(source.fetches, 1);
  // Threads that raced the first fetch were throttled; once it landed every token verified.
  EXPECT_GT(valid.load(), 0);
  expect_valid(verify_jwt(token, cache, options(), kNow));
}

}  // namespace
}  // namespace seoagents
