// The webhook dispatcher's pump, sends, retry schedule and verification ping.
#include "jobs/webhooks/dispatcher.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <random>

#include "core/clock.hpp"
#include "core/random_id.hpp"
#include "jobs/webhooks/signature.hpp"

namespace seoagents::jobs {
namespace {

using namespace std::chrono_literals;

// Connecting gets at most this much of a request's time.
constexpr std::chrono::milliseconds kMaxConnectTime = 5s;
// A claim outlives the request it covers by this much.
constexpr std::chrono::milliseconds kLeaseMargin = 30s;
// On stop, sends in flight get this long to end (as running job steps do); the rest keep their
// claims and go again after the next start.
constexpr std::chrono::milliseconds kStopGrace = 5s;
// An endpoint's answer is read up to this size (it is only shown, never parsed).
constexpr std::size_t kMaxAnswerBytes = 256 * 1024;
constexpr std::size_t kExcerptLength = 200;

OutboundOptions client_options(const WebhookOptions& options) {
  OutboundOptions outbound;
  outbound.connect_timeout = std::min(options.timeout, kMaxConnectTime);
  outbound.response_timeout = options.timeout;
  outbound.max_response_bytes = kMaxAnswerBytes;
  outbound.allow_private_targets = options.allow_private_targets;
  outbound.ca_file = options.ca_file;
  return outbound;
}

bool is_success(unsigned status) {
  return status >= 200 && status < 300;
}

// "HTTP 500", or for a redirect "HTTP 302 redirect to https://… (not followed)".
std::string status_error(const OutboundResponse& response) {
  std::string error = "HTTP " + std::to_string(response.status);
  auto location = response.headers.find(boost::beast::http::field::location);
  if (response.status / 100 == 3 && location != response.headers.end()) {
    error.append(" redirect to ").append(location->value()).append(" (not followed)");
  }
  return error;
}

// "timeout: no response from 203.0.113.9:443 within 10000 ms".
std::string failure_error(const OutboundFailure& failure) {
  std::string error(to_string(failure.kind));
  error.append(": ").append(failure.message);
  return error;
}

// The answer's start, printable ASCII only (it is the customer's endpoint, shown back to them).
std::string excerpt(std::string_view body) {
  std::string text;
  for (char c : body.substr(0, kExcerptLength))
    text.push_back(c >= 0x20 && c < 0x7F ? c : '?');
  return text;
}

storage::AttemptResult attempt_result(const Expected<OutboundResponse, OutboundFailure>& response) {
  storage::AttemptResult attempt;
  if (!response) {
    attempt.error = failure_error(response.error());
    return attempt;
  }
  attempt.status_code = response->status;
  attempt.latency_ms = response->latency.count();
  if (!is_success(response->status)) attempt.error = status_error(*response);
  return attempt;
}

std::string ping_payload(const std::string& event_id, const storage::Webhook& webhook,
                         std::int64_t now) {
  boost::json::object data;
  data["webhook_id"] = webhook.id;
  data["url"] = webhook.url;
  boost::json::object body;
  body["id"] = event_id;
  body["type"] = "ping";
  body["created_at"] = format_rfc3339_ms(now);
  body["data"] = std::move(data);
  return boost::json::serialize(body);
}

// A ping's event id: like an outbox event's, but never stored.
std::string ping_event_id() {
  return "evt_" + secure_random_hex(8);
}

WebhookMessage ping_message(const storage::Webhook& webhook, const std::string& event_id,
                            std::int64_t now) {
  return WebhookMessage{webhook.url, event_id, "ping", "", ping_payload(event_id, webhook, now)};
}

WebhookMessage delivery_message(const storage::ClaimedDelivery& claimed) {
  const storage::WebhookDelivery& delivery = claimed.delivery;
  return WebhookMessage{claimed.url, delivery.event_id, delivery.event_type, delivery.id,
                        claimed.payload};
}

std::string unreadable_secret_error() {
  return "the signing secret cannot be read (was the master key changed?)";
}

std::uint64_t random_draw() {
  thread_local std::mt19937_64 random(std::random_device{}());
  return random();
}

}  // namespace

std::optional<std::int64_t> next_retry_at(const WebhookOptions& options, std::int64_t attempts,
                                          std::int64_t created_at, std::int64_t now,
                                          std::uint64_t random) {
  std::int64_t delay = options.retry_base.count();
  std::int64_t max_delay = options.retry_max_delay.count();
  for (std::int64_t i = 1; i < attempts && delay < max_delay; ++i)
    delay *= 2;
  delay = std::min(delay, max_delay);
  // Between half and all of it, so endpoints that failed together are not retried together.
  std::int64_t half = delay / 2;
  std::int64_t jittered =
      half + static_cast<std::int64_t>(random % static_cast<std::uint64_t>(delay - half + 1));
  std::int64_t retry_at = now + jittered;
  if (retry_at > created_at + options.retry_max_age.count()) return std::nullopt;
  return retry_at;
}

WebhookDispatcher::WebhookDispatcher(storage::Store& store, asio::io_context& loop,
                                     const SecretBox& secrets, Logger& logger,
                                     WebhookOptions options, NowFunction now)
    : store_(store),
      loop_(loop),
      secrets_(secrets),
      logger_(logger),
      options_(std::move(options)),
      now_(std::move(now)),
      client_(client_options(options_)) {}

WebhookDispatcher::~WebhookDispatcher() {
  stop();
}

std::chrono::milliseconds WebhookDispatcher::lease() const {
  return std::min(options_.timeout, kMaxConnectTime) + options_.timeout + kLeaseMargin;
}

void WebhookDispatcher::recover_before_start() {
  std::int64_t now = now_();
  auto released = store_.write_before_start<std::int64_t>(
      [now](storage::Connection& db) { return storage::release_delivery_leases(db, now); });
  if (!released) {
    throw std::runtime_error("cannot release interrupted webhook deliveries: " +
                             released.error().detail);
  }
  if (*released > 0) logger_.warn("webhook_deliveries_recovered", {{"count", *released}});
}

void WebhookDispatcher::spawn(asio::awaitable<void> task) {
  {
    std::lock_guard lock(live_mutex_);
    ++live_;
  }
  asio::co_spawn(loop_, std::move(task), [this](std::exception_ptr error) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        logger_.error("webhook_dispatcher_task_failed", {{"error", e.what()}});
      }
    }
    std::lock_guard lock(live_mutex_);
    --live_;
    live_changed_.notify_all();
  });
}

