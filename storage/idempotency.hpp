// Idempotency keys (Stripe's semantics): the first POST with a key claims it, and its response
// is stored with it; a retry with the same key and the same request gets that response again,
// a retry with another request is refused. Keys are per account and kept 24 hours.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/sqlite.hpp"

namespace seoagents::storage {

// How long a key is remembered.
inline constexpr std::int64_t kIdempotencyKeyLifetimeMs = 24LL * 60 * 60 * 1000;

// A claim still in progress after this long was abandoned (its completion could not be
// recorded): no request runs that long, so the key is free again.
inline constexpr std::int64_t kAbandonedClaimMs = 10LL * 60 * 1000;

// A response kept for replay.
struct StoredResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

// What claiming a key found.
struct IdempotencyClaim {
  enum class Outcome {
    // The key was free (or expired): the caller carries out the request, then completes or
    // releases the key.
    claimed,
    // The same request already completed: `response` is its answer.
    replay,
    // The same request is still being carried out.
    in_progress,
    // The key was used for a different request.
    mismatch,
  };
  Outcome outcome = Outcome::claimed;
  std::optional<StoredResponse> response;
};

// Claims `key` for the request whose fingerprint is given, or reports why not. A key older than
// the lifetime, or an abandoned claim, counts as free.
IdempotencyClaim claim_idempotency_key(Connection& db, std::string_view account_id,
                                       std::string_view key, std::string_view fingerprint,
                                       std::int64_t now);

// Stores the response of the request that claimed the key.
void complete_idempotency_key(Connection& db, std::string_view account_id, std::string_view key,
                              const StoredResponse& response);

// Frees a claimed key whose request left nothing to replay (it failed, or was refused), so the
// client may retry with the same key.
void release_idempotency_key(Connection& db, std::string_view account_id, std::string_view key);

// Frees every claim still in progress: at start-up, when no request can be running.
std::int64_t release_unfinished_idempotency_keys(Connection& db);

// Deletes up to `limit` keys older than the lifetime; returns how many.
std::int64_t purge_expired_idempotency_keys(Connection& db, std::int64_t now, std::int64_t limit);

}  // namespace seoagents::storage
