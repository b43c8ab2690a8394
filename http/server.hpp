// The HTTP/1.1 server: one acceptor per loop thread on the same port (SO_REUSEPORT), and one
// session coroutine per connection that owns its stream: read → pipeline → write, keep-alive,
// a deadline on every read and write. TLS is detected per connection when configured.
//
// Deadlines are a time stamp per connection, checked by one sweeper per loop a few times a
// second, which closes the sockets whose deadline passed. Setting a deadline is a store, not a
// timer operation: requests pay nothing for their timeouts, and a timeout fires within one sweep
// interval of its due time.
//
// A request the pipeline grants a WebSocket upgrade (Access::websocket) is handed, with its
// stream, to the UpgradeHandler (the progress channel, ws/), which serves the connection on the
// same coroutine and loop until it closes.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_set>
#include <vector>

#include "core/config.hpp"
#include "core/log.hpp"
#include "core/loop_pool.hpp"
#include "http/pipeline.hpp"

namespace seoagents::http {

// A TLS 1.2+ server context from PEM files; throws std::runtime_error naming the bad file.
std::unique_ptr<asio::ssl::context> make_server_tls_context(const std::string& cert_file,
                                                            const std::string& key_file);

// Throws std::runtime_error (naming the address) when something already listens on
// `endpoint`'s port; port 0 always passes. SO_REUSEPORT would otherwise let a second server
// share the port silently.
void ensure_port_is_free(const asio::ip::tcp::endpoint& endpoint);

// What the server keeps of one open connection; owned by its session coroutine's frame and
// touched only on its loop.
struct ServerConnection {
  // The TCP socket under any TLS layer.
  asio::ip::tcp::socket* socket = nullptr;
  // When the sweeper closes the socket unless the session moved it on.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();

  void expire_after(std::chrono::steady_clock::duration timeout) {
    deadline = std::chrono::steady_clock::now() + timeout;
  }
  void never_expire() { deadline = std::chrono::steady_clock::time_point::max(); }
  // From a request's first byte until its response is written (and for an upgraded connection's
  // whole life).
  bool busy = false;
  // The server is stopping: answer the request in flight, then close.
  bool closing = false;
  // Set by an UpgradeHandler: when the server stops, it calls this (on the connection's loop)
  // instead of closing the socket, so the connection can say goodbye in its own protocol.
  std::function<void()> on_server_stop;
};

// A request the pipeline granted a WebSocket upgrade, on its way to the UpgradeHandler.
struct Upgrade {
  Request request;
  // The pipeline's answer: 101 and the headers every response carries, for the handshake's.
  Response response;
  // Who authenticated.
  Principal caller;
};

// Serves the connections whose request was granted a WebSocket upgrade. Each call runs on the
// connection's loop and returns when the connection is done; the server then closes it. The
// handler owns the upgrade (and frees it once answered).
class UpgradeHandler {
 public:
  using TlsStream = beast::ssl_stream<asio::ip::tcp::socket&>;

  virtual ~UpgradeHandler() = default;
  virtual asio::awaitable<void> serve(asio::ip::tcp::socket& stream, ServerConnection& connection,
                                      std::unique_ptr<Upgrade> upgrade) = 0;
  virtual asio::awaitable<void> serve(TlsStream& stream, ServerConnection& connection,
                                      std::unique_ptr<Upgrade> upgrade) = 0;
};

class HttpServer {
 public:
  HttpServer(LoopPool& loops, const Config& config, const Pipeline& pipeline, Logger& logger);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Upgrades granted by the pipeline go to `handler` (null: none are served). Before start().
  void set_upgrade_handler(UpgradeHandler* handler) { upgrade_handler_ = handler; }

  // Binds every loop's acceptor and starts accepting. Throws std::runtime_error with a clear
  // message when the address cannot be bound or the TLS files cannot be loaded.
  void start();

  // The bound port (the real one when the configuration said 0).
  std::uint16_t port() const { return port_; }

