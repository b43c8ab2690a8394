// Tests of the webhook repository and the delivery queue: CRUD and soft delete, keyset pages,
// the outbox (an event gets one delivery per subscribed enabled webhook), claims under a lease
// with the per-webhook limit, a lost claim coming back once it expires, the outcome of attempts
// (delivered, retried, dead) with the endpoint's health, the release at start, redelivery, and
// the delivery log newest first.
#include "storage/webhooks.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <regex>
#include <set>

#include "storage/webhook_events.hpp"
#include "tests/storage/store_fixture.hpp"

namespace seoagents::storage {
namespace {

constexpr std::int64_t kBaseTime = 1'700'000'000'000;
constexpr std::int64_t kLease = 60'000;

class WebhooksStoreTest : public fixtures::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    account_ = new_account("acme");
    other_ = new_account("globex");
  }

  Webhook sample(const std::string& account_id,
                 std::vector<std::string> events = {"job.completed", "job.failed"}) {
    Webhook webhook;
    webhook.id = new_webhook_id();
    webhook.account_id = account_id;
    webhook.url = "https://hooks.example.com/seo";
    webhook.description = "CI";
    webhook.events = std::move(events);
    webhook.secret_sealed = std::string("\x00\x01\xfe sealed", 10);
    webhook.created_at = webhook.updated_at = kBaseTime;
    return webhook;
  }

  Webhook inserted(const std::string& account_id,
                   std::vector<std::string> events = {"job.completed", "job.failed"}) {
    Webhook webhook = sample(account_id, std::move(events));
    write<bool>([&](Connection& db) {
      insert_webhook(db, webhook);
      return true;
    });
    return webhook;
  }

  std::optional<RecordedEvent> record(const std::string& account_id, std::string_view type,
                                      std::int64_t now = kBaseTime) {
    boost::json::object data;
    data["job_id"] = "content-00000001";
    return write<std::optional<RecordedEvent>>(
        [&](Connection& db) { return record_webhook_event(db, account_id, type, data, now); });
  }

  std::vector<ClaimedDelivery> claim(std::int64_t now, std::int64_t per_webhook_limit = 4,
                                     std::map<std::string, std::int64_t> in_flight = {},
                                     std::string token = "token-1") {
    ClaimRequest request;
    request.now = now;
    request.lease_ms = kLease;
    request.token = std::move(token);
    request.limit = 64;
    request.per_webhook_limit = per_webhook_limit;
    request.in_flight = std::move(in_flight);
    return write<std::vector<ClaimedDelivery>>(
        [&](Connection& db) { return claim_due_deliveries(db, request); });
  }

  bool succeed(const std::string& delivery_id, std::int64_t now, std::string token = "token-1") {
    AttemptResult attempt{200, 12, ""};
    return write<bool>([&](Connection& db) {
      return record_delivery_success(db, delivery_id, token, attempt, now);
    });
  }

  bool fail(const std::string& delivery_id, std::optional<std::int64_t> retry_at, std::int64_t now,
            std::string token = "token-1") {
    AttemptResult attempt{503, 7, "HTTP 503"};
    return write<bool>([&](Connection& db) {
      return record_delivery_failure(db, delivery_id, token, attempt, retry_at, now);
    });
  }

  WebhookDelivery delivery(const std::string& id) { return *find_webhook_delivery(db(), id); }
  Webhook webhook(const std::string& id) { return *find_webhook(db(), id); }

  Account account_;
  Account other_;
};

TEST_F(WebhooksStoreTest, InsertFindUpdateKeepEveryField) {
  Webhook original = inserted(account_.id);
  EXPECT_TRUE(std::regex_match(original.id, std::regex("wh-[0-9a-f]{8}")));
  Webhook found = webhook(original.id);
  EXPECT_EQ(found.account_id, account_.id);
  EXPECT_EQ(found.url, original.url);
  EXPECT_EQ(found.description, "CI");
  EXPECT_EQ(found.events, (std::vector<std::string>{"job.completed", "job.failed"}));
  EXPECT_TRUE(found.enabled);
  EXPECT_EQ(found.secret_sealed, original.secret_sealed);
  EXPECT_FALSE(found.previous_secret_sealed);
  EXPECT_EQ(found.verification_status, "unverified");
  EXPECT_EQ(found.consecutive_failures, 0);
  EXPECT_EQ(found.dead_deliveries, 0);

  found.url = "https://other.example.com/h";
  found.events = {"rank.alert"};
  found.enabled = false;
  found.previous_secret_sealed = std::string("\x00old", 4);
  found.previous_secret_expires_at = kBaseTime + 10;
  found.verification_status = "verified";
  found.last_verified_at = kBaseTime + 5;
  found.updated_at = kBaseTime + 6;
  write<bool>([&](Connection& db) {
    update_webhook(db, found);
    return true;
  });
  Webhook updated = webhook(original.id);
  EXPECT_EQ(updated.url, "https://other.example.com/h");
  EXPECT_EQ(updated.events, std::vector<std::string>{"rank.alert"});
  EXPECT_FALSE(updated.enabled);
  EXPECT_EQ(updated.previous_secret_sealed, std::string("\x00old", 4));
  EXPECT_EQ(updated.previous_secret_expires_at, kBaseTime + 10);
  EXPECT_EQ(updated.verification_status, "verified");
  EXPECT_EQ(updated.last_verified_at, kBaseTime + 5);
  EXPECT_EQ(updated.updated_at, kBaseTime + 6);
}

