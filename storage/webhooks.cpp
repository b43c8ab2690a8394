// Webhook and delivery persistence (see webhooks.hpp).
#include "storage/webhooks.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/random_id.hpp"
#include "storage/ids.hpp"

namespace seoagents::storage {
namespace {

constexpr std::string_view kInsertWebhook =
    "INSERT INTO webhooks (id, account_id, url, description, events, enabled, secret_sealed, "
    "previous_secret_sealed, previous_secret_expires_at, verification_status, last_verified_at, "
    "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
constexpr std::string_view kUpdateWebhook =
    "UPDATE webhooks SET url = ?2, description = ?3, events = ?4, enabled = ?5, "
    "secret_sealed = ?6, previous_secret_sealed = ?7, previous_secret_expires_at = ?8, "
    "verification_status = ?9, last_verified_at = ?10, updated_at = ?11 "
    "WHERE id = ?1 AND deleted_at IS NULL";
constexpr std::string_view kDeleteWebhook =
    "UPDATE webhooks SET deleted_at = ?2, enabled = 0, updated_at = ?2 "
    "WHERE id = ?1 AND deleted_at IS NULL";
constexpr std::string_view kAbandonPendingDeliveries =
    "UPDATE webhook_deliveries SET status = 'dead', next_attempt_at = NULL, "
    "lease_expires_at = NULL, lease_token = NULL, last_error = 'the webhook was deleted', "
    "updated_at = ?2 WHERE webhook_id = ?1 AND status = 'pending'";
constexpr std::string_view kSelectWebhook =
    "SELECT id, account_id, url, description, events, enabled, secret_sealed, "
    "previous_secret_sealed, previous_secret_expires_at, verification_status, last_verified_at, "
    "last_success_at, last_failure_at, consecutive_failures, dead_deliveries, created_at, "
    "updated_at FROM webhooks WHERE id = ?1 AND deleted_at IS NULL";
// The list's filter (parameter 1: the account); keyset.hpp adds position, order and limit.
constexpr std::string_view kSelectWebhookPage =
    "SELECT id, account_id, url, description, events, enabled, secret_sealed, "
    "previous_secret_sealed, previous_secret_expires_at, verification_status, last_verified_at, "
    "last_success_at, last_failure_at, consecutive_failures, dead_deliveries, created_at, "
    "updated_at FROM webhooks WHERE account_id = ?1 AND deleted_at IS NULL";

// Deliveries are claimable when pending and due; a claim moves next_attempt_at to the lease's
// expiry, so one index finds both what is due and what a lost claim gives back.
constexpr std::string_view kSelectDue =
    "SELECT d.id, d.webhook_id, d.event_id, e.type, d.attempts, d.created_at, d.redelivery_of, "
    "w.account_id, w.url, w.secret_sealed, w.previous_secret_sealed, "
    "w.previous_secret_expires_at, e.payload FROM webhook_deliveries d "
    "JOIN webhooks w ON w.id = d.webhook_id JOIN webhook_events e ON e.id = d.event_id "
    "WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 AND w.enabled = 1 "
    "AND w.deleted_at IS NULL AND d.webhook_id NOT IN (SELECT value FROM json_each(?2)) "
    "ORDER BY d.next_attempt_at LIMIT ?3";
constexpr std::string_view kClaimDelivery =
    "UPDATE webhook_deliveries SET attempts = attempts + 1, lease_token = ?2, "
    "lease_expires_at = ?3, next_attempt_at = ?3, updated_at = ?4 WHERE id = ?1";
constexpr std::string_view kDeliverySucceeded =
    "UPDATE webhook_deliveries SET status = 'delivered', next_attempt_at = NULL, "
    "lease_expires_at = NULL, lease_token = NULL, last_status_code = ?3, last_latency_ms = ?4, "
    "last_error = NULL, delivered_at = ?5, updated_at = ?5 "
    "WHERE id = ?1 AND lease_token = ?2 AND status = 'pending'";
constexpr std::string_view kDeliveryFailed =
    "UPDATE webhook_deliveries SET status = CASE WHEN ?6 IS NULL THEN 'dead' ELSE 'pending' END, "
    "next_attempt_at = ?6, lease_expires_at = NULL, lease_token = NULL, last_status_code = ?3, "
    "last_latency_ms = ?4, last_error = ?5, updated_at = ?7 "
    "WHERE id = ?1 AND lease_token = ?2 AND status = 'pending'";
constexpr std::string_view kWebhookOfDelivery =
    "SELECT webhook_id FROM webhook_deliveries WHERE id = ?1";
constexpr std::string_view kWebhookSucceeded =
    "UPDATE webhooks SET last_success_at = ?2, consecutive_failures = 0 WHERE id = ?1";
constexpr std::string_view kWebhookFailed =
    "UPDATE webhooks SET last_failure_at = ?2, consecutive_failures = consecutive_failures + 1, "
    "dead_deliveries = dead_deliveries + ?3 WHERE id = ?1";
constexpr std::string_view kReleaseLeases =
    "UPDATE webhook_deliveries SET next_attempt_at = ?1, "
    "lease_expires_at = NULL, lease_token = NULL WHERE status = 'pending' "
    "AND lease_token IS NOT NULL";
constexpr std::string_view kDeliveryIdTaken = "SELECT 1 FROM webhook_deliveries WHERE id = ?";
constexpr std::string_view kInsertRedelivery =
    "INSERT INTO webhook_deliveries (id, webhook_id, event_id, status, attempts, "
    "next_attempt_at, created_at, updated_at, redelivery_of) "
    "VALUES (?1, ?2, ?3, 'pending', 0, ?4, ?4, ?4, ?5)";
constexpr std::string_view kSelectDelivery =
    "SELECT id, webhook_id, event_id, (SELECT type FROM webhook_events e WHERE e.id = event_id), "
    "status, attempts, next_attempt_at, lease_expires_at, last_status_code, last_latency_ms, "
    "last_error, redelivery_of, created_at, updated_at, delivered_at FROM webhook_deliveries "
    "WHERE id = ?1";
constexpr std::string_view kSelectDeliveryPage =
    "SELECT id, webhook_id, event_id, (SELECT type FROM webhook_events e WHERE e.id = event_id), "
    "status, attempts, next_attempt_at, lease_expires_at, last_status_code, last_latency_ms, "
    "last_error, redelivery_of, created_at, updated_at, delivered_at FROM webhook_deliveries "
    "WHERE webhook_id = ?1";
// In the due index's order: the first pending delivery of an enabled webhook.
constexpr std::string_view kNextDue =
    "SELECT d.next_attempt_at FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
    "WHERE d.status = 'pending' AND w.enabled = 1 AND w.deleted_at IS NULL "
    "ORDER BY d.next_attempt_at LIMIT 1";

const KeysetStatements& webhook_pages() {
  static const KeysetStatements pages(kSelectWebhookPage, 1, {"created_at", "updated_at"});
  return pages;
}

const KeysetStatements& delivery_pages() {
  static const KeysetStatements pages(kSelectDeliveryPage, 1, {"created_at"});
  return pages;
}

std::string events_json(const std::vector<std::string>& events) {
  boost::json::array array;
  for (const std::string& event : events)
    array.emplace_back(event);
  return boost::json::serialize(array);
}

std::vector<std::string> events_of(std::string_view text) {
  std::vector<std::string> events;
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return events;
  for (const auto& event : value.as_array()) {
    if (event.is_string()) events.emplace_back(event.as_string());
  }
  return events;
}

Webhook read_webhook(Statement& row) {
  Webhook webhook;
  webhook.id = row.text(0);
  webhook.account_id = row.text(1);
  webhook.url = row.text(2);
  webhook.description = row.text(3);
  webhook.events = events_of(row.text(4));
  webhook.enabled = row.integer(5) != 0;
  webhook.secret_sealed = row.blob(6);
  if (!row.is_null(7)) webhook.previous_secret_sealed = std::string(row.blob(7));
  webhook.previous_secret_expires_at = row.optional_integer(8);
  webhook.verification_status = row.text(9);
  webhook.last_verified_at = row.optional_integer(10);
  webhook.last_success_at = row.optional_integer(11);
  webhook.last_failure_at = row.optional_integer(12);
  webhook.consecutive_failures = row.integer(13);
  webhook.dead_deliveries = row.integer(14);
  webhook.created_at = row.integer(15);
  webhook.updated_at = row.integer(16);
  return webhook;
}

WebhookDelivery read_delivery(Statement& row) {
  WebhookDelivery delivery;
  delivery.id = row.text(0);
  delivery.webhook_id = row.text(1);
  delivery.event_id = row.text(2);
  delivery.event_type = row.optional_text(3).value_or("");
  delivery.status = row.text(4);
  delivery.attempts = row.integer(5);
  delivery.next_attempt_at = row.optional_integer(6);
  delivery.lease_expires_at = row.optional_integer(7);
  delivery.last_status_code = row.optional_integer(8);
  delivery.last_latency_ms = row.optional_integer(9);
  delivery.last_error = row.optional_text(10);
  delivery.redelivery_of = row.optional_text(11);
  delivery.created_at = row.integer(12);
  delivery.updated_at = row.integer(13);
  delivery.delivered_at = row.optional_integer(14);
  return delivery;
}

void bind_optional_blob(Statement& statement, int index, const std::optional<std::string>& blob) {
  if (blob) {
    statement.bind_blob(index, *blob);
  } else {
    statement.bind_null(index);
  }
}

// One due delivery as the claim query read it, before it is claimed.
ClaimedDelivery read_due(Statement& row, std::int64_t now) {
  ClaimedDelivery claimed;
  WebhookDelivery& delivery = claimed.delivery;
  delivery.id = row.text(0);
  delivery.webhook_id = row.text(1);
  delivery.event_id = row.text(2);
  delivery.event_type = row.text(3);
  delivery.attempts = row.integer(4);
  delivery.created_at = row.integer(5);
  delivery.redelivery_of = row.optional_text(6);
  claimed.account_id = row.text(7);
  claimed.url = row.text(8);
  Webhook secrets;
  secrets.secret_sealed = row.blob(9);
  if (!row.is_null(10)) secrets.previous_secret_sealed = std::string(row.blob(10));
  secrets.previous_secret_expires_at = row.optional_integer(11);
  claimed.secrets_sealed = signing_secrets_sealed(secrets, now);
  claimed.payload = row.text(12);
  return claimed;
}

std::string webhook_of_delivery(Connection& db, std::string_view delivery_id) {
  Query query = db.query(kWebhookOfDelivery);
  query->bind(1, delivery_id);
  return query->step() ? std::string(query->text(0)) : std::string();
}

}  // namespace

std::string new_webhook_id() {
  return "wh-" + secure_random_hex(4);
}

void insert_webhook(Connection& db, const Webhook& webhook) {
  Query query = db.query(kInsertWebhook);
  query->bind(1, webhook.id)
      .bind(2, webhook.account_id)
      .bind(3, webhook.url)
      .bind(4, webhook.description)
      .bind(5, events_json(webhook.events))
      .bind(6, webhook.enabled ? 1 : 0)
      .bind_blob(7, webhook.secret_sealed);
  bind_optional_blob(*query, 8, webhook.previous_secret_sealed);
  query->bind(9, webhook.previous_secret_expires_at)
      .bind(10, webhook.verification_status)
      .bind(11, webhook.last_verified_at)
      .bind(12, webhook.created_at)
      .bind(13, webhook.updated_at);
  query->run();
}

void update_webhook(Connection& db, const Webhook& webhook) {
  Query query = db.query(kUpdateWebhook);
  query->bind(1, webhook.id)
      .bind(2, webhook.url)
      .bind(3, webhook.description)
      .bind(4, events_json(webhook.events))
      .bind(5, webhook.enabled ? 1 : 0)
      .bind_blob(6, webhook.secret_sealed);
  bind_optional_blob(*query, 7, webhook.previous_secret_sealed);
  query->bind(8, webhook.previous_secret_expires_at)
      .bind(9, webhook.verification_status)
      .bind(10, webhook.last_verified_at)
      .bind(11, webhook.updated_at);
  query->run();
}

bool delete_webhook(Connection& db, std::string_view webhook_id, std::int64_t now) {
  db.query(kDeleteWebhook)->bind(1, webhook_id).bind(2, now).run();
  if (db.changes() == 0) return false;
  db.query(kAbandonPendingDeliveries)->bind(1, webhook_id).bind(2, now).run();
  return true;
}

std::optional<Webhook> find_webhook(Connection& db, std::string_view webhook_id) {
  Query query = db.query(kSelectWebhook);
  query->bind(1, webhook_id);
  if (!query->step()) return std::nullopt;
  return read_webhook(*query);
}

std::vector<Webhook> list_webhooks(Connection& db, std::string_view account_id,
                                   std::string_view sort_column, bool descending,
                                   const std::optional<PagePosition>& after, std::size_t limit) {
  return read_page(db, webhook_pages(), {account_id}, {sort_column, descending, after, limit},
                   read_webhook);
}

PagePosition webhook_position(const Webhook& webhook, std::string_view sort_column) {
  if (sort_column == "updated_at") return {webhook.updated_at, webhook.id};
  return {webhook.created_at, webhook.id};
}

std::vector<std::string> signing_secrets_sealed(const Webhook& webhook, std::int64_t now) {
  std::vector<std::string> secrets{webhook.secret_sealed};
  if (webhook.previous_secret_sealed && webhook.previous_secret_expires_at &&
      *webhook.previous_secret_expires_at > now) {
    secrets.push_back(*webhook.previous_secret_sealed);
  }
  return secrets;
}

std::vector<ClaimedDelivery> claim_due_deliveries(Connection& db, const ClaimRequest& claim) {
  boost::json::array full;
  for (const auto& [webhook_id, count] : claim.in_flight) {
    if (count >= claim.per_webhook_limit) full.emplace_back(webhook_id);
  }
  std::vector<ClaimedDelivery> due;
  {
    Query query = db.query(kSelectDue);
    query->bind(1, claim.now)
        .bind(2, boost::json::serialize(full))
        .bind(3, static_cast<std::int64_t>(claim.limit));
    while (query->step())
      due.push_back(read_due(*query, claim.now));
  }
  std::map<std::string, std::int64_t> taken = claim.in_flight;
  std::vector<ClaimedDelivery> claimed;
  std::int64_t lease_expires_at = claim.now + claim.lease_ms;
  for (ClaimedDelivery& delivery : due) {
    std::int64_t& count = taken[delivery.delivery.webhook_id];
    if (count >= claim.per_webhook_limit) continue;
    ++count;
    db.query(kClaimDelivery)
        ->bind(1, delivery.delivery.id)
        .bind(2, claim.token)
        .bind(3, lease_expires_at)
        .bind(4, claim.now)
        .run();
    WebhookDelivery& row = delivery.delivery;
    row.attempts += 1;
    row.next_attempt_at = row.lease_expires_at = lease_expires_at;
    row.updated_at = claim.now;
    claimed.push_back(std::move(delivery));
  }
  return claimed;
}

bool record_delivery_success(Connection& db, std::string_view delivery_id, std::string_view token,
                             const AttemptResult& attempt, std::int64_t now) {
  db.query(kDeliverySucceeded)
      ->bind(1, delivery_id)
      .bind(2, token)
      .bind(3, attempt.status_code)
      .bind(4, attempt.latency_ms)
      .bind(5, now)
      .run();
  if (db.changes() == 0) return false;
  db.query(kWebhookSucceeded)->bind(1, webhook_of_delivery(db, delivery_id)).bind(2, now).run();
  return true;
}

bool record_delivery_failure(Connection& db, std::string_view delivery_id, std::string_view token,
                             const AttemptResult& attempt, std::optional<std::int64_t> retry_at,
                             std::int64_t now) {
  db.query(kDeliveryFailed)
      ->bind(1, delivery_id)
      .bind(2, token)
      .bind(3, attempt.status_code)
      .bind(4, attempt.latency_ms)
      .bind(5, attempt.error)
      .bind(6, retry_at)
      .bind(7, now)
      .run();
  if (db.changes() == 0) return false;
  db.query(kWebhookFailed)
      ->bind(1, webhook_of_delivery(db, delivery_id))
      .bind(2, now)
      .bind(3, retry_at ? 0 : 1)
      .run();
  return true;
}

std::int64_t release_delivery_leases(Connection& db, std::int64_t now) {
  // A released delivery is due at once: its attempt was cut short, not answered.
  db.query(kReleaseLeases)->bind(1, now).run();
  return db.changes();
}

WebhookDelivery redeliver(Connection& db, const WebhookDelivery& original, std::int64_t now) {
  WebhookDelivery delivery;
  delivery.id = fresh_id(db, "dlv_", kDeliveryIdTaken);
  delivery.webhook_id = original.webhook_id;
  delivery.event_id = original.event_id;
  delivery.event_type = original.event_type;
  delivery.next_attempt_at = now;
  delivery.redelivery_of = original.id;
  delivery.created_at = delivery.updated_at = now;
  db.query(kInsertRedelivery)
      ->bind(1, delivery.id)
      .bind(2, delivery.webhook_id)
      .bind(3, delivery.event_id)
      .bind(4, now)
      .bind(5, original.id)
      .run();
  return delivery;
}

std::optional<WebhookDelivery> find_webhook_delivery(Connection& db, std::string_view delivery_id) {
  Query query = db.query(kSelectDelivery);
  query->bind(1, delivery_id);
  if (!query->step()) return std::nullopt;
  return read_delivery(*query);
}

std::vector<WebhookDelivery> list_webhook_deliveries(Connection& db, std::string_view webhook_id,
                                                     bool descending,
                                                     const std::optional<PagePosition>& after,
                                                     std::size_t limit) {
  return read_page(db, delivery_pages(), {webhook_id}, {"created_at", descending, after, limit},
                   read_delivery);
}

PagePosition delivery_position(const WebhookDelivery& delivery) {
  return {delivery.created_at, delivery.id};
}

std::optional<std::int64_t> next_delivery_due(Connection& db) {
  Query query = db.query(kNextDue);
  if (!query->step()) return std::nullopt;
  return query->optional_integer(0);
}

}  // namespace seoagents::storage
