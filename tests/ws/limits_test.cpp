// Over-the-wire tests of the WebSocket channel's limits and endings: an oversized message (1009),
// bad messages answered with errors until the tenth closes the connection (1008), a subscriber
// that stops reading closed with 1013 while another on the same job gets every event, the
// server's pings keeping a live client open and closing a dead one, and a graceful stop closing
// every connection with 1001.
#include <gtest/gtest.h>

#include <thread>

#include "tests/ws/channel_fixture.hpp"

namespace seoagents::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::uint16_t kTooBig = 1009;
constexpr std::uint16_t kPolicyViolation = 1008;
constexpr std::uint16_t kTryAgainLater = 1013;
constexpr std::uint16_t kGoingAway = 1001;

TEST_F(ChannelTest, AMessageOverFourKibibytesClosesWith1009) {
  auto client = connect();
  std::string exactly = join(R"({"action":"ping")", std::string(4096 - 17, ' '), "}");
  ASSERT_EQ(exactly.size(), 4096u);
  ASSERT_FALSE(client->send(exactly));
  EXPECT_EQ(text_of(client->read_json(), "type"), "pong");
  ASSERT_FALSE(client->send(std::string(4097, ' ')));
  EXPECT_EQ(client->read_until_closed(), kTooBig);
  ASSERT_TRUE(eventually([&] { return stats().connections == 0; }));
}

TEST_F(ChannelTest, BadMessagesGetErrorsAndTheTenthClosesWith1008) {
  auto client = connect();
  std::vector<std::string> bad = {"{",
                                  "[]",
                                  "{}",
                                  R"({"action":"shout"})",
                                  R"({"action":"subscribe"})",
                                  R"({"action":"subscribe","job_id":7})",
                                  R"({"action":"ping","x":1})",
                                  "not json",
                                  "null"};
  for (const auto& text : bad) {
    ASSERT_FALSE(client->send(text));
    auto error = client->read_json();
    EXPECT_EQ(text_of(error, "type"), "error") << text;
    std::string code = text_of(error, "code");
    EXPECT_TRUE(code == "INVALID_JSON" || code == "VALIDATION_ERROR") << text << " " << code;
    EXPECT_FALSE(text_of(error, "message").empty());
  }
  // Nine bad messages: still open.
  ASSERT_FALSE(client->send(R"({"action":"ping"})"));
  EXPECT_EQ(text_of(client->read_json(), "type"), "pong");
  ASSERT_FALSE(client->send("{\"action\":"));
  EXPECT_EQ(text_of(client->read_json(), "code"), "INVALID_JSON");
  EXPECT_EQ(client->read_until_closed(), kPolicyViolation);
}

class SlowConsumerTest : public ChannelTest {
 protected:
  void SetUp() override {
    start_server({}, [](ws::ChannelOptions& options) { options.max_queued_frames = 256; });
  }
};

// The slow client's socket takes little (a small receive buffer) and it does not read. Events of
// 64 KiB fill the kernel's buffers (the server's side grows to a few MiB) within about a
// hundred events however slowly the machine records them, while they leave the fast reader
// as much room: once the buffers are full, the server's outbox for it grows to its bound
// and it is closed with 1013. The fast client on the same job, on whatever loop, gets every event.
TEST_F(SlowConsumerTest, ASubscriberThatStopsReadingIsClosedWith1013AndOthersGetEverything) {
  control_->hold = true;
  control_->until_stopped = true;
  control_->message_bytes = 64 * 1024;
  std::string id = submit();
  auto fast = connect();
  WsClient slow(server_->port(), nullptr, 4096);
  ASSERT_FALSE(slow.upgrade("/v1/ws", key_header()));
  ASSERT_FALSE(fast->send(subscribe_text(id)));
  ASSERT_FALSE(slow.send(subscribe_text(id)));
  ASSERT_TRUE(eventually([&] { return stats().subscriptions == 2; }));
  Watched fast_watched;
  std::thread reader([&] { fast_watched = watch_until_final(*fast, id); });
  control_->hold = false;
  bool closed_slow = eventually([&] { return stats().slow_consumers_closed >= 1; });
  int recorded_then = control_->recorded;
  ws::ChannelStats stats_then = stats();
  control_->stop = true;
  reader.join();
  ASSERT_TRUE(closed_slow) << "events recorded " << recorded_then << ", subscriptions "
                           << stats_then.subscriptions << ", closed as slow "
                           << stats_then.slow_consumers_closed << ", the fast reader got "
                           << fast_watched.seqs.size();
  ASSERT_EQ(fast_watched.final_type, "completed");
  EXPECT_EQ(fast_watched.seqs, seq_range(1, static_cast<std::int64_t>(stored_events(id).size())));
  EXPECT_GT(fast_watched.seqs.size(), 256u);
  // The slow client reads what reached its socket, then the close.
  EXPECT_EQ(slow.read_until_closed(), kTryAgainLater);
  EXPECT_EQ(stats().slow_consumers_closed, 1u);
}

class KeepaliveTest : public ChannelTest {
 protected:
  void SetUp() override {
    start_server({}, [](ws::ChannelOptions& options) { options.idle_timeout = 600ms; });
  }
};

TEST_F(KeepaliveTest, TheServerPingsIdleClientsAndClosesDeadOnes) {
  // A client that reads (and so answers pings) stays open through several idle timeouts: it
  // waits for a job held for a while.
  control_->hold = true;
  std::string id = submit();
  auto live = connect();
  ASSERT_FALSE(live->send(subscribe_text(id)));
  std::thread release([&] {
    std::this_thread::sleep_for(2s);
    control_->hold = false;
  });
  Watched watched = watch_until_final(*live, id);
  release.join();
  EXPECT_EQ(watched.final_type, "completed");
  EXPECT_GE(live->pings_received(), 2);
  ASSERT_FALSE(live->send(R"({"action":"ping"})"));
  EXPECT_EQ(text_of(live->read_json(), "type"), "pong");
  live->close();
  ASSERT_TRUE(eventually([&] { return stats().connections == 0; }));

  // A client that completed the handshake and then never answers is closed.
  HttpClient dead(server_->port());
  ASSERT_FALSE(
      dead.write(join("GET /v1/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nX-API-Key: ",
                      api_->key(), "\r\n\r\n")));
  ASSERT_NE(dead.read_until("\r\n\r\n").bytes.find("101 Switching Protocols"), std::string::npos);
  ASSERT_TRUE(eventually([&] { return stats().connections == 1; }));
  EXPECT_TRUE(dead.wait_closed());
  ASSERT_TRUE(eventually([&] { return stats().connections == 0; }));
}

TEST_F(ChannelTest, AGracefulStopClosesEveryConnectionWith1001) {
  control_->hold = true;
  std::string id = submit();
  auto watching = connect();
  ASSERT_FALSE(watching->send(subscribe_text(id)));
  EXPECT_EQ(text_of(watching->read_json(), "type"), "subscribed");
  auto idle = connect();
  ASSERT_TRUE(eventually([&] { return stats().subscriptions == 1 && stats().connections == 2; }));
  std::thread stopping([&] { server_->stop(); });
  // Frames still queued (the stored events) may come first.
  EXPECT_EQ(watching->read_until_closed(), kGoingAway);
  EXPECT_EQ(idle->read_until_closed(), kGoingAway);
  stopping.join();
  EXPECT_FALSE(server_->logged("shutdown_forced"));
}

}  // namespace
}  // namespace seoagents::testing
