// Over-the-wire tests of Idempotency-Key on POST: replay, reuse with another request, a key in
// use by a running request, per-account keys, failed requests not stored, invalid keys, and
// replay after a restart.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "storage/accounts.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

namespace json = boost::json;
using bhttp::field;
using bhttp::verb;

constexpr std::string_view kAgents = "/v1/dashboard/agents";

// Routes whose handlers the tests control: one counts its runs, one waits until released, one
// throws.
struct ControlledRoutes {
  std::atomic<int> counted_runs{0};
  std::atomic<bool> slow_entered{false};
  std::atomic<bool> slow_released{false};

  void add_to(http::Router& router) {
    router.add(verb::post, "/v1/test/counted",
               [this](http::RequestContext&) -> asio::awaitable<http::Response> {
                 int run = ++counted_runs;
                 std::string body = "{\"run\":";
                 body.append(std::to_string(run)).append("}");
                 co_return http::json_response(bhttp::status::created, std::move(body));
               });
    router.add(verb::post, "/v1/test/slow",
               [this](http::RequestContext&) -> asio::awaitable<http::Response> {
                 slow_entered = true;
                 asio::steady_timer timer(co_await asio::this_coro::executor);
                 while (!slow_released) {
                   timer.expires_after(std::chrono::milliseconds(5));
                   co_await timer.async_wait(asio::use_awaitable);
                 }
                 co_return http::json_response(bhttp::status::ok, "{\"slow\":true}");
               });
    router.add(verb::post, "/v1/test/throws",
               [](http::RequestContext&) -> asio::awaitable<http::Response> {
                 throw std::runtime_error("handler failed");
                 co_return http::Response{};
               });
  }
};

class IdempotencyHttpTest : public ::testing::Test {
 protected:
  void SetUp() override { start(test_config()); }

  void start(Config config) {
    config_ = config;
    server_ = std::make_unique<TestServer>(
        std::move(config), [this](http::Router& router) { routes_.add_to(router); });
    if (server_->app().first_api_key()) key_ = *server_->app().first_api_key();
  }

  ClientResponse post(std::string_view target, const std::string& body,
                      const std::string& idempotency_key, const std::string& api_key = {}) {
    HeaderList headers = {{"X-API-Key", api_key.empty() ? key_ : api_key},
                          {"Content-Type", "application/json"}};
    if (!idempotency_key.empty()) headers.emplace_back("Idempotency-Key", idempotency_key);
    return HttpClient(server_->port()).request(verb::post, target, body, headers);
  }

  std::size_t agent_count() {
    HeaderList headers = {{"X-API-Key", key_}};
    std::string target(kAgents);
    target.append("?limit=100");
    ClientResponse listed = HttpClient(server_->port()).request(verb::get, target, {}, headers);
    return json::parse(listed.body()).as_object().at("data").as_array().size();
  }

  // A second account's key, written straight into the store.
  std::string second_account_key() {
    return create_account_with_key(writes_, server_->app().store(), "tenant-b").key;
  }

  // Runs the test's store writes; declared before the server, so it outlives the store's writer.
  asio::io_context writes_;
  ControlledRoutes routes_;
  Config config_;
  std::unique_ptr<TestServer> server_;
  std::string key_;
};

std::string error_code_of(const ClientResponse& response) {
  return std::string(json::parse(response.body()).as_object().at("code").as_string());
}

TEST_F(IdempotencyHttpTest, RetryReplaysTheStoredResponseWithoutRunningAgain) {
  const std::string body = R"({"name":"Replay","keywords":["seo"]})";
  ClientResponse first = post(kAgents, body, "create-agent-1");
  ASSERT_EQ(first.result_int(), 201) << first.body();
  EXPECT_EQ(first.find("Idempotent-Replayed"), first.end());

  ClientResponse second = post(kAgents, body, "create-agent-1");
  ASSERT_EQ(second.result_int(), 201) << second.body();
  EXPECT_EQ(second["Idempotent-Replayed"], "true");
  EXPECT_EQ(second[field::content_type], "application/json");
  EXPECT_EQ(second.body(), first.body());
  EXPECT_NE(second["X-Request-Id"], first["X-Request-Id"]);
  EXPECT_EQ(agent_count(), 1u);

  ClientResponse counted = post("/v1/test/counted", "{}", "count-1");
  ClientResponse recounted = post("/v1/test/counted", "{}", "count-1");
  EXPECT_EQ(counted.body(), "{\"run\":1}");
  EXPECT_EQ(recounted.body(), "{\"run\":1}");
  EXPECT_EQ(routes_.counted_runs.load(), 1);
}

TEST_F(IdempotencyHttpTest, WithoutAKeyEveryPostRuns) {
  const std::string body = R"({"name":"No key"})";
  EXPECT_EQ(post(kAgents, body, "").result_int(), 201);
  EXPECT_EQ(post(kAgents, body, "").result_int(), 201);
  EXPECT_EQ(agent_count(), 2u);
}

