// A tiny HTTP/1.1 server on an ephemeral loopback port for the load generator's own tests: each
// request (a GET, no body) is handed to a function that says what to answer and how long to
// wait first, so a test can stall one answer or serve list pages with cursors. One thread.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace seoagents::loadgen::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct LoopbackAnswer {
  // The whole response.
  std::string bytes;
  // Waited before it is written.
  std::chrono::milliseconds delay{0};
};

// "HTTP/1.1 200 OK" with `body` as application/json.
inline std::string json_response(std::string_view body) {
  std::string text = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ";
  text += std::to_string(body.size());
  text += "\r\n\r\n";
  text += body;
  return text;
}

class LoopbackServer {
 public:
  // Called on the server's thread with the request's head (request line and headers) and its
  // number (1, 2, … over all connections).
  using Handler = std::function<LoopbackAnswer(std::string_view head, int number)>;

  explicit LoopbackServer(Handler handler)
      : acceptor_(context_, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0)),
        handler_(std::move(handler)) {
    asio::co_spawn(context_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { context_.run(); });
  }
  ~LoopbackServer() {
    context_.stop();
    thread_.join();
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url(std::string_view target = "/") const {
    return "http://127.0.0.1:" + std::to_string(port()) + std::string(target);
  }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      asio::co_spawn(context_, serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    std::string received;
    asio::steady_timer timer(context_);
    for (;;) {
      auto [ec, n] = co_await asio::async_read_until(
          socket, asio::dynamic_buffer(received), "\r\n\r\n", asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      LoopbackAnswer answer = handler_(std::string_view(received).substr(0, n), ++requests_);
      received.erase(0, n);
      if (answer.delay.count() > 0) {
        timer.expires_after(answer.delay);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      }
      auto [write_error, written] = co_await asio::async_write(socket, asio::buffer(answer.bytes),
                                                               asio::as_tuple(asio::use_awaitable));
      if (write_error) co_return;
    }
  }

  asio::io_context context_;
  tcp::acceptor acceptor_;
  Handler handler_;
  int requests_ = 0;
  std::thread thread_;
};

}  // namespace seoagents::loadgen::testing
