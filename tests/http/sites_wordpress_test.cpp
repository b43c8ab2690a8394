// POST /v1/dashboard/sites/{id}/verify against a real WordPress (the peer started by
// ../shared/wordpress/wp-peer.sh), and against targets that are not one: a closed port and a
// server that is not WordPress. The server runs with --allow-private-targets on, since the peer
// listens on loopback.
//
// The WordPress tests run when SEOAGENTS_WP_ENV_FILE names the env file wp-peer.sh prints, or
// when WP_URL, WP_USER and WP_APP_PASSWORD are set; otherwise they are skipped. .ci/run sets it.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <string>

#include "tests/support/api_helpers.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wordpress_peer.hpp"

namespace seoagents::testing {
namespace {

constexpr std::string_view kSites = "/v1/dashboard/sites";
const std::regex kTimestamp(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)");
std::string site_body(std::string_view url, std::string_view user, std::string_view password) {
  json::object body;
  body["url"] = url;
  body["name"] = "Peer";
  body["username"] = user;
  body["application_password"] = password;
  return json::serialize(body);
}

// A loopback port nothing listens on: bound, then closed (nothing else takes it meanwhile on a
// test machine in practice; the test would then see another answer and fail, not pass).
std::uint16_t closed_port() {
  asio::io_context context;
  asio::ip::tcp::acceptor acceptor(
      context, asio::ip::tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0));
  std::uint16_t port = acceptor.local_endpoint().port();
  acceptor.close();
  return port;
}

const json::object& check_named(const json::object& verification, std::string_view name) {
  for (const json::value& check : verification.at("checks").as_array()) {
    if (text_of(check.as_object(), "name") == name) return check.as_object();
  }
  throw std::runtime_error("no check named " + std::string(name));
}

// A server that may reach loopback targets, and its first key.
class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Config config = test_config();
    config.allow_private_targets = true;
    server_ = std::make_unique<TestServer>(std::move(config));
    api_ = std::make_unique<Api>(server_->port(), *server_->app().first_api_key());
  }

  std::string create_site(std::string_view url, std::string_view user, std::string_view password) {
    return text_of(api_->create(kSites, site_body(url, user, password)), "id");
  }

  // POST …/verify: 200 and the outcome.
  json::object verify(const std::string& site_id) {
    ClientResponse response = api_->post(join(kSites, "/", site_id, "/verify"), "");
    return expect_json(response, 200);
  }

  json::object site(const std::string& site_id) {
    return expect_json(api_->get(join(kSites, "/", site_id)), 200);
  }

  // The outcome's shape, whatever it says.
  static void expect_verification_shape(const json::object& outcome) {
    EXPECT_EQ(member_names(outcome),
              (std::set<std::string>{"ok", "checks", "wordpress", "user", "latency_ms"}));
    ASSERT_TRUE(outcome.at("ok").is_bool());
    ASSERT_TRUE(outcome.at("checks").is_array());
    EXPECT_TRUE(outcome.at("latency_ms").is_int64());
    for (const json::value& check : outcome.at("checks").as_array()) {
      EXPECT_EQ(member_names(check.as_object()), (std::set<std::string>{"name", "ok", "detail"}));
      EXPECT_FALSE(text_of(check.as_object(), "detail").empty()) << check;
    }
  }

  asio::io_context writes_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<Api> api_;
};

// ---------------------------------------------------------------------------------------------
// Targets that are not WordPress (no peer needed)

TEST_F(VerifyTest, AClosedPortFailsTheReachabilityCheckWithAConnectReason) {
  std::string url = join("http://127.0.0.1:", std::to_string(closed_port()));
  std::string id = create_site(url, "admin", "xxxx xxxx xxxx");
  json::object outcome = verify(id);
  expect_verification_shape(outcome);
  EXPECT_EQ(outcome.at("ok"), json::value(false));
  ASSERT_EQ(outcome.at("checks").as_array().size(), 1u) << "credentials tried without a site";
  const json::object& reachable = check_named(outcome, "wordpress_reachable");
  EXPECT_EQ(reachable.at("ok"), json::value(false));
  EXPECT_EQ(text_of(reachable, "detail").rfind("connect: ", 0), 0u) << reachable;
  EXPECT_NE(text_of(reachable, "detail").find("127.0.0.1"), std::string::npos) << reachable;
  EXPECT_TRUE(outcome.at("wordpress").is_null());
  EXPECT_TRUE(outcome.at("user").is_null());

  json::object recorded = site(id);
  EXPECT_EQ(text_of(recorded, "verification_status"), "failed");
  EXPECT_TRUE(std::regex_match(text_of(recorded, "last_verified_at"), kTimestamp)) << recorded;
}

