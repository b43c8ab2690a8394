// The retry loop and failure classification of the hosted-model clients: what is worth another
// attempt, how long to wait before it, and how a failure reads in the job's error.
#include "jobs/writers/model_http.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/json/parse.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <random>
#include <utility>

namespace seoagents::jobs {
namespace {

namespace bhttp = boost::beast::http;
using std::chrono::milliseconds;
using Kind = ModelFailure::Kind;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
// Characters of a non-JSON error body quoted in the failure message, at most.
constexpr std::size_t kBodyExcerptChars = 200;
// Longest retry-after taken literally (about 31 years): keeps the arithmetic in range.
constexpr double kLongestRequestedDelayMs = 1e12;
constexpr std::string_view kRedacted = "[redacted]";

OutboundOptions outbound_options(const ModelHttpOptions& options) {
  OutboundOptions outbound;
  outbound.connect_timeout = options.connect_timeout;
  outbound.response_timeout = options.response_timeout;
  outbound.max_response_bytes = options.max_response_bytes;
  outbound.allow_private_targets = options.allow_private_targets;
  outbound.ca_file = options.ca_file;
  return outbound;
}

// `text` with every occurrence of `secret` blanked out.
std::string redact(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (std::size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + kRedacted.size())) {
    text.replace(at, secret.size(), kRedacted);
  }
  return text;
}

// The start of a body that is not the provider's JSON (a proxy's HTML page, plain text), made
// printable ASCII so that the message is safe anywhere it is shown or stored.
std::string body_excerpt(std::string_view body) {
  std::string excerpt;
  for (char c : body.substr(0, kBodyExcerptChars)) {
    bool printable = c >= 0x20 && c < 0x7f;
    excerpt += printable ? c : ' ';
  }
  auto first = excerpt.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  excerpt.erase(0, first);
  excerpt.erase(excerpt.find_last_not_of(' ') + 1);
  if (body.size() > kBodyExcerptChars) excerpt += "...";
  return excerpt;
}

// "Service Unavailable", "Overloaded" (529), or "" for a status HTTP does not name.
std::string_view status_text(unsigned status) {
  if (status == 529) return "Overloaded";
  std::string_view reason = bhttp::obsolete_reason(bhttp::int_to_status(status));
  return reason == "<unknown-status>" ? std::string_view() : reason;
}

// Failures of the connection itself that another attempt may not meet: a timeout, a refused or
// dropped connection, a DNS hiccup, a reply cut short. A refused URL, a TLS failure (certificate,
// CA file, protocol) and an oversized answer would come back the same.
bool is_retryable_transport(OutboundFailure::Kind kind) {
  switch (kind) {
    case OutboundFailure::Kind::timeout:
    case OutboundFailure::Kind::connect:
    case OutboundFailure::Kind::dns:
    case OutboundFailure::Kind::protocol:
      return true;
    case OutboundFailure::Kind::invalid_url:
    case OutboundFailure::Kind::unsafe_url:
    case OutboundFailure::Kind::tls:
    case OutboundFailure::Kind::too_large:
      return false;
  }
  return false;
}

// A number of at least 0 ("2", "1.5", " 30 "), or nothing.
std::optional<double> parse_non_negative(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  double value = 0;
  const char* end = text.data() + text.size();
  auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || stop != end || !std::isfinite(value) || value < 0)
    return std::nullopt;
  return value;
}

milliseconds clamped_milliseconds(double value) {
  return milliseconds(std::llround(std::min(value, kLongestRequestedDelayMs)));
}

// "3 s", "1500 ms".
std::string duration_text(milliseconds duration) {
  if (duration.count() % 1000 == 0) return std::to_string(duration.count() / 1000) + " s";
  return std::to_string(duration.count()) + " ms";
}

// Appends " (request-id <id>)" when there is an id: what the provider's support asks for.
void append_request_id(std::string& message, std::string_view id) {
  if (!id.empty()) message.append(" (request-id ").append(id).append(")");
}

// Waits on the caller's executor; false when the wait was cancelled.
asio::awaitable<bool> sleep_for(milliseconds delay) {
  asio::steady_timer timer(co_await asio::this_coro::executor, delay);
  auto [ec] = co_await timer.async_wait(kAsTuple);
  co_return !ec;
}

}  // namespace

bool is_retryable_status(unsigned status) {
  if (status == 408 || status == 409 || status == 429) return true;
  return status >= 500 && status < 600 && status != 501 && status != 505;
}

std::optional<milliseconds> requested_retry_delay(const bhttp::fields& headers) {
  if (auto it = headers.find("retry-after-ms"); it != headers.end()) {
    if (auto value = parse_non_negative(it->value())) return clamped_milliseconds(*value);
  }
  if (auto it = headers.find(bhttp::field::retry_after); it != headers.end()) {
    if (auto value = parse_non_negative(it->value())) return clamped_milliseconds(*value * 1000);
  }
  return std::nullopt;
}

milliseconds backoff_delay(int retry, const ModelHttpOptions& options) {
  const std::int64_t cap = std::max<std::int64_t>(options.max_retry_delay.count(), 0);
  std::int64_t delay = std::clamp<std::int64_t>(options.first_retry_delay.count(), 0, cap);
  for (int doubled = 1; doubled < retry && delay < cap; ++doubled)
    delay = std::min(delay * 2, cap);
  // Not cryptographic: the jitter only spreads out clients that failed together.
  thread_local std::minstd_rand random(std::random_device{}());
  std::uniform_int_distribution<std::int64_t> jitter(delay / 2, delay);
  return milliseconds(jitter(random));
}