TEST_F(WebhooksStoreTest, SigningSecretsIncludeThePreviousOneOnlyWhileItsOverlapLasts) {
  Webhook hook = sample(account_.id);
  EXPECT_EQ(signing_secrets_sealed(hook, kBaseTime).size(), 1u);
  hook.previous_secret_sealed = "old";
  hook.previous_secret_expires_at = kBaseTime + 1000;
  EXPECT_EQ(signing_secrets_sealed(hook, kBaseTime + 999),
            (std::vector<std::string>{hook.secret_sealed, "old"}));
  EXPECT_EQ(signing_secrets_sealed(hook, kBaseTime + 1000),
            std::vector<std::string>{hook.secret_sealed});
}

TEST_F(WebhooksStoreTest, ListsPageByCreatedAtPerAccountWithoutDeletedOnes) {
  std::vector<Webhook> mine;
  for (int i = 0; i < 7; ++i) {
    Webhook hook = sample(account_.id);
    hook.created_at = hook.updated_at = kBaseTime + (i % 3);  // ties broken by id
    write<bool>([&](Connection& db) {
      insert_webhook(db, hook);
      return true;
    });
    mine.push_back(hook);
  }
  inserted(other_.id);
  write<bool>([&](Connection& db) { return delete_webhook(db, mine[0].id, kBaseTime + 50); });
  mine.erase(mine.begin());
  for (bool descending : {false, true}) {
    auto ids = fixtures::walk_pages<Webhook>(
        [&](const std::optional<PagePosition>& after, std::size_t limit) {
          return list_webhooks(db(), account_.id, "created_at", descending, after, limit);
        },
        [](const Webhook& hook) { return webhook_position(hook, "created_at"); }, 2);
    EXPECT_EQ(ids,
              fixtures::keyset_order<Webhook>(
                  mine, [](const Webhook& hook) { return webhook_position(hook, "created_at"); },
                  descending));
  }
}

TEST_F(WebhooksStoreTest, AnEventGetsOneDeliveryPerSubscribedEnabledWebhookOfItsAccount) {
  Webhook jobs = inserted(account_.id, {"job.completed"});
  Webhook ranks = inserted(account_.id, {"rank.alert"});
  Webhook disabled = inserted(account_.id, {"job.completed"});
  disabled.enabled = false;
  write<bool>([&](Connection& db) {
    update_webhook(db, disabled);
    return true;
  });
  Webhook foreign = inserted(other_.id, {"job.completed"});
  auto event = record(account_.id, "job.completed");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->deliveries, 1);
  EXPECT_TRUE(std::regex_match(event->id, std::regex("evt_[0-9a-f]{16}")));
  auto payload = boost::json::parse(event->payload).as_object();
  EXPECT_EQ(payload.at("id").as_string(), event->id);
  EXPECT_EQ(payload.at("type").as_string(), "job.completed");
  EXPECT_EQ(payload.at("created_at").as_string(), "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(payload.at("data").as_object().at("job_id").as_string(), "content-00000001");
  auto claimed = claim(kBaseTime);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].delivery.webhook_id, jobs.id);
  EXPECT_EQ(claimed[0].payload, event->payload);
  EXPECT_EQ(claimed[0].delivery.event_type, "job.completed");
  // Nobody subscribes to audit.completed: nothing is written.
  EXPECT_FALSE(record(account_.id, "audit.completed"));
  EXPECT_THROW(record(account_.id, "job.exploded"), std::exception);
  (void)ranks;
  (void)foreign;
}

