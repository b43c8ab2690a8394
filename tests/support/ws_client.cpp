// The blocking WebSocket test client (see ws_client.hpp).
#include "tests/support/ws_client.hpp"

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/json/parse.hpp>
#include <stdexcept>
#include <type_traits>

namespace seoagents::testing {
namespace {

using asio::ip::tcp;
using boost::system::error_code;
using TlsNext = beast::ssl_stream<beast::tcp_stream>;

constexpr std::string_view kHost = "127.0.0.1";

}  // namespace

template <class NextLayer>
BasicWsClient<NextLayer>::BasicWsClient(std::uint16_t port, asio::ssl::context* tls,
                                        std::optional<int> receive_buffer_bytes) {
  if constexpr (std::is_same_v<NextLayer, TlsNext>) {
    if (tls == nullptr) throw std::runtime_error("a TLS client needs a TLS context");
    ws_.emplace(context_, *tls);
  } else {
    ws_.emplace(context_);
  }
  tcp::socket& socket = lowest().socket();
  socket.open(tcp::v4());
  if (receive_buffer_bytes)
    socket.set_option(tcp::socket::receive_buffer_size(*receive_buffer_bytes));
  tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
  error_code ec =
      run([&](auto handler) { lowest().async_connect(endpoint, std::move(handler)); }, kClientWait);
  if (ec) throw std::runtime_error("cannot connect: " + ec.message());
  if constexpr (std::is_same_v<NextLayer, TlsNext>) {
    auto& tls_stream = ws_->next_layer();
    SSL_set_tlsext_host_name(tls_stream.native_handle(), "localhost");
    ec = run(
        [&](auto handler) {
          tls_stream.async_handshake(asio::ssl::stream_base::client, std::move(handler));
        },
        kClientWait);
    if (ec) throw std::runtime_error("TLS handshake failed: " + ec.message());
  }
}

template <class NextLayer>
template <class Initiate>
error_code BasicWsClient<NextLayer>::run(Initiate&& initiate, std::chrono::milliseconds wait) {
  lowest().expires_after(wait);
  error_code result = beast::error::timeout;
  bool done = false;
  initiate([&](error_code ec, auto...) {
    result = ec;
    done = true;
  });
  context_.restart();
  context_.run();
  lowest().expires_never();
  last_error_ = done ? result : beast::error::timeout;
  return last_error_;
}

template <class NextLayer>
error_code BasicWsClient<NextLayer>::upgrade(std::string_view target, const HeaderList& headers) {
  ws_->set_option(websocket::stream_base::decorator([headers](websocket::request_type& request) {
    for (const auto& [name, value] : headers)
      request.set(name, value);
  }));
  ws_->control_callback([this](websocket::frame_type kind, std::string_view) {
    if (kind == websocket::frame_type::ping) ++pings_;
  });
  return run(
      [&](auto handler) { ws_->async_handshake(handshake_, kHost, target, std::move(handler)); },
      kClientWait);
}

template <class NextLayer>
error_code BasicWsClient<NextLayer>::send(std::string_view text) {
  ws_->text(true);
  return run(
      [&](auto handler) {
        ws_->async_write(asio::buffer(text.data(), text.size()), std::move(handler));
      },
      kClientWait);
}

template <class NextLayer>
std::optional<std::string> BasicWsClient<NextLayer>::read(std::chrono::milliseconds wait) {
  buffer_.clear();
  error_code ec = run([&](auto handler) { ws_->async_read(buffer_, std::move(handler)); }, wait);
  if (ec == websocket::error::closed) close_code_ = static_cast<std::uint16_t>(ws_->reason().code);
  if (ec) return std::nullopt;
  return beast::buffers_to_string(buffer_.data());
}

template <class NextLayer>
boost::json::object BasicWsClient<NextLayer>::read_json(std::chrono::milliseconds wait) {
  auto text = read(wait);
  if (!text) throw std::runtime_error("no message: " + last_error_.message());
  boost::json::value value = boost::json::parse(*text);
  if (!value.is_object()) throw std::runtime_error("not a JSON object: " + *text);
  return value.as_object();
}

template <class NextLayer>
std::optional<std::uint16_t> BasicWsClient<NextLayer>::read_until_closed(
    std::chrono::milliseconds wait) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds::zero()) return std::nullopt;
    if (!read(left)) return close_code_;
  }
}

template <class NextLayer>
void BasicWsClient<NextLayer>::close() {
  run([&](auto handler) { ws_->async_close(websocket::close_code::normal, std::move(handler)); },
      kClientWait);
}

template class BasicWsClient<beast::tcp_stream>;
template class BasicWsClient<TlsNext>;

}  // namespace seoagents::testing
