// Listening, connection sessions, protocol limits and graceful shutdown.
#include "http/server.hpp"

#include <openssl/ssl.h>

#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <latch>
#include <thread>

#include "http/wire.hpp"

namespace seoagents::http {
namespace {

using asio::ip::tcp;
using namespace std::chrono_literals;
constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

// How many bytes one read asks for while waiting for a request to begin: enough for a usual
// request, little for a connection that idles with its buffer (10,000 idle connections hold
// this 10,000 times). A read that fills what it asked for asks for twice as much the next time
// (a large body), up to kLargestRead; the buffer shrinks back between requests.
constexpr std::size_t kFirstRead = 1024;
constexpr std::size_t kLargestRead = 64 * 1024;
// After refusing a request, how long and how much of the unread request is drained so the
// client sees the answer rather than a reset.
constexpr auto kLingerTime = 1s;
constexpr std::size_t kLingerBytes = 256 * 1024;
// How often each loop checks its connections' deadlines: a timeout fires at most this late.
constexpr auto kSweepInterval = 100ms;

// The first `size` bytes of the buffer as text.
std::string_view buffered_text(const beast::flat_buffer& buffer, std::size_t size) {
  return {static_cast<const char*>(buffer.data().data()), size};
}

std::unique_ptr<Upgrade> granted(Request request, Response response, Principal caller) {
  return std::make_unique<Upgrade>(
      Upgrade{std::move(request), std::move(response), std::move(caller)});
}

// The connection is the upgrade handler's from now on: what HTTP kept is given back, and the
// server's stop leaves it to the handler.
void hand_over(beast::flat_buffer& buffer, ServerConnection& connection) {
  buffer.clear();
  buffer.shrink_to_fit();
  connection.busy = true;
}

bool expects_continue(const Request& request) {
  auto expect = request.find(bhttp::field::expect);
  return request.version() >= 11 && expect != request.end() &&
         boost::algorithm::iequals(expect->value(), "100-continue");
}

}  // namespace

std::unique_ptr<asio::ssl::context> make_server_tls_context(const std::string& cert_file,
                                                            const std::string& key_file) {
  auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  context->use_certificate_chain_file(cert_file, ec);
  if (ec) throw std::runtime_error("--tls-cert " + cert_file + ": cannot load: " + ec.message());
  context->use_private_key_file(key_file, asio::ssl::context::pem, ec);
  if (ec) throw std::runtime_error("--tls-key " + key_file + ": cannot load: " + ec.message());
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    throw std::runtime_error("--tls-key " + key_file + ": does not match --tls-cert " + cert_file);
  }
  return context;
}

HttpServer::HttpServer(LoopPool& loops, const Config& config, const Pipeline& pipeline,
                       Logger& logger)
    : loops_(loops), config_(config), pipeline_(pipeline), logger_(logger) {}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::bind(LoopState& loop, const tcp::endpoint& endpoint) {
  using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
  tcp::acceptor& acceptor = loop.acceptor.emplace(*loop.context);
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.set_option(reuse_port(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + endpoint.address().to_string() + ":" +
                             std::to_string(endpoint.port()) + ": " + ec.message());
  }
}

// SO_REUSEPORT would let a second server on the same port silently share its connections
// with this one. A plain bind first proves that nobody else is listening there.
void ensure_port_is_free(const tcp::endpoint& endpoint) {
  if (endpoint.port() == 0) return;
  asio::io_context probe_context;
  tcp::acceptor probe(probe_context);
  boost::system::error_code ec;
  probe.open(endpoint.protocol(), ec);
  if (!ec) probe.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) probe.bind(endpoint, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + endpoint.address().to_string() + ":" +
                             std::to_string(endpoint.port()) + ": " + ec.message() +
                             " (is another server running there?)");
  }
}

void HttpServer::start() {
  if (config_.tls_enabled()) tls_ = make_server_tls_context(config_.tls_cert, config_.tls_key);
  tcp::endpoint endpoint(asio::ip::make_address(config_.host), config_.port);
  ensure_port_is_free(endpoint);
  for (unsigned i = 0; i < loops_.size(); ++i) {
    auto state = std::make_unique<LoopState>();
    state->context = &loops_.loop(i);
    bind(*state, endpoint);
    // With port 0 the first bind picks the port; the other loops share it.
    endpoint.port(state->acceptor->local_endpoint().port());
    loop_states_.push_back(std::move(state));
  }
  port_ = endpoint.port();
  started_ = true;
  for (auto& state : loop_states_) {
    state->sweep_timer.emplace(*state->context);
    spawn(*state->context, accept_loop(*state), "accept_loop");
    spawn(*state->context, sweep_deadlines(*state), "sweep_deadlines");
  }
}

