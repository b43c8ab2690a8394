// Tests of JwtAuthority with an injected clock: verified tokens are remembered (a token whose key
// left the JWKS still passes while remembered, and not after), a remembered token is still
// refused once expired, and a failed token is never remembered.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/object.hpp>
#include <fstream>
#include <string>

#include "http/jwt_auth.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::http {
namespace {

constexpr std::int64_t kStart = 1'800'000'000;

struct Key {
  std::string pem;
  std::string jwks;
};

Key make_key(std::string_view kid) {
  auto pem = generate_rsa_key_pem(2048);
  if (!pem) throw std::runtime_error(pem.error());
  auto jwks = jwks_for_private_key(*pem, kid);
  if (!jwks) throw std::runtime_error(jwks.error());
  return {*pem, *jwks};
}

class JwtAuthorityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.jwks_file = directory_.path() + "/jwks.json";
    config_.issuer = "https://iss.example";
    config_.audience = "app";
    write_jwks(first_.jwks);
    authority_ =
        std::make_unique<JwtAuthority>(config_, outbound_, logger_, [this] { return now_; });
    authority_->load();
  }

  void write_jwks(const std::string& text) { std::ofstream(config_.jwks_file) << text; }

  std::string token(const Key& key, std::string_view kid, std::int64_t exp) {
    boost::json::object claims;
    claims["iss"] = config_.issuer;
    claims["aud"] = config_.audience;
    claims["sub"] = "user-1";
    claims["token_use"] = "id";
    claims["iat"] = now_;
    claims["exp"] = exp;
    auto minted = mint_token(key.pem, kid, claims);
    if (!minted) throw std::runtime_error(minted.error());
    return *minted;
  }

  Expected<VerifiedToken, JwtFailure> verify(const std::string& token) {
    asio::io_context context;
    auto future = asio::co_spawn(
        context,
        [&]() -> asio::awaitable<std::optional<Expected<VerifiedToken, JwtFailure>>> {
          co_return co_await authority_->verify(token);
        },
        asio::use_future);
    context.run();
    return *future.get();
  }

  testing::TempDirectory directory_;
  Key first_ = make_key("k1");
  Config::Jwt config_;
  OutboundClient outbound_{OutboundOptions{}};
  Logger logger_{LogLevel::error, [](std::string_view) {}};
  std::int64_t now_ = kStart;
  std::unique_ptr<JwtAuthority> authority_;
};

TEST_F(JwtAuthorityTest, ARememberedTokenOutlivesItsKeyOnlyWhileRemembered) {
  std::string old_token = token(first_, "k1", kStart + 3600);
  ASSERT_TRUE(verify(old_token).has_value());

  // The key is rotated out: a token of the new key makes the file be read again.
  Key second = make_key("k2");
  write_jwks(second.jwks);
  now_ = kStart + 61;
  ASSERT_TRUE(verify(token(second, "k2", kStart + 3600)).has_value());

  now_ = kStart + JwtAuthority::kRememberSeconds - 1;
  EXPECT_TRUE(verify(old_token).has_value()) << "remembered: not verified again";
  now_ = kStart + JwtAuthority::kRememberSeconds;
  EXPECT_FALSE(verify(old_token).has_value()) << "forgotten: verified again, its key is gone";
}

TEST_F(JwtAuthorityTest, ARememberedTokenIsRefusedOnceExpired) {
  std::string short_lived = token(first_, "k1", kStart + 100);
  ASSERT_TRUE(verify(short_lived).has_value());
  now_ = kStart + 100 + 60;  // the default leeway
  EXPECT_TRUE(verify(short_lived).has_value());
  now_ = kStart + 100 + 61;
  auto expired = verify(short_lived);
  ASSERT_FALSE(expired.has_value());
  EXPECT_EQ(expired.error().error, JwtError::token_expired);
}

TEST_F(JwtAuthorityTest, AFailedTokenIsNotRemembered) {
  Key stranger = make_key("k1");
  std::string forged = token(stranger, "k1", kStart + 3600);
  EXPECT_FALSE(verify(forged).has_value());
  // Its key becomes the trusted one (a token with an unknown kid makes the file be read again):
  // the earlier failure was not remembered, so the token now passes.
  write_jwks(stranger.jwks);
  now_ = kStart + 61;
  std::string unknown_kid = token(stranger, "k9", kStart + 3600);
  EXPECT_FALSE(verify(unknown_kid).has_value());
  EXPECT_TRUE(verify(forged).has_value());
}

}  // namespace
}  // namespace seoagents::http
