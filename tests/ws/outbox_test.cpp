// Unit tests of the pieces of the WebSocket fan-out that need no socket: the outbox (order, live
// frames counted apart, a frame being written survives clear()), and the event bus's listeners
// (every update, in order, on the publishing thread; none once the listener is gone).
#include "ws/outbox.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "jobs/event_bus.hpp"

namespace seoagents::ws {
namespace {

SharedFrame frame(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

TEST(WsOutbox, FramesComeOutInOrderAndLiveOnesAreCounted) {
  Outbox outbox;
  EXPECT_TRUE(outbox.empty());
  outbox.push(frame("subscribed"), false);
  outbox.push(frame("event 1"), true);
  outbox.push(frame("event 2"), true);
  EXPECT_EQ(outbox.size(), 3u);
  EXPECT_EQ(outbox.live(), 2u);
  EXPECT_EQ(*outbox.take(), "subscribed");
  EXPECT_EQ(outbox.live(), 2u);
  EXPECT_EQ(*outbox.take(), "event 1");
  EXPECT_EQ(outbox.live(), 1u);
  EXPECT_EQ(*outbox.take(), "event 2");
  EXPECT_TRUE(outbox.empty());
  EXPECT_EQ(outbox.live(), 0u);
}

TEST(WsOutbox, ALongRunOfFramesKeepsItsOrderAcrossCompaction) {
  Outbox outbox;
  int next_in = 0;
  int next_out = 0;
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < 7; ++i, ++next_in)
      outbox.push(frame(std::to_string(next_in)), next_in % 2 == 0);
    for (int i = 0; i < 5; ++i)
      ASSERT_EQ(*outbox.take(), std::to_string(next_out++));
  }
  while (!outbox.empty())
    ASSERT_EQ(*outbox.take(), std::to_string(next_out++));
  EXPECT_EQ(next_out, next_in);
  EXPECT_EQ(outbox.live(), 0u);
}

TEST(WsOutbox, AFrameTakenForWritingOutlivesClear) {
  Outbox outbox;
  outbox.push(frame("being written"), true);
  outbox.push(frame("dropped"), true);
  SharedFrame writing = outbox.take();
  outbox.clear();
  EXPECT_TRUE(outbox.empty());
  EXPECT_EQ(*writing, "being written");
}

jobs::JobUpdate update(std::string account_id, std::int64_t seq) {
  storage::JobEvent event;
  event.job_id = "content-1";
  event.seq = seq;
  return jobs::JobUpdate{std::move(account_id), "create", "processing", std::move(event)};
}

TEST(JobEventBusListener, GetsEveryAccountsUpdatesInOrderOnThePublishingThread) {
  jobs::JobEventBus bus;
  std::vector<std::int64_t> seen;
  std::thread::id publisher = std::this_thread::get_id();
  bool on_publisher = true;
  auto listening = bus.listen([&](const jobs::JobUpdate& u) {
    seen.push_back(u.event.seq);
    on_publisher = on_publisher && std::this_thread::get_id() == publisher;
  });
  bus.publish(update("acct-1", 1));
  bus.publish(update("acct-2", 2));
  bus.publish(update("acct-1", 3));
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_TRUE(on_publisher);
  // Listeners are not subscribers.
  EXPECT_EQ(bus.subscriber_count(), 0u);
  listening.reset();
  bus.publish(update("acct-1", 4));
  EXPECT_EQ(seen.size(), 3u);
}

TEST(JobEventBusListener, EndingTheListenerWaitsForACallInProgress) {
  jobs::JobEventBus bus;
  std::atomic<bool> inside{false};
  std::atomic<bool> finished{false};
  std::atomic<bool> release{false};
  auto listening = bus.listen([&](const jobs::JobUpdate&) {
    inside = true;
    while (!release)
      std::this_thread::yield();
    finished = true;
  });
  std::thread publisher([&] { bus.publish(update("acct-1", 1)); });
  while (!inside)
    std::this_thread::yield();
  bool finished_when_reset_returned = false;
  std::thread ender([&] {
    listening.reset();
    finished_when_reset_returned = finished;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  release = true;
  ender.join();
  publisher.join();
  EXPECT_TRUE(finished_when_reset_returned);
}

}  // namespace
}  // namespace seoagents::ws