void HttpServer::spawn(asio::io_context& context, asio::awaitable<void> task,
                       std::string_view what) {
  running_tasks_.fetch_add(1);
  asio::co_spawn(context, std::move(task), [this, what](std::exception_ptr failure) {
    running_tasks_.fetch_sub(1);
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      logger_.error("task_failed", {{"task", what}, {"error", e.what()}});
    }
  });
}

asio::awaitable<void> HttpServer::accept_loop(LoopState& loop) {
  for (;;) {
    auto [ec, socket] = co_await loop.acceptor->async_accept(kAsTuple);
    if (ec == asio::error::operation_aborted || !loop.acceptor->is_open()) co_return;
    if (ec) {
      // Out of file descriptors or similar: say so, back off briefly instead of spinning.
      logger_.warn("accept_failed", {{"error", ec.message()}});
      asio::steady_timer pause(*loop.context, 50ms);
      co_await pause.async_wait(kAsTuple);
      continue;
    }
    if (open_connections_.fetch_add(1) >= config_.max_connections) {
      open_connections_.fetch_sub(1);
      spawn(*loop.context, refuse_overloaded(std::move(socket)), "refuse_overloaded");
      continue;
    }
    spawn(*loop.context, run_connection(std::move(socket), loop), "connection");
  }
}

asio::awaitable<void> HttpServer::refuse_overloaded(tcp::socket socket) {
  ConnectionInfo info;
  boost::system::error_code ec;
  auto remote = socket.remote_endpoint(ec);
  if (!ec) info.remote_address = remote.address().to_string();
  beast::tcp_stream stream(std::move(socket));
  Response response = pipeline_.reject(
      errors::service_unavailable("Too many open connections; retry shortly"), nullptr, info);
  response.set(bhttp::field::retry_after, "1");
  std::string out;
  serialize_response(response, false, out);
  stream.expires_after(kLingerTime);
  auto [write_ec, n] = co_await asio::async_write(stream, asio::buffer(out), kAsTuple);
  if (write_ec) co_return;
  // Drain the unread request for a moment so the client reads the 503 rather than a reset.
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(kLingerTime);
  char scratch[4096];
  std::size_t drained = 0;
  while (drained < kLingerBytes) {
    auto [read_ec, got] = co_await stream.async_read_some(asio::buffer(scratch), kAsTuple);
    if (read_ec) break;
    drained += got;
  }
}

asio::awaitable<void> HttpServer::sweep_deadlines(LoopState& loop) {
  for (;;) {
    loop.sweep_timer->expires_after(kSweepInterval);
    auto [ec] = co_await loop.sweep_timer->async_wait(kAsTuple);
    if (ec || stopped_sweeping_.load()) co_return;
    auto now = std::chrono::steady_clock::now();
    for (Connection* connection : loop.connections) {
      if (connection->deadline <= now) {
        boost::system::error_code ignored;
        connection->socket->close(ignored);
        connection->deadline = std::chrono::steady_clock::time_point::max();
      }
    }
  }
}

asio::awaitable<void> HttpServer::run_connection(tcp::socket socket, LoopState& loop) {
  ConnectionInfo info;
  boost::system::error_code ec;
  auto remote = socket.remote_endpoint(ec);
  if (!ec) info.remote_address = remote.address().to_string();
  socket.set_option(tcp::no_delay(true), ec);

  Connection connection{&socket};
  loop.connections.insert(&connection);
  struct Unregister {
    HttpServer& server;
    LoopState& loop;
    Connection& connection;
    ~Unregister() {
      loop.connections.erase(&connection);
      server.open_connections_.fetch_sub(1);
    }
  } unregister{*this, loop, connection};

  beast::flat_buffer buffer;
  connection.expire_after(config_.header_timeout);
  auto [detect_ec, is_tls] = co_await beast::async_detect_ssl(socket, buffer, kAsTuple);
  if (detect_ec) co_return;
  if (!is_tls) {
    auto upgrade = co_await serve(socket, buffer, connection, info);
    if (upgrade) {
      hand_over(buffer, connection);
      co_await upgrade_handler_->serve(socket, connection, std::move(upgrade));
    }
    socket.shutdown(tcp::socket::shutdown_send, ec);
    co_return;
  }
  if (!tls_) co_return;  // a TLS client on a plain port: there is no answer it could read

  info.tls = true;
  beast::ssl_stream<tcp::socket&> tls_stream(socket, *tls_);
  auto [handshake_ec, used] =
      co_await tls_stream.async_handshake(asio::ssl::stream_base::server, buffer.data(), kAsTuple);
  if (handshake_ec) co_return;
  buffer.consume(used);
  auto upgrade = co_await serve(tls_stream, buffer, connection, info);
  if (upgrade) {
    hand_over(buffer, connection);
    co_await upgrade_handler_->serve(tls_stream, connection, std::move(upgrade));
  }
  connection.expire_after(kLingerTime);
  co_await tls_stream.async_shutdown(kAsTuple);
}

