// A TCP relay on 127.0.0.1 in front of another loopback port, that misbehaves on its first
// connections as a script says: hangs up without answering, answers 503 (a WordPress-style
// error body), or relays the request but loses the answer; every connection after the script
// is relayed byte for byte. For tests of retries against a real peer that is "down, then up",
// or that did the work but whose answer never arrived. One connection carries one request (the
// server's client sends Connection: close). Runs its own threads; every member is safe to call
// from any thread.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace seoagents::testing {

class FlakyProxy {
 public:
  enum class Behaviour {
    // Closes the connection at once.
    hang_up,
    // Reads the request and answers 503.
    unavailable,
    // Relays the request and the answer.
    relay,
    // Relays the request, lets the target answer, and closes without passing the answer on.
    lose_answer,
  };

  // `script[i]` is what connection i + 1 gets.
  FlakyProxy(std::uint16_t target_port, std::vector<Behaviour> script);
  // Stops accepting and waits for the connections in progress to end.
  ~FlakyProxy();
  FlakyProxy(const FlakyProxy&) = delete;
  FlakyProxy& operator=(const FlakyProxy&) = delete;

  std::uint16_t port() const { return port_; }
  // Connections accepted so far.
  int connections() const { return connections_.load(); }
  // Connections relayed to the target so far.
  int relayed() const { return relayed_.load(); }

 private:
  void accept_loop();
  void serve(boost::asio::ip::tcp::socket client, int number);
  void relay(boost::asio::ip::tcp::socket client, bool pass_answer);

  std::uint16_t target_port_;
  std::vector<Behaviour> script_;
  boost::asio::io_context context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> relayed_{0};
  std::mutex threads_mutex_;
  std::vector<std::thread> threads_;
  std::thread acceptor_thread_;
};

}  // namespace seoagents::testing