void WebhookDispatcher::start(JobEventBus& bus) {
  if (started_) return;
  started_ = true;
  bus_subscription_ = bus.listen([this](const JobUpdate& update) {
    if (update.status == "completed" || update.status == "failed") wake();
  });
  // The pump's frame owns the timer, so it is destroyed with the frame, while its loop exists
  // (also when the loop is torn down with the pump still suspended).
  auto timer = std::make_shared<asio::steady_timer>(loop_);
  timer_ = timer;
  spawn(pump(std::move(timer)));
}

void WebhookDispatcher::stop() {
  if (!started_ || stopping_.exchange(true)) return;
  bus_subscription_.reset();
  asio::post(loop_, [timer = timer_] {
    if (auto alive = timer.lock()) alive->cancel();
  });
  std::unique_lock lock(live_mutex_);
  live_changed_.wait_for(lock, kStopGrace, [this] { return live_ == 0; });
  if (live_ > 0) logger_.warn("webhook_sends_unfinished_at_stop", {{"still_running", live_}});
}

void WebhookDispatcher::wake() {
  woken_ = true;
  asio::post(loop_, [timer = timer_] {
    if (auto alive = timer.lock()) alive->cancel();
  });
}

bool WebhookDispatcher::work_due() {
  auto due = storage::next_delivery_due(store_.reader());
  return due && *due <= now_();
}

asio::awaitable<void> WebhookDispatcher::pump(std::shared_ptr<asio::steady_timer> timer) {
  while (!stopping_) {
    // Read first: an idle server does not queue a write every poll interval.
    if (!work_due()) {
      co_await idle_wait(*timer);
      continue;
    }
    std::string token = secure_random_hex(16);
    std::vector<storage::ClaimedDelivery> claimed = co_await claim(token);
    for (storage::ClaimedDelivery& delivery : claimed) {
      ++in_flight_[delivery.delivery.webhook_id];
      spawn(deliver(std::move(delivery), token));
    }
    // A full batch: more may be due at once.
    if (claimed.size() == options_.claim_batch) continue;
    co_await idle_wait(*timer);
  }
}

asio::awaitable<std::vector<storage::ClaimedDelivery>> WebhookDispatcher::claim(
    const std::string& token) {
  storage::ClaimRequest request;
  request.now = now_();
  request.lease_ms = lease().count();
  request.token = token;
  request.limit = options_.claim_batch;
  request.per_webhook_limit = options_.per_endpoint_limit;
  request.in_flight = in_flight_;
  std::function<std::vector<storage::ClaimedDelivery>(storage::Connection&)> work =
      [&request](storage::Connection& db) { return storage::claim_due_deliveries(db, request); };
  auto claimed = co_await store_.write<std::vector<storage::ClaimedDelivery>>(std::move(work));
  if (!claimed) {
    logger_.warn("webhook_claim_failed", {{"error", claimed.error().detail}});
    co_return std::vector<storage::ClaimedDelivery>{};
  }
  co_return std::move(*claimed);
}

