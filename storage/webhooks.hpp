// Webhook endpoints of an account and the deliveries of their events: CRUD with the signing
// secret stored only sealed (core/secret_box, associated data = the webhook id), secret rotation
// (the previous secret keeps signing until an expiry), and the delivery queue the dispatcher
// (jobs/webhooks/) works: due deliveries claimed under a lease (a crash lets them go again, so
// delivery is at-least-once), each attempt's outcome recorded with the endpoint's health.
// Events and their first deliveries are written by record_webhook_event (webhook_events.hpp).
// Times are parameters (milliseconds since the Unix epoch) so tests can drive the clock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyset.hpp"
#include "storage/sqlite.hpp"

namespace seoagents::storage {

struct Webhook {
  std::string id;
  std::string account_id;
  // An http(s) URL, checked by the SSRF guard at creation, update and every send.
  std::string url;
  std::string description;
  // Event types it subscribes to (kWebhookEventTypes), in the order given.
  std::vector<std::string> events;
  bool enabled = true;
  // nonce | ciphertext | tag of the signing secret ("whsec_…"); associated data: the id.
  std::string secret_sealed;
  // After a rotation: the previous secret, still signing until previous_secret_expires_at.
  std::optional<std::string> previous_secret_sealed;
  std::optional<std::int64_t> previous_secret_expires_at;
  // "unverified" or "verified" (by the last POST /verify ping).
  std::string verification_status = "unverified";
  std::optional<std::int64_t> last_verified_at;
  // Health: the last delivered and the last failed attempt, failed attempts since the last
  // success, and deliveries given up on.
  std::optional<std::int64_t> last_success_at;
  std::optional<std::int64_t> last_failure_at;
  std::int64_t consecutive_failures = 0;
  std::int64_t dead_deliveries = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// A fresh webhook id ("wh-" + 8 hex), so the secret can be sealed to it before the insert.
std::string new_webhook_id();

void insert_webhook(Connection& db, const Webhook& webhook);
// Writes url, description, events, enabled, the secrets, the verification fields and updated_at.
void update_webhook(Connection& db, const Webhook& webhook);
// Removes the webhook from the API (a soft delete: its deliveries keep their event rows) and
// gives up its pending deliveries. False when there was no such webhook.
bool delete_webhook(Connection& db, std::string_view webhook_id, std::int64_t now);
// nullopt for a missing or deleted webhook.
std::optional<Webhook> find_webhook(Connection& db, std::string_view webhook_id);
std::vector<Webhook> list_webhooks(Connection& db, std::string_view account_id,
                                   std::string_view sort_column, bool descending,
                                   const std::optional<PagePosition>& after, std::size_t limit);
PagePosition webhook_position(const Webhook& webhook, std::string_view sort_column);

// The sealed secrets that sign a request sent at `now`: the current one first, then the
// previous one while its overlap lasts.
std::vector<std::string> signing_secrets_sealed(const Webhook& webhook, std::int64_t now);

// --- deliveries ---

inline constexpr std::string_view kDeliveryStatuses[] = {"pending", "delivered", "dead"};

struct WebhookDelivery {
  // "dlv_" + 8 hex.
  std::string id;
  std::string webhook_id;
  // The event it carries ("evt_…") and the event's type.
  std::string event_id;
  std::string event_type;
  // "pending", "delivered" or "dead".
  std::string status = "pending";
  // Attempts started.
  std::int64_t attempts = 0;
  // When the next attempt is due (pending only).
  std::optional<std::int64_t> next_attempt_at;
  std::optional<std::int64_t> lease_expires_at;
  // What the last attempt got: the HTTP status (none when no response came), how long it took,
  // and what was wrong (null after a success).
  std::optional<std::int64_t> last_status_code;
  std::optional<std::int64_t> last_latency_ms;
  std::optional<std::string> last_error;
  // The delivery a redelivery repeats.
  std::optional<std::string> redelivery_of;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> delivered_at;
};

// A delivery the dispatcher claimed, with what sending it needs.
struct ClaimedDelivery {
  WebhookDelivery delivery;
  std::string account_id;
  // The webhook's URL and signing secrets at claim time.
  std::string url;
  std::vector<std::string> secrets_sealed;
  // The exact body to send.
  std::string payload;
};

struct ClaimRequest {
  std::int64_t now = 0;
  // The claimed deliveries are held until now + lease_ms.
  std::int64_t lease_ms = 0;
  // Names the claim; the writes that end the attempt must give it.
  std::string token;
  // Deliveries claimed at most.
  std::size_t limit = 0;
  // Attempts in flight per webhook at most (those in `in_flight` count).
  std::int64_t per_webhook_limit = 1;
  // Attempts in flight now, by webhook id.
  std::map<std::string, std::int64_t> in_flight;
};

// Claims pending deliveries due at `now` whose lease (if any) expired, of enabled webhooks,
// oldest due first, never past a webhook's limit; each counts an attempt and is held under the
// claim's token.
std::vector<ClaimedDelivery> claim_due_deliveries(Connection& db, const ClaimRequest& claim);

// What one attempt got.
struct AttemptResult {
  std::optional<std::int64_t> status_code;
  std::int64_t latency_ms = 0;
  // Empty for a 2xx.
  std::string error;
};

// The 2xx of an attempt: delivered; the webhook's failures reset. False when the token no
// longer holds the delivery (nothing is written).
bool record_delivery_success(Connection& db, std::string_view delivery_id, std::string_view token,
                             const AttemptResult& attempt, std::int64_t now);
// A failed attempt: pending again at `retry_at`, or dead when there is none; the webhook's
// health counts it. False when the token no longer holds the delivery.
bool record_delivery_failure(Connection& db, std::string_view delivery_id, std::string_view token,
                             const AttemptResult& attempt, std::optional<std::int64_t> retry_at,
                             std::int64_t now);
// Lets every claimed delivery go, due at `now` (at start: the last process's claims died with
// it). Returns how many.
std::int64_t release_delivery_leases(Connection& db, std::int64_t now);

// A new delivery of `original`'s event to the same webhook, due at `now` (the original keeps
// its history).
WebhookDelivery redeliver(Connection& db, const WebhookDelivery& original, std::int64_t now);

std::optional<WebhookDelivery> find_webhook_delivery(Connection& db, std::string_view delivery_id);
// A page of the webhook's deliveries by created_at.
std::vector<WebhookDelivery> list_webhook_deliveries(Connection& db, std::string_view webhook_id,
                                                     bool descending,
                                                     const std::optional<PagePosition>& after,
                                                     std::size_t limit);
PagePosition delivery_position(const WebhookDelivery& delivery);

// The earliest time a pending delivery of an enabled webhook becomes claimable (its due time, or
// its lease's expiry), if any: when the dispatcher should look again.
std::optional<std::int64_t> next_delivery_due(Connection& db);

}  // namespace seoagents::storage