template <class Stream, class Message>
asio::awaitable<HttpServer::WriteResult> HttpServer::write_response(Stream& stream,
                                                                    Connection& connection,
                                                                    const Message& message,
                                                                    bool head_only,
                                                                    std::string& out) {
  serialize_response(message, head_only, out);
  connection.expire_after(config_.write_timeout);
  return asio::async_write(stream, asio::buffer(out), kAsTuple);
}

template <class Stream>
asio::awaitable<void> HttpServer::refuse_request(Stream& stream, Connection& connection,
                                                 const ApiError& error, const Request* request,
                                                 const ConnectionInfo& info) {
  Response response = pipeline_.reject(error, request, info);
  bool head_only = request != nullptr && request->method() == bhttp::verb::head;
  std::string out;
  auto [write_ec, written] = co_await write_response(stream, connection, response, head_only, out);
  if (write_ec) co_return;
  if constexpr (std::is_same_v<Stream, tcp::socket>) {
    // Half-close and drain what the client still sends for a moment, so a client that is
    // mid-upload reads the error response instead of a connection reset.
    boost::system::error_code ec;
    stream.shutdown(tcp::socket::shutdown_send, ec);
    connection.expire_after(kLingerTime);
    char scratch[4096];
    std::size_t drained = 0;
    while (drained < kLingerBytes) {
      auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(scratch), kAsTuple);
      if (read_ec) break;
      drained += n;
    }
  }
}

template <class Stream>
asio::awaitable<bool> HttpServer::read_request(Stream& stream, beast::flat_buffer& buffer,
                                               RequestParser& parser, Connection& connection,
                                               const ConnectionInfo& info) {
  // The parser is fed straight from the buffer: a request that is already buffered (pipelined,
  // or read together with the previous one) costs no asynchronous operation at all.
  bool header_checked = false;
  connection.expire_after(buffer.size() > 0 ? config_.header_timeout : config_.idle_timeout);
  if (buffer.size() == 0 && buffer.capacity() > kFirstRead) buffer.shrink_to_fit();
  std::size_t read_size = kFirstRead;
  for (;;) {
    if (buffer.size() > 0) {
      connection.busy = true;
      boost::system::error_code ec;
      std::size_t used = parser.put(buffer.data(), ec);
      if (!header_checked && parser.is_header_done() && has_obs_fold(buffered_text(buffer, used))) {
        ec = bhttp::error::bad_value;
      }
      buffer.consume(used);
      if (ec == bhttp::error::need_more) ec = {};
      if (ec == bhttp::error::header_limit) {
        co_await refuse_request(stream, connection,
                                errors::headers_too_large(config_.max_header_bytes), nullptr, info);
        co_return false;
      }
      if (ec == bhttp::error::body_limit) {
        co_await refuse_request(stream, connection,
                                errors::payload_too_large(config_.max_body_bytes), &parser.get(),
                                info);
        co_return false;
      }
      if (ec) {
        const Request* partial = parser.is_header_done() ? &parser.get() : nullptr;
        co_await refuse_request(stream, connection, errors::bad_request("Malformed HTTP request"),
                                partial, info);
        co_return false;
      }
      if (parser.is_header_done() && !header_checked) {
        header_checked = true;
        if (auto problem = header_problem(parser)) {
          co_await refuse_request(stream, connection, *problem, &parser.get(), info);
          co_return false;
        }
        if (!parser.is_done()) {
          bool go_on = co_await await_body(stream, parser, connection);
          if (!go_on) co_return false;
        }
      }
      if (parser.is_done()) co_return true;
      if (used > 0 && buffer.size() > 0) continue;
    }
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(read_size), kAsTuple);
    if (ec) co_return false;  // closed, reset or past its deadline: nobody to answer
    if (!connection.busy) connection.expire_after(config_.header_timeout);
    buffer.commit(n);
    if (n == read_size) read_size = std::min(read_size * 2, kLargestRead);
  }
}

