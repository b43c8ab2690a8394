// Over-the-wire tests of the per-plan rate limit (429 RATE_LIMITED, Retry-After, the
// X-RateLimit-* headers, per-key independence), the per-address limit on failed
// authentication, and GET /v1/dashboard/account.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <string>

#include "storage/accounts.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

using bhttp::field;
using bhttp::verb;

constexpr std::string_view kAgents = "/v1/dashboard/agents";
constexpr std::string_view kAccount = "/v1/dashboard/account";

std::int64_t header_number(const ClientResponse& response, std::string_view name) {
  auto it = response.find(name);
  if (it == response.end()) return -1;
  return std::stoll(std::string(it->value()));
}

std::int64_t epoch_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class RateLimitTest : public ::testing::Test {
 protected:
  void SetUp() override { server_ = std::make_unique<TestServer>(); }

  TestAccount account(std::string_view name, storage::Plan plan) {
    return create_account_with_key(writes_, server_->app().store(), name, plan);
  }

  asio::io_context writes_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(RateLimitTest, AStarterKeyGetsSixtyRequestsAMinuteThen429) {
  TestAccount starter = account("starter-co", storage::Plan::starter);
  Api api(server_->port(), starter.key);
  std::int64_t before = epoch_seconds_now();
  for (int i = 1; i <= 60; ++i) {
    ClientResponse response = api.get(kAgents);
    ASSERT_EQ(response.result_int(), 200) << "request " << i << ": " << response.body();
    EXPECT_EQ(header_number(response, "X-RateLimit-Limit"), 60);
    // A little may have been earned back while the loop ran, never more than one a second.
    std::int64_t remaining = header_number(response, "X-RateLimit-Remaining");
    EXPECT_GE(remaining, 60 - i);
    EXPECT_LE(remaining, 60 - i + (epoch_seconds_now() - before) + 1);
    EXPECT_GE(header_number(response, "X-RateLimit-Reset"), before);
  }
  // Drain whatever was earned back during the loop, then the limit holds.
  ClientResponse refused = api.get(kAgents);
  for (int extra = 0; refused.result_int() == 200 && extra < 10; ++extra)
    refused = api.get(kAgents);
  json::object body = expect_error(refused, 429, "RATE_LIMITED");
  EXPECT_NE(text_of(body, "message").find("60 requests per minute"), std::string::npos);
  std::int64_t retry_after = header_number(refused, "Retry-After");
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 2);
  EXPECT_EQ(header_number(refused, "X-RateLimit-Limit"), 60);
  EXPECT_EQ(header_number(refused, "X-RateLimit-Remaining"), 0);
  EXPECT_GE(header_number(refused, "X-RateLimit-Reset"), epoch_seconds_now());

  // A refused request did nothing: a POST over the limit creates no agent.
  ClientResponse post = api.post(kAgents, R"({"name":"Over the limit"})");
  expect_error(post, 429, "RATE_LIMITED");

  // Another key, of another account, is not affected; nor is /health.
  Api other(server_->port(), account("other-co", storage::Plan::starter).key);
  EXPECT_EQ(other.get(kAgents).result_int(), 200);
  EXPECT_EQ(HttpClient(server_->port()).request(verb::get, "/health").result_int(), 200);
}

TEST_F(RateLimitTest, PlansHaveTheirOwnLimits) {
  Api professional(server_->port(), account("pro-co", storage::Plan::professional).key);
  Api agency(server_->port(), *server_->app().first_api_key());
  EXPECT_EQ(header_number(professional.get(kAgents), "X-RateLimit-Limit"), 120);
  EXPECT_EQ(header_number(agency.get(kAgents), "X-RateLimit-Limit"), 300);
}

TEST_F(RateLimitTest, UnauthenticatedRoutesCarryNoRateLimitHeaders) {
  ClientResponse health = HttpClient(server_->port()).request(verb::get, "/health");
  EXPECT_EQ(health.find("X-RateLimit-Limit"), health.end());
  ClientResponse missing = HttpClient(server_->port()).request(verb::get, std::string(kAgents));
  expect_error(missing, 401, "UNAUTHORIZED");
}

TEST_F(RateLimitTest, RepeatedFailedAuthenticationFromOneAddressGets429) {
  std::string bad_key = "sak_";
  bad_key.append(43, 'x');
  Api bad(server_->port(), bad_key);
  for (int i = 1; i <= 30; ++i) {
    ClientResponse response = bad.get(kAgents);
    ASSERT_EQ(response.result_int(), 401) << "attempt " << i;
  }
  ClientResponse refused = bad.get(kAgents);
  for (int extra = 0; refused.result_int() == 401 && extra < 10; ++extra)
    refused = bad.get(kAgents);
  expect_error(refused, 429, "RATE_LIMITED");
  EXPECT_GE(header_number(refused, "Retry-After"), 1);
  // Missing credentials count too.
  expect_error(HttpClient(server_->port()).request(verb::get, std::string(kAgents)), 429,
               "RATE_LIMITED");
  // A valid key from the same address still works.
  Api good(server_->port(), *server_->app().first_api_key());
  EXPECT_EQ(good.get(kAgents).result_int(), 200);
}

TEST_F(RateLimitTest, AccountShowsPlanLimitsAndUsage) {
  TestAccount pro = account("pro-co", storage::Plan::professional);
  Api api(server_->port(), pro.key);
  api.get(kAgents);
  ClientResponse response = api.get(kAccount);
  json::object body = expect_json(response, 200);
  EXPECT_EQ(text_of(body, "id"), pro.account_id);
  EXPECT_EQ(text_of(body, "name"), "pro-co");
  EXPECT_EQ(text_of(body, "plan"), "professional");
  EXPECT_EQ(text_of(body, "authenticated_with"), "api_key");
  const json::object& limits = body.at("limits").as_object();
  EXPECT_EQ(limits.at("requests_per_minute").as_int64(), 120);
  EXPECT_EQ(limits.at("concurrent_jobs").as_int64(), 5);
  // The usage is this request's standing, as its headers say it.
  const json::object& usage = body.at("usage").as_object();
  EXPECT_EQ(usage.at("requests_remaining").as_int64(),
            header_number(response, "X-RateLimit-Remaining"));
  EXPECT_LE(usage.at("requests_remaining").as_int64(), 119);  // this request counted
  EXPECT_EQ(usage.at("rate_limit_reset").as_int64(), header_number(response, "X-RateLimit-Reset"));
  EXPECT_EQ(usage.at("running_jobs").as_int64(), 0);
  EXPECT_FALSE(text_of(body, "created_at").empty());
}

TEST_F(RateLimitTest, EnterpriseLimitsComeFromTheAccount) {
  TestAccount big = account("big-co", storage::Plan::enterprise);
  store_write<bool>(writes_, server_->app().store(), [&](storage::Connection& db) {
    return storage::set_account_plan(db, big.account_id, storage::Plan::enterprise,
                                     storage::PlanLimits{1000, 40});
  });
  Api api(server_->port(), big.key);
  EXPECT_EQ(header_number(api.get(kAgents), "X-RateLimit-Limit"), 1000);
  json::object body = expect_json(api.get(kAccount), 200);
  EXPECT_EQ(body.at("limits").as_object().at("concurrent_jobs").as_int64(), 40);
}

}  // namespace
}  // namespace seoagents::testing
