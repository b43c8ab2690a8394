// One WebSocket connection's side of the progress channel, apart from its socket: the client's
// messages answered, its subscriptions (each a stored replay followed by live events, with no
// gap and no duplicate), the outbox its writer drains, and the reasons it closes (a slow reader,
// repeated bad messages, the server stopping).
//
// Threads: a session lives on its connection's loop and is touched only there.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.hpp"
#include "storage/store.hpp"
#include "ws/hub.hpp"
#include "ws/outbox.hpp"
#include "ws/protocol.hpp"

namespace seoagents::ws {

namespace websocket = boost::beast::websocket;

struct ChannelOptions {
  // Live event frames a connection may have waiting; one more closes it with 1013.
  std::size_t max_queued_frames = 1024;
  // Jobs one connection may watch at once.
  std::size_t max_subscriptions = 100;
  // Bad messages (malformed, invalid) a connection may send; the last one closes it with 1008.
  std::size_t max_bad_messages = 10;
  // Nothing received for half of this: the server pings; for all of it: the connection is
  // closed as dead.
  std::chrono::milliseconds idle_timeout{60'000};
  // Time for the opening handshake, and for the client to answer a close.
  std::chrono::milliseconds handshake_timeout{10'000};
};

// What a session needs of the rest of the server.
struct SessionServices {
  storage::Store& store;
  Logger& logger;
  const ChannelOptions& options;
};

class Session {
 public:
  Session(SessionServices services, LoopHub& hub, std::string account_id,
          asio::any_io_executor executor);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // A complete message from the client.
  void handle_message(std::string_view text, bool is_text);

  // Called by the hub: a live event of a job this session watches.
  void deliver(Subscription& subscription, const std::shared_ptr<const JobFrame>& frame);
  // Called by the hub after a final event: the subscription is over (the hub forgot it).
  void forget(Subscription& subscription);

  // Asks the writer to close the connection with `code`, after the frames already queued when
  // `flush`, else at once (they are dropped). The first request wins.
  void close(websocket::close_code code, bool flush);
  // `action` runs once, when the first close is asked for (the connection arms its deadline).
  void on_close(std::function<void()> action) { on_close_ = std::move(action); }
  // The reader saw the connection end (closed by the peer, an error, a timeout).
  void connection_ended();

  // --- for the writer ---
  Outbox& outbox() { return outbox_; }
  // The close frame to send now, if one is due.
  std::optional<websocket::close_code> close_due() const;
  bool ended() const { return ended_; }
  // Waits until there is something to write, a close is due or the connection ended.
  asio::awaitable<void> wait_for_work();
  // After each frame written: wakes a reader waiting for the outbox to drain.
  void frame_written();
  // The writer is done (the close frame sent, or the connection broken): nothing drains the
  // outbox any more.
  void writer_finished();
  // Waits until writer_finished().
  asio::awaitable<void> wait_for_writer();

  // --- for the reader ---
  bool closing() const { return close_code_.has_value(); }
  // The outbox holds more than its bound: the reader waits before it reads the next message.
  bool outbox_full() const { return outbox_.size() > services_.options.max_queued_frames; }
  asio::awaitable<void> wait_until_drained();

  std::size_t subscription_count() const { return subscriptions_.size(); }

 private:
  void subscribe(const ClientMessage& message);
  void unsubscribe(const std::string& job_id);
  // The message was malformed or invalid: answered with an error; too many close the connection.
  void refuse(const ProtocolError& error);
  void answer(std::string text);
  void push_live(SharedFrame text);
  Subscription* find(std::string_view job_id);
  void wake_writer();

  SessionServices services_;
  LoopHub& hub_;
  std::string account_id_;
  Outbox outbox_;
  std::vector<std::unique_ptr<Subscription>> subscriptions_;
  std::size_t bad_messages_ = 0;
  std::optional<websocket::close_code> close_code_;
  bool flush_before_close_ = false;
  std::function<void()> on_close_;
  bool ended_ = false;
  bool writer_finished_ = false;
  // The writer waits on one, the reader on the other; cancelled to wake them.
  asio::steady_timer writer_wake_;
  asio::steady_timer reader_wake_;
  bool writer_waiting_ = false;
  bool reader_waiting_ = false;
};

}  // namespace seoagents::ws