  // Graceful stop, called from outside the loops: stop accepting, close idle connections, let
  // requests in flight finish within the shutdown timeout, then close whatever is left.
  // Returns once no connection remains.
  void stop();

  // Connections currently open, across all loops.
  std::size_t open_connections() const { return open_connections_.load(); }

 private:
  using Connection = ServerConnection;

  // The state of one loop thread; touched only from that thread once serving starts.
  struct LoopState {
    asio::io_context* context = nullptr;
    std::optional<asio::ip::tcp::acceptor> acceptor;
    std::unordered_set<Connection*> connections;
    // Wakes the deadline sweeper; cancelled on stop.
    std::optional<asio::steady_timer> sweep_timer;
  };

  void bind(LoopState& loop, const asio::ip::tcp::endpoint& endpoint);
  asio::awaitable<void> accept_loop(LoopState& loop);
  asio::awaitable<void> sweep_deadlines(LoopState& loop);
  asio::awaitable<void> refuse_overloaded(asio::ip::tcp::socket socket);
  asio::awaitable<void> run_connection(asio::ip::tcp::socket socket, LoopState& loop);
  using RequestParser = bhttp::request_parser<bhttp::string_body>;
  // Reads one whole request into `parser`; false when the connection is to end (the peer left,
  // a deadline passed, or the request was refused and answered).
  template <class Stream>
  asio::awaitable<bool> read_request(Stream& stream, beast::flat_buffer& buffer,
                                     RequestParser& parser, Connection& connection,
                                     const ConnectionInfo& info);
  // Why a complete header is refused before its body is read (framing, size), if it is.
  std::optional<ApiError> header_problem(RequestParser& parser) const;
  // Before a body is read: 100 Continue when the client waits for it, and the body's deadline.
  template <class Stream>
  asio::awaitable<bool> await_body(Stream& stream, RequestParser& parser, Connection& connection);
  // Serves HTTP requests until the connection is to end, or until one is granted an upgrade:
  // then returns it, so that this frame (the parser, the response buffer) is gone while the
  // upgraded connection is served.
  template <class Stream>
  asio::awaitable<std::unique_ptr<Upgrade>> serve(Stream& stream, beast::flat_buffer& buffer,
                                                  Connection& connection,
                                                  const ConnectionInfo& info);

  // Serialises `message` (an Answer, or a Response whose headers are all fields) into `out` and
  // writes it. Not a coroutine: the write's own awaitable is returned, which yields the error and
  // the bytes written.
  using WriteResult = std::tuple<boost::system::error_code, std::size_t>;
  template <class Stream, class Message>
  asio::awaitable<WriteResult> write_response(Stream& stream, Connection& connection,
                                              const Message& message, bool head_only,
                                              std::string& out);
  template <class Stream>
  asio::awaitable<void> refuse_request(Stream& stream, Connection& connection,
                                       const ApiError& error, const Request* request,
                                       const ConnectionInfo& info);
  // Runs `action` on every loop thread and waits until each has run it.
  void on_every_loop(const std::function<void(LoopState&)>& action);
  bool wait_for_connections_to_close(std::chrono::milliseconds limit);
  bool wait_for_tasks(std::chrono::milliseconds limit);
  void spawn(asio::io_context& context, asio::awaitable<void> task, std::string_view what);

  LoopPool& loops_;
  const Config& config_;
  const Pipeline& pipeline_;
  Logger& logger_;
  UpgradeHandler* upgrade_handler_ = nullptr;
  std::unique_ptr<asio::ssl::context> tls_;
  std::vector<std::unique_ptr<LoopState>> loop_states_;
  std::uint16_t port_ = 0;
  std::atomic<std::size_t> open_connections_{0};
  // Accept loops and refusal coroutines still running; stop() waits for them too.
  std::atomic<std::size_t> running_tasks_{0};
  // Set by stop() once connections are gone: the sweepers end.
  std::atomic<bool> stopped_sweeping_{false};
  // start() completed: the accept loops and sweepers were spawned, stop() has work to do.
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace seoagents::http
