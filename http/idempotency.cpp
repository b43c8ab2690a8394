// The idempotency stage (see idempotency.hpp).
#include "http/idempotency.hpp"

#include <exception>

#include "core/crypto.hpp"
#include "http/resources.hpp"
#include "storage/idempotency.hpp"

namespace seoagents::http {
namespace {

constexpr std::string_view kHeader = "Idempotency-Key";
constexpr std::int64_t kPurgeIntervalMs = 60'000;
constexpr std::int64_t kPurgeBatch = 1000;

bool is_valid_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdempotencyKeyLength) return false;
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

ApiError invalid_key() {
  FieldIssue issue{std::string(kHeader), "must be 1 to 255 visible ASCII characters"};
  return {bhttp::status::bad_request,
          "VALIDATION_ERROR",
          "The request has invalid fields; see details",
          {issue}};
}

ApiError key_reused() {
  return {bhttp::status::conflict,
          "IDEMPOTENCY_KEY_REUSED",
          "This Idempotency-Key was already used with a different request",
          {}};
}

ApiError key_in_use() {
  return {bhttp::status::conflict,
          "IDEMPOTENCY_KEY_IN_USE",
          "A request with this Idempotency-Key is still being processed; retry shortly",
          {}};
}

// What makes two requests "the same": method, target (path and query) and body bytes.
std::string fingerprint_of(const Request& request) {
  std::string material;
  material.reserve(request.target().size() + request.body().size() + 16);
  material.append(request.method_string()).append(" ").append(request.target());
  material.append("\n").append(request.body());
  return sha256_hex(material);
}

Response replayed(const storage::StoredResponse& stored) {
  Response response;
  response.result(static_cast<unsigned>(stored.status));
  if (!stored.content_type.empty()) response.set(bhttp::field::content_type, stored.content_type);
  response.body() = stored.body;
  response.set("Idempotent-Replayed", "true");
  return response;
}

bool is_success(const Response& response) {
  return response.result_int() >= 200 && response.result_int() < 300;
}

}  // namespace

bool IdempotencyStage::purge_due(std::int64_t now) {
  std::int64_t last = last_purge_ms_.load(std::memory_order_relaxed);
  if (now - last < kPurgeIntervalMs) return false;
  return last_purge_ms_.compare_exchange_strong(last, now, std::memory_order_relaxed);
}

// Not a coroutine (see Middleware): most requests carry no key and pass straight on.
asio::awaitable<Response> IdempotencyStage::handle(RequestContext& context, const Route& route,
                                                   Next next) {
  const Request& request = context.request;
  auto header = request.find(kHeader);
  if (request.method() != bhttp::verb::post || header == request.end() || !context.principal) {
    return next(context, route);
  }
  std::string key(header->value());
  if (!is_valid_key(key)) return answer_now(error_response(context, invalid_key()));
  return handle_keyed(context, route, next, std::move(key));
}

asio::awaitable<Response> IdempotencyStage::handle_keyed(RequestContext& context,
                                                         const Route& route, Next next,
                                                         std::string key) {
  const Request& request = context.request;
  std::string fingerprint = fingerprint_of(request);
  std::int64_t now = storage::now_ms();
  bool purge = purge_due(now);
  const std::string& account_id = context.principal->account_id;
  auto claim = co_await store_.write<storage::IdempotencyClaim>(
      [&account_id, &key, &fingerprint, now, purge](storage::Connection& db) {
        if (purge) storage::purge_expired_idempotency_keys(db, now, kPurgeBatch);
        return storage::claim_idempotency_key(db, account_id, key, fingerprint, now);
      });
  if (!claim) {
    co_return error_response(context, storage_failure(claim.error(), logger_, context.request_id));
  }
  using Outcome = storage::IdempotencyClaim::Outcome;
  switch (claim->outcome) {
    case Outcome::replay:
      co_return replayed(*claim->response);
    case Outcome::mismatch:
      co_return error_response(context, key_reused());
    case Outcome::in_progress: {
      Response response = error_response(context, key_in_use());
      response.set(bhttp::field::retry_after, "1");
      co_return response;
    }
    case Outcome::claimed:
      break;
  }
  co_return co_await run_claimed(context, route, next, std::move(key));
}

// Runs the request that holds the key, then stores its response (2xx) or frees the key.
asio::awaitable<Response> IdempotencyStage::run_claimed(RequestContext& context, const Route& route,
                                                        Next next, std::string key) {
  Response response;
  std::exception_ptr failure;
  try {
    response = co_await next(context, route);
  } catch (...) {
    failure = std::current_exception();
  }
  bool keep = failure == nullptr && is_success(response);
  storage::StoredResponse stored;
  if (keep) {
    stored.status = static_cast<int>(response.result_int());
    stored.content_type = std::string(response[bhttp::field::content_type]);
    stored.body = response.body();
  }
  const std::string& account_id = context.principal->account_id;
  auto recorded =
      co_await store_.write<Done>([&account_id, &key, &stored, keep](storage::Connection& db) {
        if (keep) {
          storage::complete_idempotency_key(db, account_id, key, stored);
        } else {
          storage::release_idempotency_key(db, account_id, key);
        }
        return Done{};
      });
  if (!recorded) {
    // The answer still goes out; a retry with this key may find it in progress until restart.
    logger_.error("idempotency_record_failed",
                  {{"request_id", context.request_id}, {"error", recorded.error().detail}});
  }
  if (failure) std::rethrow_exception(failure);
  co_return response;
}

}  // namespace seoagents::http