TEST_F(WebhooksStoreTest, AClaimHoldsADeliveryUntilItsLeaseExpiresThenItComesBack) {
  Webhook hook = inserted(account_.id);
  record(account_.id, "job.completed");
  auto first = claim(kBaseTime);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].delivery.attempts, 1);
  EXPECT_EQ(first[0].url, hook.url);
  EXPECT_EQ(first[0].secrets_sealed, std::vector<std::string>{hook.secret_sealed});
  EXPECT_TRUE(claim(kBaseTime + kLease - 1).empty());
  EXPECT_EQ(next_delivery_due(db()), kBaseTime + kLease);
  // The claimer died: once the lease expires another claim takes it, and the old token is void.
  auto second = claim(kBaseTime + kLease, 4, {}, "token-2");
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].delivery.attempts, 2);
  EXPECT_FALSE(succeed(first[0].delivery.id, kBaseTime + kLease + 1, "token-1"));
  EXPECT_TRUE(succeed(first[0].delivery.id, kBaseTime + kLease + 1, "token-2"));
  EXPECT_EQ(delivery(first[0].delivery.id).status, "delivered");
}

TEST_F(WebhooksStoreTest, ClaimsNeverPassTheLimitPerWebhookCountingThoseInFlight) {
  Webhook busy = inserted(account_.id, {"job.completed"});
  for (int i = 0; i < 5; ++i)
    record(account_.id, "job.completed", kBaseTime + i);
  Webhook quiet = inserted(account_.id, {"job.failed"});
  record(account_.id, "job.failed", kBaseTime + 10);
  auto claimed = claim(kBaseTime + 100, 2, {{busy.id, 1}});
  std::map<std::string, int> per_webhook;
  for (const auto& c : claimed)
    ++per_webhook[c.delivery.webhook_id];
  EXPECT_EQ(per_webhook[busy.id], 1);
  EXPECT_EQ(per_webhook[quiet.id], 1);
  // A full webhook does not hide the others' due deliveries.
  auto more = claim(kBaseTime + 100, 2, {{busy.id, 2}});
  EXPECT_TRUE(more.empty());
}

TEST_F(WebhooksStoreTest, DisabledWebhooksDeliveriesWaitAndDeletedOnesAreGivenUp) {
  Webhook hook = inserted(account_.id);
  auto event = record(account_.id, "job.failed");
  ASSERT_TRUE(event);
  hook.enabled = false;
  write<bool>([&](Connection& db) {
    update_webhook(db, hook);
    return true;
  });
  EXPECT_TRUE(claim(kBaseTime).empty());
  hook.enabled = true;
  write<bool>([&](Connection& db) {
    update_webhook(db, hook);
    return true;
  });
  auto claimed = claim(kBaseTime);
  ASSERT_EQ(claimed.size(), 1u);
  record(account_.id, "job.failed");
  EXPECT_TRUE(write<bool>([&](Connection& db) { return delete_webhook(db, hook.id, kBaseTime); }));
  EXPECT_FALSE(find_webhook(db(), hook.id));
  EXPECT_FALSE(write<bool>([&](Connection& db) { return delete_webhook(db, hook.id, kBaseTime); }));
  EXPECT_TRUE(claim(kBaseTime + 10 * kLease).empty());
  EXPECT_EQ(delivery(claimed[0].delivery.id).status, "dead");
  EXPECT_EQ(delivery(claimed[0].delivery.id).last_error, "the webhook was deleted");
}