// Sleeps until the poll interval passes, the next known due time comes, or wake().
asio::awaitable<void> WebhookDispatcher::idle_wait(asio::steady_timer& timer) {
  if (stopping_ || woken_.exchange(false)) co_return;
  auto wait = options_.poll_interval;
  if (auto due = storage::next_delivery_due(store_.reader())) {
    auto until_due = std::chrono::milliseconds(*due - now_());
    if (until_due > std::chrono::milliseconds(0)) wait = std::min(wait, until_due);
  }
  timer.expires_after(wait);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  woken_ = false;
}

std::optional<std::vector<std::string>> WebhookDispatcher::open_secrets(
    const std::vector<std::string>& sealed, const std::string& webhook_id) const {
  std::vector<std::string> secrets;
  for (const std::string& box : sealed) {
    auto secret = secrets_.open(box, webhook_id);
    if (!secret) return std::nullopt;
    secrets.push_back(std::move(*secret));
  }
  return secrets;
}

asio::awaitable<void> WebhookDispatcher::deliver(storage::ClaimedDelivery claimed,
                                                 std::string token) {
  const storage::WebhookDelivery& delivery = claimed.delivery;
  storage::AttemptResult attempt;
  bool delivered = false;
  auto secrets = open_secrets(claimed.secrets_sealed, delivery.webhook_id);
  if (!secrets) {
    logger_.error("webhook_secret_unreadable", {{"webhook", delivery.webhook_id}});
    attempt.error = unreadable_secret_error();
  } else {
    auto request = webhook_request(delivery_message(claimed), *secrets, now_() / 1000);
    auto response = co_await client_.send(std::move(request));
    attempt = attempt_result(response);
    delivered = response && is_success(response->status);
  }
  co_await record(claimed, token, attempt, delivered);
  if (--in_flight_[delivery.webhook_id] <= 0) in_flight_.erase(delivery.webhook_id);
  // A slot of this endpoint is free: what waited for it may go.
  if (!stopping_) wake();
}

asio::awaitable<void> WebhookDispatcher::record(const storage::ClaimedDelivery& claimed,
                                                const std::string& token,
                                                const storage::AttemptResult& attempt,
                                                bool delivered) {
  const storage::WebhookDelivery& delivery = claimed.delivery;
  std::int64_t now = now_();
  std::optional<std::int64_t> retry_at;
  if (!delivered) {
    retry_at = next_retry_at(options_, delivery.attempts, delivery.created_at, now, random_draw());
  }
  std::function<bool(storage::Connection&)> work = [&](storage::Connection& db) {
    if (delivered) return storage::record_delivery_success(db, delivery.id, token, attempt, now);
    return storage::record_delivery_failure(db, delivery.id, token, attempt, retry_at, now);
  };
  auto written = co_await store_.write<bool>(std::move(work));
  if (!written) {
    // The claim expires and the delivery goes again.
    logger_.error("webhook_attempt_not_recorded",
                  {{"delivery", delivery.id}, {"error", written.error().detail}});
    co_return;
  }
  std::string_view outcome = delivered ? "delivered" : (retry_at ? "retrying" : "dead");
  if (options_.on_attempt) options_.on_attempt(outcome);
  auto level = delivered ? LogLevel::info : LogLevel::warn;
  logger_.log(level, "webhook_attempt",
              {{"delivery", delivery.id},
               {"webhook", delivery.webhook_id},
               {"event", delivery.event_id},
               {"attempt", delivery.attempts},
               {"outcome", outcome},
               {"error", attempt.error}});
}

asio::awaitable<PingResult> WebhookDispatcher::ping(const storage::Webhook& webhook) {
  PingResult result;
  std::int64_t now = now_();
  result.event_id = ping_event_id();
  auto secrets = open_secrets(storage::signing_secrets_sealed(webhook, now), webhook.id);
  if (!secrets) {
    result.error = unreadable_secret_error();
    co_return result;
  }
  auto request = webhook_request(ping_message(webhook, result.event_id, now), *secrets, now / 1000);
  auto response = co_await client_.send(std::move(request));
  storage::AttemptResult attempt = attempt_result(response);
  result.ok = response && is_success(response->status);
  result.latency_ms = attempt.latency_ms;
  result.error = attempt.error;
  if (response) {
    result.status_code = response->status;
    result.response_excerpt = excerpt(response->body);
  }
  co_return result;
}

}  // namespace seoagents::jobs
