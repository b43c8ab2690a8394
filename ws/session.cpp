// A connection's messages, subscriptions and outbox (see session.hpp).
#include "ws/session.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "storage/jobs.hpp"

namespace seoagents::ws {
namespace {

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

// A job and all its events as of one moment.
struct JobSnapshot {
  std::optional<storage::Job> job;
  std::vector<storage::JobEvent> events;
};

// Ends the read transaction however the reads went.
class ReadTransaction {
 public:
  explicit ReadTransaction(storage::Connection& db) : db_(db) { db_.exec("BEGIN"); }
  ~ReadTransaction() {
    try {
      db_.exec("COMMIT");
    } catch (const storage::SqliteError&) {
      // Nothing was written: there is nothing to lose.
    }
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  storage::Connection& db_;
};

// The job row and its events read in one transaction, so they agree: when the job is finished,
// its final event is among them.
JobSnapshot read_snapshot(storage::Connection& db, const std::string& job_id) {
  ReadTransaction transaction(db);
  JobSnapshot snapshot;
  snapshot.job = storage::find_job(db, job_id);
  if (snapshot.job) snapshot.events = storage::list_job_events(db, job_id, std::nullopt);
  return snapshot;
}

std::string not_found(std::string_view job_id) {
  std::string text("Job not found: ");
  text.append(job_id);
  return text;
}

std::string foreign(std::string_view job_id) {
  std::string text("Job ");
  text.append(job_id).append(" belongs to another account");
  return text;
}

std::string too_many(std::size_t limit) {
  std::string text("A connection may watch at most ");
  text.append(std::to_string(limit)).append(" jobs at once; unsubscribe from one first");
  return text;
}

std::string already_subscribed(std::string_view job_id) {
  std::string text("Already subscribed to ");
  text.append(job_id);
  return text;
}

SharedFrame share(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

// The part of an event's frame that is the text, sharing the event's ownership.
SharedFrame text_of(const std::shared_ptr<const JobFrame>& frame, const std::string& text) {
  return SharedFrame(frame, &text);
}

}  // namespace

Session::Session(SessionServices services, LoopHub& hub, std::string account_id,
                 asio::any_io_executor executor)
    : services_(services),
      hub_(hub),
      account_id_(std::move(account_id)),
      writer_wake_(executor, std::chrono::steady_clock::time_point::max()),
      reader_wake_(executor, std::chrono::steady_clock::time_point::max()) {
  hub_.connections.fetch_add(1, std::memory_order_relaxed);
}

Session::~Session() {
  for (auto& subscription : subscriptions_)
    hub_.remove(*subscription);
  hub_.connections.fetch_sub(1, std::memory_order_relaxed);
}

void Session::handle_message(std::string_view text, bool is_text) {
  if (closing()) return;
  if (!is_text) {
    refuse(ProtocolError{"INVALID_JSON", "messages are JSON text frames"});
    return;
  }
  auto message = parse_client_message(text);
  if (!message) {
    refuse(message.error());
    return;
  }
  switch (message->action) {
    case ClientMessage::Action::subscribe:
      subscribe(*message);
      break;
    case ClientMessage::Action::unsubscribe:
      unsubscribe(message->job_id);
      break;
    case ClientMessage::Action::ping:
      answer(pong_message());
      break;
  }
}

void Session::refuse(const ProtocolError& error) {
  answer(error_message(error.code, error.message));
  if (++bad_messages_ >= services_.options.max_bad_messages) {
    close(websocket::close_code::policy_error, true);
  }
}

// The stored events come from one read on this loop, and the hub delivers live events on this
// loop too: a live event that races with the read is still waiting in the loop's queue (the
// buffer), and arrives after the subscription is in place. Those the read already saw are
// recognised by their seq and skipped.
void Session::subscribe(const ClientMessage& message) {
  const std::string& job_id = message.job_id;
  if (find(job_id) != nullptr) {
    answer(error_message("ALREADY_SUBSCRIBED", already_subscribed(job_id), job_id));
    return;
  }
  if (subscriptions_.size() >= services_.options.max_subscriptions) {
    answer(error_message("TOO_MANY_SUBSCRIPTIONS", too_many(services_.options.max_subscriptions),
                         job_id));
    return;
  }
  // Before the read: an event the channel drops as unwatched is then one the read finds.
  WatchGuard watching(hub_.watched(), job_id);
  JobSnapshot snapshot;
  try {
    snapshot = read_snapshot(services_.store.reader(), job_id);
  } catch (const storage::SqliteError& e) {
    services_.logger.error("ws_subscribe_failed", {{"job", job_id}, {"error", e.what()}});
    answer(error_message("INTERNAL_ERROR", "The job could not be read; try again", job_id));
    return;
  }
  if (!snapshot.job) {
    answer(error_message("RESOURCE_NOT_FOUND", not_found(job_id), job_id));
    return;
  }
  if (snapshot.job->account_id != account_id_) {
    answer(error_message("FORBIDDEN", foreign(job_id), job_id));
    return;
  }
  answer(subscribed_message(*snapshot.job));
  std::int64_t last_seq = 0;
  for (const storage::JobEvent& event : snapshot.events) {
    last_seq = std::max(last_seq, event.seq);
    if (!message.since || event.ts > *message.since) answer(progress_message(event));
  }
  if (auto final = final_message(*snapshot.job)) {
    answer(std::move(*final));
    return;
  }
  auto subscription = std::make_unique<Subscription>();
  subscription->session = this;
  subscription->job_id = job_id;
  subscription->last_seq = last_seq;
  subscription->since = message.since;
  hub_.add(*subscription);
  watching.keep();
  subscriptions_.push_back(std::move(subscription));
}

void Session::unsubscribe(const std::string& job_id) {
  auto found = std::find_if(subscriptions_.begin(), subscriptions_.end(),
                            [&job_id](const auto& s) { return s->job_id == job_id; });
  if (found == subscriptions_.end()) return;
  hub_.remove(**found);
  subscriptions_.erase(found);
}

Subscription* Session::find(std::string_view job_id) {
  for (auto& subscription : subscriptions_) {
    if (subscription->job_id == job_id) return subscription.get();
  }
  return nullptr;
}

void Session::deliver(Subscription& subscription, const std::shared_ptr<const JobFrame>& frame) {
  if (frame->seq <= subscription.last_seq) return;
  subscription.last_seq = frame->seq;
  // An event recorded in the same millisecond as `since` but after the stored read arrives here.
  if (!subscription.since || frame->ts > *subscription.since) {
    push_live(text_of(frame, frame->progress));
  }
  if (frame->final) push_live(text_of(frame, *frame->final));
}

void Session::forget(Subscription& subscription) {
  std::erase_if(subscriptions_,
                [&subscription](const auto& s) { return s.get() == &subscription; });
}

void Session::answer(std::string text) {
  if (closing()) return;
  outbox_.push(share(std::move(text)), false);
  wake_writer();
}

void Session::push_live(SharedFrame text) {
  if (closing()) return;
  if (outbox_.live() >= services_.options.max_queued_frames) {
    hub_.slow_consumers_closed.fetch_add(1, std::memory_order_relaxed);
    services_.logger.info(
        "ws_slow_consumer_closed",
        {{"account", account_id_}, {"queued", static_cast<std::uint64_t>(outbox_.size())}});
    close(websocket::close_code::try_again_later, false);
    return;
  }
  outbox_.push(std::move(text), true);
  wake_writer();
}

void Session::close(websocket::close_code code, bool flush) {
  if (close_code_) return;
  close_code_ = code;
  flush_before_close_ = flush;
  if (!flush) outbox_.clear();
  if (on_close_) on_close_();
  wake_writer();
  if (reader_waiting_) reader_wake_.cancel();
}

void Session::connection_ended() {
  ended_ = true;
  wake_writer();
}

std::optional<websocket::close_code> Session::close_due() const {
  if (!close_code_) return std::nullopt;
  if (flush_before_close_ && !outbox_.empty()) return std::nullopt;
  return close_code_;
}

void Session::wake_writer() {
  if (writer_waiting_) writer_wake_.cancel();
}

asio::awaitable<void> Session::wait_for_work() {
  if (ended_ || !outbox_.empty() || close_due()) co_return;
  writer_waiting_ = true;
  writer_wake_.expires_at(std::chrono::steady_clock::time_point::max());
  co_await writer_wake_.async_wait(kAsTuple);
  writer_waiting_ = false;
}

void Session::frame_written() {
  if (reader_waiting_ && !outbox_full()) reader_wake_.cancel();
}

void Session::writer_finished() {
  writer_finished_ = true;
  if (reader_waiting_) reader_wake_.cancel();
}

asio::awaitable<void> Session::wait_for_writer() {
  wake_writer();
  while (!writer_finished_) {
    reader_waiting_ = true;
    reader_wake_.expires_at(std::chrono::steady_clock::time_point::max());
    co_await reader_wake_.async_wait(kAsTuple);
    reader_waiting_ = false;
  }
}

asio::awaitable<void> Session::wait_until_drained() {
  while (outbox_full() && !closing() && !writer_finished_) {
    reader_waiting_ = true;
    reader_wake_.expires_at(std::chrono::steady_clock::time_point::max());
    co_await reader_wake_.async_wait(kAsTuple);
    reader_waiting_ = false;
  }
}

}  // namespace seoagents::ws
