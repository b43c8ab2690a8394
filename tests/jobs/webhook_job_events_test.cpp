// The job engine's other way of failing a job records job.failed too: a job left processing on
// its last attempt by a server that died is failed by the next start's lease reclaim, and the
// same write records the event and its delivery (real store, real engine).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "jobs/engine.hpp"
#include "storage/agents.hpp"
#include "storage/jobs.hpp"
#include "storage/webhooks.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::jobs {
namespace {

using storage::Connection;

class WebhookJobEventsTest : public ::testing::Test {
 protected:
  template <class T>
  T write(const std::function<T(Connection&)>& work) {
    auto result = store_.write_before_start<T>(work);
    if (!result) throw std::runtime_error(result.error().detail);
    return std::move(*result);
  }

  // A job of the account on its last attempt, processing under a lease nobody renews.
  storage::Job interrupted_job(const std::string& account_id) {
    return write<storage::Job>([&](Connection& db) {
      storage::Agent agent;
      agent.account_id = account_id;
      agent.name = "writer";
      agent.keywords = {"alpha"};
      agent = storage::insert_agent(db, agent);
      storage::Job job;
      job.account_id = account_id;
      job.agent_id = agent.id;
      job.job_type = "create";
      job.keyword = "alpha";
      job.max_attempts = 1;
      storage::insert_job(db, job, storage::now_ms());
      return *storage::claim_next_job(db, storage::now_ms(), 30'000, "dead-worker");
    });
  }

  storage::Webhook subscribe(const std::string& account_id, std::vector<std::string> events) {
    storage::Webhook webhook;
    webhook.id = storage::new_webhook_id();
    webhook.account_id = account_id;
    webhook.url = "https://93.184.216.34/hooks";
    webhook.events = std::move(events);
    webhook.secret_sealed = "sealed";
    webhook.created_at = webhook.updated_at = storage::now_ms();
    return write<storage::Webhook>([&](Connection& db) {
      storage::insert_webhook(db, webhook);
      return webhook;
    });
  }

  seoagents::testing::TempDirectory directory_;
  Logger logger_{LogLevel::error, [](std::string_view) {}};
  storage::Store store_{storage::Store::Options{directory_.path() + "/seoagents.db"}, logger_};
};

TEST_F(WebhookJobEventsTest, AJobFailedByTheLeaseReclaimAtStartRecordsJobFailed) {
  auto account = write<storage::Account>(
      [](Connection& db) { return storage::create_account(db, "acme", storage::Plan::agency); });
  storage::Webhook failures = subscribe(account.id, {"job.failed"});
  storage::Webhook completions = subscribe(account.id, {"job.completed"});
  storage::Job job = interrupted_job(account.id);

  LoopPool loops(1);
  JobEngine engine(store_, loops, logger_, EngineOptions{}, storage::now_ms);
  engine.recover_before_start();

  EXPECT_EQ(storage::find_job(store_.reader(), job.id)->status, "failed");
  EXPECT_TRUE(
      storage::list_webhook_deliveries(store_.reader(), completions.id, true, std::nullopt, 10)
          .empty());
  storage::ClaimRequest claim;
  claim.now = storage::now_ms();
  claim.lease_ms = 1000;
  claim.token = "t";
  claim.limit = 10;
  auto claimed = write<std::vector<storage::ClaimedDelivery>>(
      [&](Connection& db) { return storage::claim_due_deliveries(db, claim); });
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].delivery.webhook_id, failures.id);
  EXPECT_EQ(claimed[0].delivery.event_type, "job.failed");
  auto payload = boost::json::parse(claimed[0].payload).as_object();
  EXPECT_EQ(payload.at("type").as_string(), "job.failed");
  const auto& data = payload.at("data").as_object();
  EXPECT_EQ(data.at("job_id").as_string(), job.id);
  EXPECT_EQ(data.at("status").as_string(), "failed");
  EXPECT_EQ(data.at("attempts").as_int64(), 1);
  EXPECT_TRUE(data.at("error").is_string());
}

}  // namespace
}  // namespace seoagents::jobs
