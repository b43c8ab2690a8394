// End-to-end tests of webhook delivery through a real server (in-process, on an ephemeral
// port) and a loopback receiver, with the retry schedule compressed by configuration: a real
// create job (builtin writer) delivers a signed job.completed that the test verifies with its
// own HMAC; a job that fails delivers job.failed; a receiver failing N times gets the same event
// N+1 times and the delivery ends delivered; one that never answers 2xx gets it until the
// maximum age, then the delivery is dead and the health says so; a timeout and a redirect are
// failures; the per-endpoint limit holds; events nobody subscribes to are not sent; the SSRF
// guard refuses a send to a non-public address even when the stored URL got past the API; a
// send still in flight when the server stops gracefully goes again after the restart.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <memory>
#include <set>

#include "storage/jobs.hpp"
#include "storage/webhook_events.hpp"
#include "storage/webhooks.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/test_pipelines.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/webhook_receiver.hpp"

namespace seoagents::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kWebhooks = "/v1/dashboard/webhooks";
constexpr std::string_view kJobs = "/v1/dashboard/jobs";

Config delivery_config() {
  Config config = test_config();
  config.access_log = false;
  config.allow_private_targets = true;  // the receiver is on loopback
  config.webhooks.timeout = 2s;
  config.webhooks.retry_base = 20ms;
  config.webhooks.poll_interval = 50ms;
  return config;
}

// A webhook as POST answered it.
struct CreatedWebhook {
  std::string id;
  std::string secret;
};

class WebhookDeliveryTest : public ::testing::Test {
 protected:
  explicit WebhookDeliveryTest(Config config = delivery_config(),
                               std::shared_ptr<PipelineControl> control = nullptr)
      : control_(std::move(control)),
        server_(std::move(config), TestServer::AppSetup([this](App& app) {
                  if (control_) app.add_pipeline("create", test_pipeline(control_));
                })) {}

  void SetUp() override {
    api_.emplace(server_.port(), *server_.app().first_api_key());
    agent_id_ = text_of(api_->create("/v1/dashboard/agents",
                                     R"({"name":"Hooks","keywords":["trade show booth cost"]})"),
                        "id");
  }

  storage::Store& store() { return server_.app().store(); }

  CreatedWebhook create_webhook(std::string_view events = R"(["job.completed","job.failed"])",
                                std::string url = {}) {
    if (url.empty()) url = receiver_.url();
    auto body = api_->create(kWebhooks, join(R"({"url":")", url, R"(","events":)", events, "}"));
    return {text_of(body, "id"), text_of(body, "secret")};
  }

  std::string submit_create() {
    std::string body = join(R"({"agent_id":")", agent_id_,
                            R"(","job_type":"create","keyword":"trade show booth cost"})");
    return text_of(expect_json(api_->post(kJobs, body), 202), "job_id");
  }

  std::optional<storage::Job> job(const std::string& id) {
    return storage::find_job(store().reader(), id);
  }

  std::vector<storage::WebhookDelivery> deliveries(const std::string& webhook_id) {
    return storage::list_webhook_deliveries(store().reader(), webhook_id, true, std::nullopt, 100);
  }

  // Waits until the webhook has `count` deliveries, all in `status`.
  bool deliveries_reach(const std::string& webhook_id, std::size_t count, std::string_view status) {
    return eventually([&] {
      auto all = deliveries(webhook_id);
      if (all.size() != count) return false;
      return std::all_of(all.begin(), all.end(),
                         [&](const auto& delivery) { return delivery.status == status; });
    });
  }

  // Records `count` job.completed events for the default account directly in the store, as a
  // finishing job would.
  void record_events(int count) {
    std::string account_id = default_account_id(store());
    store_write<bool>(context_, store(), [&](storage::Connection& db) {
      for (int i = 0; i < count; ++i) {
        boost::json::object data;
        data["job_id"] = join("content-", std::to_string(10000000 + i));
        storage::record_webhook_event(db, account_id, "job.completed", data, storage::now_ms());
      }
      return true;
    });
  }

  WebhookReceiver receiver_;
  std::shared_ptr<PipelineControl> control_;
  // Declared before the server: the store's writer thread posts to it (see store_write).
  asio::io_context context_;
  TestServer server_;
  std::optional<Api> api_;
  std::string agent_id_;
};

