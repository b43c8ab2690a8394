// A token source for the JWT tests (see jwt_signer.hpp).
#include "tests/support/jwt_signer.hpp"

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "core/clock.hpp"
#include "core/jwks.hpp"
#include "core/jwt.hpp"

namespace seoagents::testing {
namespace {

std::int64_t now_s() {
  return unix_seconds(std::chrono::system_clock::now());
}

}  // namespace

JwtSigner::JwtSigner() {
  auto key = generate_rsa_key_pem(2048);
  if (!key) throw std::runtime_error(key.error());
  private_key_ = *key;
  auto jwks = jwks_for_private_key(private_key_, kTestKid);
  if (!jwks) throw std::runtime_error(jwks.error());
  jwks_ = *jwks;
  std::ofstream(jwks_file()) << jwks_;
}

boost::json::object JwtSigner::claims(std::string_view sub) const {
  boost::json::object claims;
  claims["iss"] = kTestIssuer;
  claims["aud"] = kTestAudience;
  claims["sub"] = sub;
  claims["token_use"] = "id";
  claims["iat"] = now_s();
  claims["exp"] = now_s() + 3600;
  return claims;
}

std::string JwtSigner::token(const boost::json::object& claims) const {
  auto token = mint_token(private_key_, kTestKid, claims);
  if (!token) throw std::runtime_error(token.error());
  return *token;
}

std::string JwtSigner::token_for(std::string_view sub, std::int64_t expires_in) const {
  boost::json::object claims = this->claims(sub);
  claims["iat"] = now_s() - 7200;
  claims["exp"] = now_s() + expires_in;
  return token(claims);
}

}  // namespace seoagents::testing
