// Crash test of webhook delivery through the real `seoagents serve` binary: a create job's
// job.completed is being delivered to a receiver that holds the request unanswered when the
// server is killed with SIGKILL; started again on the same data directory, the server sends the
// same event (same id, same body, signed with the same secret) and records it delivered.
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "tests/support/api_helpers.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/webhook_receiver.hpp"

namespace seoagents::testing {
namespace {

ServerProcessOptions webhook_server() {
  ServerProcessOptions options;
  // The receiver is on loopback; a long timeout keeps the held request in flight until the kill.
  options.extra_args = {"--writer",          "builtin", "--allow-private-targets", "on",
                        "--webhook-timeout", "2m",      "--webhook-retry-base",    "100ms",
                        "--access-log",      "off"};
  return options;
}

TEST(WebhookCrash, AnEventInFlightWhenTheServerIsKilledArrivesAfterTheRestart) {
  TempDirectory data;
  WebhookReceiver receiver;
  ScriptedResponse hold;
  hold.stall = true;
  receiver.push(hold);
  std::string key;
  std::string webhook_id;
  std::string secret;
  {
    ServerProcess server(data.path(), webhook_server());
    std::uint16_t port = server.port();
    ASSERT_NE(port, 0);
    key = server.read_api_key();
    ASSERT_FALSE(key.empty());
    Api api(port, key);
    auto webhook = api.create("/v1/dashboard/webhooks", join(R"({"url":")", receiver.url(),
                                                             R"(","events":["job.completed"]})"));
    webhook_id = text_of(webhook, "id");
    secret = text_of(webhook, "secret");
    auto agent = api.create("/v1/dashboard/agents",
                            R"({"name":"Crash","keywords":["trade show booth cost"]})");
    expect_json(api.post("/v1/dashboard/jobs", join(R"({"agent_id":")", text_of(agent, "id"),
                                                    R"(","job_type":"create"})")),
                202);
    // The delivery is in flight: the receiver holds it unanswered.
    ASSERT_TRUE(receiver.wait_for(1));
    server.stop_with(SIGKILL);
  }
  ServerProcess restarted(data.path(), webhook_server());
  std::uint16_t port = restarted.port();
  ASSERT_NE(port, 0);
  ASSERT_TRUE(receiver.wait_for(2));
  auto received = receiver.received();
  EXPECT_EQ(received[1].event_id, received[0].event_id);
  EXPECT_EQ(received[1].event_type, "job.completed");
  EXPECT_EQ(received[1].request.body, received[0].request.body);
  EXPECT_TRUE(signed_with(received[1], secret));
  Api api(port, key);
  json::object log;
  ASSERT_TRUE(eventually([&] {
    // Asked a few times a second, well within the plan's rate limit.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto response = api.get(join("/v1/dashboard/webhooks/", webhook_id, "/deliveries"));
    if (response.result_int() != 200) return false;
    log = body_of(response);
    const auto& data = log.at("data").as_array();
    return data.size() == 1 && text_of(data[0].as_object(), "status") == "delivered";
  }));
  const auto& delivery = log.at("data").as_array()[0].as_object();
  EXPECT_EQ(text_of(delivery, "event_id"), received[0].event_id);
  EXPECT_EQ(delivery.at("attempts").as_int64(), 2);
  EXPECT_EQ(restarted.stop_with(SIGTERM), 0);
}

}  // namespace
}  // namespace seoagents::testing
