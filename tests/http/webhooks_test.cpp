// Over-the-wire tests of /v1/dashboard/webhooks: create (201, the signing secret shown once and
// never again), read, list pages, update, delete, every bad input (400 VALIDATION_ERROR naming
// the field, INVALID_JSON), another account's webhook (403) and a missing one (404), the SSRF
// guard at creation and update when private targets are not allowed (loopback, private,
// link-local, IPv6 loopback and unique-local, a name resolving to 127.0.0.1), verify (a signed
// ping: 2xx verifies, non-2xx or no answer unverifies and says what happened), secret rotation
// (two v1 while the old secret overlaps, only the new one after), the delivery log's pages and
// redelivery.
#include "storage/webhooks.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "storage/webhook_events.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/webhook_receiver.hpp"

namespace seoagents::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kWebhooks = "/v1/dashboard/webhooks";
// A public address written as a literal: no DNS lookup, and nothing connects to it here.
constexpr std::string_view kPublicUrl = "https://93.184.216.34/hooks/seo";
const std::regex kWebhookId("^wh-[0-9a-f]{8}$");
const std::regex kSecret("^whsec_[0-9A-Za-z]{43}$");
const std::regex kTimestamp(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)");
const std::set<std::string> kWebhookMembers{"id",
                                            "url",
                                            "description",
                                            "events",
                                            "enabled",
                                            "verification_status",
                                            "last_verified_at",
                                            "previous_secret_expires_at",
                                            "health",
                                            "created_at",
                                            "updated_at"};

std::string webhook_path(std::string_view id, std::string_view suffix = {}) {
  return join(kWebhooks, "/", id, suffix);
}

std::string body_with_url(std::string_view url,
                          std::string_view events = R"(["job.completed","job.failed"])") {
  return join(R"({"url":")", url, R"(","events":)", events, R"(,"description":"CI hook"})");
}

Config private_targets_config() {
  Config config = test_config();
  config.access_log = false;
  config.allow_private_targets = true;
  config.webhooks.retry_base = 20ms;
  config.webhooks.poll_interval = 50ms;
  config.webhooks.timeout = 2s;
  return config;
}

class WebhooksApiTest : public ::testing::Test {
 protected:
  void SetUp() override { a_.emplace(server_.port(), *server_.app().first_api_key()); }

  const Api& b() {
    if (!b_) {
      TestAccount account = create_account_with_key(context_, store(), "tenant-b");
      b_.emplace(server_.port(), account.key);
    }
    return *b_;
  }

  storage::Store& store() { return server_.app().store(); }

  json::object create(std::string_view url, std::string_view events = R"(["job.completed"])") {
    return a_->create(kWebhooks, body_with_url(url, events));
  }

  // Records `count` job.completed events for the default account, as finishing jobs would.
  std::vector<std::string> record_events(int count) {
    std::string account_id = default_account_id(store());
    return store_write<std::vector<std::string>>(context_, store(), [&](storage::Connection& db) {
      std::vector<std::string> ids;
      for (int i = 0; i < count; ++i) {
        boost::json::object data;
        data["job_id"] = join("content-", std::to_string(20000000 + i));
        ids.push_back(
            storage::record_webhook_event(db, account_id, "job.completed", data, storage::now_ms())
                ->id);
      }
      return ids;
    });
  }

  bool all_delivered(const std::string& webhook_id, std::size_t count) {
    return eventually([&] {
      auto all =
          storage::list_webhook_deliveries(store().reader(), webhook_id, true, std::nullopt, 200);
      return all.size() == count && std::all_of(all.begin(), all.end(), [](const auto& d) {
               return d.status == "delivered";
             });
    });
  }

  WebhookReceiver receiver_;
  // Declared before the server: the store's writer thread posts to it (see store_write).
  asio::io_context context_;
  TestServer server_{private_targets_config()};
  std::optional<Api> a_;
  std::optional<Api> b_;
};

