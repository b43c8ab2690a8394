// The WebSocket handshake, each connection's reader and writer coroutines, and the fan-out of
// job events to the loops (see channel.hpp).
#include "ws/channel.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <cassert>
#include <functional>

#include "storage/jobs.hpp"

namespace seoagents::ws {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
// Bytes of a client message read at a time (messages are at most 4 KiB, most under 200 bytes).
constexpr std::size_t kReadPiece = 256;

// The handshake's response carries what the pipeline put on its 101 (request id, rate-limit
// headers, Server, Date, the selected subprotocol), but not the framing fields Beast writes
// itself.
void copy_headers(const http::Response& from, websocket::response_type& to) {
  for (const auto& field : from) {
    switch (field.name()) {
      case bhttp::field::content_length:
      case bhttp::field::transfer_encoding:
      case bhttp::field::connection:
      case bhttp::field::upgrade:
      case bhttp::field::sec_websocket_accept:
      case bhttp::field::sec_websocket_extensions:
        continue;
      default:
        to.set(field.name_string(), field.value());
    }
  }
}

template <class WebSocket>
void configure(WebSocket& ws, const ChannelOptions& options, const http::Response& response) {
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = options.handshake_timeout;
  timeouts.idle_timeout = options.idle_timeout;
  timeouts.keep_alive_pings = true;
  ws.set_option(timeouts);
  ws.read_message_max(kMaxClientMessageBytes);
  ws.set_option(websocket::stream_base::decorator(
      [&response](websocket::response_type& handshake) { copy_headers(response, handshake); }));
}

// After the handshake the decorator must not refer to the response any more.
template <class WebSocket>
void forget_handshake(WebSocket& ws) {
  ws.set_option(websocket::stream_base::decorator([](websocket::response_type&) {}));
  ws.text(true);
}

// A flat buffer's bytes are contiguous.
std::string_view text_of(const beast::flat_buffer& buffer) {
  return std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size());
}

template <class WebSocket>
asio::awaitable<void> read_messages(WebSocket& ws, Session& session) {
  beast::flat_buffer buffer;
  for (;;) {
    // In small pieces: a read waiting on an idle connection holds only this much buffer.
    auto [ec, n] = co_await ws.async_read_some(buffer, kReadPiece, kAsTuple);
    if (ec) break;
    if (!ws.is_message_done()) continue;
    session.handle_message(text_of(buffer), ws.got_text());
    // Messages are rare and small: an idle connection keeps no read buffer.
    buffer.clear();
    buffer.shrink_to_fit();
    if (session.outbox_full()) co_await session.wait_until_drained();
  }
  session.connection_ended();
}

template <class WebSocket>
asio::awaitable<void> write_frames(WebSocket& ws, Session& session, tcp::socket& socket) {
  for (;;) {
    co_await session.wait_for_work();
    if (session.ended()) break;
    if (auto code = session.close_due()) {
      co_await ws.async_close(websocket::close_reason(*code), kAsTuple);
      break;
    }
    if (session.outbox().empty()) continue;
    SharedFrame frame = session.outbox().take();
    auto [ec, n] = co_await ws.async_write(asio::buffer(*frame), kAsTuple);
    if (ec) {
      // The reader may be waiting for the outbox to drain rather than reading: end it too.
      boost::system::error_code ignored;
      socket.close(ignored);
      break;
    }
    session.frame_written();
  }
}

}  // namespace

ProgressChannel::ProgressChannel(LoopPool& loops, storage::Store& store, jobs::JobEventBus& bus,
                                 Logger& logger, ChannelOptions options)
    : store_(store), bus_(bus), logger_(logger), options_(options) {
  for (unsigned i = 0; i < loops.size(); ++i)
    hubs_.push_back(std::make_unique<LoopHub>(loops.loop(i), watched_));
}

ProgressChannel::~ProgressChannel() {
  stop();
}

void ProgressChannel::start() {
  listening_ = bus_.listen([this](const jobs::JobUpdate& update) { route(update); });
}

void ProgressChannel::stop() {
  listening_.reset();
}

SessionServices ProgressChannel::session_services() {
  return SessionServices{store_, logger_, options_};
}

// They return run's awaitable rather than awaiting it: one coroutine frame per connection, not
// two.
asio::awaitable<void> ProgressChannel::serve(tcp::socket& stream,
                                             http::ServerConnection& connection,
                                             std::unique_ptr<http::Upgrade> upgrade) {
  return run(stream, connection, std::move(upgrade));
}

