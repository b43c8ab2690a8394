// A token source for the JWT tests: an RSA key of its own, its JWKS in a temporary file, and
// Cognito-style ID tokens signed with it.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "tests/support/test_server.hpp"

namespace seoagents::testing {

inline constexpr std::string_view kTestIssuer =
    "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123";
inline constexpr std::string_view kTestAudience = "app-client-1";
inline constexpr std::string_view kTestKid = "test-key-1";

class JwtSigner {
 public:
  // Generates a 2048-bit key and writes its JWKS (key id kTestKid).
  JwtSigner();

  std::string jwks_file() const { return directory_.path() + "/jwks.json"; }
  const std::string& jwks() const { return jwks_; }

  // The claims of a valid ID token for `sub`: kTestIssuer, kTestAudience, token_use "id", issued
  // now, expiring in an hour.
  boost::json::object claims(std::string_view sub) const;
  // `claims` signed (RS256, kTestKid).
  std::string token(const boost::json::object& claims) const;
  // A valid ID token for `sub` that expires `expires_in` seconds from now (negative: expired),
  // issued two hours ago.
  std::string token_for(std::string_view sub, std::int64_t expires_in = 3600) const;

 private:
  TempDirectory directory_;
  std::string private_key_;
  std::string jwks_;
};

}  // namespace seoagents::testing