Expected<milliseconds, ModelFailure> plan_retry(ModelFailure failure,
                                                std::optional<milliseconds> retry_after,
                                                int attempts_made,
                                                const ModelHttpOptions& options) {
  if (failure.kind == Kind::permanent) return unexpected(std::move(failure));
  if (attempts_made >= options.max_attempts) {
    failure.message += "; gave up after " + std::to_string(attempts_made) +
                       (attempts_made == 1 ? " attempt" : " attempts");
    return unexpected(std::move(failure));
  }
  if (!retry_after) return backoff_delay(attempts_made, options);
  if (*retry_after > options.max_retry_delay) {
    failure.message += "; the provider asked to wait " + duration_text(*retry_after) +
                       ", more than the " + duration_text(options.max_retry_delay) + " allowed";
    return unexpected(std::move(failure));
  }
  return *retry_after;
}

std::string versioned_url(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/')
    base.remove_suffix(1);
  std::string url(base);
  if (!base.ends_with("/v1")) url += "/v1";
  url += '/';
  url += path;
  return url;
}

ModelHttp::ModelHttp(ProviderProfile profile, const ModelHttpOptions& options, std::string secret)
    : profile_(profile),
      options_(options),
      secret_(std::move(secret)),
      client_(std::make_unique<OutboundClient>(outbound_options(options))) {}

asio::awaitable<Expected<OutboundResponse, ModelFailure>> ModelHttp::post(
    OutboundRequest request) const {
  for (int attempts = 1;; ++attempts) {
    Expected<OutboundResponse, AttemptFailure> outcome = judge(co_await client_->send(request));
    if (outcome) co_return std::move(outcome).value();
    const AttemptFailure& failed = outcome.error();
    auto wait = plan_retry(failed.failure, failed.retry_after, attempts, options_);
    if (!wait) co_return unexpected(wait.error());
    if (!co_await sleep_for(*wait)) co_return unexpected(failed.failure);
  }
}

ModelFailure ModelHttp::unusable_answer(const OutboundResponse& response,
                                        std::string_view problem) const {
  std::string message(profile_.name);
  message.append(": unusable answer: ").append(problem);
  append_request_id(message, request_id_of(response, {}));
  return ModelFailure{Kind::permanent, redact(std::move(message), secret_), response.status};
}

Expected<OutboundResponse, ModelHttp::AttemptFailure> ModelHttp::judge(
    Expected<OutboundResponse, OutboundFailure> sent) const {
  if (!sent) return unexpected(AttemptFailure{transport_failure(sent.error()), std::nullopt});
  if (sent->status >= 200 && sent->status < 300) return std::move(sent).value();
  return unexpected(AttemptFailure{status_failure(*sent), requested_retry_delay(sent->headers)});
}

ModelFailure ModelHttp::status_failure(const OutboundResponse& response) const {
  ProviderError error = profile_.read_error ? profile_.read_error(response.body) : ProviderError{};
  std::string message(profile_.name);
  message.append(": ").append(std::to_string(response.status));
  std::string_view what = error.type.empty() ? status_text(response.status) : error.type;
  if (!what.empty()) message.append(" ").append(what);
  std::string detail = error.message.empty() ? body_excerpt(response.body) : error.message;
  if (!detail.empty()) message.append(": ").append(detail);
  if (response.status >= 300 && response.status < 400)
    message.append(" (redirects are not followed: check the base URL)");
  append_request_id(message, request_id_of(response, error));
  bool retryable = is_retryable_status(response.status) && !error.quota_exhausted;
  return ModelFailure{retryable ? Kind::retryable : Kind::permanent,
                      redact(std::move(message), secret_), response.status};
}

ModelFailure ModelHttp::transport_failure(const OutboundFailure& failure) const {
  std::string message(profile_.name);
  message.append(": ").append(failure.message);
  return ModelFailure{is_retryable_transport(failure.kind) ? Kind::retryable : Kind::permanent,
                      redact(std::move(message), secret_), 0};
}

std::string ModelHttp::request_id_of(const OutboundResponse& response,
                                     const ProviderError& error) const {
  if (auto it = response.headers.find(profile_.request_id_header); it != response.headers.end())
    return body_excerpt(it->value());
  return body_excerpt(error.request_id);
}

Expected<boost::json::object, std::string> parse_json_object(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) return unexpected("malformed JSON (" + ec.message() + ")");
  if (!value.is_object()) return unexpected(std::string("the body is not a JSON object"));
  return std::move(value.get_object());
}

const boost::json::object* json_object_at(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value ? value->if_object() : nullptr;
}

std::string json_string_at(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (!value || !value->is_string()) return {};
  return std::string(value->get_string());
}

std::int64_t json_int_at(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (!value) return 0;
  if (const std::int64_t* number = value->if_int64()) return *number;
  if (const std::uint64_t* number = value->if_uint64())
    return static_cast<std::int64_t>(std::min<std::uint64_t>(*number, INT64_MAX));
  return 0;
}

}  // namespace seoagents::jobs