TEST_F(WebhookDeliveryTest, ACreateJobDeliversASignedJobCompletedEvent) {
  CreatedWebhook webhook = create_webhook();
  std::string job_id = submit_create();
  ASSERT_TRUE(receiver_.wait_for(1));
  ASSERT_TRUE(deliveries_reach(webhook.id, 1, "delivered"));
  ReceivedWebhook received = receiver_.received().front();
  EXPECT_TRUE(signed_with(received, webhook.secret)) << received.signature;
  EXPECT_FALSE(signed_with(received, "whsec_someone_else"));
  EXPECT_EQ(received.v1.size(), 1u);
  EXPECT_LE(std::abs(received.timestamp - storage::now_ms() / 1000), 300);
  EXPECT_EQ(received.request.method, "POST");
  EXPECT_EQ(received.request.target, "/hooks");
  EXPECT_EQ(received.request.header("Content-Type"), "application/json");
  EXPECT_TRUE(
      received.request.header("User-Agent").value_or("").starts_with("SEOAgents-Webhooks/"));
  EXPECT_EQ(received.event_type, "job.completed");
  EXPECT_EQ(received.event_id, text_of(received.payload, "id"));
  EXPECT_TRUE(received.event_id.starts_with("evt_"));
  EXPECT_EQ(text_of(received.payload, "type"), "job.completed");
  EXPECT_FALSE(text_of(received.payload, "created_at").empty());
  const auto& data = received.payload.at("data").as_object();
  EXPECT_EQ(text_of(data, "job_id"), job_id);
  EXPECT_EQ(text_of(data, "job_type"), "create");
  EXPECT_EQ(text_of(data, "agent_id"), agent_id_);
  EXPECT_EQ(text_of(data, "status"), "completed");
  EXPECT_EQ(text_of(data, "s3_key"), join("articles/", agent_id_, "/trade-show-booth-cost.md"));
  const auto& result = data.at("result").as_object();
  EXPECT_FALSE(text_of(result, "title").empty());
  EXPECT_GT(result.at("seo_score").as_int64(), 0);
  // The job and its event were written together: the job is completed.
  EXPECT_EQ(job(job_id)->status, "completed");
  auto health = storage::find_webhook(store().reader(), webhook.id);
  EXPECT_EQ(health->consecutive_failures, 0);
  EXPECT_TRUE(health->last_success_at);
}

TEST_F(WebhookDeliveryTest, EventsNobodySubscribesToAreNotSent) {
  CreatedWebhook ranks = create_webhook(R"(["rank.alert"])");
  CreatedWebhook failures = create_webhook(R"(["job.failed"])");
  std::string job_id = submit_create();
  ASSERT_TRUE(eventually([&] { return job(job_id)->status == "completed"; }));
  CreatedWebhook completions = create_webhook(R"(["job.completed"])");
  std::string second = submit_create();
  ASSERT_TRUE(deliveries_reach(completions.id, 1, "delivered"));
  EXPECT_TRUE(deliveries(ranks.id).empty());
  EXPECT_TRUE(deliveries(failures.id).empty());
  ASSERT_EQ(receiver_.count(), 1u);
  EXPECT_EQ(text_of(receiver_.received()[0].payload.at("data").as_object(), "job_id"), second);
}

TEST_F(WebhookDeliveryTest, AFailingEndpointGetsTheSameEventUntilItAnswers2xx) {
  CreatedWebhook webhook = create_webhook();
  receiver_.fail_next(3, 503);
  record_events(1);
  ASSERT_TRUE(deliveries_reach(webhook.id, 1, "delivered"));
  auto received = receiver_.received();
  ASSERT_EQ(received.size(), 4u);
  for (const auto& request : received) {
    EXPECT_EQ(request.event_id, received[0].event_id);
    EXPECT_EQ(request.request.body, received[0].request.body);
    EXPECT_TRUE(signed_with(request, webhook.secret));
  }
  auto delivery = deliveries(webhook.id).front();
  EXPECT_EQ(delivery.attempts, 4);
  EXPECT_EQ(delivery.last_status_code, 200);
  EXPECT_FALSE(delivery.last_error);
  auto health = storage::find_webhook(store().reader(), webhook.id);
  EXPECT_EQ(health->consecutive_failures, 0);
  EXPECT_TRUE(health->last_failure_at);
  EXPECT_EQ(health->dead_deliveries, 0);
}