TEST_F(WebhooksApiTest, CreateAnswers201WithTheSecretShownOnlyThere) {
  ClientResponse response = a_->post(kWebhooks, body_with_url(kPublicUrl));
  json::object created = expect_json(response, 201);
  std::string id = text_of(created, "id");
  EXPECT_TRUE(std::regex_match(id, kWebhookId)) << id;
  EXPECT_EQ(response[bhttp::field::location], webhook_path(id));
  std::string secret = text_of(created, "secret");
  EXPECT_TRUE(std::regex_match(secret, kSecret)) << secret;
  std::set<std::string> with_secret = kWebhookMembers;
  with_secret.insert("secret");
  EXPECT_EQ(member_names(created), with_secret);
  EXPECT_EQ(text_of(created, "url"), kPublicUrl);
  EXPECT_EQ(text_of(created, "description"), "CI hook");
  EXPECT_EQ(created.at("events").as_array().size(), 2u);
  EXPECT_TRUE(created.at("enabled").as_bool());
  EXPECT_EQ(text_of(created, "verification_status"), "unverified");
  EXPECT_TRUE(created.at("last_verified_at").is_null());
  EXPECT_TRUE(created.at("previous_secret_expires_at").is_null());
  EXPECT_TRUE(std::regex_match(text_of(created, "created_at"), kTimestamp));
  const auto& health = created.at("health").as_object();
  EXPECT_EQ(text_of(health, "status"), "unknown");
  EXPECT_EQ(health.at("consecutive_failures").as_int64(), 0);
  EXPECT_EQ(health.at("dead_deliveries").as_int64(), 0);
  EXPECT_TRUE(health.at("last_success_at").is_null());

  ClientResponse read = a_->get(webhook_path(id));
  EXPECT_EQ(member_names(expect_json(read, 200)), kWebhookMembers);
  ClientResponse list = a_->get(join(kWebhooks, "?limit=100"));
  EXPECT_EQ(expect_json(list, 200).at("data").as_array().size(), 1u);
  for (const ClientResponse* answer : {&read, &list})
    EXPECT_EQ(answer->body().find(secret.substr(6)), std::string::npos) << answer->body();
  // Stored sealed: the secret's text is nowhere in the database row.
  auto row = storage::find_webhook(store().reader(), id);
  EXPECT_EQ(row->secret_sealed.find(secret), std::string::npos);
}

