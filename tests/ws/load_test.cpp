// A load test of the WebSocket channel: 2,000 concurrent clients (spread by the kernel over both
// loop threads) each watch the same four jobs, which then record their events; every client
// must receive every event of every job, in order, then the job's result. The clients are
// coroutines on one io_context of the test's own. No timing is asserted: the test only waits.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <map>
#include <thread>

#include "tests/ws/channel_fixture.hpp"

namespace seoagents::testing {
namespace {

using asio::ip::tcp;
using WebSocket = websocket::stream<beast::tcp_stream>;

constexpr int kClients = 2000;
constexpr int kJobs = 4;
constexpr int kEventsPerJob = 25;
// Connections opened at once: the rest wait for these to be subscribed.
constexpr int kConnectBatch = 200;
constexpr std::string_view kHost = "127.0.0.1";
constexpr std::string_view kTarget = "/v1/ws";

// What one client saw.
struct ClientOutcome {
  // The seqs of each job's progress messages, in order of arrival.
  std::map<std::string, std::vector<std::int64_t>> seqs;
  // Jobs whose `completed` message arrived.
  std::set<std::string> completed;
  // Subscriptions acknowledged.
  int subscribed = 0;
  bool closed_cleanly = false;
  std::string problem;
};

void send_key(WebSocket& ws, const std::string& key) {
  ws.set_option(websocket::stream_base::decorator(
      [key](websocket::request_type& request) { request.set("X-API-Key", key); }));
}

void record(ClientOutcome& outcome, const beast::flat_buffer& buffer) {
  json::object message = json::parse(beast::buffers_to_string(buffer.data())).as_object();
  std::string type = text_of(message, "type");
  std::string job_id = text_of(message, "job_id");
  if (type == "subscribed") {
    ++outcome.subscribed;
  } else if (type == "progress") {
    outcome.seqs[job_id].push_back(message.at("seq").as_int64());
  } else if (type == "completed") {
    outcome.completed.insert(job_id);
  } else {
    outcome.problem = "unexpected message: " + beast::buffers_to_string(buffer.data());
  }
}

asio::awaitable<void> watch_jobs(tcp::endpoint server, const std::string& key,
                                 const std::vector<std::string>& job_ids, ClientOutcome& outcome,
                                 std::atomic<int>& subscribed_clients) {
  WebSocket ws(co_await asio::this_coro::executor);
  try {
    co_await beast::get_lowest_layer(ws).async_connect(server, asio::use_awaitable);
    send_key(ws, key);
    co_await ws.async_handshake(kHost, kTarget, asio::use_awaitable);
    for (const std::string& id : job_ids) {
      std::string text = subscribe_text(id);
      co_await ws.async_write(asio::buffer(text), asio::use_awaitable);
    }
    beast::flat_buffer buffer;
    bool counted = false;
    while (outcome.completed.size() < job_ids.size() && outcome.problem.empty()) {
      buffer.clear();
      co_await ws.async_read(buffer, asio::use_awaitable);
      record(outcome, buffer);
      if (!counted && outcome.subscribed == static_cast<int>(job_ids.size())) {
        counted = true;
        ++subscribed_clients;
      }
    }
    co_await ws.async_close(websocket::close_code::normal, asio::use_awaitable);
    outcome.closed_cleanly = true;
  } catch (const std::exception& e) {
    outcome.problem = e.what();
  }
}

// Enough descriptors for both ends of every connection (the clients are in this process).
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  rlim_t wanted = 4 * kClients + 1024;
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  setrlimit(RLIMIT_NOFILE, &limit);
}

class LoadTest : public ChannelTest {
 protected:
  void SetUp() override {
    raise_descriptor_limit();
    start_server();
  }
};

TEST_F(LoadTest, TwoThousandClientsEachGetEveryEventOfEveryJobInOrder) {
  auto started = std::chrono::steady_clock::now();
  TestAccount load =
      create_account_with_key(context_, server_->app().store(), "load", storage::Plan::enterprise);
  store_write<bool>(context_, server_->app().store(), [&](storage::Connection& db) {
    return storage::set_account_plan(db, load.account_id, storage::Plan::enterprise,
                                     storage::PlanLimits{1'000'000, 100});
  });
  Api api(server_->port(), load.key);
  std::string agent = create_agent(api);
  control_->hold = true;
  control_->events = kEventsPerJob;
  std::vector<std::string> job_ids;
  for (int i = 0; i < kJobs; ++i)
    job_ids.push_back(submit(api, agent));

  asio::io_context clients;
  auto work = asio::make_work_guard(clients);
  std::thread client_thread([&] { clients.run(); });
  std::vector<ClientOutcome> outcomes(kClients);
  std::atomic<int> subscribed_clients{0};
  tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), server_->port());
  for (int first = 0; first < kClients; first += kConnectBatch) {
    for (int i = first; i < std::min(first + kConnectBatch, kClients); ++i) {
      asio::co_spawn(clients,
                     watch_jobs(endpoint, load.key, job_ids, outcomes[static_cast<std::size_t>(i)],
                                subscribed_clients),
                     asio::detached);
    }
    int expected = std::min(first + kConnectBatch, kClients);
    ASSERT_TRUE(eventually([&] { return subscribed_clients.load() >= expected; }))
        << subscribed_clients.load() << " of " << expected << " subscribed";
  }
  auto stats_before = stats();
  EXPECT_EQ(stats_before.connections, static_cast<std::size_t>(kClients));
  EXPECT_EQ(stats_before.subscriptions, static_cast<std::size_t>(kClients * kJobs));
  EXPECT_GT(stats_before.connections_per_loop[0], 0u);
  EXPECT_GT(stats_before.connections_per_loop[1], 0u);

  auto subscribed_at = std::chrono::steady_clock::now();
  control_->hold = false;
  work.reset();
  bool finished = eventually([&] { return clients.stopped(); }, std::chrono::seconds(120));
  if (!finished) clients.stop();
  client_thread.join();
  ASSERT_TRUE(finished);

  std::map<std::string, std::vector<std::int64_t>> expected;
  for (const std::string& id : job_ids)
    expected[id] = seq_range(1, static_cast<std::int64_t>(stored_events(api, id).size()));
  int complete = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const ClientOutcome& outcome = outcomes[i];
    bool ok = outcome.problem.empty() && outcome.closed_cleanly && outcome.seqs == expected &&
              outcome.completed.size() == job_ids.size();
    EXPECT_TRUE(ok) << "client " << i << ": " << outcome.problem;
    complete += ok ? 1 : 0;
    if (!ok) break;
  }
  EXPECT_EQ(complete, kClients);
  EXPECT_EQ(stats().slow_consumers_closed, 0u);
  auto now = std::chrono::steady_clock::now();
  auto seconds = std::chrono::duration<double>(now - started).count();
  auto delivering = std::chrono::duration<double>(now - subscribed_at).count();
  std::printf(
      "[ load     ] %d clients (%zu + %zu per loop), %d jobs, %zu events each: %.2f s "
      "(%.2f s connecting and subscribing, %.2f s delivering)\n",
      kClients, stats_before.connections_per_loop[0], stats_before.connections_per_loop[1], kJobs,
      expected.begin()->second.size(), seconds, seconds - delivering, delivering);
  RecordProperty("seconds", std::to_string(seconds));
}

}  // namespace
}  // namespace seoagents::testing