TEST_F(VerifyTest, AServerThatIsNotWordPressFailsTheReachabilityCheckWithItsStatus) {
  // This server itself: /wp-json/ is not one of its routes.
  std::string url = join("http://127.0.0.1:", std::to_string(server_->port()));
  std::string id = create_site(url, "admin", "xxxx xxxx xxxx");
  json::object outcome = verify(id);
  expect_verification_shape(outcome);
  EXPECT_EQ(outcome.at("ok"), json::value(false));
  const json::object& reachable = check_named(outcome, "wordpress_reachable");
  EXPECT_EQ(reachable.at("ok"), json::value(false));
  EXPECT_EQ(text_of(reachable, "detail").rfind("HTTP 404 ROUTE_NOT_FOUND", 0), 0u) << reachable;
  EXPECT_EQ(text_of(site(id), "verification_status"), "failed");
}

TEST(VerifyWithoutPrivateTargets, LoopbackSitesAreRefusedAsUnsafe) {
  TestServer server;  // allow_private_targets off, the default
  Api api(server.port(), *server.app().first_api_key());
  std::optional<WordPressPeer> peer = wordpress_peer();
  std::string wordpress_url = peer ? peer->url : std::string("http://127.0.0.1:8089");
  for (const std::string& url :
       {wordpress_url, join(wordpress_url, "/"), std::string("http://localhost:8089")}) {
    SCOPED_TRACE(url);
    ClientResponse response = api.post(kSites, site_body(url, "admin", "xxxx"));
    json::object body = expect_error(response, 400, "UNSAFE_URL");
    EXPECT_EQ(detail_fields(body), (std::set<std::string>{"url"}));
  }
  EXPECT_TRUE(expect_json(api.get(kSites), 200).at("data").as_array().empty());
}

// ---------------------------------------------------------------------------------------------
// A real WordPress

class WordPressVerifyTest : public VerifyTest {
 protected:
  void SetUp() override {
    std::optional<WordPressPeer> peer = wordpress_peer();
    if (HasFailure()) return;
    if (!peer) GTEST_SKIP() << kWordPressHowToEnable;
    peer_ = *peer;
    VerifyTest::SetUp();
  }

  WordPressPeer peer_;
};

TEST_F(WordPressVerifyTest, TheRightApplicationPasswordVerifies) {
  // With a trailing slash, as people paste it.
  std::string id = create_site(join(peer_.url, "/"), peer_.user, peer_.password);
  EXPECT_EQ(text_of(site(id), "url"), peer_.url);
  ClientResponse response = api_->post(join(kSites, "/", id, "/verify"), "");
  json::object outcome = expect_json(response, 200);
  expect_verification_shape(outcome);
  EXPECT_EQ(outcome.at("ok"), json::value(true)) << response.body();
  ASSERT_EQ(outcome.at("checks").as_array().size(), 2u) << response.body();
  EXPECT_EQ(check_named(outcome, "wordpress_reachable").at("ok"), json::value(true));
  EXPECT_EQ(check_named(outcome, "credentials").at("ok"), json::value(true));

  ASSERT_TRUE(outcome.at("wordpress").is_object()) << response.body();
  const json::object& wordpress = outcome.at("wordpress").as_object();
  EXPECT_FALSE(text_of(wordpress, "name").empty()) << response.body();
  EXPECT_EQ(text_of(wordpress, "url"), peer_.url);

  ASSERT_TRUE(outcome.at("user").is_object()) << response.body();
  const json::object& user = outcome.at("user").as_object();
  EXPECT_TRUE(user.at("id").is_int64()) << response.body();
  EXPECT_FALSE(text_of(user, "name").empty()) << response.body();
  EXPECT_EQ(user.at("can_publish"), json::value(true)) << response.body();
  // The password is in no answer.
  EXPECT_EQ(response.body().find(peer_.password), std::string::npos);

  json::object recorded = site(id);
  EXPECT_EQ(text_of(recorded, "verification_status"), "verified");
  EXPECT_TRUE(std::regex_match(text_of(recorded, "last_verified_at"), kTimestamp)) << recorded;
}