std::optional<ApiError> HttpServer::header_problem(RequestParser& parser) const {
  if (auto problem = check_framing(parser.get())) return problem;
  if (parser.content_length() && *parser.content_length() > config_.max_body_bytes) {
    return errors::payload_too_large(config_.max_body_bytes);
  }
  return std::nullopt;
}

template <class Stream>
asio::awaitable<bool> HttpServer::await_body(Stream& stream, RequestParser& parser,
                                             Connection& connection) {
  if (expects_continue(parser.get())) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    connection.expire_after(config_.write_timeout);
    auto [ec, n] = co_await asio::async_write(
        stream, asio::buffer(kContinue.data(), kContinue.size()), kAsTuple);
    if (ec) co_return false;
  }
  connection.expire_after(config_.body_timeout);
  co_return true;
}

template <class Stream>
asio::awaitable<std::unique_ptr<Upgrade>> HttpServer::serve(Stream& stream,
                                                            beast::flat_buffer& buffer,
                                                            Connection& connection,
                                                            const ConnectionInfo& info) {
  std::string out;  // the serialised response; its capacity is reused across requests
  for (;;) {
    connection.busy = false;
    if (connection.closing) co_return nullptr;
    RequestParser parser;
    parser.header_limit(static_cast<std::uint32_t>(config_.max_header_bytes));
    parser.body_limit(config_.max_body_bytes);
    parser.eager(true);
    if (!co_await read_request(stream, buffer, parser, connection, info)) co_return nullptr;

    // No deadline while the handler runs: it has its own (database, outbound calls).
    connection.deadline = std::chrono::steady_clock::time_point::max();
    Request& request = parser.get();
    std::optional<Principal> upgraded;
    Answer answer =
        co_await pipeline_.handle(request, info, upgrade_handler_ != nullptr ? &upgraded : nullptr);
    if (upgraded) {
      co_return granted(parser.release(), std::move(answer).complete(), std::move(*upgraded));
    }
    bool keep_alive = answer.response.keep_alive() && !connection.closing;
    answer.response.keep_alive(keep_alive);
    bool head_only = request.method() == bhttp::verb::head;
    auto [write_ec, written] = co_await write_response(stream, connection, answer, head_only, out);
    if (write_ec) co_return nullptr;
    if (!keep_alive) co_return nullptr;
  }
}

void HttpServer::on_every_loop(const std::function<void(LoopState&)>& action) {
  std::latch done(static_cast<std::ptrdiff_t>(loop_states_.size()));
  for (auto& state : loop_states_) {
    asio::post(*state->context, [&action, &done, &state = *state] {
      action(state);
      done.count_down();
    });
  }
  done.wait();
}

namespace {

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

}  // namespace

bool HttpServer::wait_for_connections_to_close(std::chrono::milliseconds limit) {
  return wait_until([this] { return open_connections_.load() == 0; }, limit);
}

bool HttpServer::wait_for_tasks(std::chrono::milliseconds limit) {
  return wait_until([this] { return running_tasks_.load() == 0; }, limit);
}

void HttpServer::stop() {
  if (stopped_ || !started_) return;
  stopped_ = true;
  on_every_loop([](LoopState& loop) {
    boost::system::error_code ec;
    loop.acceptor->close(ec);
    for (Connection* connection : loop.connections) {
      connection->closing = true;
      if (connection->on_server_stop) {
        connection->on_server_stop();
      } else if (!connection->busy) {
        connection->socket->close(ec);
      }
    }
  });
  bool drained = wait_for_connections_to_close(config_.shutdown_timeout);
  if (!drained) {
    logger_.warn("shutdown_forced", {{"connections", open_connections_.load()}});
    on_every_loop([](LoopState& loop) {
      boost::system::error_code ec;
      for (Connection* connection : loop.connections)
        connection->socket->close(ec);
    });
    drained = wait_for_connections_to_close(2s);
  }
  // The sweepers stop last: they close whatever a lingering close leaves behind.
  stopped_sweeping_.store(true);
  on_every_loop([](LoopState& loop) { loop.sweep_timer->cancel(); });
  wait_for_tasks(2s);
  // The acceptors and timers belong to their loops' io_contexts, which the loop pool destroys
  // when it stops: release them now, on their own threads, while those contexts still exist.
  on_every_loop([](LoopState& loop) {
    loop.acceptor.reset();
    loop.sweep_timer.reset();
  });
  if (!drained || running_tasks_.load() > 0) {
    logger_.error("shutdown_incomplete", {{"connections", open_connections_.load()}});
  }
}

}  // namespace seoagents::http