TEST_F(WebhookDeliveryTest, ARedirectIsAFailureAndIsNotFollowed) {
  CreatedWebhook webhook = create_webhook();
  ScriptedResponse redirect = status_response(302);
  redirect.headers.emplace_back("Location", receiver_.url("/elsewhere"));
  receiver_.push(redirect);
  record_events(1);
  ASSERT_TRUE(deliveries_reach(webhook.id, 1, "delivered"));
  auto received = receiver_.received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].request.target, "/hooks");
  EXPECT_EQ(received[1].request.target, "/hooks");
}

TEST_F(WebhookDeliveryTest, EveryEventArrivesExactlyOnceWithAHealthyEndpoint) {
  CreatedWebhook webhook = create_webhook();
  record_events(20);
  ASSERT_TRUE(deliveries_reach(webhook.id, 20, "delivered"));
  std::set<std::string> ids;
  for (const auto& received : receiver_.received())
    ids.insert(received.event_id);
  EXPECT_EQ(ids.size(), 20u);
  EXPECT_EQ(receiver_.count(), 20u);
}

class WebhookFailedJobTest : public WebhookDeliveryTest {
 protected:
  WebhookFailedJobTest() : WebhookDeliveryTest(delivery_config(), failing_pipeline()) {}
  static std::shared_ptr<PipelineControl> failing_pipeline() {
    auto control = std::make_shared<PipelineControl>();
    control->fail_for_good = true;
    return control;
  }
};

TEST_F(WebhookFailedJobTest, AJobThatFailsDeliversJobFailedWithItsError) {
  CreatedWebhook webhook = create_webhook();
  std::string job_id = submit_create();
  ASSERT_TRUE(deliveries_reach(webhook.id, 1, "delivered"));
  EXPECT_EQ(job(job_id)->status, "failed");
  ReceivedWebhook received = receiver_.received().front();
  EXPECT_TRUE(signed_with(received, webhook.secret));
  EXPECT_EQ(received.event_type, "job.failed");
  const auto& data = received.payload.at("data").as_object();
  EXPECT_EQ(text_of(data, "job_id"), job_id);
  EXPECT_EQ(text_of(data, "status"), "failed");
  EXPECT_EQ(text_of(data, "error"), "draft: the model refused the credentials");
  EXPECT_FALSE(data.contains("result"));
}

Config short_life_config() {
  Config config = delivery_config();
  config.webhooks.retry_base = 50ms;
  config.webhooks.retry_max_age = 1s;
  return config;
}

class WebhookDeadTest : public WebhookDeliveryTest {
 protected:
  WebhookDeadTest() : WebhookDeliveryTest(short_life_config()) {}
};

TEST_F(WebhookDeadTest, ADeliveryThatNeverSucceedsIsDeadAfterTheMaximumAge) {
  CreatedWebhook webhook = create_webhook();
  receiver_.set_fallback(status_response(500));
  record_events(1);
  ASSERT_TRUE(deliveries_reach(webhook.id, 1, "dead"));
  auto delivery = deliveries(webhook.id).front();
  EXPECT_GE(delivery.attempts, 3);
  EXPECT_EQ(delivery.last_status_code, 500);
  EXPECT_EQ(delivery.last_error, "HTTP 500");
  EXPECT_FALSE(delivery.next_attempt_at);
  EXPECT_EQ(receiver_.count(), static_cast<std::size_t>(delivery.attempts));
  for (const auto& received : receiver_.received())
    EXPECT_EQ(received.event_id, receiver_.received()[0].event_id);
  auto shown = expect_json(api_->get(join(kWebhooks, "/", webhook.id)), 200);
  const auto& health = shown.at("health").as_object();
  EXPECT_EQ(text_of(health, "status"), "failing");
  EXPECT_EQ(health.at("dead_deliveries").as_int64(), 1);
  EXPECT_EQ(health.at("consecutive_failures").as_int64(), delivery.attempts);
  EXPECT_TRUE(health.at("last_success_at").is_null());
}

Config one_at_a_time_config() {
  Config config = delivery_config();
  config.webhooks.concurrency = 1;
  config.webhooks.timeout = 300ms;
  return config;
}

class WebhookLimitTest : public WebhookDeliveryTest {
 protected:
  WebhookLimitTest() : WebhookDeliveryTest(one_at_a_time_config()) {}
};

