// Over-the-wire tests of `Authorization: Bearer <JWT>`: tokens minted with a local RSA key and
// checked against a JWKS file or an https JWKS URL; the subject's account created by its first
// token with the plan claim; expired, wrong-audience, malformed and foreign tokens refused with
// 401 and a code that names no secret part; Authorization preferred over X-API-Key.
#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>

#include "core/clock.hpp"
#include "core/jwks.hpp"
#include "core/jwt.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/jwt_signer.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

using bhttp::verb;

constexpr std::string_view kAccount = "/v1/dashboard/account";
constexpr std::string_view kAgents = "/v1/dashboard/agents";
constexpr std::string_view kIssuer = kTestIssuer;
constexpr std::string_view kAudience = kTestAudience;
using Signer = JwtSigner;

std::int64_t now_s() {
  return unix_seconds(std::chrono::system_clock::now());
}

Config jwt_config() {
  Config config = test_config();
  config.jwt.issuer = kIssuer;
  config.jwt.audience = kAudience;
  return config;
}

ClientResponse get_with(std::uint16_t port, std::string_view target, const HeaderList& headers) {
  return HttpClient(port).request(verb::get, target, {}, headers);
}

HeaderList bearer(const std::string& token) {
  return {{"Authorization", join("Bearer ", token)}};
}

class JwtAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Config config = jwt_config();
    config.jwt.jwks_file = signer_.jwks_file();
    server_ = std::make_unique<TestServer>(std::move(config));
  }

  ClientResponse get(std::string_view target, const std::string& token) {
    return get_with(server_->port(), target, bearer(token));
  }

  Signer signer_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(JwtAuthTest, AValidIdTokenCreatesTheSubjectsAccountWithItsPlan) {
  boost::json::object claims = signer_.claims("user-1");
  claims["custom:plan"] = "professional";
  std::string token = signer_.token(claims);
  json::object account = expect_json(get(kAccount, token), 200);
  EXPECT_EQ(text_of(account, "name"), "jwt:user-1");
  EXPECT_EQ(text_of(account, "plan"), "professional");
  EXPECT_EQ(text_of(account, "authenticated_with"), "jwt");
  ClientResponse again = get(kAccount, token);
  EXPECT_EQ(text_of(expect_json(again, 200), "id"), text_of(account, "id"));
  EXPECT_EQ(again["X-RateLimit-Limit"], "120");
}

TEST_F(JwtAuthTest, TheReferenceExampleWorksWithAMintedToken) {
  std::string token = signer_.token(signer_.claims("user-2"));
  HeaderList headers = bearer(token);
  headers.emplace_back("Content-Type", "application/json");
  ClientResponse created = HttpClient(server_->port())
                               .request(verb::post, kAgents,
                                        R"({"name":"Trade Show Content Agent",
                                            "keywords":["trade show booth cost"],
                                            "tone":"professional","word_target":2500,
                                            "schedule":"weekly"})",
                                        headers);
  json::object agent = expect_json(created, 201);
  json::object listed = expect_json(get(kAgents, token), 200);
  ASSERT_EQ(listed.at("data").as_array().size(), 1u);
  // Without a plan claim the account is a starter one; another subject sees nothing of it.
  EXPECT_EQ(get(kAccount, token)["X-RateLimit-Limit"], "60");
  std::string other = signer_.token(signer_.claims("user-3"));
  std::string agent_path = join(kAgents, "/", text_of(agent, "id"));
  expect_error(get(agent_path, other), 403, "FORBIDDEN");
}

TEST_F(JwtAuthTest, AnExpiredTokenIsTokenExpired) {
  boost::json::object claims = signer_.claims("user-1");
  claims["exp"] = now_s() - 3600;
  json::object body = expect_error(get(kAccount, signer_.token(claims)), 401, "TOKEN_EXPIRED");
  EXPECT_EQ(text_of(body, "message"), "The token has expired");
}

TEST_F(JwtAuthTest, WrongClaimsAndForgedTokensAreInvalidTokens) {
  boost::json::object wrong_audience = signer_.claims("user-1");
  wrong_audience["aud"] = "another-client";
  boost::json::object wrong_issuer = signer_.claims("user-1");
  wrong_issuer["iss"] = "https://evil.example";
  boost::json::object access = signer_.claims("user-1");
  access["token_use"] = "access";
  std::string valid = signer_.token(signer_.claims("user-1"));
  std::string tampered = valid;
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  Signer stranger;
  for (const std::string& token :
       {signer_.token(wrong_audience), signer_.token(wrong_issuer), signer_.token(access), tampered,
        stranger.token(stranger.claims("user-1")), std::string("not.a.jwt"),
        std::string(6000, 'a')}) {
    json::object body = expect_error(get(kAccount, token), 401, "INVALID_TOKEN");
    EXPECT_EQ(text_of(body, "message"), "The token is not valid");
  }
}

