// Over-the-wire tests of graceful shutdown and of many concurrent keep-alive connections.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "http/router.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

using namespace std::chrono_literals;
using bhttp::field;
using bhttp::verb;

// GET /test/slow answers once the test releases it (or after a 20 s safety net).
struct SlowRoute {
  std::atomic<bool> entered{false};
  std::atomic<bool> release{false};

  void add_to(http::Router& router) {
    router.add(
        verb::get, "/test/slow",
        [this](http::RequestContext&) -> asio::awaitable<http::Response> {
          entered = true;
          asio::steady_timer timer(co_await asio::this_coro::executor);
          for (int i = 0; i < 2000 && !release; ++i) {
            timer.expires_after(10ms);
            co_await timer.async_wait(asio::use_awaitable);
          }
          co_return http::json_response(bhttp::status::ok, "{\"slow\":true}");
        },
        http::Access::open);
  }

  bool wait_entered() const {
    auto deadline = std::chrono::steady_clock::now() + kClientWait;
    while (!entered) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(2ms);
    }
    return true;
  }
};

TEST(ServerShutdown, InFlightRequestCompletesAndIdleConnectionsClose) {
  SlowRoute slow;
  TestServer server(test_config(), [&](http::Router& router) { slow.add_to(router); });
  const std::uint16_t port = server.port();

  HttpClient idle(port);
  ASSERT_EQ(idle.request(verb::get, "/health").result_int(), 200);
  HttpClient busy(port);
  ASSERT_FALSE(busy.send(make_request(verb::get, "/test/slow", {}, {{"X-Request-Id", "slow-1"}})));
  ASSERT_TRUE(slow.wait_entered());

  auto stopping = std::async(std::launch::async, [&] { server.stop(); });
  // stop() closes idle keep-alive connections at once (each loop closes its acceptor first, but
  // the loops do so concurrently, so refusal is only certain once stop() has returned).
  EXPECT_TRUE(idle.wait_closed());
  // It waits for the request in flight.
  EXPECT_NE(stopping.wait_for(0s), std::future_status::ready);

  slow.release = true;
  ClientResponse response;
  boost::system::error_code ec = busy.read_response(response);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "{\"slow\":true}");
  EXPECT_EQ(response["X-Request-Id"], "slow-1");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_EQ(response[field::connection], "close");
  EXPECT_TRUE(busy.wait_closed());

  ASSERT_EQ(stopping.wait_for(30s), std::future_status::ready) << "stop() did not return";
  stopping.get();
  EXPECT_TRUE(HttpClient::try_connect(port));
  EXPECT_FALSE(server.logged("shutdown_forced"));
}

TEST(ServerShutdown, StopClosesEveryIdleConnection) {
  TestServer server;
  const std::uint16_t port = server.port();
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < 8; ++i) {
    clients.push_back(std::make_unique<HttpClient>(port));
    ASSERT_EQ(clients.back()->request(verb::get, "/health").result_int(), 200);
  }
  // One that connected but never sent a byte.
  HttpClient silent(port);
  auto stopping = std::async(std::launch::async, [&] { server.stop(); });
  ASSERT_EQ(stopping.wait_for(30s), std::future_status::ready) << "stop() did not return";
  for (auto& client : clients)
    EXPECT_TRUE(client->wait_closed());
  EXPECT_TRUE(silent.wait_closed());
  EXPECT_TRUE(HttpClient::try_connect(port));
  EXPECT_FALSE(server.logged("shutdown_forced"));
}

TEST(ServerShutdown, RequestPastTheShutdownTimeoutIsCutOff) {
  SlowRoute slow;
  Config config = test_config();
  config.shutdown_timeout = 200ms;
  TestServer server(config, [&](http::Router& router) { slow.add_to(router); });
  HttpClient busy(server.port());
  ASSERT_FALSE(busy.send(make_request(verb::get, "/test/slow")));
  ASSERT_TRUE(slow.wait_entered());
  auto stopping = std::async(std::launch::async, [&] { server.stop(); });
  RawResult rest = busy.read_until_closed();
  EXPECT_TRUE(rest.closed);
  EXPECT_TRUE(rest.bytes.empty()) << rest.bytes;
  slow.release = true;
  ASSERT_EQ(stopping.wait_for(30s), std::future_status::ready) << "stop() did not return";
  EXPECT_TRUE(server.logged("shutdown_forced"));
}

// One client: `requests` keep-alive GETs on one connection; counts the correct answers.
asio::awaitable<void> run_client(std::uint16_t port, int id, int requests,
                                 std::atomic<int>& correct, std::atomic<int>& failures) {
  auto executor = co_await asio::this_coro::executor;
  beast::tcp_stream stream(executor);
  stream.expires_after(60s);
  auto [connect_ec] = co_await stream.async_connect(
      asio::ip::tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port),
      asio::as_tuple(asio::use_awaitable));
  if (connect_ec) {
    failures.fetch_add(1);
    co_return;
  }
  beast::flat_buffer buffer;
  for (int i = 0; i < requests; ++i) {
    std::string request_id = "c" + std::to_string(id) + "-r" + std::to_string(i);
    ClientRequest request = make_request(verb::get, i % 2 ? "/health" : "/v1/dashboard/health", {},
                                         {{"X-Request-Id", request_id}});
    stream.expires_after(60s);
    auto [write_ec, written] =
        co_await bhttp::async_write(stream, request, asio::as_tuple(asio::use_awaitable));
    ClientResponse response;
    auto [read_ec, read] =
        co_await bhttp::async_read(stream, buffer, response, asio::as_tuple(asio::use_awaitable));
    if (write_ec || read_ec) {
      failures.fetch_add(1);
      co_return;
    }
    if (response.result_int() == 200 && response["X-Request-Id"] == request_id &&
        response.keep_alive()) {
      correct.fetch_add(1);
    }
  }
}

TEST(ServerLoad, ManyConcurrentKeepAliveConnectionsAllSucceed) {
  TestServer server;
  constexpr int kClients = 200;
  constexpr int kRequests = 10;
  std::atomic<int> correct{0};
  std::atomic<int> failures{0};
  asio::io_context context;
  for (int id = 0; id < kClients; ++id) {
    asio::co_spawn(context, run_client(server.port(), id, kRequests, correct, failures),
                   [&](std::exception_ptr e) {
                     if (e) failures.fetch_add(1);
                   });
  }
  context.run();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(correct.load(), kClients * kRequests);
  // The server is still healthy afterwards.
  EXPECT_EQ(HttpClient(server.port()).request(verb::get, "/health").result_int(), 200);
}

}  // namespace
}  // namespace seoagents::testing