TEST_F(WordPressVerifyTest, AWrongApplicationPasswordFailsTheCredentialsCheckUntilFixed) {
  std::string wrong = peer_.password;
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  std::string id = create_site(peer_.url, peer_.user, wrong);
  ClientResponse response = api_->post(join(kSites, "/", id, "/verify"), "");
  json::object outcome = expect_json(response, 200);
  expect_verification_shape(outcome);
  EXPECT_EQ(outcome.at("ok"), json::value(false)) << response.body();
  EXPECT_EQ(check_named(outcome, "wordpress_reachable").at("ok"), json::value(true));
  const json::object& credentials = check_named(outcome, "credentials");
  EXPECT_EQ(credentials.at("ok"), json::value(false));
  std::string detail = text_of(credentials, "detail");
  EXPECT_NE(detail.find("refused the user name or application password"), std::string::npos)
      << detail;
  EXPECT_NE(detail.find("HTTP 401"), std::string::npos) << detail;
  EXPECT_TRUE(outcome.at("wordpress").is_object());
  EXPECT_TRUE(outcome.at("user").is_null());
  EXPECT_EQ(response.body().find(wrong), std::string::npos);

  json::object failed = site(id);
  EXPECT_EQ(text_of(failed, "verification_status"), "failed");
  EXPECT_TRUE(std::regex_match(text_of(failed, "last_verified_at"), kTimestamp));

  // The right password: unverified until checked, then verified.
  json::object fixed =
      expect_json(api_->put(join(kSites, "/", id),
                            join(R"({"application_password":")", peer_.password, R"("})")),
                  200);
  EXPECT_EQ(text_of(fixed, "verification_status"), "unverified");
  EXPECT_TRUE(fixed.at("last_verified_at").is_null());
  EXPECT_EQ(verify(id).at("ok"), json::value(true));
  EXPECT_EQ(text_of(site(id), "verification_status"), "verified");
}

TEST_F(WordPressVerifyTest, AnUnknownUserFailsTheCredentialsCheck) {
  std::string id = create_site(peer_.url, "no-such-user", peer_.password);
  json::object outcome = verify(id);
  EXPECT_EQ(outcome.at("ok"), json::value(false));
  const json::object& credentials = check_named(outcome, "credentials");
  EXPECT_EQ(credentials.at("ok"), json::value(false));
  EXPECT_NE(text_of(credentials, "detail").find("HTTP 401"), std::string::npos) << credentials;
  EXPECT_EQ(text_of(site(id), "verification_status"), "failed");
}

TEST_F(WordPressVerifyTest, AnotherAccountCannotVerifyASite) {
  std::string id = create_site(peer_.url, peer_.user, peer_.password);
  TestAccount b = create_account_with_key(writes_, server_->app().store(), "tenant-b");
  Api other(server_->port(), b.key);
  expect_error(other.post(join(kSites, "/", id, "/verify"), ""), 403, "FORBIDDEN");
  EXPECT_EQ(text_of(site(id), "verification_status"), "unverified");
  EXPECT_TRUE(site(id).at("last_verified_at").is_null());
}

TEST(WordPressRestart, AStoredPasswordStillVerifiesAfterARestart) {
  std::optional<WordPressPeer> peer = wordpress_peer();
  if (!peer) GTEST_SKIP() << kWordPressHowToEnable;
  TempDirectory data;
  std::string key;
  std::string id;
  {
    Config config = test_config_in(data.path());
    config.allow_private_targets = true;
    TestServer first(std::move(config), TestServer::RouteSetup(), DataDirectory::keep);
    key = *first.app().first_api_key();
    Api api(first.port(), key);
    id = text_of(api.create(kSites, site_body(peer->url, peer->user, peer->password)), "id");
  }
  Config config = test_config_in(data.path());
  config.allow_private_targets = true;
  TestServer second(std::move(config), TestServer::RouteSetup(), DataDirectory::keep);
  Api api(second.port(), key);
  // The password was sealed under the master key in the data directory: it opens again.
  ClientResponse response = api.post(join(kSites, "/", id, "/verify"), "");
  EXPECT_EQ(expect_json(response, 200).at("ok"), json::value(true)) << response.body();
}

}  // namespace
}  // namespace seoagents::testing