TEST_F(WebhooksApiTest, EveryBadFieldIsAValidationErrorNamingIt) {
  struct Case {
    std::string body;
    std::string field;
  };
  const std::vector<Case> cases = {
      {R"({"events":["job.completed"]})", "url"},
      {R"({"url":42,"events":["job.completed"]})", "url"},
      {R"({"url":"","events":["job.completed"]})", "url"},
      {R"({"url":"ftp://93.184.216.34/x","events":["job.completed"]})", "url"},
      {R"({"url":"https://93.184.216.34/x#frag","events":["job.completed"]})", "url"},
      {R"({"url":"https://user:pw@93.184.216.34/x","events":["job.completed"]})", "url"},
      {R"({"url":"hooks.example.com/x","events":["job.completed"]})", "url"},
      {join(R"({"url":")", kPublicUrl, R"("})"), "events"},
      {join(R"({"url":")", kPublicUrl, R"(","events":"job.completed"})"), "events"},
      {join(R"({"url":")", kPublicUrl, R"(","events":[]})"), "events"},
      {join(R"({"url":")", kPublicUrl, R"(","events":["job.done"]})"), "events"},
      {join(R"({"url":")", kPublicUrl, R"(","events":["ping"]})"), "events"},
      {join(R"({"url":")", kPublicUrl, R"(","events":[1]})"), "events[0]"},
      {join(R"({"url":")", kPublicUrl, R"(","events":["rank.alert","rank.alert"]})"), "events"},
      {join(R"({"url":")", kPublicUrl, R"(","events":["rank.alert"],"description":7})"),
       "description"},
      {join(R"({"url":")", kPublicUrl, R"(","events":["rank.alert"],"description":")",
            std::string(501, 'd'), "\"}"),
       "description"},
      {join(R"({"url":")", kPublicUrl, R"(","events":["rank.alert"],"secret":"whsec_mine"})"),
       "secret"},
      {join(R"({"url":")", kPublicUrl, R"(","events":["rank.alert"],"enabled":false})"), "enabled"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    expect_validation_error(a_->post(kWebhooks, c.body), c.field);
  }
  expect_error(a_->post(kWebhooks, "{\"url\":"), 400, "INVALID_JSON");
  expect_error(a_->post(kWebhooks, R"(["job.completed"])"), 400, "INVALID_JSON");
  EXPECT_TRUE(
      expect_json(a_->get(join(kWebhooks, "?limit=100")), 200).at("data").as_array().empty());

  std::string id = text_of(create(kPublicUrl), "id");
  for (const Case& c : std::vector<Case>{
           {R"({"enabled":"yes"})", "enabled"},
           {R"({"enabled":1})", "enabled"},
           {R"({"events":[]})", "events"},
           {R"({"events":["audit.completed","nope"]})", "events"},
           {R"({"url":"mailto:x@example.com"})", "url"},
           {R"({"url":null})", "url"},
           {R"({"id":"wh-00000000"})", "id"},
           {R"({"health":{}})", "health"},
       }) {
    SCOPED_TRACE(c.body);
    expect_validation_error(a_->put(webhook_path(id), c.body), c.field);
  }
  expect_error(a_->put(webhook_path(id), "not json"), 400, "INVALID_JSON");
}

TEST_F(WebhooksApiTest, UpdateChangesTheGivenFieldsAndANewUrlIsUnverified) {
  json::object created = create(receiver_.url());
  std::string id = text_of(created, "id");
  ASSERT_TRUE(expect_json(a_->post(webhook_path(id, "/verify"), ""), 200).at("ok").as_bool());
  json::object updated = expect_json(
      a_->put(webhook_path(id), R"({"events":["rank.alert","audit.completed"],"enabled":false})"),
      200);
  EXPECT_EQ(updated.at("events").as_array().size(), 2u);
  EXPECT_EQ(updated.at("events").as_array()[0].as_string(), "rank.alert");
  EXPECT_FALSE(updated.at("enabled").as_bool());
  EXPECT_EQ(text_of(updated, "description"), "CI hook");
  EXPECT_EQ(text_of(updated, "verification_status"), "verified");
  json::object moved =
      expect_json(a_->put(webhook_path(id), join(R"({"url":")", kPublicUrl, R"("})")), 200);
  EXPECT_EQ(text_of(moved, "url"), kPublicUrl);
  EXPECT_EQ(text_of(moved, "verification_status"), "unverified");
  EXPECT_TRUE(moved.at("last_verified_at").is_null());
  EXPECT_EQ(member_names(moved), kWebhookMembers);
  EXPECT_EQ(expect_json(a_->get(webhook_path(id)), 200), moved);
}

TEST_F(WebhooksApiTest, DeleteRemovesTheWebhookAndItsEventsStopGoingThere) {
  std::string id = text_of(create(receiver_.url()), "id");
  json::object removed = expect_json(a_->remove(webhook_path(id)), 200);
  EXPECT_EQ(text_of(removed, "id"), id);
  expect_error(a_->get(webhook_path(id)), 404, "RESOURCE_NOT_FOUND");
  expect_error(a_->remove(webhook_path(id)), 404, "RESOURCE_NOT_FOUND");
  expect_error(a_->post(webhook_path(id, "/verify"), ""), 404, "RESOURCE_NOT_FOUND");
  EXPECT_TRUE(
      expect_json(a_->get(join(kWebhooks, "?limit=100")), 200).at("data").as_array().empty());
  // Nobody subscribes any more: nothing is recorded.
  std::string account_id = default_account_id(store());
  bool recorded = store_write<bool>(context_, store(), [&](storage::Connection& db) {
    return storage::record_webhook_event(db, account_id, "job.completed", {}, storage::now_ms())
        .has_value();
  });
  EXPECT_FALSE(recorded);
}

TEST_F(WebhooksApiTest, AnotherAccountsWebhookIs403AndAMissingOneIs404) {
  std::string id = text_of(create(receiver_.url()), "id");
  const std::string missing = "wh-00000000";
  expect_error(b().get(webhook_path(id)), 403, "FORBIDDEN");
  expect_error(b().put(webhook_path(id), R"({"enabled":false})"), 403, "FORBIDDEN");
  expect_error(b().remove(webhook_path(id)), 403, "FORBIDDEN");
  expect_error(b().post(webhook_path(id, "/verify"), ""), 403, "FORBIDDEN");
  expect_error(b().post(webhook_path(id, "/rotate-secret"), ""), 403, "FORBIDDEN");
  expect_error(b().get(webhook_path(id, "/deliveries")), 403, "FORBIDDEN");
  expect_error(b().post(webhook_path(id, "/deliveries/dlv_00000000/redeliver"), ""), 403,
               "FORBIDDEN");
  EXPECT_TRUE(expect_json(b().get(kWebhooks), 200).at("data").as_array().empty());
  EXPECT_EQ(receiver_.count(), 0u);
  EXPECT_EQ(text_of(expect_json(a_->get(webhook_path(id)), 200), "verification_status"),
            "unverified");
  expect_error(a_->get(webhook_path(missing)), 404, "RESOURCE_NOT_FOUND");
  expect_error(a_->put(webhook_path(missing), R"({"enabled":false})"), 404, "RESOURCE_NOT_FOUND");
  expect_error(a_->remove(webhook_path(missing)), 404, "RESOURCE_NOT_FOUND");
  expect_error(a_->post(webhook_path(missing, "/rotate-secret"), ""), 404, "RESOURCE_NOT_FOUND");
  expect_error(a_->get(webhook_path(missing, "/deliveries")), 404, "RESOURCE_NOT_FOUND");
  expect_error(a_->post(webhook_path(id, "/deliveries/dlv_00000000/redeliver"), ""), 404,
               "RESOURCE_NOT_FOUND");
}

TEST_F(WebhooksApiTest, TheListPagesNewestFirstAndRefusesBadCursorsAndSorts) {
  std::vector<std::string> created;
  for (int i = 0; i < 7; ++i)
    created.push_back(text_of(create(kPublicUrl), "id"));
  ListWalk walk = walk_list(*a_, join(kWebhooks, "?limit=3"));
  EXPECT_TRUE(walk.ended);
  EXPECT_EQ(walk.pages, 3);
  std::vector<std::string> listed = ids_of(walk.items);
  ASSERT_EQ(listed.size(), 7u);
  EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()),
            std::set<std::string>(created.begin(), created.end()));
  for (std::size_t i = 1; i < walk.items.size(); ++i) {
    EXPECT_GE(text_of(walk.items[i - 1], "created_at"), text_of(walk.items[i], "created_at"));
  }
  ListWalk ascending = walk_list(*a_, join(kWebhooks, "?limit=2&sort=created_at:asc"));
  std::vector<std::string> reversed = ids_of(ascending.items);
  std::reverse(reversed.begin(), reversed.end());
  EXPECT_EQ(reversed, listed);
  std::string cursor =
      text_of(expect_json(a_->get(join(kWebhooks, "?limit=2")), 200), "next_cursor");
  ASSERT_FALSE(cursor.empty());
  std::string tampered = cursor;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  expect_error(a_->get(join(kWebhooks, "?limit=2&cursor=", tampered)), 400, "INVALID_CURSOR");
  // Another account cannot continue this account's list.
  expect_error(b().get(join(kWebhooks, "?limit=2&cursor=", cursor)), 400, "INVALID_CURSOR");
  expect_validation_error(a_->get(join(kWebhooks, "?sort=url:asc")), "sort");
  expect_validation_error(a_->get(join(kWebhooks, "?limit=0")), "limit");
  expect_validation_error(a_->get(join(kWebhooks, "?limit=101")), "limit");
}

TEST_F(WebhooksApiTest, VerifySendsASignedPingAndA2xxVerifies) {
  json::object created = create(receiver_.url("/ping-here"));
  std::string id = text_of(created, "id");
  json::object answer = expect_json(a_->post(webhook_path(id, "/verify"), ""), 200);
  EXPECT_TRUE(answer.at("ok").as_bool());
  EXPECT_EQ(answer.at("status_code").as_int64(), 200);
  EXPECT_TRUE(answer.at("error").is_null());
  EXPECT_EQ(text_of(answer, "response_excerpt"), R"({"received":true})");
  const auto& shown = answer.at("webhook").as_object();
  EXPECT_EQ(text_of(shown, "verification_status"), "verified");
  EXPECT_TRUE(std::regex_match(text_of(shown, "last_verified_at"), kTimestamp));
  ASSERT_EQ(receiver_.count(), 1u);
  ReceivedWebhook ping = receiver_.received()[0];
  EXPECT_EQ(ping.request.target, "/ping-here");
  EXPECT_EQ(ping.event_type, "ping");
  EXPECT_EQ(ping.event_id, text_of(answer, "event_id"));
  EXPECT_EQ(text_of(ping.payload, "type"), "ping");
  EXPECT_EQ(text_of(ping.payload.at("data").as_object(), "webhook_id"), id);
  EXPECT_TRUE(signed_with(ping, text_of(created, "secret")));
  EXPECT_EQ(text_of(expect_json(a_->get(webhook_path(id)), 200), "verification_status"),
            "verified");
}

TEST_F(WebhooksApiTest, VerifyAgainstA500OrNoAnswerUnverifiesAndSaysWhatHappened) {
  std::string id = text_of(create(receiver_.url()), "id");
  ASSERT_TRUE(expect_json(a_->post(webhook_path(id, "/verify"), ""), 200).at("ok").as_bool());
  ScriptedResponse failure = status_response(500);
  failure.body = "upstream exploded\n\x01";
  receiver_.push(failure);
  json::object answer = expect_json(a_->post(webhook_path(id, "/verify"), ""), 200);
  EXPECT_FALSE(answer.at("ok").as_bool());
  EXPECT_EQ(answer.at("status_code").as_int64(), 500);
  EXPECT_EQ(text_of(answer, "error"), "HTTP 500");
  EXPECT_EQ(text_of(answer, "response_excerpt"), "upstream exploded??");
  EXPECT_EQ(text_of(answer.at("webhook").as_object(), "verification_status"), "unverified");

  ScriptedResponse redirect = status_response(301);
  redirect.headers.emplace_back("Location", "https://93.184.216.34/moved");
  receiver_.push(redirect);
  answer = expect_json(a_->post(webhook_path(id, "/verify"), ""), 200);
  EXPECT_FALSE(answer.at("ok").as_bool());
  EXPECT_EQ(text_of(answer, "error"),
            "HTTP 301 redirect to https://93.184.216.34/moved (not followed)");
  EXPECT_EQ(receiver_.count(), 3u);

  // Nothing listens on a port the test just closed: no status, a connection error.
  std::uint16_t closed_port = 0;
  {
    WebhookReceiver gone;
    closed_port = gone.port();
  }
  std::string unreachable =
      text_of(create(join("http://127.0.0.1:", std::to_string(closed_port), "/x")), "id");
  answer = expect_json(a_->post(webhook_path(unreachable, "/verify"), ""), 200);
  EXPECT_FALSE(answer.at("ok").as_bool());
  EXPECT_TRUE(answer.at("status_code").is_null());
  EXPECT_TRUE(text_of(answer, "error").starts_with("connect: ")) << text_of(answer, "error");
}

TEST_F(WebhooksApiTest, RotationSignsWithBothSecretsFor24HoursThenOnlyTheNewOne) {
  json::object created = create(receiver_.url());
  std::string id = text_of(created, "id");
  std::string old_secret = text_of(created, "secret");
  json::object rotated = expect_json(a_->post(webhook_path(id, "/rotate-secret"), ""), 200);
  std::string new_secret = text_of(rotated, "secret");
  EXPECT_TRUE(std::regex_match(new_secret, kSecret));
  EXPECT_NE(new_secret, old_secret);
  auto overlap_end = parse_rfc3339_ms(text_of(rotated, "previous_secret_expires_at"));
  ASSERT_TRUE(overlap_end);
  EXPECT_NEAR(static_cast<double>(*overlap_end - storage::now_ms()), 24.0 * 3'600'000, 60'000);
  EXPECT_EQ(expect_json(a_->get(webhook_path(id)), 200).count("secret"), 0u);

  ASSERT_TRUE(expect_json(a_->post(webhook_path(id, "/verify"), ""), 200).at("ok").as_bool());
  ReceivedWebhook during = receiver_.received().back();
  ASSERT_EQ(during.v1.size(), 2u);
  EXPECT_EQ(during.v1[0], expected_signature(new_secret, during.timestamp, during.request.body));
  EXPECT_EQ(during.v1[1], expected_signature(old_secret, during.timestamp, during.request.body));

  // 24 hours later (the overlap's end moved into the past): only the new secret signs.
  store_write<bool>(context_, store(), [&](storage::Connection& db) {
    auto webhook = storage::find_webhook(db, id);
    webhook->previous_secret_expires_at = storage::now_ms() - 1;
    storage::update_webhook(db, *webhook);
    return true;
  });
  EXPECT_TRUE(
      expect_json(a_->get(webhook_path(id)), 200).at("previous_secret_expires_at").is_null());
  record_events(1);
  ASSERT_TRUE(all_delivered(id, 1));
  ReceivedWebhook after = receiver_.received().back();
  EXPECT_EQ(after.event_type, "job.completed");
  ASSERT_EQ(after.v1.size(), 1u);
  EXPECT_TRUE(signed_with(after, new_secret));
  EXPECT_FALSE(signed_with(after, old_secret));
}

TEST_F(WebhooksApiTest, TheDeliveryLogPagesNewestFirstWithEachAttemptsOutcome) {
  std::string id = text_of(create(receiver_.url()), "id");
  receiver_.fail_next(1, 502);
  std::vector<std::string> events = record_events(5);
  ASSERT_TRUE(all_delivered(id, 5));
  ListWalk walk = walk_list(*a_, join(webhook_path(id, "/deliveries"), "?limit=2"));
  EXPECT_TRUE(walk.ended);
  EXPECT_EQ(walk.pages, 3);
  ASSERT_EQ(walk.items.size(), 5u);
  std::set<std::string> seen_events;
  int retried = 0;
  for (std::size_t i = 0; i < walk.items.size(); ++i) {
    const json::object& delivery = walk.items[i];
    EXPECT_EQ(member_names(delivery),
              (std::set<std::string>{"id", "webhook_id", "event_id", "event_type", "status",
                                     "attempts", "last_status_code", "last_latency_ms",
                                     "last_error", "next_attempt_at", "redelivery_of", "created_at",
                                     "updated_at", "delivered_at"}));
    EXPECT_TRUE(text_of(delivery, "id").starts_with("dlv_"));
    EXPECT_EQ(text_of(delivery, "webhook_id"), id);
    EXPECT_EQ(text_of(delivery, "event_type"), "job.completed");
    EXPECT_EQ(text_of(delivery, "status"), "delivered");
    EXPECT_EQ(delivery.at("last_status_code").as_int64(), 200);
    EXPECT_GE(delivery.at("last_latency_ms").as_int64(), 0);
    EXPECT_TRUE(delivery.at("last_error").is_null());
    EXPECT_TRUE(delivery.at("next_attempt_at").is_null());
    EXPECT_TRUE(std::regex_match(text_of(delivery, "delivered_at"), kTimestamp));
    if (delivery.at("attempts").as_int64() == 2) ++retried;
    seen_events.insert(text_of(delivery, "event_id"));
    if (i > 0) {
      EXPECT_GE(text_of(walk.items[i - 1], "created_at"), text_of(delivery, "created_at"));
    }
  }
  EXPECT_EQ(retried, 1);
  EXPECT_EQ(seen_events, std::set<std::string>(events.begin(), events.end()));
  expect_validation_error(a_->get(join(webhook_path(id, "/deliveries"), "?sort=status:asc")),
                          "sort");
  // A cursor of one webhook's log is no cursor of another's.
  std::string other = text_of(create(receiver_.url()), "id");
  std::string cursor = text_of(
      expect_json(a_->get(join(webhook_path(id, "/deliveries"), "?limit=2")), 200), "next_cursor");
  expect_error(a_->get(join(webhook_path(other, "/deliveries"), "?limit=2&cursor=", cursor)), 400,
               "INVALID_CURSOR");
}

TEST_F(WebhooksApiTest, RedeliverySendsTheSameEventAgainAsANewDelivery) {
  json::object created = create(receiver_.url());
  std::string id = text_of(created, "id");
  record_events(1);
  ASSERT_TRUE(all_delivered(id, 1));
  auto log = expect_json(a_->get(webhook_path(id, "/deliveries")), 200).at("data").as_array();
  std::string original = text_of(log[0].as_object(), "id");
  std::string event_id = text_of(log[0].as_object(), "event_id");

  json::object again = expect_json(
      a_->post(webhook_path(id, join("/deliveries/", original, "/redeliver")), ""), 202);
  EXPECT_NE(text_of(again, "id"), original);
  EXPECT_EQ(text_of(again, "event_id"), event_id);
  EXPECT_EQ(text_of(again, "redelivery_of"), original);
  EXPECT_EQ(text_of(again, "status"), "pending");
  ASSERT_TRUE(all_delivered(id, 2));
  auto received = receiver_.received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[1].event_id, event_id);
  EXPECT_EQ(received[1].request.body, received[0].request.body);
  EXPECT_TRUE(signed_with(received[1], text_of(created, "secret")));

  // A delivery of another webhook is not one of this webhook's.
  std::string other = text_of(create(receiver_.url()), "id");
  expect_error(a_->post(webhook_path(other, join("/deliveries/", original, "/redeliver")), ""), 404,
               "RESOURCE_NOT_FOUND");
  // A disabled webhook gets nothing, redeliveries included.
  expect_json(a_->put(webhook_path(id), R"({"enabled":false})"), 200);
  expect_error(a_->post(webhook_path(id, join("/deliveries/", original, "/redeliver")), ""), 409,
               "CONFLICT");
}

TEST_F(WebhooksApiTest, APendingDeliveryIsNotRedeliveredTwice) {
  std::string id = text_of(create(receiver_.url()), "id");
  receiver_.set_fallback(status_response(503));
  record_events(1);
  ASSERT_TRUE(receiver_.wait_for(1));
  std::string pending;
  ASSERT_TRUE(eventually([&] {
    auto all = storage::list_webhook_deliveries(store().reader(), id, true, std::nullopt, 10);
    if (all.empty() || !all[0].last_status_code) return false;
    pending = all[0].id;
    return true;
  }));
  expect_error(a_->post(webhook_path(id, join("/deliveries/", pending, "/redeliver")), ""), 409,
               "CONFLICT");
}

// --- the SSRF guard, with private targets not allowed (the default) ---

class WebhookSsrfTest : public ::testing::Test {
 protected:
  void SetUp() override { api_.emplace(server_.port(), *server_.app().first_api_key()); }
  TestServer server_{test_config()};
  std::optional<Api> api_;
};

TEST_F(WebhookSsrfTest, UrlsOfNonPublicAddressesAreRefusedAtCreationAndUpdate) {
  for (std::string_view url :
       {"http://127.0.0.1:8080/hooks", "http://10.1.2.3/hooks", "http://192.168.1.20/hooks",
        "http://169.254.169.254/latest/meta", "http://[::1]:8080/hooks", "http://[fc00::1]/hooks",
        "http://[::ffff:127.0.0.1]/hooks", "http://localhost:8080/hooks"}) {
    SCOPED_TRACE(url);
    json::object error = expect_error(api_->post(kWebhooks, body_with_url(url)), 400, "UNSAFE_URL");
    EXPECT_EQ(detail_fields(error), std::set<std::string>{"url"});
  }
  EXPECT_TRUE(
      expect_json(api_->get(join(kWebhooks, "?limit=100")), 200).at("data").as_array().empty());
  std::string id = text_of(api_->create(kWebhooks, body_with_url(kPublicUrl)), "id");
  expect_error(api_->put(webhook_path(id), R"({"url":"http://10.0.0.7/x"})"), 400, "UNSAFE_URL");
  expect_error(api_->put(webhook_path(id), R"({"url":"http://localhost/x"})"), 400, "UNSAFE_URL");
  EXPECT_EQ(text_of(expect_json(api_->get(webhook_path(id)), 200), "url"), kPublicUrl);
}

}  // namespace
}  // namespace seoagents::testing
