// The flaky relay (see flaky_proxy.hpp), on blocking sockets: one thread accepts, one thread per
// connection serves it (two while relaying, one per direction).
#include "tests/support/flaky_proxy.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <string>
#include <vector>

namespace seoagents::testing {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// A 503 with a body like WordPress's errors.
std::string unavailable_response() {
  std::string body =
      R"json({"code":"service_unavailable","message":"The site is down for maintenance (test)"})json";
  return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
         "Connection: close\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

tcp::endpoint loopback(std::uint16_t port) {
  return tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
}

// Reads the request's head and its Content-Length body, so that the answer does not race the
// client's write.
void read_request(tcp::socket& socket) {
  std::string data;
  char buffer[4096];
  boost::system::error_code ec;
  std::size_t head_end = std::string::npos;
  while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
    std::size_t n = socket.read_some(asio::buffer(buffer), ec);
    if (ec) return;
    data.append(buffer, n);
  }
  std::size_t length = 0;
  std::string head = data.substr(0, head_end);
  for (char& c : head)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (std::size_t at = head.find("content-length:"); at != std::string::npos)
    length = std::stoul(head.substr(at + 15));
  std::size_t have = data.size() - head_end - 4;
  std::vector<char> rest(length > have ? length - have : 0);
  if (!rest.empty()) asio::read(socket, asio::buffer(rest), ec);
}

// Copies from `from` to `to` until `from` ends; then ends `to`'s sending side.
void pump(tcp::socket& from, tcp::socket& to) {
  char buffer[16384];
  boost::system::error_code ec;
  for (;;) {
    std::size_t n = from.read_some(asio::buffer(buffer), ec);
    if (ec) break;
    asio::write(to, asio::buffer(buffer, n), ec);
    if (ec) break;
  }
  to.shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace

FlakyProxy::FlakyProxy(std::uint16_t target_port, std::vector<Behaviour> script)
    : target_port_(target_port), script_(std::move(script)), acceptor_(context_, loopback(0)) {
  port_ = acceptor_.local_endpoint().port();
  acceptor_thread_ = std::thread([this] { accept_loop(); });
}

FlakyProxy::~FlakyProxy() {
  stopping_ = true;
  // Wakes the blocking accept.
  boost::system::error_code ec;
  tcp::socket waker(context_);
  waker.connect(loopback(port_), ec);
  acceptor_thread_.join();
  std::lock_guard lock(threads_mutex_);
  for (std::thread& thread : threads_)
    thread.join();
}

void FlakyProxy::accept_loop() {
  for (;;) {
    tcp::socket client(context_);
    boost::system::error_code ec;
    acceptor_.accept(client, ec);
    if (stopping_ || ec) return;
    int number = ++connections_;
    std::lock_guard lock(threads_mutex_);
    threads_.emplace_back(
        [this, client = std::move(client), number]() mutable { serve(std::move(client), number); });
  }
}

void FlakyProxy::serve(tcp::socket client, int number) {
  boost::system::error_code ec;
  std::size_t index = static_cast<std::size_t>(number - 1);
  Behaviour behaviour = index < script_.size() ? script_[index] : Behaviour::relay;
  switch (behaviour) {
    case Behaviour::hang_up:
      client.close(ec);
      return;
    case Behaviour::unavailable:
      read_request(client);
      asio::write(client, asio::buffer(unavailable_response()), ec);
      client.shutdown(tcp::socket::shutdown_both, ec);
      return;
    case Behaviour::relay:
    case Behaviour::lose_answer:
      relay(std::move(client), behaviour == Behaviour::relay);
      return;
  }
}

void FlakyProxy::relay(tcp::socket client, bool pass_answer) {
  boost::system::error_code ec;
  tcp::socket target(context_);
  target.connect(loopback(target_port_), ec);
  if (ec) return;
  ++relayed_;
  std::thread upstream([&] { pump(client, target); });
  if (pass_answer) {
    pump(target, client);
  } else {
    // The target's answer is read to its end (the work is done) and dropped.
    char buffer[16384];
    while (!ec)
      target.read_some(asio::buffer(buffer), ec);
  }
  // The target answered and closed: end the request side too.
  client.shutdown(tcp::socket::shutdown_both, ec);
  target.shutdown(tcp::socket::shutdown_both, ec);
  upstream.join();
}

}  // namespace seoagents::testing