TEST_F(WebhooksStoreTest, FailuresRetryOrDieAndTheWebhookHealthCountsThem) {
  Webhook hook = inserted(account_.id);
  record(account_.id, "job.completed");
  auto claimed = claim(kBaseTime);
  const std::string id = claimed[0].delivery.id;
  ASSERT_TRUE(fail(id, kBaseTime + 500, kBaseTime + 10));
  WebhookDelivery retrying = delivery(id);
  EXPECT_EQ(retrying.status, "pending");
  EXPECT_EQ(retrying.next_attempt_at, kBaseTime + 500);
  EXPECT_EQ(retrying.last_status_code, 503);
  EXPECT_EQ(retrying.last_latency_ms, 7);
  EXPECT_EQ(retrying.last_error, "HTTP 503");
  EXPECT_FALSE(fail(id, kBaseTime + 600, kBaseTime + 11));  // the claim ended
  EXPECT_TRUE(claim(kBaseTime + 499).empty());
  ASSERT_EQ(claim(kBaseTime + 500, 4, {}, "token-2").size(), 1u);
  ASSERT_TRUE(fail(id, std::nullopt, kBaseTime + 510, "token-2"));
  WebhookDelivery dead = delivery(id);
  EXPECT_EQ(dead.status, "dead");
  EXPECT_EQ(dead.attempts, 2);
  EXPECT_FALSE(dead.next_attempt_at);
  Webhook health = webhook(hook.id);
  EXPECT_EQ(health.consecutive_failures, 2);
  EXPECT_EQ(health.dead_deliveries, 1);
  EXPECT_EQ(health.last_failure_at, kBaseTime + 510);
  EXPECT_FALSE(health.last_success_at);

  record(account_.id, "job.completed", kBaseTime + 600);
  auto next = claim(kBaseTime + 600, 4, {}, "token-3");
  ASSERT_EQ(next.size(), 1u);
  ASSERT_TRUE(succeed(next[0].delivery.id, kBaseTime + 620, "token-3"));
  WebhookDelivery delivered = delivery(next[0].delivery.id);
  EXPECT_EQ(delivered.status, "delivered");
  EXPECT_EQ(delivered.delivered_at, kBaseTime + 620);
  EXPECT_FALSE(delivered.last_error);
  health = webhook(hook.id);
  EXPECT_EQ(health.consecutive_failures, 0);
  EXPECT_EQ(health.last_success_at, kBaseTime + 620);
  EXPECT_EQ(health.dead_deliveries, 1);
}

TEST_F(WebhooksStoreTest, ReleasingLeasesAtStartMakesClaimedDeliveriesDueAtOnce) {
  inserted(account_.id);
  record(account_.id, "job.completed");
  record(account_.id, "job.failed");
  auto claimed = claim(kBaseTime);
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_EQ(write<std::int64_t>(
                [](Connection& db) { return release_delivery_leases(db, kBaseTime + 1); }),
            2);
  auto again = claim(kBaseTime + 1, 4, {}, "token-2");
  EXPECT_EQ(again.size(), 2u);
  for (const auto& c : again)
    EXPECT_EQ(c.delivery.attempts, 2);
}

TEST_F(WebhooksStoreTest, RedeliveryIsANewDeliveryOfTheSameEvent) {
  inserted(account_.id);
  auto event = record(account_.id, "job.completed");
  auto claimed = claim(kBaseTime);
  ASSERT_TRUE(succeed(claimed[0].delivery.id, kBaseTime + 1));
  WebhookDelivery original = delivery(claimed[0].delivery.id);
  WebhookDelivery again = write<WebhookDelivery>(
      [&](Connection& db) { return redeliver(db, original, kBaseTime + 100); });
  EXPECT_NE(again.id, original.id);
  EXPECT_TRUE(std::regex_match(again.id, std::regex("dlv_[0-9a-f]{8}")));
  EXPECT_EQ(again.event_id, event->id);
  EXPECT_EQ(again.redelivery_of, original.id);
  EXPECT_EQ(delivery(again.id).status, "pending");
  EXPECT_EQ(delivery(again.id).event_type, "job.completed");
  auto resent = claim(kBaseTime + 100, 4, {}, "token-2");
  ASSERT_EQ(resent.size(), 1u);
  EXPECT_EQ(resent[0].delivery.id, again.id);
  EXPECT_EQ(resent[0].payload, event->payload);
  EXPECT_EQ(delivery(original.id).status, "delivered");
}

TEST_F(WebhooksStoreTest, TheDeliveryLogPagesNewestFirstPerWebhook) {
  Webhook hook = inserted(account_.id);
  std::vector<WebhookDelivery> all;
  for (int i = 0; i < 9; ++i)
    record(account_.id, "job.completed", kBaseTime + i / 2);
  inserted(other_.id);
  record(other_.id, "job.completed");
  auto ids = fixtures::walk_pages<WebhookDelivery>(
      [&](const std::optional<PagePosition>& after, std::size_t limit) {
        return list_webhook_deliveries(db(), hook.id, true, after, limit);
      },
      [](const WebhookDelivery& d) { return delivery_position(d); }, 4);
  ASSERT_EQ(ids.size(), 9u);
  for (const auto& id : ids)
    all.push_back(delivery(id));
  EXPECT_EQ(ids, fixtures::keyset_order<WebhookDelivery>(
                     all, [](const WebhookDelivery& d) { return delivery_position(d); }, true));
  for (const auto& d : all) {
    EXPECT_EQ(d.webhook_id, hook.id);
    EXPECT_EQ(d.event_type, "job.completed");
  }
}

}  // namespace
}  // namespace seoagents::storage