TEST_F(JwtAuthTest, TheAuthorizationHeaderMustBeBearer) {
  std::string token = signer_.token(signer_.claims("user-1"));
  for (const std::string& value : {join("Basic ", token), std::string("Bearer"),
                                   std::string("Bearer "), join("Bearer ", token, " extra")}) {
    expect_error(get_with(server_->port(), kAccount, {{"Authorization", value}}), 401,
                 "INVALID_TOKEN");
  }
  EXPECT_EQ(
      get_with(server_->port(), kAccount, {{"Authorization", join("bEaReR ", token)}}).result_int(),
      200);
}

TEST_F(JwtAuthTest, AuthorizationWinsOverXApiKey) {
  std::string key = *server_->app().first_api_key();
  HeaderList bad_token_good_key = {{"Authorization", "Bearer not.a.jwt"}, {"X-API-Key", key}};
  expect_error(get_with(server_->port(), kAccount, bad_token_good_key), 401, "INVALID_TOKEN");
  std::string token = signer_.token(signer_.claims("user-9"));
  HeaderList good_token_key = {{"Authorization", join("Bearer ", token)}, {"X-API-Key", key}};
  json::object account = expect_json(get_with(server_->port(), kAccount, good_token_key), 200);
  EXPECT_EQ(text_of(account, "name"), "jwt:user-9");
}

TEST(JwtAuthConfig, ATokenOver8KiBIsRefusedEvenWhenHeadersMayBeLarger) {
  Signer signer;
  Config config = jwt_config();
  config.jwt.jwks_file = signer.jwks_file();
  config.max_header_bytes = 32 * 1024;
  TestServer server(config);
  boost::json::object claims = signer.claims("user-big");
  claims["padding"] = std::string(9000, 'p');
  std::string token = signer.token(claims);
  ASSERT_GT(token.size(), kMaxJwtSize);
  expect_error(get_with(server.port(), kAccount, bearer(token)), 401, "INVALID_TOKEN");
}

TEST(JwtAuthConfig, AMissingJwksFileStopsTheStart) {
  Config config = jwt_config();
  config.jwt.jwks_file = "/nonexistent/jwks.json";
  try {
    TestServer server(config);
    ADD_FAILURE() << "the server started without its JWKS";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/jwks.json"), std::string::npos) << e.what();
  }
}

TEST(JwtAuthConfig, WithoutJwtConfiguredBearerTokensAreRefused) {
  TestServer server;
  expect_error(get_with(server.port(), kAccount, {{"Authorization", "Bearer a.b.c"}}), 401,
               "INVALID_TOKEN");
}

// The JWKS served over https by a second server (a self-signed certificate trusted through
// --outbound-ca-file), as Cognito serves it.
TEST(JwtAuthJwksUrl, KeysAreFetchedOnTheFirstToken) {
  Signer signer;
  SelfSignedCert cert;
  Config jwks_config = test_config();
  jwks_config.tls_cert = cert.cert_file();
  jwks_config.tls_key = cert.key_file();
  std::string jwks = signer.jwks();
  TestServer jwks_server(jwks_config, [jwks](http::Router& router) {
    router.add(
        verb::get, "/pool/.well-known/jwks.json",
        [jwks](http::RequestContext&) -> asio::awaitable<http::Response> {
          co_return http::json_response(bhttp::status::ok, jwks);
        },
        http::Access::open);
  });
  Config config = jwt_config();
  config.jwt.jwks_url =
      join("https://127.0.0.1:", std::to_string(jwks_server.port()), "/pool/.well-known/jwks.json");
  config.allow_private_targets = true;
  config.outbound_ca_file = cert.cert_file();
  TestServer server(config);
  std::string token = signer.token(signer.claims("user-url"));
  json::object account = expect_json(get_with(server.port(), kAccount, bearer(token)), 200);
  EXPECT_EQ(text_of(account, "name"), "jwt:user-url");
  EXPECT_TRUE(server.logged("jwks_loaded"));
}

TEST(JwtAuthJwksUrl, AnUnreachableJwksMakesTokensInvalidNotTheServerFail) {
  Signer signer;
  Config config = jwt_config();
  config.jwt.jwks_url = "https://127.0.0.1:9/jwks.json";
  config.allow_private_targets = true;
  TestServer server(config);
  std::string token = signer.token(signer.claims("user-1"));
  expect_error(get_with(server.port(), kAccount, bearer(token)), 401, "INVALID_TOKEN");
  EXPECT_TRUE(server.logged("jwks_fetch_failed"));
  EXPECT_EQ(HttpClient(server.port()).request(verb::get, "/health").result_int(), 200);
}

}  // namespace
}  // namespace seoagents::testing
