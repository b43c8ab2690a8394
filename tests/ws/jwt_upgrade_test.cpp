// Over-the-wire tests of WebSocket upgrades authenticated with a JWT: `?token=<id_token>` (what
// browsers send) and `Authorization: Bearer`, a job of the token's account watched to its end,
// and bad or expired tokens refused with 401 and no upgrade.
#include <gtest/gtest.h>

#include "tests/support/jwt_signer.hpp"
#include "tests/ws/channel_fixture.hpp"

namespace seoagents::testing {
namespace {

class JwtUpgradeTest : public ChannelTest {
 protected:
  void SetUp() override {
    start_server([this](Config& config) {
      config.jwt.issuer = kTestIssuer;
      config.jwt.audience = kTestAudience;
      config.jwt.jwks_file = signer_.jwks_file();
    });
  }

  ClientResponse with_token(bhttp::verb method, std::string_view target, const std::string& token,
                            std::string body = {}) {
    HeaderList headers = {{"Authorization", join("Bearer ", token)}};
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return HttpClient(server_->port()).request(method, target, std::move(body), headers);
  }

  JwtSigner signer_;
};

TEST_F(JwtUpgradeTest, ATokenInTheQueryOrTheAuthorizationHeaderUpgrades) {
  std::string token = signer_.token_for("user-1");
  auto agent =
      expect_json(with_token(bhttp::verb::post, "/v1/dashboard/agents", token,
                             R"({"name":"Booth Agent","keywords":["trade show booth cost"]})"),
                  201);
  auto accepted = expect_json(
      with_token(bhttp::verb::post, kJobs, token,
                 join(R"({"agent_id":")", text_of(agent, "id"), R"(","job_type":"create"})")),
      202);
  std::string id = text_of(accepted, "job_id");

  WsClient browser(server_->port());
  ASSERT_FALSE(browser.upgrade(join("/v1?token=", token)));
  EXPECT_EQ(browser.handshake()["X-RateLimit-Limit"], "60");
  ASSERT_FALSE(browser.send(subscribe_text(id)));
  Watched watched = watch_until_final(browser, id);
  ASSERT_EQ(watched.final_type, "completed");
  EXPECT_EQ(watched.seqs, seq_range(1, static_cast<std::int64_t>(watched.seqs.size())));

  WsClient header(server_->port());
  ASSERT_FALSE(header.upgrade("/v1/ws", {{"Authorization", join("Bearer ", token)}}));
  // The key's account's jobs are not the token's.
  std::string keyed = submit();
  ASSERT_FALSE(header.send(subscribe_text(keyed)));
  EXPECT_EQ(text_of(header.read_json(), "code"), "FORBIDDEN");
}

TEST_F(JwtUpgradeTest, BadAndExpiredTokensAre401WithoutUpgrade) {
  std::string expired = signer_.token_for("user-2", -3600);
  std::string good = signer_.token_for("user-2");
  std::string tampered = good.substr(0, good.size() - 4) + "AAAA";
  struct Case {
    std::string target;
    HeaderList headers;
    std::string code;
  };
  std::vector<Case> cases = {
      {join("/v1?token=", expired), {}, "TOKEN_EXPIRED"},
      {"/v1/ws", {{"Authorization", join("Bearer ", expired)}}, "TOKEN_EXPIRED"},
      {join("/v1?token=", tampered), {}, "INVALID_TOKEN"},
      {"/v1?token=not.a.jwt", {}, "INVALID_TOKEN"},
      {"/v1/ws", {}, "UNAUTHORIZED"},
  };
  for (const auto& c : cases) {
    WsClient client(server_->port());
    EXPECT_EQ(client.upgrade(c.target, c.headers), websocket::error::upgrade_declined) << c.target;
    EXPECT_EQ(client.handshake().result_int(), 401u) << c.target;
    EXPECT_EQ(text_of(json::parse(client.handshake().body()).as_object(), "code"), c.code)
        << c.target;
  }
}

}  // namespace
}  // namespace seoagents::testing
