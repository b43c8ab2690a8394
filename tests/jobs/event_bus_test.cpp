// Tests of the job event bus: delivery on the subscriber's executor, filtering by account and
// job, and a subscription that ends when its handle goes (nothing delivered after).
#include "jobs/event_bus.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

namespace seoagents::jobs {
namespace {

JobUpdate update(std::string account_id, std::string job_id, std::int64_t seq) {
  storage::JobEvent event;
  event.job_id = std::move(job_id);
  event.seq = seq;
  event.step = "draft";
  return JobUpdate{std::move(account_id), "create", "processing", std::move(event)};
}

TEST(JobEventBus, UpdatesReachMatchingSubscribersOnTheirExecutor) {
  JobEventBus bus;
  asio::io_context context;
  std::vector<std::int64_t> all_of_account;
  std::vector<std::int64_t> one_job;
  auto account = bus.subscribe("acct-1", std::nullopt, context.get_executor(),
                               [&](const JobUpdate& u) { all_of_account.push_back(u.event.seq); });
  auto job = bus.subscribe("acct-1", "content-1", context.get_executor(),
                           [&](const JobUpdate& u) { one_job.push_back(u.event.seq); });
  EXPECT_EQ(bus.subscriber_count(), 2u);
  bus.publish(update("acct-1", "content-1", 1));
  bus.publish(update("acct-1", "content-2", 2));
  // Another account's job of the same id is never delivered.
  bus.publish(update("acct-2", "content-1", 3));
  // Nothing runs on the publisher's thread: only when the subscriber's executor runs.
  EXPECT_TRUE(all_of_account.empty());
  context.run();
  EXPECT_EQ(all_of_account, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(one_job, (std::vector<std::int64_t>{1}));
}

TEST(JobEventBus, NothingIsDeliveredOnceTheSubscriptionIsGone) {
  JobEventBus bus;
  asio::io_context context;
  int delivered = 0;
  auto subscription = bus.subscribe("acct-1", std::nullopt, context.get_executor(),
                                    [&](const JobUpdate&) { ++delivered; });
  bus.publish(update("acct-1", "content-1", 1));
  // Gone after the publish but before its handler ran: the posted call does nothing.
  subscription.reset();
  EXPECT_EQ(bus.subscriber_count(), 0u);
  bus.publish(update("acct-1", "content-1", 2));
  context.run();
  EXPECT_EQ(delivered, 0);
  // A moved subscription is one subscription; its destruction ends it once.
  auto first = bus.subscribe("acct-1", std::nullopt, context.get_executor(),
                             [&](const JobUpdate&) { ++delivered; });
  JobEventBus::Subscription moved = std::move(first);
  EXPECT_EQ(bus.subscriber_count(), 1u);
  first.reset();
  EXPECT_EQ(bus.subscriber_count(), 1u);
  moved.reset();
  EXPECT_EQ(bus.subscriber_count(), 0u);
}

}  // namespace
}  // namespace seoagents::jobs
