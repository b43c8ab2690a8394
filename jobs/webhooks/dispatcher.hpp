// The webhook dispatcher: sends the deliveries the outbox (storage/webhook_events) holds. A pump
// coroutine on one loop claims due deliveries under a lease (never more in flight per endpoint
// than the limit), sends each signed through its own OutboundClient (the SSRF guard at every
// send, redirects never followed: a 3xx is a failure, a timeout bounds each request) and records
// the outcome: delivered, retried later with exponential backoff and jitter, or dead once the
// retries would pass the maximum age. It looks for due work every poll interval, at the next
// due time it knows of, and whenever woken (a job ended, a redelivery was asked for). A crash
// loses nothing: a claim that is never answered expires, and start releases the last process's.
//
// Threads: start(), stop() and recover_before_start() from the thread that owns the App; wake()
// and ping() from any thread. The pump, its sends and the in-flight counts live on one loop.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/log.hpp"
#include "core/outbound_client.hpp"
#include "core/secret_box.hpp"
#include "jobs/event_bus.hpp"
#include "storage/store.hpp"
#include "storage/webhooks.hpp"

namespace seoagents::jobs {

struct WebhookOptions {
  // Bounds one request's response (connecting gets at most 5 s of it as well).
  std::chrono::milliseconds timeout{10'000};
  // Retry n waits base · 2^(n-1), at most max_delay, jittered to between half and all of it.
  std::chrono::milliseconds retry_base{30'000};
  std::chrono::milliseconds retry_max_delay{6 * 3'600'000};
  // No retry is scheduled later than this after the delivery was created: it is dead instead.
  std::chrono::milliseconds retry_max_age{3 * 24 * 3'600'000};
  // Requests in flight per webhook at most.
  std::int64_t per_endpoint_limit = 4;
  // The pump looks for due deliveries at least this often.
  std::chrono::milliseconds poll_interval{1'000};
  // Deliveries claimed per pass at most.
  std::size_t claim_batch = 64;
  // Lets sends reach private and loopback addresses (development and tests only).
  bool allow_private_targets = false;
  // Extra trusted CAs for https endpoints.
  std::string ca_file;
  // Called (on the dispatcher's loop) with each recorded attempt's outcome: "delivered",
  // "retrying" (failed, tried again later) or "dead" (failed, no more tries). May be empty.
  std::function<void(std::string_view outcome)> on_attempt;
};

// When the next attempt of a delivery created at `created_at` that failed its attempt number
// `attempts` at `now` is due, or nullopt when that would be past the maximum age (it is dead).
// `random` picks the jitter.
std::optional<std::int64_t> next_retry_at(const WebhookOptions& options, std::int64_t attempts,
                                          std::int64_t created_at, std::int64_t now,
                                          std::uint64_t random);

// What a verification ping got.
struct PingResult {
  bool ok = false;
  std::string event_id;
  // The status the endpoint answered, if it answered.
  std::optional<unsigned> status_code;
  std::int64_t latency_ms = 0;
  // What was wrong ("HTTP 500", "timeout: …"); empty when ok.
  std::string error;
  // The start of the endpoint's answer (printable ASCII, at most 200 characters).
  std::string response_excerpt;
};

class WebhookDispatcher {
 public:
  // Milliseconds since the Unix epoch; tests may drive it.
  using NowFunction = std::function<std::int64_t()>;

  WebhookDispatcher(storage::Store& store, asio::io_context& loop, const SecretBox& secrets,
                    Logger& logger, WebhookOptions options, NowFunction now);
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  // Before the store's writer starts: deliveries the last process had claimed are due again
  // (only one server runs on a data directory, so none of them is being sent).
  void recover_before_start();
  // Spawns the pump; wakes it after every job that ends (the events of jobs are written then).
  void start(JobEventBus& bus);
  // Stops claiming and waits (up to 5 s) for the sends in flight. A send still running keeps
  // its claim: the next start sends it again. Idempotent.
  void stop();
  // Makes the pump look for due deliveries now.
  void wake();

  // Sends a signed `ping` event to the webhook now and reports what its endpoint answered.
  asio::awaitable<PingResult> ping(const storage::Webhook& webhook);

  const WebhookOptions& options() const { return options_; }

 private:
  asio::awaitable<void> pump(std::shared_ptr<asio::steady_timer> timer);
  // True when some pending delivery is due now (read on the loop's own read connection).
  bool work_due();
  asio::awaitable<void> idle_wait(asio::steady_timer& timer);
  asio::awaitable<std::vector<storage::ClaimedDelivery>> claim(const std::string& token);
  asio::awaitable<void> deliver(storage::ClaimedDelivery claimed, std::string token);
  asio::awaitable<void> record(const storage::ClaimedDelivery& claimed, const std::string& token,
                               const storage::AttemptResult& attempt, bool delivered);
  // The plain-text secrets of sealed ones; nullopt when one cannot be opened.
  std::optional<std::vector<std::string>> open_secrets(const std::vector<std::string>& sealed,
                                                       const std::string& webhook_id) const;
  void spawn(asio::awaitable<void> task);
  std::chrono::milliseconds lease() const;

  storage::Store& store_;
  asio::io_context& loop_;
  const SecretBox& secrets_;
  Logger& logger_;
  WebhookOptions options_;
  NowFunction now_;
  OutboundClient client_;
  JobEventBus::Subscription bus_subscription_;
  // The pump's sleep, owned by the pump's frame; cancelled (on loop_) by wake() and stop().
  // Set once by start(), before any other thread can call wake().
  std::weak_ptr<asio::steady_timer> timer_;
  // Set by wake(): the pump looks again before it sleeps.
  std::atomic<bool> woken_{false};
  std::atomic<bool> stopping_{false};
  bool started_ = false;
  // Sends in flight by webhook id. On loop_.
  std::map<std::string, std::int64_t> in_flight_;
  // Coroutines running (the pump and its sends); stop() waits for zero.
  std::mutex live_mutex_;
  std::condition_variable live_changed_;
  std::size_t live_ = 0;
};

}  // namespace seoagents::jobs