TEST_F(IdempotencyHttpTest, SameKeyWithAnotherBodyOrPathIsRefused) {
  ASSERT_EQ(post(kAgents, R"({"name":"One"})", "k").result_int(), 201);
  ClientResponse other_body = post(kAgents, R"({"name":"Two"})", "k");
  EXPECT_EQ(other_body.result_int(), 409) << other_body.body();
  EXPECT_EQ(error_code_of(other_body), "IDEMPOTENCY_KEY_REUSED");
  ClientResponse other_path = post("/v1/test/counted", R"({"name":"One"})", "k");
  EXPECT_EQ(other_path.result_int(), 409) << other_path.body();
  EXPECT_EQ(error_code_of(other_path), "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(routes_.counted_runs.load(), 0);
  EXPECT_EQ(agent_count(), 1u);
}

TEST_F(IdempotencyHttpTest, KeyIsInUseWhileItsFirstRequestRuns) {
  auto first = std::async(std::launch::async, [this] { return post("/v1/test/slow", "{}", "s"); });
  while (!routes_.slow_entered)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ClientResponse concurrent = post("/v1/test/slow", "{}", "s");
  EXPECT_EQ(concurrent.result_int(), 409) << concurrent.body();
  EXPECT_EQ(error_code_of(concurrent), "IDEMPOTENCY_KEY_IN_USE");
  EXPECT_EQ(concurrent[field::retry_after], "1");
  routes_.slow_released = true;
  ClientResponse finished = first.get();
  EXPECT_EQ(finished.result_int(), 200);
  ClientResponse replay = post("/v1/test/slow", "{}", "s");
  EXPECT_EQ(replay["Idempotent-Replayed"], "true");
  EXPECT_EQ(replay.body(), "{\"slow\":true}");
}

TEST_F(IdempotencyHttpTest, KeysArePerAccount) {
  std::string key_b = second_account_key();
  const std::string body = R"({"name":"Shared key"})";
  ClientResponse a = post(kAgents, body, "shared", key_);
  ClientResponse b = post(kAgents, body, "shared", key_b);
  ASSERT_EQ(a.result_int(), 201);
  ASSERT_EQ(b.result_int(), 201);
  EXPECT_EQ(b.find("Idempotent-Replayed"), b.end());
  EXPECT_NE(a.body(), b.body());
}

TEST_F(IdempotencyHttpTest, FailedRequestsAreNotStored) {
  ClientResponse invalid = post(kAgents, R"({"name":""})", "fix-me");
  ASSERT_EQ(invalid.result_int(), 400);
  ClientResponse fixed = post(kAgents, R"({"name":"Fixed"})", "fix-me");
  EXPECT_EQ(fixed.result_int(), 201) << fixed.body();

  ClientResponse thrown = post("/v1/test/throws", "{}", "boom");
  EXPECT_EQ(thrown.result_int(), 500);
  ClientResponse again = post("/v1/test/throws", "{}", "boom");
  EXPECT_EQ(again.result_int(), 500) << "a 500 must not be replayed nor block the key";
  EXPECT_EQ(again.find("Idempotent-Replayed"), again.end());
}

TEST_F(IdempotencyHttpTest, InvalidKeysAreRefused) {
  std::string too_long(256, 'k');
  for (const std::string& bad : {too_long, std::string("has space"), std::string("tab\there")}) {
    ClientResponse response = post(kAgents, R"({"name":"Bad key"})", bad);
    EXPECT_EQ(response.result_int(), 400) << bad;
    EXPECT_EQ(error_code_of(response), "VALIDATION_ERROR");
    EXPECT_NE(response.body().find("Idempotency-Key"), std::string::npos) << response.body();
  }
  EXPECT_EQ(post(kAgents, R"({"name":"Longest key"})", std::string(255, 'k')).result_int(), 201);
  EXPECT_EQ(agent_count(), 1u);
}

TEST_F(IdempotencyHttpTest, OtherMethodsIgnoreTheKey) {
  HeaderList headers = {{"X-API-Key", key_}, {"Idempotency-Key", "not for GET"}};
  ClientResponse listed =
      HttpClient(server_->port()).request(verb::get, std::string(kAgents), {}, headers);
  EXPECT_EQ(listed.result_int(), 200) << listed.body();
}

TEST_F(IdempotencyHttpTest, StoredResponsesSurviveARestart) {
  const std::string body = R"({"name":"Durable"})";
  ClientResponse first = post(kAgents, body, "durable");
  ASSERT_EQ(first.result_int(), 201);
  // The first server is stopped but kept: destroying it would remove the data directory.
  std::unique_ptr<TestServer> stopped = std::move(server_);
  stopped->stop();
  start(config_);
  ClientResponse replay = post(kAgents, body, "durable");
  EXPECT_EQ(replay.result_int(), 201);
  EXPECT_EQ(replay["Idempotent-Replayed"], "true");
  EXPECT_EQ(replay.body(), first.body());
  server_.reset();
  stopped.reset();
}

}  // namespace
}  // namespace seoagents::testing
