// Idempotency keys: claim, complete, release and expiry (see idempotency.hpp).
#include "storage/idempotency.hpp"

namespace seoagents::storage {
namespace {

constexpr std::string_view kSelectKey = R"sql(
SELECT fingerprint, status, content_type, body, created_at
FROM idempotency_keys WHERE account_id = ?1 AND key = ?2)sql";

constexpr std::string_view kDeleteKey = R"sql(
DELETE FROM idempotency_keys WHERE account_id = ?1 AND key = ?2)sql";

constexpr std::string_view kInsertClaim = R"sql(
INSERT INTO idempotency_keys (account_id, key, fingerprint, created_at)
VALUES (?1, ?2, ?3, ?4))sql";

constexpr std::string_view kComplete = R"sql(
UPDATE idempotency_keys SET status = ?3, content_type = ?4, body = ?5
WHERE account_id = ?1 AND key = ?2 AND status IS NULL)sql";

constexpr std::string_view kReleaseUnfinished = R"sql(
DELETE FROM idempotency_keys WHERE status IS NULL)sql";

constexpr std::string_view kPurgeExpired = R"sql(
DELETE FROM idempotency_keys WHERE (account_id, key) IN (
  SELECT account_id, key FROM idempotency_keys WHERE created_at <= ?1 LIMIT ?2))sql";

IdempotencyClaim insert_claim(Connection& db, std::string_view account_id, std::string_view key,
                              std::string_view fingerprint, std::int64_t now) {
  db.query(kInsertClaim)->bind(1, account_id).bind(2, key).bind(3, fingerprint).bind(4, now).run();
  return IdempotencyClaim{IdempotencyClaim::Outcome::claimed, std::nullopt};
}

}  // namespace

IdempotencyClaim claim_idempotency_key(Connection& db, std::string_view account_id,
                                       std::string_view key, std::string_view fingerprint,
                                       std::int64_t now) {
  using Outcome = IdempotencyClaim::Outcome;
  IdempotencyClaim claim;
  bool expired = false;
  {
    Query existing = db.query(kSelectKey);
    existing->bind(1, account_id).bind(2, key);
    if (!existing->step()) return insert_claim(db, account_id, key, fingerprint, now);
    std::int64_t created_at = existing->integer(4);
    expired = created_at <= now - kIdempotencyKeyLifetimeMs ||
              (existing->is_null(1) && created_at <= now - kAbandonedClaimMs);
    if (!expired) {
      if (existing->text(0) != fingerprint) {
        claim.outcome = Outcome::mismatch;
      } else if (existing->is_null(1)) {
        claim.outcome = Outcome::in_progress;
      } else {
        claim.outcome = Outcome::replay;
        claim.response =
            StoredResponse{static_cast<int>(existing->integer(1)), std::string(existing->text(2)),
                           std::string(existing->blob(3))};
      }
    }
  }
  if (!expired) return claim;
  release_idempotency_key(db, account_id, key);
  return insert_claim(db, account_id, key, fingerprint, now);
}

void complete_idempotency_key(Connection& db, std::string_view account_id, std::string_view key,
                              const StoredResponse& response) {
  db.query(kComplete)
      ->bind(1, account_id)
      .bind(2, key)
      .bind(3, response.status)
      .bind(4, response.content_type)
      .bind_blob(5, response.body)
      .run();
}

void release_idempotency_key(Connection& db, std::string_view account_id, std::string_view key) {
  db.query(kDeleteKey)->bind(1, account_id).bind(2, key).run();
}

std::int64_t release_unfinished_idempotency_keys(Connection& db) {
  db.query(kReleaseUnfinished)->run();
  return db.changes();
}

std::int64_t purge_expired_idempotency_keys(Connection& db, std::int64_t now, std::int64_t limit) {
  db.query(kPurgeExpired)->bind(1, now - kIdempotencyKeyLifetimeMs).bind(2, limit).run();
  return db.changes();
}

}  // namespace seoagents::storage
