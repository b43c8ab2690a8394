// Over-the-wire tests of the WebSocket progress channel: the upgrade (where, with which
// credentials, from which Origin, and what a plain GET gets), subscriptions before, during and
// after a job with the stored events followed by the live ones (no gap, no duplicate, also with
// `since` under a job that emits quickly), clients on both loops, another account's job and an
// unknown one, ping, unsubscribe, the subscription limit, final messages of failed and
// cancelled jobs, and TLS.
#include <gtest/gtest.h>

#include <thread>

#include "tests/ws/channel_fixture.hpp"

namespace seoagents::testing {
namespace {

using namespace std::chrono_literals;

// The next message that is not a replayed or live progress event.
json::object next_not_progress(WsClient& client) {
  for (;;) {
    json::object message = client.read_json();
    if (text_of(message, "type") != "progress") return message;
  }
}

TEST_F(ChannelTest, UpgradesAtV1AndV1WsWithTheKeyInAHeaderOrTheQuery) {
  for (std::string_view target : {"/v1", "/v1/ws"}) {
    WsClient client(server_->port());
    ASSERT_FALSE(client.upgrade(target, key_header())) << target;
    const auto& handshake = client.handshake();
    EXPECT_EQ(handshake.result_int(), 101u);
    EXPECT_FALSE(handshake["X-Request-Id"].empty());
    EXPECT_EQ(handshake["X-RateLimit-Limit"], "300");
    EXPECT_EQ(handshake[bhttp::field::server], "seoagents");
    ASSERT_FALSE(client.send(R"({"action":"ping"})"));
    EXPECT_EQ(text_of(client.read_json(), "type"), "pong");
  }
  for (std::string_view query : {"/v1?api_key=", "/v1/ws?token="}) {
    WsClient client(server_->port());
    ASSERT_FALSE(client.upgrade(join(query, api_->key()))) << query;
    ASSERT_FALSE(client.send(R"({"action":"ping"})"));
    EXPECT_EQ(text_of(client.read_json(), "type"), "pong");
  }
}

// What a browser does (the dashboard): the key as a subprotocol beside the channel's, which the
// server selects without echoing the credential.
TEST_F(ChannelTest, AKeyOfferedAsASubprotocolUpgradesAndTheChannelProtocolIsSelected) {
  WsClient browser(server_->port());
  ASSERT_FALSE(browser.upgrade(
      "/v1/ws", {{"Sec-WebSocket-Protocol", join("seoagents.v1, seoagents.auth.", api_->key())}}));
  const auto& handshake = browser.handshake();
  EXPECT_EQ(handshake.result_int(), 101u);
  EXPECT_EQ(handshake[bhttp::field::sec_websocket_protocol], "seoagents.v1");
  for (const auto& field : handshake)
    EXPECT_EQ(field.value().find(api_->key()), std::string_view::npos) << field.name_string();
  std::string id = submit();
  ASSERT_FALSE(browser.send(subscribe_text(id)));
  EXPECT_EQ(watch_until_final(browser, id).final_type, "completed");

  // Without the channel's protocol among the offers, nothing is selected.
  WsClient bare(server_->port());
  ASSERT_FALSE(
      bare.upgrade("/v1", {{"Sec-WebSocket-Protocol", join("seoagents.auth.", api_->key())}}));
  EXPECT_EQ(bare.handshake().count(bhttp::field::sec_websocket_protocol), 0u);
}

TEST_F(ChannelTest, ABadSubprotocolCredentialIs401WithoutUpgrade) {
  struct Case {
    std::string protocols;
    std::string code;
  };
  std::vector<Case> cases = {
      {"seoagents.v1, seoagents.auth.sak_notakey", "INVALID_API_KEY"},
      {"seoagents.v1, seoagents.auth.not.a.jwt", "INVALID_TOKEN"},
      {"seoagents.v1, seoagents.auth.", "UNAUTHORIZED"},
      {"seoagents.v1", "UNAUTHORIZED"},
  };
  for (const auto& c : cases) {
    WsClient client(server_->port());
    EXPECT_EQ(client.upgrade("/v1/ws", {{"Sec-WebSocket-Protocol", c.protocols}}),
              websocket::error::upgrade_declined)
        << c.protocols;
    EXPECT_EQ(client.handshake().result_int(), 401u) << c.protocols;
    EXPECT_EQ(text_of(json::parse(client.handshake().body()).as_object(), "code"), c.code)
        << c.protocols;
  }
}

TEST_F(ChannelTest, APlainGetIsAnswered426WithTheErrorEnvelope) {
  for (std::string_view target : {"/v1", "/v1/ws"}) {
    auto response = HttpClient(server_->port()).request(bhttp::verb::get, target);
    expect_error(response, 426, "UPGRADE_REQUIRED");
    EXPECT_EQ(response[bhttp::field::upgrade], "websocket");
    response = api_->get(target);
    expect_error(response, 426, "UPGRADE_REQUIRED");
  }
  // Not a WebSocket route: another method.
  auto post = api_->post("/v1", "{}");
  EXPECT_EQ(post.result_int(), 405u);
}

TEST_F(ChannelTest, MissingOrBadCredentialsAre401WithoutUpgrade) {
  struct Case {
    std::string target;
    HeaderList headers;
    std::string code;
  };
  std::vector<Case> cases = {
      {"/v1/ws", {}, "UNAUTHORIZED"},
      {"/v1/ws", {{"X-API-Key", "sak_notakey"}}, "INVALID_API_KEY"},
      {"/v1?api_key=sak_notakey", {}, "INVALID_API_KEY"},
      {"/v1?token=sak_notakey", {}, "INVALID_API_KEY"},
      // JWT is not configured on this server.
      {"/v1?token=eyJhbGciOiJSUzI1NiJ9.e30.c2ln", {}, "INVALID_TOKEN"},
      {"/v1/ws", {{"Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"}}, "INVALID_TOKEN"},
  };
  for (const auto& c : cases) {
    WsClient client(server_->port());
    auto ec = client.upgrade(c.target, c.headers);
    EXPECT_EQ(ec, websocket::error::upgrade_declined) << c.target;
    const auto& answer = client.handshake();
    EXPECT_EQ(answer.result_int(), 401u) << c.target;
    auto body = json::parse(answer.body()).as_object();
    EXPECT_EQ(text_of(body, "code"), c.code) << c.target;
    EXPECT_FALSE(text_of(body, "request_id").empty());
  }
}

TEST_F(ChannelTest, AForeignOriginIs403AndAnAllowedOneIsUpgraded) {
  HeaderList foreign = key_header();
  foreign.emplace_back("Origin", "https://evil.example.com");
  WsClient refused(server_->port());
  EXPECT_EQ(refused.upgrade("/v1/ws", foreign), websocket::error::upgrade_declined);
  EXPECT_EQ(refused.handshake().result_int(), 403u);
  EXPECT_EQ(text_of(json::parse(refused.handshake().body()).as_object(), "code"), "FORBIDDEN");

  HeaderList local = key_header();
  local.emplace_back("Origin", "http://localhost:5173");
  WsClient accepted(server_->port());
  EXPECT_FALSE(accepted.upgrade("/v1/ws", local));

  // The server's own pages (the dashboard) under any host name: Origin names the Host.
  HeaderList same = key_header();
  same.emplace_back("Host", "seo.example.com:8443");
  same.emplace_back("Origin", "https://seo.example.com:8443");
  WsClient own_page(server_->port());
  EXPECT_FALSE(own_page.upgrade("/v1/ws", same));
  HeaderList other_port = key_header();
  other_port.emplace_back("Host", "seo.example.com:8443");
  other_port.emplace_back("Origin", "https://seo.example.com");
  WsClient elsewhere(server_->port());
  EXPECT_EQ(elsewhere.upgrade("/v1/ws", other_port), websocket::error::upgrade_declined);
  EXPECT_EQ(elsewhere.handshake().result_int(), 403u);
}

TEST_F(ChannelTest, TheUpgradeCountsAgainstTheRateLimit) {
  TestAccount starter = create_account_with_key(context_, server_->app().store(), "starter");
  Api api(server_->port(), starter.key);
  HeaderList headers = {{"X-API-Key", starter.key}};
  WsClient first(server_->port());
  ASSERT_FALSE(first.upgrade("/v1/ws", headers));
  // The key's first request: one of its 60 is spent.
  EXPECT_EQ(first.handshake()["X-RateLimit-Limit"], "60");
  EXPECT_EQ(first.handshake()["X-RateLimit-Remaining"], "59");
  // Spend the rest, then the upgrade is refused like any request.
  bool limited_by_rest = false;
  for (int i = 0; i < 200 && !limited_by_rest; ++i)
    limited_by_rest = api.get("/v1/dashboard/account").result_int() == 429;
  ASSERT_TRUE(limited_by_rest);
  WsClient limited(server_->port());
  EXPECT_EQ(limited.upgrade("/v1/ws", headers), websocket::error::upgrade_declined);
  EXPECT_EQ(limited.handshake().result_int(), 429u);
  EXPECT_FALSE(limited.handshake()[bhttp::field::retry_after].empty());
}

TEST_F(ChannelTest, ASubscriberBeforeTheJobRunsGetsEveryEventThenTheResult) {
  control_->hold = true;
  std::string id = submit();
  auto client = connect();
  ASSERT_FALSE(client->send(subscribe_text(id)));
  control_->hold = false;
  Watched watched = watch_until_final(*client, id);
  EXPECT_EQ(text_of(watched.subscribed, "type"), "subscribed");
  EXPECT_EQ(text_of(watched.subscribed, "job_type"), "create");
  ASSERT_EQ(watched.final_type, "completed");
  EXPECT_EQ(watched.final.at("result").as_object().at("events").as_int64(), 20);
  EXPECT_EQ(text_of(watched.final.at("result").as_object(), "keyword"), "trade show booth cost");
  auto stored = stored_events(id);
  EXPECT_EQ(watched.seqs, seq_range(1, static_cast<std::int64_t>(stored.size())));
  EXPECT_TRUE(watched.others.empty());
}

// Most jobs run with nobody watching: their events stop at the publishing thread. A subscriber
// still gets a job's whole history, and the live events of its job only are routed.
TEST_F(ChannelTest, OnlyTheEventsOfWatchedJobsAreRouted) {
  std::string unwatched = submit();
  ASSERT_TRUE(eventually([&] { return text_of(job(unwatched), "status") == "completed"; }));
  std::size_t unwatched_events = stored_events(unwatched).size();
  ASSERT_TRUE(eventually([&] { return stats().events_unwatched >= unwatched_events; }));
  EXPECT_EQ(stats().events_routed, 0u);

  control_->hold = true;
  std::string watched_id = submit();
  auto client = connect();
  ASSERT_FALSE(client->send(subscribe_text(watched_id)));
  ASSERT_TRUE(eventually([&] { return stats().subscriptions == 1; }));
  std::uint64_t unwatched_before = stats().events_unwatched;
  control_->hold = false;
  Watched watched = watch_until_final(*client, watched_id);
  ASSERT_EQ(watched.final_type, "completed");
  std::size_t stored = stored_events(watched_id).size();
  EXPECT_EQ(watched.seqs, seq_range(1, static_cast<std::int64_t>(stored)));
  ws::ChannelStats after = stats();
  EXPECT_GE(after.events_routed, 20u);
  EXPECT_LE(after.events_routed, stored);
  EXPECT_EQ(after.events_unwatched, unwatched_before);
  // The final message ended the subscription, and the mark with it.
  ASSERT_TRUE(eventually([&] { return stats().subscriptions == 0; }));
  std::string later = submit();
  ASSERT_TRUE(eventually([&] { return text_of(job(later), "status") == "completed"; }));
  ASSERT_TRUE(eventually([&] { return stats().events_unwatched > unwatched_before; }));
  EXPECT_EQ(stats().events_routed, after.events_routed);
}

TEST_F(ChannelTest, ASubscriberDuringTheJobGetsTheStoredEventsThenTheLiveOnes) {
  control_->hold = true;
  std::string id = submit();
  ASSERT_TRUE(eventually([&] { return text_of(job(id), "status") == "processing"; }));
  auto client = connect();
  ASSERT_FALSE(client->send(subscribe_text(id)));
  auto subscribed = client->read_json();
  EXPECT_EQ(text_of(subscribed, "status"), "processing");
  // queued, started: stored before the subscription.
  EXPECT_EQ(client->read_json().at("seq").as_int64(), 1);
  EXPECT_EQ(client->read_json().at("seq").as_int64(), 2);
  control_->hold = false;
  Watched watched = watch_until_final(*client, id);
  ASSERT_EQ(watched.final_type, "completed");
  EXPECT_EQ(watched.seqs, seq_range(3, static_cast<std::int64_t>(stored_events(id).size())));
}

TEST_F(ChannelTest, ASubscriberAfterTheJobGetsItsEventsAndItsFinalMessage) {
  std::string id = submit();
  ASSERT_TRUE(reaches(id, "completed"));
  auto client = connect();
  ASSERT_FALSE(client->send(subscribe_text(id)));
  Watched watched = watch_until_final(*client, id);
  EXPECT_EQ(text_of(watched.subscribed, "status"), "completed");
  ASSERT_EQ(watched.final_type, "completed");
  EXPECT_EQ(watched.seqs, seq_range(1, static_cast<std::int64_t>(stored_events(id).size())));
  // The subscription ended with the job: the next message is the answer to a ping.
  EXPECT_EQ(stats().subscriptions, 0u);
  ASSERT_FALSE(client->send(R"({"action":"ping"})"));
  EXPECT_EQ(text_of(client->read_json(), "type"), "pong");
  // Subscribing again replays again.
  ASSERT_FALSE(client->send(subscribe_text(id)));
  EXPECT_EQ(watch_until_final(*client, id).final_type, "completed");
}

// Many subscribers join while a job records events as fast as the store commits them: each gets
// the stored events after its `since` (or all) and then the live ones, every seq once, in order.
TEST_F(ChannelTest, StoredThenLiveEventsHaveNoGapAndNoDuplicateUnderAFastJob) {
  control_->events = 400;
  control_->hold = true;
  std::string id = submit();
  ASSERT_TRUE(eventually([&] { return text_of(job(id), "status") == "processing"; }));
  control_->hold = false;
  struct Joined {
    std::unique_ptr<WsClient> client;
    std::string since;
  };
  std::vector<Joined> joined;
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(eventually([&] { return control_->recorded >= 30 * i; }));
    std::string since;
    if (i % 2 == 1) {
      auto events = stored_events(id);
      since = std::string(events[events.size() / 2].as_object().at("ts").as_string());
    }
    auto client = connect();
    ASSERT_FALSE(client->send(subscribe_text(id, since)));
    joined.push_back({std::move(client), since});
  }
  std::vector<Watched> watched;
  for (auto& j : joined)
    watched.push_back(watch_until_final(*j.client, id));
  auto stored = stored_events(id);
  auto last = static_cast<std::int64_t>(stored.size());
  for (std::size_t i = 0; i < joined.size(); ++i) {
    ASSERT_EQ(watched[i].final_type, "completed") << i;
    if (joined[i].since.empty()) {
      EXPECT_EQ(watched[i].seqs, seq_range(1, last)) << i;
      continue;
    }
    // Exactly the events after `since`: those stored by then, then every later one.
    std::vector<std::int64_t> expected;
    for (const auto& event : stored) {
      if (std::string(event.as_object().at("ts").as_string()) > joined[i].since)
        expected.push_back(event.as_object().at("seq").as_int64());
    }
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(watched[i].seqs, expected) << i << " since " << joined[i].since;
    EXPECT_EQ(watched[i].seqs, seq_range(expected.front(), last)) << i;
  }
}

TEST_F(ChannelTest, SubscribersOnBothLoopsReceiveIdenticalSequences) {
  control_->hold = true;
  std::string id = submit();
  std::vector<std::unique_ptr<WsClient>> clients;
  // The kernel spreads connections over the loops' sockets: open them until both loops have some.
  while (clients.size() < 64) {
    clients.push_back(connect());
    auto per_loop = stats().connections_per_loop;
    if (clients.size() >= 4 && per_loop[0] > 0 && per_loop[1] > 0) break;
  }
  auto per_loop = stats().connections_per_loop;
  ASSERT_GT(per_loop[0], 0u);
  ASSERT_GT(per_loop[1], 0u);
  for (auto& client : clients)
    ASSERT_FALSE(client->send(subscribe_text(id)));
  ASSERT_TRUE(eventually([&] { return stats().subscriptions == clients.size(); }));
  control_->events = 100;
  control_->hold = false;
  std::vector<std::int64_t> first;
  for (auto& client : clients) {
    Watched watched = watch_until_final(*client, id);
    ASSERT_EQ(watched.final_type, "completed");
    if (first.empty()) first = watched.seqs;
    EXPECT_EQ(watched.seqs, first);
  }
  EXPECT_EQ(first, seq_range(1, static_cast<std::int64_t>(stored_events(id).size())));
}

TEST_F(ChannelTest, AnotherAccountsJobIsForbiddenAndAnUnknownOneNotFoundOnAnOpenConnection) {
  TestAccount other = create_account_with_key(context_, server_->app().store(), "other");
  Api other_api(server_->port(), other.key);
  std::string foreign_id = submit(other_api, create_agent(other_api));
  auto client = connect();
  ASSERT_FALSE(client->send(subscribe_text(foreign_id)));
  auto forbidden = client->read_json();
  EXPECT_EQ(text_of(forbidden, "type"), "error");
  EXPECT_EQ(text_of(forbidden, "code"), "FORBIDDEN");
  EXPECT_EQ(text_of(forbidden, "job_id"), foreign_id);
  EXPECT_EQ(text_of(forbidden, "message").find("Booth"), std::string::npos);

  ASSERT_FALSE(client->send(subscribe_text("content-00000000")));
  auto missing = client->read_json();
  EXPECT_EQ(text_of(missing, "code"), "RESOURCE_NOT_FOUND");

  // Still open, and still useful.
  std::string own = submit();
  ASSERT_FALSE(client->send(subscribe_text(own)));
  EXPECT_EQ(watch_until_final(*client, own).final_type, "completed");
  EXPECT_EQ(stats().subscriptions, 0u);
}

TEST_F(ChannelTest, UnsubscribeStopsTheEventsAndPingIsAnsweredPong) {
  control_->hold = true;
  std::string id = submit();
  auto client = connect();
  ASSERT_FALSE(client->send(subscribe_text(id)));
  EXPECT_EQ(text_of(client->read_json(), "type"), "subscribed");
  ASSERT_TRUE(eventually([&] { return stats().subscriptions == 1; }));
  ASSERT_FALSE(client->send(unsubscribe_text(id)));
  ASSERT_TRUE(eventually([&] { return stats().subscriptions == 0; }));
  // Unsubscribing again, or from a job never watched, is harmless.
  ASSERT_FALSE(client->send(unsubscribe_text(id)));
  control_->hold = false;
  ASSERT_TRUE(reaches(id, "completed"));
  ASSERT_FALSE(client->send(R"({"action":"ping"})"));
  // The stored events that were replayed before the unsubscribe may come first; no live one.
  for (;;) {
    auto message = client->read_json();
    if (text_of(message, "type") == "pong") break;
    ASSERT_EQ(text_of(message, "type"), "progress");
    EXPECT_LE(message.at("seq").as_int64(), 2);
  }
}

TEST_F(ChannelTest, AConnectionWatchesAtMostAHundredJobs) {
  control_->hold = true;
  TestAccount big =
      create_account_with_key(context_, server_->app().store(), "big", storage::Plan::enterprise);
  store_write<bool>(context_, server_->app().store(), [&](storage::Connection& db) {
    return storage::set_account_plan(db, big.account_id, storage::Plan::enterprise,
                                     storage::PlanLimits{100'000, 1'000});
  });
  Api api(server_->port(), big.key);
  std::string agent = create_agent(api);
  std::vector<std::string> ids;
  for (int i = 0; i < 101; ++i)
    ids.push_back(submit(api, agent));
  auto client = connect({{"X-API-Key", big.key}});
  for (int i = 0; i < 100; ++i) {
    ASSERT_FALSE(client->send(subscribe_text(ids[i])));
    ASSERT_EQ(text_of(next_not_progress(*client), "type"), "subscribed") << i;
  }
  ASSERT_FALSE(client->send(subscribe_text(ids[100])));
  auto refused = next_not_progress(*client);
  EXPECT_EQ(text_of(refused, "code"), "TOO_MANY_SUBSCRIPTIONS");
  EXPECT_EQ(text_of(refused, "job_id"), ids[100]);
  ASSERT_FALSE(client->send(subscribe_text(ids[0])));
  EXPECT_EQ(text_of(next_not_progress(*client), "code"), "ALREADY_SUBSCRIBED");
  // One fewer, and there is room again.
  ASSERT_FALSE(client->send(unsubscribe_text(ids[0])));
  ASSERT_FALSE(client->send(subscribe_text(ids[100])));
  EXPECT_EQ(text_of(next_not_progress(*client), "type"), "subscribed");
  EXPECT_EQ(stats().subscriptions, 100u);
}

TEST_F(ChannelTest, FailedAndCancelledJobsEndWithTheirFinalMessage) {
  control_->hold = true;
  control_->fail = true;
  std::string failing = submit();
  auto client = connect();
  ASSERT_FALSE(client->send(subscribe_text(failing)));
  control_->hold = false;
  Watched failed = watch_until_final(*client, failing);
  ASSERT_EQ(failed.final_type, "failed");
  EXPECT_NE(text_of(failed.final, "error").find("told to fail"), std::string::npos);

  control_->fail = false;
  control_->hold = true;
  std::string running = submit();
  ASSERT_TRUE(eventually([&] { return text_of(job(running), "status") == "processing"; }));
  ASSERT_FALSE(client->send(subscribe_text(running)));
  expect_json(api_->post(join(kJobs, "/", running, "/cancel"), ""), 202);
  control_->hold = false;
  Watched cancelled = watch_until_final(*client, running);
  ASSERT_EQ(cancelled.final_type, "cancelled");
  EXPECT_EQ(cancelled.seqs, seq_range(1, static_cast<std::int64_t>(stored_events(running).size())));
}

class TlsChannelTest : public ChannelTest {
 protected:
  void SetUp() override {
    start_server([this](Config& config) {
      config.tls_cert = cert_.cert_file();
      config.tls_key = cert_.key_file();
    });
  }
  SelfSignedCert cert_;
};

TEST_F(TlsChannelTest, TheChannelWorksOverTls) {
  auto tls = make_client_tls_context(0, 0, cert_.cert_file());
  std::string id = submit();
  WssClient client(server_->port(), &tls);
  ASSERT_FALSE(client.upgrade("/v1?api_key=" + api_->key()));
  ASSERT_FALSE(client.send(subscribe_text(id)));
  Watched watched = watch_until_final(client, id);
  ASSERT_EQ(watched.final_type, "completed");
  EXPECT_EQ(watched.seqs, seq_range(1, static_cast<std::int64_t>(stored_events(id).size())));
  // Plain WebSocket keeps working on the same port.
  auto plain = connect();
  ASSERT_FALSE(plain->send(R"({"action":"ping"})"));
  EXPECT_EQ(text_of(plain->read_json(), "type"), "pong");
}

}  // namespace
}  // namespace seoagents::testing