TEST_F(WebhookLimitTest, OneRequestAtATimePerEndpointWhenTheLimitIsOne) {
  CreatedWebhook webhook = create_webhook();
  ScriptedResponse slow = status_response(200);
  slow.delay = 30ms;
  receiver_.set_fallback(slow);
  record_events(6);
  ASSERT_TRUE(deliveries_reach(webhook.id, 6, "delivered"));
  EXPECT_EQ(receiver_.max_in_flight(), 1u);
}

TEST_F(WebhookLimitTest, AnEndpointThatDoesNotAnswerInTimeIsRetried) {
  CreatedWebhook webhook = create_webhook();
  ScriptedResponse stall;
  stall.stall = true;
  receiver_.push(stall);
  record_events(1);
  ASSERT_TRUE(deliveries_reach(webhook.id, 1, "delivered"));
  auto delivery = deliveries(webhook.id).front();
  EXPECT_EQ(delivery.attempts, 2);
  ASSERT_EQ(receiver_.count(), 2u);
  EXPECT_EQ(receiver_.received()[0].event_id, receiver_.received()[1].event_id);
}

Config public_targets_only_config() {
  Config config = delivery_config();
  config.allow_private_targets = false;
  config.webhooks.retry_max_age = std::chrono::seconds(1);
  return config;
}

class WebhookSendGuardTest : public WebhookDeliveryTest {
 protected:
  WebhookSendGuardTest() : WebhookDeliveryTest(public_targets_only_config()) {}
};

TEST_F(WebhookSendGuardTest, TheSsrfGuardRefusesEverySendToANonPublicAddress) {
  // Created with a public address, then pointed at loopback behind the API's back (as if its
  // name had resolved to a public address at creation and to a private one since): the
  // dispatcher's own client checks again at every send.
  std::string id = create_webhook(R"(["job.completed"])", "http://93.184.216.34/hooks").id;
  store_write<bool>(context_, store(), [&](storage::Connection& db) {
    auto webhook = storage::find_webhook(db, id);
    webhook->url = receiver_.url();
    storage::update_webhook(db, *webhook);
    return true;
  });
  record_events(1);
  ASSERT_TRUE(deliveries_reach(id, 1, "dead"));
  auto delivery = deliveries(id).front();
  EXPECT_TRUE(delivery.last_error.value_or("").starts_with("unsafe_url: "))
      << delivery.last_error.value_or("");
  EXPECT_FALSE(delivery.last_status_code);
  EXPECT_EQ(receiver_.count(), 0u);
}

TEST(WebhookGracefulStop, ASendStillInFlightAtStopGoesAgainAfterTheRestart) {
  TempDirectory data;
  WebhookReceiver receiver;
  ScriptedResponse hold;
  hold.stall = true;
  receiver.push(hold);
  Config config = test_config_in(data.path());
  config.access_log = false;
  config.allow_private_targets = true;
  config.webhooks.timeout = std::chrono::minutes(1);  // the held request outlasts the stop
  asio::io_context context;
  std::string webhook_id;
  std::string secret;
  {
    TestServer server(config, TestServer::AppSetup{}, DataDirectory::keep);
    Api api(server.port(), *server.app().first_api_key());
    auto created = api.create(
        kWebhooks, join(R"({"url":")", receiver.url(), R"(","events":["job.completed"]})"));
    webhook_id = text_of(created, "id");
    secret = text_of(created, "secret");
    std::string account_id = default_account_id(server.app().store());
    store_write<bool>(context, server.app().store(), [&](storage::Connection& db) {
      return storage::record_webhook_event(db, account_id, "job.completed", {}, storage::now_ms())
          .has_value();
    });
    ASSERT_TRUE(receiver.wait_for(1));
    server.stop();  // returns although the endpoint never answered
  }
  TestServer restarted(config, TestServer::AppSetup{}, DataDirectory::keep);
  ASSERT_TRUE(receiver.wait_for(2));
  auto received = receiver.received();
  EXPECT_EQ(received[1].event_id, received[0].event_id);
  EXPECT_TRUE(signed_with(received[1], secret));
  EXPECT_TRUE(eventually([&] {
    auto log = storage::list_webhook_deliveries(restarted.app().store().reader(), webhook_id, true,
                                                std::nullopt, 10);
    return log.size() == 1 && log[0].status == "delivered";
  }));
}

}  // namespace
}  // namespace seoagents::testing
