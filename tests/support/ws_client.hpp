// A blocking WebSocket test client (Beast) for the progress channel: the upgrade with its
// headers and the server's answer (101, or the refusal with its error body), then JSON text
// messages sent and read, and the close code the server sent. Plain TCP or TLS. Every wait is
// bounded by kClientWait (or the wait given): a safety net, never a timing assertion.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tests/support/http_client.hpp"

namespace seoagents::testing {

namespace websocket = boost::beast::websocket;

template <class NextLayer>
class BasicWsClient {
 public:
  // Connects to 127.0.0.1:port (TLS: and completes the TLS handshake with `tls`); throws
  // std::runtime_error when that fails.
  explicit BasicWsClient(std::uint16_t port, asio::ssl::context* tls = nullptr,
                         std::optional<int> receive_buffer_bytes = std::nullopt);
  BasicWsClient(const BasicWsClient&) = delete;
  BasicWsClient& operator=(const BasicWsClient&) = delete;

  // The WebSocket upgrade at `target`; on failure the server's answer is in handshake().
  boost::system::error_code upgrade(std::string_view target, const HeaderList& headers = {});
  // The server's answer to the upgrade (101, or the refusal with its body).
  const websocket::response_type& handshake() const { return handshake_; }

  boost::system::error_code send(std::string_view text);
  // The next message, or nullopt once the connection is closed (see close_code()), broken or
  // the wait ran out (see last_error()).
  std::optional<std::string> read(std::chrono::milliseconds wait = kClientWait);
  // The next message as a JSON object; throws std::runtime_error when there is none.
  boost::json::object read_json(std::chrono::milliseconds wait = kClientWait);
  // Reads until the server closes; the close code it sent, or nullopt (no close frame).
  std::optional<std::uint16_t> read_until_closed(std::chrono::milliseconds wait = kClientWait);
  // The code of the close frame the server sent, once read() saw it.
  std::optional<std::uint16_t> close_code() const { return close_code_; }
  const boost::system::error_code& last_error() const { return last_error_; }
  // Pings the server sent (answered by Beast while a read runs).
  int pings_received() const { return pings_; }
  // Closes from the client side (a close frame, then the server's answer).
  void close();

 private:
  template <class Initiate>
  boost::system::error_code run(Initiate&& initiate, std::chrono::milliseconds wait);
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(*ws_); }

  asio::io_context context_;
  std::optional<websocket::stream<NextLayer>> ws_;
  beast::flat_buffer buffer_;
  websocket::response_type handshake_;
  std::optional<std::uint16_t> close_code_;
  boost::system::error_code last_error_;
  int pings_ = 0;
};

using WsClient = BasicWsClient<beast::tcp_stream>;
using WssClient = BasicWsClient<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace seoagents::testing