asio::awaitable<void> ProgressChannel::serve(TlsStream& stream, http::ServerConnection& connection,
                                             std::unique_ptr<http::Upgrade> upgrade) {
  return run(stream, connection, std::move(upgrade));
}

template <class NextLayer>
asio::awaitable<void> ProgressChannel::run(NextLayer& next, http::ServerConnection& connection,
                                           std::unique_ptr<http::Upgrade> upgrade) {
  websocket::stream<NextLayer&> ws(next);
  configure(ws, options_, upgrade->response);
  connection.expire_after(options_.handshake_timeout);
  auto [accept_ec] = co_await ws.async_accept(upgrade->request, kAsTuple);
  forget_handshake(ws);
  std::string account_id = std::move(upgrade->caller.account_id);
  upgrade.reset();
  if (accept_ec) co_return;
  connection.never_expire();

  // The server serves every connection on a loop thread.
  int loop = LoopPool::current_index();
  assert(loop >= 0);
  LoopHub& hub = *hubs_[static_cast<std::size_t>(loop)];
  Session session(session_services(), hub, std::move(account_id),
                  co_await asio::this_coro::executor);
  // A connection whose close does not complete (a peer that stopped reading) is cut off.
  auto close_timeout = options_.handshake_timeout;
  session.on_close([&connection, close_timeout] { connection.expire_after(close_timeout); });
  connection.on_server_stop = [&session] {
    session.close(websocket::close_code::going_away, false);
  };
  if (connection.closing) session.close(websocket::close_code::going_away, false);
  // The writer runs beside the reader (this coroutine); both end before the session does.
  asio::co_spawn(next.get_executor(), write_frames(ws, session, *connection.socket),
                 [&session](std::exception_ptr) { session.writer_finished(); });
  co_await read_messages(ws, session);
  co_await session.wait_for_writer();
  connection.on_server_stop = nullptr;
}

void ProgressChannel::route(const jobs::JobUpdate& update) {
  // After the commit: a subscribe that marks the job later reads this event itself.
  if (!watched_.watched(update.event.job_id)) {
    events_unwatched_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  events_routed_.fetch_add(1, std::memory_order_relaxed);
  std::size_t owner = std::hash<std::string>{}(update.event.job_id) % hubs_.size();
  asio::post(hubs_[owner]->loop(), [this, update] { share(update); });
}

void ProgressChannel::share(const jobs::JobUpdate& update) {
  auto frame = std::make_shared<JobFrame>();
  frame->job_id = update.event.job_id;
  frame->seq = update.event.seq;
  frame->ts = update.event.ts;
  frame->progress = progress_message(update.event);
  if (storage::is_finished_status(update.status)) frame->final = final_frame(update);
  std::shared_ptr<const JobFrame> shared = std::move(frame);
  for (auto& hub : hubs_) {
    asio::post(hub->loop(), [hub = hub.get(), shared] { hub->dispatch(shared); });
  }
}

std::string ProgressChannel::final_frame(const jobs::JobUpdate& update) {
  try {
    auto job = storage::find_job(store_.reader(), update.event.job_id);
    if (job && storage::is_finished_status(job->status)) return *final_message(*job);
  } catch (const storage::SqliteError& e) {
    logger_.error("ws_final_read_failed", {{"job", update.event.job_id}, {"error", e.what()}});
  }
  // Without the row: the status the event carries, and its message as the error.
  storage::Job job;
  job.id = update.event.job_id;
  job.status = update.status;
  if (update.status == "failed") job.error = update.event.message;
  return *final_message(job);
}

ChannelStats ProgressChannel::stats() const {
  ChannelStats stats;
  stats.events_routed = events_routed_.load(std::memory_order_relaxed);
  stats.events_unwatched = events_unwatched_.load(std::memory_order_relaxed);
  for (const auto& hub : hubs_) {
    std::size_t connections = hub->connections.load(std::memory_order_relaxed);
    stats.connections += connections;
    stats.connections_per_loop.push_back(connections);
    stats.subscriptions += hub->subscriptions.load(std::memory_order_relaxed);
    stats.slow_consumers_closed += hub->slow_consumers_closed.load(std::memory_order_relaxed);
  }
  return stats;
}

}  // namespace seoagents::ws
