// The HTTP exchange both hosted-model clients share: one POST through the OutboundClient, retried
// with jittered exponential backoff (honouring retry-after) while the failure is worth retrying,
// with every status and transport failure turned into a ModelFailure.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/outbound_client.hpp"
#include "jobs/writers/text_model.hpp"

namespace seoagents::jobs {

// How a model client reaches its provider and how long it keeps trying; AnthropicOptions and
// OpenAiOptions extend it with the provider's own settings.
struct ModelHttpOptions {
  // Attempts per completion, the first included (1: never retry).
  int max_attempts = 4;
  // The wait before the first retry; doubled for each later one, capped by max_retry_delay, then
  // jittered to between half and all of it.
  std::chrono::milliseconds first_retry_delay{2'000};
  // The longest wait between two attempts. A retry-after beyond it ends the retries at once with
  // a retryable failure (the job engine's own backoff is the better place for long waits).
  std::chrono::milliseconds max_retry_delay{60'000};
  // Bounds getting connected: DNS lookup, TCP connect and the TLS handshake.
  std::chrono::milliseconds connect_timeout{10'000};
  // Bounds sending the prompt and reading the whole answer. Answers are not streamed, so a long
  // article takes minutes.
  std::chrono::milliseconds response_timeout{300'000};
  // Largest answer body accepted; a bigger one is a permanent failure.
  std::size_t max_response_bytes = 4 * 1024 * 1024;
  // Lets the base URL point at private and loopback addresses (local servers such as Ollama or
  // llama.cpp, and tests). OpenAiOptions turns it on by default.
  bool allow_private_targets = false;
  // A PEM file of extra trusted CAs; empty means the system CAs only.
  std::string ca_file;
};

// An error as a provider described it in the body of a non-2xx response.
struct ProviderError {
  // "authentication_error", "invalid_request_error", … (empty when the body did not say).
  std::string type;
  // The provider's own sentence (empty when the body had none).
  std::string message;
  // The request id the body carries, if any (the provider's request-id header comes first).
  std::string request_id;
  // The account is out of credit or over its spend limit: a 429 that no wait will cure.
  bool quota_exhausted = false;
};

// What the shared exchange needs to know about a provider.
struct ProviderProfile {
  // "anthropic" or "openai": the first word of every failure message.
  std::string_view name;
  // The response header with the provider's request id ("request-id", "x-request-id").
  std::string_view request_id_header;
  // Reads the provider's error body; returns an empty ProviderError when it cannot.
  ProviderError (*read_error)(std::string_view body) = nullptr;
};

// Sends a provider's requests with the retry policy. Safe to use from several loop threads at
// once: it holds only constant state (the profile, the options and an OutboundClient, which is
// itself safe to share). It must outlive every post() in progress.
class ModelHttp {
 public:
  // `secret` (the API key) is blanked out of every failure message.
  ModelHttp(ProviderProfile profile, const ModelHttpOptions& options, std::string secret);

  // POSTs `request` until a 2xx answer, a permanent failure, or max_attempts. Sleeps between
  // attempts on the caller's executor.
  asio::awaitable<Expected<OutboundResponse, ModelFailure>> post(OutboundRequest request) const;

  // A permanent failure for a 2xx answer the client cannot use ("malformed JSON", "no text"),
  // with the provider's request id.
  ModelFailure unusable_answer(const OutboundResponse& response, std::string_view problem) const;

 private:
  // A failed attempt, with the wait the provider asked for (retry-after), if any.
  struct AttemptFailure {
    ModelFailure failure;
    std::optional<std::chrono::milliseconds> retry_after;
  };
  // What one attempt came to: the 2xx response, or why not.
  Expected<OutboundResponse, AttemptFailure> judge(
      Expected<OutboundResponse, OutboundFailure> sent) const;
  ModelFailure status_failure(const OutboundResponse& response) const;
  ModelFailure transport_failure(const OutboundFailure& failure) const;
  std::string request_id_of(const OutboundResponse& response, const ProviderError& error) const;

  ProviderProfile profile_;
  ModelHttpOptions options_;
  std::string secret_;
  // Never null; a pointer because OutboundClient cannot be moved.
  std::unique_ptr<OutboundClient> client_;
};

// Whether an HTTP status is worth another attempt: 408, 409, 429 and the 5xx statuses other than
// 501 and 505 (500, 502, 503, 504, Anthropic's 529 overloaded, proxies' 52x).
bool is_retryable_status(unsigned status);

// The wait a response asks for: retry-after-ms (milliseconds, sent by OpenAI) or retry-after
// (seconds, decimals allowed). An HTTP-date or anything unreadable counts as absent.
std::optional<std::chrono::milliseconds> requested_retry_delay(
    const boost::beast::http::fields& headers);

// The jittered backoff before retry number `retry` (1 = the wait after the first attempt).
std::chrono::milliseconds backoff_delay(int retry, const ModelHttpOptions& options);

// What follows a failed attempt (`attempts_made` so far): the wait before the next one, or the
// failure to return now — a permanent failure as it is, a retryable one once attempts run out or
// when the provider asks for a longer wait than max_retry_delay (with the reason appended).
Expected<std::chrono::milliseconds, ModelFailure> plan_retry(
    ModelFailure failure, std::optional<std::chrono::milliseconds> retry_after, int attempts_made,
    const ModelHttpOptions& options);

// `base` without trailing slashes, then "/v1/<path>" — or "/<path>" when `base` already ends in
// "/v1" ("https://api.anthropic.com" and "https://api.anthropic.com/v1/" give the same URL).
std::string versioned_url(std::string_view base, std::string_view path);

// Reading the providers' JSON.
// The body as a JSON object, or what is wrong with it ("malformed JSON (…)").
Expected<boost::json::object, std::string> parse_json_object(std::string_view body);
// The object under `key`, or null when it is absent or not an object.
const boost::json::object* json_object_at(const boost::json::object& object, std::string_view key);
// The string under `key`, or "" when it is absent or not a string.
std::string json_string_at(const boost::json::object& object, std::string_view key);
// The integer under `key`, or 0 when it is absent or not an integer.
std::int64_t json_int_at(const boost::json::object& object, std::string_view key);

}  // namespace seoagents::jobs
